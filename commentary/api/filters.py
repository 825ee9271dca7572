"""Query-string filters of the comment list. An invalid value answers 400, never a 500."""

from datetime import UTC

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Subquery, Value
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from commentary.anchors import VersionWordings, version_wordings
from commentary.models import Comment
from commentary.relations import reading_group_model
from commentary.roles import reader_roles
from edition.models import MAX_VERSION_NUMBER, Paragraph, Version, Work
from edition.parts import find_chapter


class AwareDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that can also be expressed in UTC (year 1 to 9999 there)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is not None:
            try:
                parsed.astimezone(UTC)
            except OverflowError as error:
                raise forms.ValidationError(
                    "That date-time is out of range.", code="invalid"
                ) from error
        return parsed


class AwareDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = AwareDateTimeField


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


# The comment list's orders, by the ``ordering`` parameter: what the cursor pagination
# sorts by (the first field is the cursor's position).
ORDERINGS = {
    "-created": ("-pk",),
    "created": ("pk",),
    "-modified": ("-modified_at", "-pk"),
    "modified": ("modified_at", "pk"),
    "reading": ("position", "pk"),
}


class CommentFilterForm(forms.Form):
    """A parameter sent empty is refused rather than read as absent, so that a client that
    meant to filter learns it did not. Paragraph keys and version numbers are only unique
    within a work, so they need it."""

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            value = self.data.get(name)
            if value is not None and not value.strip() and name not in self.errors:
                self.add_error(name, _("This parameter is empty: give a value, or leave it out."))
        if not cleaned.get("work") and "work" not in self.errors:
            for name in ("version", "written_on", "paragraph", "chapter"):
                if cleaned.get(name) not in (None, ""):
                    self.add_error(
                        name, _("Filtering by %(name)s needs the work too.") % {"name": name}
                    )
        return cleaned


def _documented(schema: dict, filter_field: filters.Filter) -> filters.Filter:
    return extend_schema_field(schema)(filter_field)


def unknown_names(cleaned: dict) -> list[tuple[str, str]]:
    """The filters in ``cleaned`` that name nothing comments could be on or by, each with
    the message saying so; one query per filter given. Comments are only ever on published
    versions, so drafts are not asked for."""
    unknown = []
    slug = cleaned.get("work")
    if slug and not Work.objects.published().filter(slug=slug).exists():
        return [("work", _("No published work has this slug."))]
    for name in ("version", "written_on"):
        number = cleaned.get(name)
        versions = Version.objects.published().filter(work__slug=slug, number=number)
        if number and not versions.exists():
            message = _("This work has no published version %(number)d.") % {"number": number}
            unknown.append((name, message))
    key = cleaned.get("paragraph")
    if key and not Paragraph.objects.published().filter(work__slug=slug, key=key).exists():
        unknown.append(("paragraph", _("This work has no paragraph %(key)s.") % {"key": key}))
    username = cleaned.get("author")
    User = get_user_model()
    if username and not User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
        unknown.append(("author", _("No member has this username.")))
    return unknown


