"""Webhooks: a member's endpoints told, signed and in the background, of what they may read
(Standard Webhooks). Nothing imports this wing: it listens to the discussion's and the
edition's events (``commentary.webhooks.listeners``)."""
