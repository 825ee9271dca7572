"""The moderators' forms: the queue's and the log's filters, and a decision's reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commentary.models import Comment
from commentary.moderation.decisions import DECISIONS
from commentary.moderation.models import Flag, ModerationEvent

KIND_HELD = "held"
PAGE_SCOPE = "page"
KIND_FLAGGED = "flagged"


class QueueFilterForm(forms.Form):
    """The queue's GET filters; ``work_choices`` are (slug, title) pairs, ``group_choices``
    (slug, name) pairs of the reading groups the viewer leads (the field is left out when
    there are none)."""

    work = forms.ChoiceField(label=_("Work"), required=False)
    group = forms.ChoiceField(label=_("Reading group"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Held and flagged")), (KIND_HELD, _("Held")), (KIND_FLAGGED, _("Flagged"))],
    )
    reason = forms.ChoiceField(
        label=_("Flag reason"),
        required=False,
        choices=[("", _("Any reason")), *Flag.Reason.choices],
    )

    def __init__(
        self,
        *args,
        work_choices: list[tuple[str, str]],
        group_choices: list[tuple[str, str]] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work"].choices = [("", _("All works")), *work_choices]
        if group_choices:
            self.fields["group"].choices = [("", _("All I moderate")), *group_choices]
        else:
            del self.fields["group"]

    def filter(self, comments):
        """``comments`` narrowed to the valid filters (an invalid one is ignored)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("work"):
            comments = comments.filter(work__slug=data["work"])
        if data.get("group"):
            comments = comments.filter(group__slug=data["group"])
        if data.get("kind") == KIND_HELD:
            comments = comments.held()
        elif data.get("kind") == KIND_FLAGGED:
            comments = comments.flagged()
        if data.get("reason"):
            comments = comments.flagged(reason=data["reason"])
        return comments


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(action, action) for action in DECISIONS])
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)
    expected_status = forms.ChoiceField(required=False, choices=Comment.Status.choices)


class CommentIdsField(forms.TypedMultipleChoiceField):
    """Comment ids; which of them exist and may be seen is the view's question."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("hide", _("Hide")),
            ("restore", _("Restore")),
            ("keep", _("Keep (dismiss flags)")),
        ],
    )
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)
    # "ticked" decides on the ticked comments; "page" on every comment of the queue page
    # the form was on (``page_comments``), which needs no ticking and so no JavaScript.
    scope = forms.ChoiceField(
        required=False, choices=[("ticked", "ticked"), (PAGE_SCOPE, PAGE_SCOPE)]
    )
    comments = CommentIdsField(coerce=int, required=False)
    page_comments = CommentIdsField(coerce=int, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("scope") == PAGE_SCOPE:
            data["comments"] = data.get("page_comments") or []
        if not data.get("comments"):
            raise ValidationError(_("Choose at least one comment."), code="required")
        return data


class EventFilterForm(forms.Form):
    moderator = forms.CharField(label=_("Moderator"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *ModerationEvent.Action.choices],
    )
    user = forms.CharField(label=_("Member"), required=False, max_length=150)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, events):
        """``events`` narrowed to the valid filters; dates are whole days, both included."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("moderator"):
            events = events.filter(actor__username=data["moderator"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("user"):
            events = events.filter(user__username=data["user"])
        if data.get("since"):
            events = events.filter(created_at__date__gte=data["since"])
        if data.get("until"):
            events = events.filter(created_at__date__lte=data["until"])
        return events


class FlagForm(forms.Form):
    """A member's flag on a comment. What is required is the service's to say
    (``moderation.flag_create``), in its own words, next to the field concerned."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        required=False,
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the moderators"),
        help_text=_("Required when the reason is “other”."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def add_service_error(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