class CommentFilter(filters.FilterSet):
    work = _documented(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": 80,
            "description": "Slug of a published work, e.g. october-1917; any other answers 400.",
        },
        filters.CharFilter(field_name="work__slug", max_length=80),
    )
    version = _documented(
        {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_VERSION_NUMBER,
            "description": (
                "Comments as shown on this version of the work: every comment of the work, "
                "whichever version it was written on (none is lost when the text changes), "
                "each with its `anchor` there. With `paragraph`, the comments that version "
                "shows on it, those of paragraphs merged into it included. A version the work "
                "does not have published answers 400. Needs `work`: without it, 400."
            ),
        },
        IntegerFilter(method="shown_on_version", min_value=1, max_value=MAX_VERSION_NUMBER),
    )
    written_on = _documented(
        {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_VERSION_NUMBER,
            "description": (
                "Number of the version the comment was written on: a version the work does "
                "not have published answers 400. Needs `work`: without it, 400."
            ),
        },
        IntegerFilter(field_name="version__number", min_value=1, max_value=MAX_VERSION_NUMBER),
    )
    paragraph = _documented(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": 16,
            "description": (
                "Stable key of the paragraph, e.g. p7; a key no published version of the "
                "work has answers 400. Needs `work`: without it, 400."
            ),
        },
        filters.CharFilter(method="on_paragraph", max_length=16),
    )
    chapter = _documented(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": 80,
            "description": (
                "The word of a chapter's address (its slug), e.g. chapter-two: the comments "
                "on the paragraphs that chapter holds in `version` (the current version "
                "without it). A chapter that version does not have, or any for a work not "
                "divided into chapters, answers 400. Needs `work`: without it, 400."
            ),
        },
        filters.CharFilter(method="in_chapter", max_length=80),
    )
    author = _documented(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": 150,
            "description": "Username of the author; one nobody has answers 400.",
        },
        filters.CharFilter(field_name="author__username", max_length=150),
    )
    group = _documented(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": 80,
            "description": (
                "Slug of one of your reading groups: its comments only. A group you are "
                "not in gives none, like one that does not exist."
            ),
        },
        filters.CharFilter(method="in_group", max_length=80),
    )
    created_after = _documented(
        {
            "type": "string",
            "format": "date-time",
            "description": "Comments written at or after this ISO 8601 date-time.",
        },
        AwareDateTimeFilter(field_name="created_at", lookup_expr="gte"),
    )
    created_before = _documented(
        {
            "type": "string",
            "format": "date-time",
            "description": "Comments written strictly before this ISO 8601 date-time.",
        },
        AwareDateTimeFilter(field_name="created_at", lookup_expr="lt"),
    )

    tag = _documented(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": 40,
            "description": "Comments carrying this tag (tags are lower-case: it is lowered).",
        },
        filters.CharFilter(method="with_tag", max_length=40),
    )

    status = filters.ChoiceFilter(
        choices=Comment.Status.choices,
        method="filter_status",
        help_text="For moderators only: anybody else gets 400.",
    )
    modified_after = _documented(
        {
            "type": "string",
            "format": "date-time",
            "description": (
                "Comments that changed (written, edited, deleted by their author, or their "
                "status decided) strictly after this ISO 8601 date-time. Deleted comments "
                "are left out of the list: read `/api/v1/changes/` to learn of deletions."
            ),
        },
        AwareDateTimeFilter(field_name="modified_at", lookup_expr="gt"),
    )
    # Declared last: ``reading`` reads the version the other filters chose.
    ordering = _documented(
        {
            "type": "string",
            "enum": list(ORDERINGS),
            "default": "-created",
            "description": (
                "`-created` (newest first, the default), `created` (oldest first), "
                "`-modified` and `modified` (by last change), or `reading`: the order of "
                "the text of `version` (the current one without it), oldest first on a "
                "paragraph, which needs `work` and leaves out the comments on passages "
                "that version does not hold. Anything else answers 400."
            ),
        },
        filters.ChoiceFilter(
            choices=[(name, name) for name in ORDERINGS], method="in_order", empty_label=None
        ),
    )

    class Meta:
        model = Comment
        fields = [
            "work",
            "version",
            "written_on",
            "paragraph",
            "chapter",
            "author",
            "group",
            "created_after",
            "created_before",
            "tag",
            "status",
            "modified_after",
            "ordering",
        ]
        form = CommentFilterForm

    # The wordings of the version asked for (``version``), for the anchors; None without it.
    shown_on: VersionWordings | None = None

    def refuse_unknown_names(self) -> None:
        """A 400 naming each filter whose value names nothing (a made-up work, paragraph,
        version or author), rather than an empty list a client cannot tell from "none
        yet", and that anybody could have the page cache store by the thousand."""
        unknown = unknown_names(self.form.cleaned_data)
        if unknown:
            raise ValidationError({name: [message] for name, message in unknown})

    def shown_on_version(self, queryset, name: str, value: int):
        version = (
            Version.objects.readable_by(None)
            .filter(work__slug=self.form.cleaned_data.get("work"), number=value)
            .first()
        )
        if version is None:
            return queryset.none()
        self.shown_on = version_wordings(version)
        return queryset

    def on_paragraph(self, queryset, name: str, value: str):
        # Declared after ``version``, so filtered after it: a version is known by now.
        wordings = self.shown_on
        if wordings is not None:
            held = next((pk for pk, key in wordings.keys.items() if key == value), None)
            if held is not None:
                return queryset.filter(paragraph_id__in=wordings.gathered_on(held))
        return queryset.filter(paragraph__key=value)

    def in_chapter(self, queryset, name: str, value: str):
        version = self.chosen_version()
        chapter = find_chapter(version, value) if version is not None else None
        if chapter is None:
            raise ValidationError(
                {
                    "chapter": [
                        _("This version of the work has no chapter “%(slug)s”.") % {"slug": value}
                    ]
                }
            )
        return queryset.filter(paragraph_id__in=chapter.paragraph_ids())

    def chosen_version(self) -> Version | None:
        """The published version ``version`` names, or the work's current one without it;
        None for a work or version nobody may read."""
        work = self.form.cleaned_data.get("work")
        number = self.form.cleaned_data.get("version")
        versions = Version.objects.readable_by(None).filter(work__slug=work)
        if number:
            return versions.filter(number=number).first()
        return versions.filter(
            pk=Subquery(Work.objects.filter(slug=work).values("current_version_id")[:1])
        ).first()

    def in_group(self, queryset, name: str, value: str):
        # The group's id is looked up by a subquery that PostgreSQL runs once, before the
        # comments are read: their newest are then read from the group's own index, never
        # found by reading the whole site's comments backwards.
        group_id = reading_group_model().objects.filter(slug=value).order_by().values("pk")[:1]
        return queryset.filter(group_id=Subquery(group_id))

    def with_tag(self, queryset, name: str, value: str):
        return queryset.filter(tags__name=value.strip().lower())

    def in_order(self, queryset, name: str, value: str):
        """The order itself is the pagination's (``CommentListPagination``); reading order
        needs each comment's place in the version's text, annotated here."""
        if value != "reading":
            return queryset
        if not self.form.cleaned_data.get("work"):
            raise ValidationError({"ordering": [_("Reading order needs the work.")]})
        version = self.chosen_version()
        if version is None:
            return queryset.none().annotate(position=Value(0))
        return queryset.in_reading_order(version)

    def filter_status(self, queryset, name, value):
        # Refused rather than ignored: a client asking for pending comments must not take
        # the published ones it would get for the whole answer.
        if not reader_roles(self.request.user).moderates:
            raise ValidationError({"status": [_("Only moderators can filter by status.")]})
        return queryset.filter(status=value)
