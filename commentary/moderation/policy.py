"""The site's write policy (``commentary.policy``): sanctions, group membership, the
moderation of new and edited comments, and rate limits, as the moderation wing rules them.
Registered at start-up by ``CommentaryConfig.ready``."""

from commentary.moderation import decisions, ratelimits, sanctions, trust
from commentary.policy import Admission


class SitePolicy:
    def ensure_may_write(self, user, *, group_id: int | None = None) -> None:
        sanctions.ensure_may_write(user, group_id=group_id)

    def admit(self, *, author, work, group) -> Admission:
        # Whether the author is a new member decides both their rate and (in the public
        # discussion) whether the comment is held: asked once.
        new_member = trust.is_new_member(author)
        return Admission(
            status=decisions.initial_status(
                author=author, work=work, group=group, new_member=new_member
            ),
            wait=ratelimits.comment_wait(author, new_member=new_member),
        )

    def status_after_edit(self, comment, editor) -> str:
        return decisions.status_after_edit(comment, editor)

    def edit_requeued(self, comment, before: str) -> None:
        decisions.requeue_event(comment, before)

    def edit_wait(self, user) -> int:
        return ratelimits.edit_wait(user)

    def held_as_new(self, user) -> bool:
        return trust.is_new_member(user)

    def refusal(self, user, *, group_id: int | None = None) -> str:
        sanction = sanctions.sanction_in_force(user, group_id=group_id)
        return sanctions.sanction_message(sanction) if sanction is not None else ""
