"""The reading groups' forms: a group's settings, its invitation, handing it over, copying
it for a new term, and the leader's filters on the group's comments.

The forms check the shape of what is sent; what a service refuses (a name too long, an
end before the start, a member who is not one) comes back as its CommentError, which
``add_service_error`` puts beside the field concerned.
"""

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commentary.groups.models import Membership, ReadingGroup
from edition.models import ModerationPolicy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceErrorsMixin:
    # The owner's page holds several forms: each its own ids.
    id_prefix = "id"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    def add_service_error(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


class GroupForm(ServiceErrorsMixin, forms.Form):
    """A group's settings, for founding it and for its owner to change them;
    ``work_choices`` are (slug, title) pairs of the published works."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the group reads and when it meets, for its members."),
    )
    works = forms.MultipleChoiceField(
        label=_("Works to read"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one work.")},
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    discoverable = forms.BooleanField(
        label=_("Discoverable"),
        required=False,
        help_text=_(
            "Anybody may see the group's name and description and ask for an invitation; "
            "never its comments or its members."
        ),
    )
    post_first = forms.BooleanField(
        label=_("Post first, then see the others"),
        required=False,
        help_text=_(
            "A member sees the group's comments on a paragraph only after writing there. "
            "The owner and moderators see everything."
        ),
    )
    premoderated = forms.BooleanField(
        label=_("Pre-moderated"),
        required=False,
        help_text=_("Members' comments wait until the owner or a moderator approves them."),
    )
    suggested_tags = forms.CharField(
        label=_("Suggested tags"),
        required=False,
        max_length=450,
        help_text=_(
            "Up to 10 words members are offered first when they tag a comment in the "
            "group: question, objection, source…"
        ),
    )

    def __init__(self, *args, work_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["works"].choices = work_choices

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The group cannot end before it starts."))
        return data

    @classmethod
    def initial_for(cls, group: ReadingGroup, work_slugs: list[str]) -> dict:
        return {
            "name": group.name,
            "description": group.description,
            "works": work_slugs,
            "starts_on": group.starts_on,
            "ends_on": group.ends_on,
            "discoverable": group.discoverable,
            "post_first": group.post_first,
            "premoderated": group.moderation_policy == ModerationPolicy.PREMODERATED,
            "suggested_tags": group.suggested_tags,
        }

    def settings(self) -> dict:
        """The cleaned data as the services' keyword arguments."""
        data = dict(self.cleaned_data)
        premoderated = data.pop("premoderated")
        data["moderation_policy"] = (
            ModerationPolicy.PREMODERATED if premoderated else ModerationPolicy.OPEN
        )
        return data


def end_of_day(day) -> datetime:
    """The moment an invitation "valid until ``day``" stops working: the next midnight."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def last_valid_day(expires_at: datetime | None):
    if expires_at is None:
        return None
    return (timezone.localtime(expires_at) - timedelta(microseconds=1)).date()


class InvitationForm(ServiceErrorsMixin, forms.Form):
    """The role an invitation gives and the last day it works."""

    id_prefix = "invitation"

    invite_role = forms.ChoiceField(
        label=_("Joins as"),
        choices=[
            (Membership.Role.MEMBER, _("Member")),
            (Membership.Role.MODERATOR, _("Moderator")),
        ],
    )
    valid_until = forms.DateField(
        label=_("Works until"),
        required=False,
        widget=DATE,
        help_text=_("The last day the link works; leave empty for no end."),
    )

    def clean_valid_until(self):
        day = self.cleaned_data.get("valid_until")
        if day and day < timezone.localdate():
            raise ValidationError(_("Choose today or a later day."))
        return day

    def settings(self) -> dict:
        day = self.cleaned_data["valid_until"]
        return {
            "invite_role": self.cleaned_data["invite_role"],
            "invite_expires_at": end_of_day(day) if day else None,
        }


class TransferForm(ServiceErrorsMixin, forms.Form):
    """Hand the group to another member; ``member_choices`` are (username, name) pairs."""

    id_prefix = "transfer"

    user = forms.ChoiceField(label=_("New owner"))

    def __init__(self, *args, member_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Choose a member")), *member_choices]


class CopyForm(ServiceErrorsMixin, forms.Form):
    id_prefix = "copy"

    name = forms.CharField(label=_("Name of the new group"), max_length=120)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    include_leader_comments = forms.BooleanField(
        label=_("Include my own comments"),
        required=False,
        help_text=_("Your first comments (not replies) are copied into the new group."),
    )

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The group cannot end before it starts."))
        return data


class GroupCommentFilterForm(forms.Form):
    """The leader's filters on the group's comments (GET). ``work_choices`` are the
    group's works, ``member_choices`` (username, name) pairs, ``version_choices`` the
    chosen work's version numbers. Passages are named as readers see them ("¶ 4", "4")
    or by key ("p7"); the view checks that they exist."""

    work = forms.ChoiceField(label=_("Work"), required=False)
    member = forms.ChoiceField(label=_("Member"), required=False)
    first = forms.CharField(
        label=_("From passage"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("¶ 4 or p7")}),
    )
    last = forms.CharField(
        label=_("To passage"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("¶ 12 or p15")}),
    )
    since = forms.DateField(label=_("Written from"), required=False, widget=DATE)
    until = forms.DateField(label=_("Written until"), required=False, widget=DATE)
    written_on = forms.TypedChoiceField(
        label=_("Written on"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args,
        work_choices: list[tuple[str, str]],
        member_choices: list[tuple[str, str]],
        version_choices: list[int],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work"].choices = work_choices
        self.fields["member"].choices = [("", _("Everybody")), *member_choices]
        self.fields["written_on"].choices = [
            ("", _("Any version")),
            *((number, _("Version %(number)s") % {"number": number}) for number in version_choices),
        ]
