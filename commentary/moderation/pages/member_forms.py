"""The forms of a member's moderation page: suspend, ban, reinstate and trust.

What a sanction needs beyond its fields' shapes (an end in the future, whom one may
sanction) is the services' to say (``commentary.moderation.sanctions``,
``commentary.moderation.trust``); the page shows their refusal next to the field
concerned (``add_service_error``).
"""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_REASON = 1000
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
REASON_REQUIRED = _("Say why: the member is told.")


class MemberActionForm(forms.Form):
    def add_service_error(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


def _reason(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason (told to the member)") if required else _("Reason (optional)"),
        required=required,
        max_length=MAX_REASON,
        error_messages={"required": REASON_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def a_week_from_now() -> str:
    moment = timezone.localtime(timezone.now() + timedelta(days=7))
    return moment.strftime(DATETIME_LOCAL)


class SuspendForm(MemberActionForm):
    until = forms.DateTimeField(
        label=_("Suspended until"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={
            "required": _("Say until when."),
            "invalid": _("Give a date and a time, such as 2030-01-31 18:00."),
        },
    )
    reason = _reason(required=True)


class BanForm(MemberActionForm):
    reason = _reason(required=True)


class ReinstateForm(MemberActionForm):
    reason = _reason(required=False)


TRUST_CHOICES = {"trusted": True, "untrusted": False, "automatic": None}


class TrustForm(MemberActionForm):
    trust = forms.ChoiceField(
        label=_("Trust"),
        choices=[
            ("trusted", _("Trusted: their comments are published at once")),
            ("untrusted", _("Trust removed: every comment of theirs is held")),
            ("automatic", _("Automatic: trusted once enough comments are approved")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one.")},
    )
    reason = _reason(required=False)

    def trusted(self) -> bool | None:
        return TRUST_CHOICES[self.cleaned_data["trust"]]
