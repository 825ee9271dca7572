"""The site's write policy (``commentary.policy``): sanctions, group membership, the
moderation of new and edited comments, and rate limits, as the moderation wing rules them.
Registered at start-up by ``CommentaryConfig.ready``."""

from django.utils.translation import gettext as _

from commentary.errors import CommentError
from commentary.groups.models import Membership
from commentary.moderation import decisions, ratelimits, sanctions, trust


class SitePolicy:
    def ensure_may_write(self, user, *, group_id: int | None = None) -> None:
        sanctions.ensure_may_write(user, group_id=group_id)

    def ensure_may_write_in(self, user, group, work) -> None:
        # Not being a member reads as the group not existing.
        if not Membership.objects.filter(group=group, user_id=user.pk).exists():
            raise CommentError({"group": [_("No such group.")]})
        if not group.works.filter(pk=work.pk).exists():
            raise CommentError({"group": [_("This group does not read that work.")]})

    def new_status(self, *, author, work, group) -> str:
        return decisions.initial_status(author=author, work=work, group=group)

    def status_after_edit(self, comment, editor) -> str:
        return decisions.status_after_edit(comment, editor)

    def edit_requeued(self, comment, before: str) -> None:
        decisions.requeue_event(comment, before)

    def post_wait(self, user) -> int:
        return ratelimits.comment_wait(user, new_member=trust.is_new_member(user))

    def edit_wait(self, user) -> int:
        return ratelimits.edit_wait(user)

    def held_as_new(self, user) -> bool:
        return trust.is_new_member(user)

    def refusal(self, user, *, group_id: int | None = None) -> str:
        sanction = sanctions.sanction_in_force(user, group_id=group_id)
        return sanctions.sanction_message(sanction) if sanction is not None else ""
