"""Forms for writing comments from the HTML pages.

They only read the request. What makes a comment acceptable (not empty, not too long, a
quote that is in the paragraph, a reply not too deep) is decided by the services in
``commentary.services``; their CommentError is put back on the form by ``add_service_error``
so that the reader sees it next to the field it concerns.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

# The services key their errors by model field; these are the form fields that show them.
# Anything else (parent, work, version: nothing the reader typed) goes above the form.
_FIELD_FOR_SERVICE_KEY = {"body": "body", "quote": "quote_exact"}


class BodyForm(forms.Form):
    """A comment's Markdown body: the whole of a reply or an edit."""

    body = forms.CharField(
        label=_("Your comment"),
        required=False,  # The service says "A comment cannot be empty." in its own words.
        strip=False,
        widget=forms.Textarea,
    )

    def add_service_error(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            field = _FIELD_FOR_SERVICE_KEY.get(key)
            if field not in self.fields:
                field = NON_FIELD_ERRORS
            for message in messages:
                self.add_error(None if field == NON_FIELD_ERRORS else field, message)

    @property
    def max_length(self) -> int:
        return settings.SCHOLIA_COMMENT_MAX_LENGTH

    @property
    def form_id(self) -> str:
        """The id of the <form> element, unique on a page that shows many (``auto_id``
        sets it: "p7-%s" for a new comment on p7, "reply-12-%s" for a reply to 12)."""
        return self.auto_id % "form"


class CommentForm(BodyForm):
    """A new comment on a paragraph, optionally quoting a phrase of it.

    ``quote_exact`` is a visible text input without JavaScript (the server finds the
    phrase); the quote-and-comment script fills it with ``quote_start`` and ``quote_end``,
    offsets into the paragraph's text. ``version`` is the number of the version the reader
    had on screen, when that is not the current one.
    """

    quote_exact = forms.CharField(
        label=_("Quote a phrase from the paragraph"), required=False, strip=False
    )
    quote_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quote_end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def quote_selector(self) -> dict | None:
        """The selector for ``quote_locate``, or None when nothing is quoted."""
        exact = self.cleaned_data.get("quote_exact") or ""
        if not exact.strip():
            return None
        start, end = self.cleaned_data.get("quote_start"), self.cleaned_data.get("quote_end")
        if start is None or end is None:
            # Typed by hand: surrounding spaces are not part of the phrase.
            return {"exact": exact.strip()}
        return {"exact": exact, "start": start, "end": end}

    @property
    def has_selected_quote(self) -> bool:
        """True when the quote came from a selection (it has offsets), as the template shows it."""
        data = self.data if self.is_bound else self.initial
        return bool(data.get("quote_exact")) and data.get("quote_start") not in (None, "")


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Shown with your comments instead of your username."),
    )
    affiliation = forms.CharField(label=_("Affiliation"), max_length=120, required=False)
    bio = forms.CharField(
        label=_("About you"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “reading group export script”."),
    )
