"""What happens to reading groups' membership, sent after commit, with ``sender=None``:

- ``member_joined``: ``group``, ``user``, ``role``;
- ``member_left``: ``group``, ``user_id``, ``removed_by`` (None when they left).
"""

from django.dispatch import Signal

member_joined = Signal()
member_left = Signal()
