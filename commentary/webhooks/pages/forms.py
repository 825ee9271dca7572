"""The settings page's form for a webhook endpoint: its URL, events and limits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commentary.groups.models import ReadingGroup
from commentary.roles import reader_roles
from commentary.webhooks.models import EventType, WebhookEndpoint
from edition.models import Version, Work


class WebhookForm(forms.Form):
    """A new endpoint or changes to one; the choices are those open to ``user``: their
    reading groups, published works, and decision.made only to those who moderate."""

    target_url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("Where Scholia POSTs each event: an https:// address on the internet."),
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    work = forms.ModelChoiceField(
        label=_("Only the events of this work"),
        queryset=Work.objects.none(),
        required=False,
        empty_label=_("Every work"),
        to_field_name="slug",
    )
    group = forms.ModelChoiceField(
        label=_("Only the comments of this reading group"),
        queryset=ReadingGroup.objects.none(),
        required=False,
        empty_label=_("No limit to one group"),
        to_field_name="slug",
    )

    def __init__(self, *args, user, endpoint: WebhookEndpoint | None = None, **kwargs) -> None:
        if endpoint is not None:
            kwargs.setdefault(
                "initial",
                {
                    "target_url": endpoint.target_url,
                    "description": endpoint.description,
                    "events": endpoint.event_list,
                    "work": endpoint.work,
                    "group": endpoint.group,
                },
            )
        super().__init__(*args, **kwargs)
        published = Version.objects.filter(status=Version.Status.PUBLISHED).values("work_id")
        self.fields["work"].queryset = Work.objects.filter(pk__in=published).order_by("title")
        groups = ReadingGroup.objects.for_member(user).order_by("name", "slug")
        self.fields["group"].queryset = groups
        if not groups.exists():
            del self.fields["group"]
        roles = reader_roles(user)
        if not (roles.moderates or roles.leads):
            self.fields["events"].choices = [
                choice for choice in EventType.choices if choice[0] != EventType.DECISION_MADE
            ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "target_url": data["target_url"],
            "description": data["description"],
            "events": data["events"],
            "work": data["work"],
            "group": data.get("group"),
        }


class RotateForm(forms.Form):
    revoke_old = forms.BooleanField(
        label=_("The old secret leaked: stop signing with it at once"),
        help_text=_(
            "Otherwise it signs each delivery beside the new one for 24 hours, so that your "
            "receiver can take the new secret without refusing anything meanwhile."
        ),
        required=False,
    )


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete this webhook and its delivery log"),
        error_messages={"required": _("Tick the box to confirm that the webhook should go.")},
    )
