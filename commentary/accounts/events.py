"""What happens to accounts, sent after commit with ``sender=None``:

- ``account_deleted``: ``user_id`` (their comments are tombstones now, or kept under
  "[deleted member]");
- ``member_renamed``: ``user_id`` (the name shown beside their comments changed).

The change log (``commentary.sync``) listens.
"""

from django.dispatch import Signal

account_deleted = Signal()
member_renamed = Signal()
