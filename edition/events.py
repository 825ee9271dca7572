"""What happens to the edition, sent after commit with ``sender=None``:

- ``version_published``: ``version`` (a new current version of its work).
"""

from django.dispatch import Signal

version_published = Signal()
