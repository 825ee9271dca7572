"""What the discussion's write services refuse, for their callers to show: form errors on
the pages, a 400 (or the status each subclass names) in the API."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CommentError(ValidationError):
    """Input a user can correct, keyed by the field it concerns."""


class CommentRateLimited(CommentError):
    """Acting faster than a rate of ``commentary.moderation.ratelimits`` allows; ``retry_after`` in
    seconds. ``action`` says what was too fast: posting, editing or flagging."""

    MESSAGES = {
        "post": _("You are posting too fast. Try again in %(seconds)s seconds."),
        "edit": _("You are editing too fast. Try again in %(seconds)s seconds."),
        "flag": _("You are flagging too fast. Try again in %(seconds)s seconds."),
    }

    def __init__(self, retry_after: int, *, editing: bool = False, action: str = "") -> None:
        self.retry_after = retry_after
        action = action or ("edit" if editing else "post")
        message = self.MESSAGES[action] % {"seconds": retry_after}
        super().__init__({"rate": [message]})


class MemberSanctioned(CommentError):
    """The member is suspended or banned: they may not post, edit or flag. The message
    says why and, for a suspension, until when."""

    def __init__(self, message: str) -> None:
        super().__init__({"account": [message]})


class ModerationConflict(CommentError):
    """A decision that no longer applies: another moderator decided first, or the comment
    is not in a state the action acts on."""

    def __init__(self, message: str) -> None:
        super().__init__({"status": [message]})
