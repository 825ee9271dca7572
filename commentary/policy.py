"""The write policy: what the comment services ask before they write, answered by whoever
registered it at start-up (the moderation wing, in ``CommentaryConfig.ready``).

The core decides where a comment goes and what it says; whether this person may write at
all or in this group, the status a new or edited comment takes, and how fast one may post
are the policy's. The services never import moderation: they ask ``write_policy()``, as
django-contrib-comments' views ask the moderator class a site registered.

With no policy registered every write is refused (fails closed).
"""

from typing import NamedTuple, Protocol

from django.core.exceptions import ImproperlyConfigured


class Admission(NamedTuple):
    """A new comment admitted: the status it starts in, or ``wait`` seconds (not 0) until
    its author may post again."""

    status: str
    wait: int


class Poster(Protocol):
    """An author about to post one comment, as the policy read them (``poster``)."""

    def ensure_may_write(self, *, group_id: int | None = None) -> None:
        """Raise ``MemberSanctioned`` if they may not write now (in that group)."""

    def admit(self, *, work, group) -> Admission:
        """Count this post against their rate, and say the status the comment on ``work``
        (in ``group``) starts in."""


class WritePolicy(Protocol):
    def ensure_may_write(self, user, *, group_id: int | None = None) -> None:
        """Raise ``MemberSanctioned`` if ``user`` may not write now (in that group)."""

    def poster(self, author, *, group_id: int | None = None) -> Poster:
        """``author`` about to post a new comment in the reading group ``group_id`` (None:
        the public discussion): what the ``Poster`` answers is read now, at once, so that
        a post asks the database about its author once."""

    def status_after_edit(self, comment, editor) -> str:
        """The status of ``comment`` once ``editor`` changed its body."""

    def edit_requeued(self, comment, before: str) -> None:
        """Record that an edit sent ``comment`` from ``before`` back to the queue (in the
        edit's transaction)."""

    def edit_wait(self, user) -> int:
        """Count one edit by ``user``: 0 if allowed, else seconds until it would be."""

    def held_as_new(self, user) -> bool:
        """Whether ``user``'s public comments wait for a moderator, whatever the work's
        policy (the forms say so before they post)."""

    def refusal(self, user, *, group_id: int | None = None) -> str:
        """Why ``user`` may not write now (in that group), to show instead of a form;
        "" when they may."""


_policy: WritePolicy | None = None


def register_write_policy(policy: WritePolicy) -> None:
    global _policy
    _policy = policy


def write_policy() -> WritePolicy:
    if _policy is None:
        raise ImproperlyConfigured("No write policy is registered: comments cannot be written.")
    return _policy
