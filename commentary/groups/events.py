"""What happens to reading groups' membership, sent after commit, with ``sender=None``:

- ``member_joined``: ``group``, ``user``, ``role`` (its founder joins a new group as owner);
- ``member_left``: ``group``, ``user_id``, ``removed_by`` (None when they left);
- ``reach_changed``: ``group``, ``user_ids``: what these members may read of the group
  changed while they stayed in it (it turned "post first" on or off, a member became its
  owner);
- ``group_copied``: ``group`` (the copy), ``original``, ``comment_ids`` (the owner's first
  comments copied into it, if any).
"""

from django.dispatch import Signal

member_joined = Signal()
member_left = Signal()
reach_changed = Signal()
group_copied = Signal()
