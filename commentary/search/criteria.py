"""What a search asks, read from a query string: the page's form and the API's parameters
are the same fields, checked the same way (``SearchForm.filters()``)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from commentary.models import Comment
from commentary.search.reading import ReadingFilters, may_filter_by_status
from commentary.search.reads import COMMENTS, TEXT, SearchFilters
from commentary.search.terms import MAX_QUERY_LENGTH
from edition.models import MAX_VERSION_NUMBER, Version, Work
from edition.parts import Chapter, find_chapter, version_parts

CHAPTER_NEEDS_WORK = _("Choosing a chapter needs the work too.")

MAX_PAGE = 50


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False, strip=True)
    kind = forms.ChoiceField(
        label=_("In"),
        required=False,
        choices=[("", _("Text and comments")), (TEXT, _("The text")), (COMMENTS, _("Comments"))],
    )
    work = forms.SlugField(label=_("Work"), max_length=80, required=False)
    version = forms.IntegerField(
        label=_("Version"), min_value=1, max_value=MAX_VERSION_NUMBER, required=False
    )
    chapter = forms.SlugField(
        label=_("Chapter (the word of its address)"), max_length=80, required=False
    )
    author = forms.CharField(label=_("Author (username)"), max_length=150, required=False)
    group = forms.SlugField(label=_("Reading group"), max_length=80, required=False)
    tag = forms.CharField(label=_("Tag"), max_length=40, required=False)
    created_after = forms.DateTimeField(label=_("Written from"), required=False)
    created_before = forms.DateTimeField(label=_("Written before"), required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_tag(self) -> str:
        return self.cleaned_data["tag"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("work")
        if slug:
            work = Work.objects.readable_by(self.user).filter(slug=slug).first()
            if work is None:
                self.add_error("work", _("No published work has this slug."))
            cleaned["work_found"] = work
        number = cleaned.get("version")
        if number and "work" not in self.errors:
            if not slug:
                self.add_error("version", _("Choosing a version needs the work too."))
            else:
                version = (
                    Version.objects.readable_by(self.user)
                    .filter(work__slug=slug, number=number)
                    .first()
                )
                if version is None:
                    self.add_error("version", _("This work has no such published version."))
                cleaned["version_found"] = version
        if cleaned.get("chapter") and not self.errors:
            if not slug:
                self.add_error("chapter", CHAPTER_NEEDS_WORK)
            else:
                work = cleaned["work_found"]
                version = cleaned.get("version_found") or work.current_version
                _clean_chapter(self, cleaned, version)
        _clean_author(self, cleaned)
        return cleaned

    def filters(self) -> SearchFilters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return SearchFilters(
            kind=data.get("kind") or "",
            work=data.get("work_found"),
            version=data.get("version_found"),
            chapter=data.get("chapter_found"),
            author_id=data.get("author_id"),
            group_slug=data.get("group") or "",
            tag=data.get("tag") or "",
            created_after=data.get("created_after"),
            created_before=data.get("created_before"),
        )

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1


class ReadingFilterForm(forms.Form):
    """The filters of the reading-order list (page and API) of ``work``: its chapters are
    those of its current version."""

    chapter = forms.SlugField(label=_("Chapter"), max_length=80, required=False)
    author = forms.CharField(label=_("Author (username)"), max_length=150, required=False)
    group = forms.SlugField(label=_("Reading group"), max_length=80, required=False)
    tag = forms.CharField(label=_("Tag"), max_length=40, required=False)
    created_after = forms.DateTimeField(label=_("Written from"), required=False)
    created_before = forms.DateTimeField(label=_("Written before"), required=False)
    status = forms.ChoiceField(
        label=_("Status (moderators)"),
        required=False,
        choices=[("", _("Any")), *Comment.Status.choices],
    )
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args, user=None, work: Work | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.work = work
        if not may_filter_by_status(user):
            del self.fields["status"]
        parts = (
            version_parts(work.current_version)
            if work is not None and work.current_version_id
            else None
        )
        if parts is not None and parts.is_divided:
            # On the page, a choice among the chapters; any other word is still refused
            # by ``clean`` (the API sends words, not choices).
            self.fields["chapter"].widget = forms.Select(
                choices=[("", _("The whole work")), *((p.slug, p.title) for p in parts.parts)]
            )
        else:
            # A text in one part has no chapters to choose: the field is not shown, and a
            # chapter asked for is refused by ``clean``.
            self.fields["chapter"].widget = forms.HiddenInput()

    def clean_tag(self) -> str:
        return self.cleaned_data["tag"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("chapter"):
            if self.work is None or not self.work.current_version_id:
                self.add_error("chapter", CHAPTER_NEEDS_WORK)
            else:
                _clean_chapter(self, cleaned, self.work.current_version)
        _clean_author(self, cleaned)
        return cleaned

    def filters(self) -> ReadingFilters:
        data = self.cleaned_data
        return ReadingFilters(
            chapter=data.get("chapter_found"),
            author_id=data.get("author_id"),
            group_slug=data.get("group") or "",
            tag=data.get("tag") or "",
            created_after=data.get("created_after"),
            created_before=data.get("created_before"),
            status=data.get("status") or "",
        )


def _clean_chapter(form: forms.Form, cleaned: dict, version: Version) -> Chapter | None:
    """``chapter`` (a slug) as ``chapter_found``, the chapter of ``version``, or the field's
    error for a word none of its chapters has."""
    chapter = find_chapter(version, cleaned["chapter"])
    if chapter is None:
        form.add_error(
            "chapter",
            _("This version of the work has no chapter “%(slug)s”.") % {"slug": cleaned["chapter"]},
        )
    cleaned["chapter_found"] = chapter
    return chapter


def _clean_author(form: forms.Form, cleaned: dict) -> None:
    """``author`` (a username) as ``author_id``, or the field's error for a name nobody has."""
    username = cleaned.get("author")
    if username:
        User = get_user_model()
        author = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if author is None:
            form.add_error("author", _("No member has this username."))
        cleaned["author_id"] = author.pk if author else None
