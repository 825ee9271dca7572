"""Following: a member follows a work, a paragraph of it or a thread, and is told of
what is written there (``replies``) and of a work's new versions (``versions``).

Following names a place, never grants sight of it: what a follower is told is filtered
by the one visibility rule when it is written and again when it is read. A thread is
followed only through a comment the member may see (the callers fetch it with
``commentary.access``).
"""

from django.db import IntegrityError, transaction

from commentary.models import Comment
from commentary.notifications.models import Follow, NotificationSettings
from edition.models import Paragraph, Work

Target = Follow.Target


def _lookup(*, user, work: Work, paragraph: Paragraph | None, thread: Comment | None) -> dict:
    if thread is not None:
        return {"user": user, "target": Target.THREAD, "thread_id": thread.thread_root_id}
    if paragraph is not None:
        return {"user": user, "target": Target.PARAGRAPH, "paragraph": paragraph}
    return {"user": user, "target": Target.WORK, "work": work}


def follow_create(
    *, user, work: Work, paragraph: Paragraph | None = None, thread: Comment | None = None
) -> Follow:
    """``user`` follows ``thread`` (its whole thread), else ``paragraph``, else ``work``.
    Following twice is following once."""
    lookup = _lookup(user=user, work=work, paragraph=paragraph, thread=thread)
    existing = Follow.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    fields = {**lookup, "work": work}
    if thread is not None:
        fields["paragraph_id"] = None
    try:
        with transaction.atomic():
            return Follow.objects.create(**fields)
    except IntegrityError:  # a concurrent follow of the same place
        return Follow.objects.get(**lookup)


def follow_delete(
    *, user, work: Work, paragraph: Paragraph | None = None, thread: Comment | None = None
) -> int:
    """``user`` no longer follows that place; returns how many follows ended (0 or 1)."""
    deleted, _ = Follow.objects.filter(
        **_lookup(user=user, work=work, paragraph=paragraph, thread=thread)
    ).delete()
    return deleted


def is_following(
    user, *, work: Work, paragraph: Paragraph | None = None, thread: Comment | None = None
) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Follow.objects.filter(
        **_lookup(user=user, work=work, paragraph=paragraph, thread=thread)
    ).exists()


def settings_of(user) -> NotificationSettings:
    """``user``'s settings, as they are (unsaved defaults when they never chose)."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found or NotificationSettings(user=user)


def settings_update(*, user, **fields) -> NotificationSettings:
    """Save ``fields`` (``follow_own_threads``, ``feed_token``) of ``user``'s settings."""
    found, _ = NotificationSettings.objects.update_or_create(user=user, defaults=fields)
    return found


def own_thread_follow(comment: Comment) -> None:
    """Writing a comment follows its thread, unless its author switched that off."""
    if not settings_of(comment.author).follow_own_threads:
        return
    follow_create(user=comment.author, work=comment.work, thread=comment)
