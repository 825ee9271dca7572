"""Following: a member follows a work, a paragraph of it or a thread, and is told of
what is written there (``replies``) and of a work's new versions (``versions``).

Following names a place, never grants sight of it: what a follower is told is filtered
by the one visibility rule when it is written and again when it is read. A thread is
followed only through a comment the member may see (the callers fetch it with
``commentary.access``).
"""

from dataclasses import dataclass

from django.db import IntegrityError, connections, router, transaction
from django.http import Http404
from django.utils import timezone

from commentary.access import get_comment_for_user
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
    """Writing a comment follows its thread, unless its author switched that off.

    One statement, after the comment's commit: the follow is inserted unless the author's
    settings say no, and a follow they already have is left as it is (``follow_create``
    asks first and then writes, in four round trips; this is every post's)."""
    connection = connections[router.db_for_write(Follow)]
    table = connection.ops.quote_name(Follow._meta.db_table)
    choices = connection.ops.quote_name(NotificationSettings._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Follow._meta.get_field(name).column)
        for name in ("user", "target", "work", "paragraph", "thread", "created_at")
    )
    user_column = connection.ops.quote_name(NotificationSettings._meta.get_field("user").column)
    choice_column = connection.ops.quote_name("follow_own_threads")
    created_at = Follow._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT %s, %s, %s, NULL, %s, %s"
            f" WHERE NOT EXISTS (SELECT 1 FROM {choices}"
            f" WHERE {user_column} = %s AND NOT {choice_column})"
            " ON CONFLICT DO NOTHING",
            [
                comment.author_id,
                Target.THREAD,
                comment.work_id,
                comment.thread_root_id,
                created_at,
                comment.author_id,
            ],
        )


@dataclass(frozen=True)
class Place:
    """What a member follows: a work, a paragraph of it, or a thread (its first comment)."""

    work: Work
    paragraph: Paragraph | None = None
    thread: Comment | None = None

    def arguments(self) -> dict:
        return {"work": self.work, "paragraph": self.paragraph, "thread": self.thread}


def resolve_place(user, *, work: str = "", paragraph: str = "", thread=None) -> Place:
    """The place a form or an API body names, as ``user`` may see it; Http404 for one that
    does not exist or that they may not read (an unpublished work, another group's
    thread), alike. A thread alone names its work."""
    if thread not in (None, ""):
        comment = get_comment_for_user(user, thread)
        root = comment if comment.root_id is None else get_comment_for_user(user, comment.root_id)
        return Place(work=root.work, thread=root)
    found = Work.objects.published().filter(slug=work or "").first()
    if found is None:
        raise Http404("No such work.")
    if not paragraph:
        return Place(work=found)
    passage = Paragraph.objects.published().filter(work=found, key=paragraph).first()
    if passage is None:
        raise Http404("No such paragraph.")
    return Place(work=found, paragraph=passage)


def follows_of(user):
    """``user``'s follows, newest first, with their places."""
    return Follow.objects.filter(user_id=user.pk).select_related("work", "paragraph", "thread")
