"""The notifications wing's background work: one task per event, however many are told
(a comment in a thread of 500 followers costs its poster one task, not 500 mails in the
request). In development and tests the immediate backend runs a task at once; in
production ``manage.py db_worker`` does (settings ``TASKS``)."""

from commentary.notifications import delivery, replies, versions

try:  # Django 6 has the Tasks framework built in; on 5.2 the django-tasks backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task


@task()
def comment_told(comment_id: int, mentions_only: bool = False, origin: str = "") -> int:
    """Tell of a readable comment (``replies.comment_notify``), then mail those who want
    it at once. Returns how many notifications were written."""
    written = replies.comment_notify(comment_id, mentions_only=mentions_only)
    delivery.mail_at_once(written, origin=origin)
    return len(written)


@task()
def version_told(version_id: int, origin: str = "") -> int:
    written = versions.version_notify(version_id)
    delivery.mail_at_once(written, origin=origin)
    return len(written)
