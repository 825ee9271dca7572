from django import forms
from django.utils.translation import gettext_lazy as _


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
