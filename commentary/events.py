"""What happens to comments, sent after commit (``config.site.events.send_after_commit``).

Every signal is sent with ``sender=None`` and these keyword arguments:

- ``comment_created``: ``comment``, published or held;
- ``comment_edited``: ``comment``, ``status_changed`` (an edit sent it back to the queue);
- ``comment_deleted``: ``comment`` (its tombstone);
- ``comment_decided``: ``comment``, ``decision`` (the ModerationEvent the moderation wing
  wrote: a moderator's decision, or the flags that hid it), ``status_changed``;
- ``comment_flagged``: ``comment``, ``flag`` (a member's flag, whether or not it hid the
  comment: a site moderator reads a reading group's comment from its first flag on).

The page cache (``commentary.cache``), the notifications wing and the change log
(``commentary.sync``) listen.
"""

from django.dispatch import Signal

comment_created = Signal()
comment_edited = Signal()
comment_deleted = Signal()
comment_decided = Signal()
comment_flagged = Signal()
