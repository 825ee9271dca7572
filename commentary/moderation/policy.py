"""The site's write policy (``commentary.policy``): sanctions, group membership, the
moderation of new and edited comments, and rate limits, as the moderation wing rules them.
Registered at start-up by ``CommentaryConfig.ready``."""

from commentary.moderation import decisions, ratelimits, sanctions, trust
from commentary.moderation.posting import Poster, poster_read


class SitePolicy:
    def ensure_may_write(self, user, *, group_id: int | None = None) -> None:
        sanctions.ensure_may_write(user, group_id=group_id)

    def poster(self, author, *, group_id: int | None = None) -> Poster:
        # Whether the author is a new member decides both their rate and (in the public
        # discussion) whether the comment is held: read once, with their sanctions.
        return poster_read(author, group_id=group_id)

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
