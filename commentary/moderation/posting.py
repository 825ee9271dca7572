"""A member about to post a comment, as the site's write policy reads them: the sanction in
force on them where they write, whether they are still a new member, and their profile, in
one query (``SitePolicy.poster``); then the status their comment starts in and their rate
(``Poster.admit``).

The query asks the sanctions of the site and of the reading group the comment goes to (a
reply's is its thread's, known before its parent is locked: a comment's group never
changes), the moderator's decision on their trust, and the id of their threshold-th
approved comment (``trust.last_held_approval``: it reads no further, however many they
wrote). Their profile row comes with it and is left on the user object, so that what the
request shows of them next (their name under the comment) asks nothing again.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Subquery

from commentary.errors import MemberSanctioned
from commentary.moderation import decisions, ratelimits, sanctions, trust
from commentary.moderation.models import Sanction
from commentary.moderation.moderators import is_moderator
from commentary.policy import Admission


@dataclass
class Poster:
    user: object
    group_id: int | None
    sanction_id: int | None
    new_member: bool

    def ensure_may_write(self, *, group_id: int | None = None) -> None:
        """Raise MemberSanctioned if a sanction read stops them writing in ``group_id``
        (None: the public discussion), the site's first; a group not read is asked."""
        if group_id is not None and group_id != self.group_id:
            sanctions.ensure_may_write(self.user, group_id=group_id)
            return
        if self.sanction_id is None:
            return
        sanction = Sanction.objects.select_related("group").get(pk=self.sanction_id)
        if group_id is None and sanction.group_id is not None:
            return  # the group's own sanction: the public discussion is open to them
        raise MemberSanctioned(sanctions.sanction_message(sanction))

    def admit(self, *, work, group) -> Admission:
        return Admission(
            status=decisions.initial_status(
                author=self.user, work=work, group=group, new_member=self.new_member
            ),
            wait=ratelimits.comment_wait(self.user, new_member=self.new_member),
        )


def poster_read(user, *, group_id: int | None) -> Poster:
    """``user`` about to post in reading group ``group_id`` (None: the public discussion),
    read in one query (see the module)."""
    in_force = (
        Sanction.objects.in_force()
        .applying_to(group_id)
        .filter(user_id=OuterRef("pk"))
        .order_by(F("group_id").asc(nulls_first=True), "-pk")
        .values("pk")[:1]
    )
    read = {"sanction_id": Subquery(in_force)}
    held_approval = None if is_moderator(user) else trust.last_held_approval()
    if held_approval is not None:
        read["held_approval"] = held_approval
    found = get_user_model().objects.filter(pk=user.pk).select_related("profile").annotate(**read)
    found = found.get()
    profile = getattr(found, "profile", None)
    if profile is not None:
        user.profile = profile
    return Poster(
        user=user,
        group_id=group_id,
        sanction_id=found.sanction_id,
        new_member=trust.new_member_read(
            user,
            override=profile.trusted if profile is not None else None,
            held_approval=getattr(found, "held_approval", None),
        ),
    )
