from datetime import timedelta

from allauth.account.forms import ChangePasswordForm
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commentary.accounts.models import Scope
from commentary.accounts.tokens import tokens_revoke_all
from commentary.relations import reading_group_model

EXPIRY_CHOICES = [
    ("", _("Never")),
    ("7", _("In 7 days")),
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
]


class TokenForm(forms.Form):
    """A new token: its name, scopes, expiry and, optionally, the only groups it reaches
    (among the groups of ``user``)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “reading group export script”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        initial=[Scope.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A request beyond these is refused."),
    )
    expires_in = forms.ChoiceField(
        label=_("Expires"), choices=EXPIRY_CHOICES, required=False, initial=""
    )
    limited_to_groups = forms.BooleanField(
        label=_("Limit it to the reading groups ticked below"),
        required=False,
        help_text=_(
            "It then reaches no other group's discussion; with none ticked, only the public one."
        ),
    )
    groups = forms.MultipleChoiceField(
        label=_("Groups it may reach"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = reading_group_model().objects.for_member(user).order_by("name", "slug")
        self.fields["groups"].choices = [(group.slug, group.name) for group in groups]
        if not self.fields["groups"].choices:
            del self.fields["groups"]
            del self.fields["limited_to_groups"]

    def clean_expires_in(self):
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None

    def service_arguments(self) -> dict:
        """What ``token_create`` takes, from the cleaned data."""
        data = self.cleaned_data
        limited = data.get("limited_to_groups", False)
        return {
            "name": data["name"],
            "scopes": data["scopes"],
            "expires_at": data["expires_in"],
            "group_slugs": data.get("groups", []) if limited else None,
        }


class PasswordChangeForm(ChangePasswordForm):
    """allauth's password change, offering to revoke every API token at the same time: a
    password changed because it leaked may have leaked with the keys made with it."""

    revoke_tokens = forms.BooleanField(
        label=_("Also revoke all my API tokens"),
        required=False,
        help_text=_("Programs using them will stop working until you give them new ones."),
    )

    def save(self) -> None:
        super().save()
        if self.cleaned_data.get("revoke_tokens"):
            tokens_revoke_all(user=self.user)


class AccountDeleteForm(forms.Form):
    """Confirms a deletion with the member's password, so that a session left open on a
    shared computer cannot delete the account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    keep_comments = forms.BooleanField(
        label=_("Keep my comments’ text, shown as by “[deleted member]”"),
        required=False,
        help_text=_(
            "Left unticked, the text of every comment you wrote is removed and each reads "
            "“This comment was deleted.”, keeping its replies in place."
        ),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
