"""Forms of the editor's pages: uploading a revision and correcting a draft."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from edition.importer import parse_text
from edition.models import BlockKind

MARKDOWN_SUFFIXES = (".md", ".markdown")


class RevisionUploadForm(forms.Form):
    """A revision of a work's text, as a file or pasted; ``cleaned_data["blocks"]`` holds
    what it parses to, and ``unsure`` the parser's doubtful decisions."""

    FORMATS = (
        ("auto", _("Guess: Markdown for a .md file, plain text otherwise")),
        ("text", _("Plain text")),
        ("markdown", _("Markdown")),
    )

    source = forms.FileField(
        label=_("Text file"),
        required=False,
        help_text=_("A UTF-8 plain-text or Markdown file."),
    )
    pasted = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=FORMATS, initial="auto", widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What changed in this version"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to readers with the version. You can change it while reviewing."),
    )

    def clean_source(self):
        upload = self.cleaned_data.get("source")
        if upload is None:
            return None
        limit = settings.SCHOLIA_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than the import limit of %(limit)s bytes."),
                params={"limit": f"{limit:,}"},
            )
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError(_("This is a binary file, not text."))
        try:
            return upload.name, raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("This file is not UTF-8 text; save it as UTF-8 and upload it again.")
            ) from error

    def clean(self):
        cleaned = super().clean()
        source, pasted = cleaned.get("source"), (cleaned.get("pasted") or "").strip()
        if self.errors:
            return cleaned
        if source and pasted:
            raise forms.ValidationError(_("Upload a file or paste the text, not both."))
        if not source and not pasted:
            raise forms.ValidationError(_("Upload a file or paste the text."))
        name, text = source if source else ("", pasted)
        fmt = cleaned.get("format")
        markdown = fmt == "markdown" or (fmt == "auto" and name.lower().endswith(MARKDOWN_SUFFIXES))
        parsed = parse_text(text, markdown=markdown)
        if not parsed.blocks:
            raise forms.ValidationError(_("There is no text to import."))
        cleaned["blocks"] = parsed.blocks
        cleaned["unsure"] = parsed.unsure
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("What changed in this version"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkForm(forms.Form):
    """Which paragraph no longer in the draft a block continues; ``choices`` are the keys
    the review offers, as ``(key, label)``."""

    target = forms.ChoiceField(label=_("It continues"))

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = choices


class WordingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BlockKind.choices)
    level = forms.TypedChoiceField(
        label=_("Heading level"),
        choices=[("", _("Not a heading"))] + [(str(n), str(n)) for n in range(1, 7)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    text = forms.CharField(label=_("Wording"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        cleaned = super().clean()
        kind, level = cleaned.get("kind"), cleaned.get("level")
        if kind == BlockKind.HEADING and level is None:
            self.add_error("level", _("A heading needs a level."))
        elif kind and kind != BlockKind.HEADING:
            cleaned["level"] = None
        return cleaned


class PublishForm(forms.Form):
    """Publishing names the draft as its reviewer read it (``edition.drafts.draft_checksum``):
    one that changed since is not published."""

    checksum = forms.CharField(widget=forms.HiddenInput, max_length=64)


class DiscardForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete this draft and its corrections"),
        error_messages={"required": _("Tick the box to confirm that the draft should go.")},
    )
