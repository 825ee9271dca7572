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
from django.utils.translation import ngettext

from commentary.quotes import Occurrence
from commentary.services import CommentQuoteAmbiguous

# The services key their errors by model field; these are the form fields that show them.
# Anything else (parent, work, version: nothing the reader typed) goes above the form.
_FIELD_FOR_SERVICE_KEY = {"body": "body", "quote": "quote_exact", "tags": "tags"}


class BodyForm(forms.Form):
    """A comment's Markdown body: the whole of a reply or an edit."""

    body = forms.CharField(
        label=_("Your comment"),
        required=False,  # The service says "A comment cannot be empty." in its own words.
        strip=False,
        widget=forms.Textarea,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Up to 10 words, separated by commas or spaces: question, source…"),
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
    offsets into the paragraph's text. A phrase typed by hand that stands in several places
    brings the form back with ``quote_occurrences`` to choose from: the choice comes back as
    ``quote_occurrence`` (its start), for the phrase in ``quote_occurrence_of``. ``version``
    is the number of the version the reader had on screen, when that is not the current one.

    Read in a reading group's layer (``group``), the form asks where to post, ``post_to``:
    the group (the default) or the public discussion; ``chosen_group()`` is the answer.
    ``held_as_new``: the form tells a new member that a moderator reads their first
    comments (``commentary.moderation.trust``).
    """

    POST_TO_GROUP = "group"
    POST_TO_PUBLIC = "public"

    quote_exact = forms.CharField(
        label=_("Quote a phrase from the paragraph"), required=False, strip=False
    )
    quote_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quote_end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quote_occurrence = forms.IntegerField(required=False, min_value=0)
    quote_occurrence_of = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, group=None, held_as_new: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.quote_occurrences: list[Occurrence] = []
        self.group = group
        # The writer is a new member: their public comments wait for a moderator.
        self.held_as_new = held_as_new
        if group is not None:
            choose = _("Choose where to post: the group or the public discussion.")
            self.fields["post_to"] = forms.ChoiceField(
                label=_("Post to"),
                choices=[(self.POST_TO_GROUP, group.name), (self.POST_TO_PUBLIC, _("Public"))],
                initial=self.POST_TO_GROUP,
                widget=forms.RadioSelect,
                error_messages={"required": choose, "invalid_choice": choose},
            )

    def chosen_group(self):
        """The reading group the comment goes to, or None for the public discussion."""
        if self.group is not None and self.cleaned_data.get("post_to") == self.POST_TO_GROUP:
            return self.group
        return None

    @property
    def posts_to_group(self) -> bool:
        """Whether the group's choice is the one checked, as the template shows it."""
        if self.group is None:
            return False
        value = self.data.get("post_to") if self.is_bound else None
        return value != self.POST_TO_PUBLIC

    def quote_selector(self) -> dict | None:
        """The selector for ``quote_locate``, or None when nothing is quoted."""
        exact = self.cleaned_data.get("quote_exact") or ""
        if not exact.strip():
            return None
        start, end = self.cleaned_data.get("quote_start"), self.cleaned_data.get("quote_end")
        if start is not None and end is not None:
            return {"exact": exact, "start": start, "end": end}
        # Typed by hand: surrounding spaces are not part of the phrase.
        phrase = exact.strip()
        chosen = self.cleaned_data.get("quote_occurrence")
        # A choice made for another phrase (the reader changed it since) says nothing.
        if chosen is not None and self.cleaned_data.get("quote_occurrence_of") == phrase:
            return {"exact": phrase, "start": chosen, "end": chosen + len(phrase)}
        return {"exact": phrase}

    def add_service_error(self, error: ValidationError) -> None:
        if not isinstance(error, CommentQuoteAmbiguous):
            super().add_service_error(error)
            return
        # The service's words are for API clients; a reader gets the places to choose from.
        self.quote_occurrences = error.occurrences
        count = len(error.occurrences)
        self.add_error(
            "quote_exact",
            ngettext(
                "The phrase appears %(count)s time in the paragraph: choose the one you mean.",
                "The phrase appears %(count)s times in the paragraph: choose the one you mean.",
                count,
            )
            % {"count": count},
        )

    @property
    def has_quote_choice(self) -> bool:
        """True when the reader chose among the places offered (the template keeps the
        choice while the form comes back for another reason)."""
        data = self.data if self.is_bound else {}
        return bool(data.get("quote_occurrence")) and bool(data.get("quote_occurrence_of"))

    @property
    def quote_phrase(self) -> str:
        """The phrase typed by hand, as the choice of its places is offered for."""
        return (self.data.get("quote_exact") or "").strip() if self.is_bound else ""

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
