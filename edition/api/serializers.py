"""Read serializers of the edition API (the edition API has no writes).

Lists that can hold a whole text — a version's paragraphs, a comparison's rows — are built
by the views as plain dicts (from ``edition.reading``) and pass through ``PrebuiltRowsField``
untouched: running a serializer per row would cost more than the queries. The row
serializers below still describe those rows, so the schema documents the exact shape.
"""

from operator import attrgetter

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from edition.models import BlockKind, Paragraph, Version, Work


class RouteLinkField(serializers.HyperlinkedIdentityField):
    """An absolute API link whose URL arguments come from the object's attributes.

    ``url_kwargs`` maps each URL argument to a dotted attribute path, e.g.
    ``{"slug": "work.slug", "number": "number"}`` — no numeric ids in our URLs.
    """

    def __init__(self, view_name: str, url_kwargs: dict[str, str], **kwargs):
        self.url_getters = {name: attrgetter(path) for name, path in url_kwargs.items()}
        super().__init__(view_name=view_name, **kwargs)

    def get_url(self, obj, view_name, request, format):
        kwargs = {name: getter(obj) for name, getter in self.url_getters.items()}
        return self.reverse(view_name, kwargs=kwargs, request=request, format=format)


@extend_schema_field(OpenApiTypes.URI)
class PageLinkField(serializers.Field):
    """The absolute address of the object's reading page (its ``get_absolute_url``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


class PrebuiltRowsField(serializers.ReadOnlyField):
    """Rows the view already built as dicts; subclasses declare their schema."""


@extend_schema_field(
    {"type": "string", "enum": Version.Status.values, "description": "draft or published"},
    component_name="VersionStatusEnum",
)
class VersionStatusField(serializers.CharField):
    """Named enums: drf-spectacular would call every choice set of a field named ``status``
    (or ``op``) after the field, and warn when another app's ``status`` differs."""


@extend_schema_field(
    {"type": "string", "enum": ["equal", "insert", "delete"]},
    component_name="WordDiffOpEnum",
)
class WordDiffOpField(serializers.CharField):
    pass


class WorkSerializer(serializers.ModelSerializer):
    current_version = serializers.IntegerField(
        source="current_version.number",
        allow_null=True,
        read_only=True,
        help_text="Number of the published version readers see by default.",
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:work-detail", lookup_field="slug")
    versions_url = RouteLinkField("api:version-list", {"slug": "slug"})
    html_url = PageLinkField()

    class Meta:
        model = Work
        fields = [
            "slug",
            "title",
            "subtitle",
            "author",
            "publisher",
            "year",
            "language",
            "description",
            "moderation_policy",
            "current_version",
            "url",
            "versions_url",
            "html_url",
        ]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    """A version in a list; the queryset must annotate ``paragraph_count``."""

    work = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = VersionStatusField(read_only=True)
    is_current = serializers.SerializerMethodField()
    paragraph_count = serializers.IntegerField(read_only=True)
    url = RouteLinkField("api:version-detail", {"slug": "work.slug", "number": "number"})
    html_url = PageLinkField()

    class Meta:
        model = Version
        fields = [
            "work",
            "number",
            "status",
            "published_at",
            "note",
            "is_current",
            "paragraph_count",
            "url",
            "html_url",
        ]
        read_only_fields = fields

    def get_is_current(self, version: Version) -> bool:
        return version.pk == version.work.current_version_id


class VersionParagraphSerializer(serializers.Serializer):
    """One paragraph of a version, in reading order (documents a prebuilt row)."""

    key = serializers.CharField(help_text="Stable key of the paragraph across versions.")
    position = serializers.IntegerField(help_text="Position in this version, from 1.")
    kind = serializers.ChoiceField(choices=BlockKind.choices)
    level = serializers.IntegerField(allow_null=True, help_text="Heading level, 1 to 6.")
    text = serializers.CharField(help_text="The words a reader sees, without formatting.")
    markup = serializers.CharField(
        allow_blank=True,
        help_text=(
            "The Markdown the author wrote (inline emphasis and links, or a table), for a "
            "passage imported from Markdown with formatting; empty otherwise."
        ),
    )
    comment_count = serializers.IntegerField(help_text="Comments you may see on it.")
    chapter = serializers.CharField(
        allow_null=True,
        help_text="The slug of the chapter holding it, in a work read in chapters; else null.",
    )


@extend_schema_field(VersionParagraphSerializer(many=True))
class VersionParagraphRowsField(PrebuiltRowsField):
    pass


class VersionChapterSerializer(serializers.Serializer):
    """One chapter of a version divided by its top-level headings (documents a prebuilt row)."""

    number = serializers.IntegerField(help_text="Its place among the chapters, from 1.")
    slug = serializers.CharField(help_text="Its address under the version's: …/<slug>/.")
    title = serializers.CharField(help_text="Its opening headings' words, joined.")
    key = serializers.CharField(allow_null=True, help_text="The key of its first heading.")
    paragraph_count = serializers.IntegerField(help_text="The passages it holds.")
    html_url = serializers.URLField(help_text="Its page.")


@extend_schema_field(VersionChapterSerializer(many=True))
class VersionChapterRowsField(PrebuiltRowsField):
    pass


class VersionDetailSerializer(VersionSerializer):
    """A version with its paragraphs; the view sets ``paragraph_rows`` on the instance."""

    paragraphs = VersionParagraphRowsField(source="paragraph_rows")
    chapters = VersionChapterRowsField(
        source="chapter_rows",
        help_text="Its chapters, when its top-level headings divide it into several; else [].",
    )

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "chapters", "paragraphs"]
        read_only_fields = fields


class ParagraphCurrentSerializer(serializers.Serializer):
    """The paragraph as it reads in the work's current version (its VersionParagraph)."""

    version = serializers.IntegerField(
        source="version.number", help_text="Number of the current version."
    )
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(source="revision.kind", choices=BlockKind.choices)
    level = serializers.IntegerField(source="revision.level", allow_null=True)
    text = serializers.CharField(source="revision.text")
    checksum = serializers.CharField(source="revision.checksum")


class ParagraphRevisionSerializer(serializers.Serializer):
    """One wording of the paragraph and the published versions that carry it
    (``edition.reading.Wording``)."""

    versions = serializers.ListField(
        source="version_numbers",
        child=serializers.IntegerField(),
        help_text="Published version numbers, ascending.",
    )
    kind = serializers.ChoiceField(choices=BlockKind.choices)
    level = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()
    checksum = serializers.CharField(help_text="SHA-256 of kind, level and text.")


class ParagraphSerializer(serializers.ModelSerializer):
    """A paragraph read ``with_mapping``; the view sets ``current``, ``history`` and
    ``comment_count``."""

    work = serializers.CharField(source="work.slug", read_only=True)
    merged_into = serializers.CharField(
        source="merged_into_key",
        allow_null=True,
        read_only=True,
        help_text="Key of the paragraph the current version shows this one merged into.",
    )
    split_from = serializers.CharField(
        source="split_from_key",
        allow_null=True,
        read_only=True,
        help_text="Key of the paragraph this one was split off from, if it began that way.",
    )
    url = RouteLinkField("api:paragraph-detail", {"slug": "work.slug", "key": "key"})
    html_url = PageLinkField()
    comment_count = serializers.IntegerField(read_only=True)
    current = ParagraphCurrentSerializer(
        read_only=True,
        allow_null=True,
        help_text="Null when the paragraph is not in the current version.",
    )
    revisions = ParagraphRevisionSerializer(
        source="history", many=True, read_only=True, help_text="Oldest first."
    )

    class Meta:
        model = Paragraph
        fields = [
            "key",
            "work",
            "merged_into",
            "split_from",
            "url",
            "html_url",
            "comment_count",
            "current",
            "revisions",
        ]
        read_only_fields = fields


class VersionLinkSerializer(serializers.ModelSerializer):
    url = RouteLinkField("api:version-detail", {"slug": "work.slug", "number": "number"})

    class Meta:
        model = Version
        fields = ["number", "url"]
        read_only_fields = fields


class WordDiffSerializer(serializers.Serializer):
    op = WordDiffOpField()
    text = serializers.CharField()


@extend_schema_field(
    {"type": "string", "enum": ["unchanged", "edited", "moved", "split", "new", "removed"]},
    component_name="ComparisonStatusEnum",
)
class ComparisonStatusField(serializers.CharField):
    pass


class ComparisonRowSerializer(serializers.Serializer):
    """One paragraph in a comparison (documents a prebuilt row)."""

    key = serializers.CharField()
    status = ComparisonStatusField()
    position_a = serializers.IntegerField(allow_null=True, help_text="Null when new or split.")
    position_b = serializers.IntegerField(allow_null=True, help_text="Null when removed.")
    kind = serializers.ChoiceField(
        choices=BlockKind.choices, help_text="In b, or in a when removed."
    )
    level = serializers.IntegerField(allow_null=True)
    old_text = serializers.CharField(allow_null=True, help_text="Null when new or split.")
    new_text = serializers.CharField(allow_null=True, help_text="Null when removed.")
    diff = WordDiffSerializer(
        many=True,
        allow_null=True,
        help_text="Word-level diff; for edited paragraphs and moved ones with a new wording.",
    )
    merged_into = serializers.CharField(
        allow_null=True,
        help_text="For a removed paragraph, the key of the one b shows it merged into.",
    )
    split_from = serializers.CharField(
        allow_null=True,
        help_text=(
            "For a split one, the key of the paragraph of a it was split off from, by a "
            "version after a up to b."
        ),
    )


@extend_schema_field(ComparisonRowSerializer(many=True))
class ComparisonRowsField(PrebuiltRowsField):
    pass


class ComparisonSummarySerializer(serializers.Serializer):
    unchanged = serializers.IntegerField()
    edited = serializers.IntegerField()
    moved = serializers.IntegerField()
    split = serializers.IntegerField(help_text="Paragraphs split off one of a's.")
    new = serializers.IntegerField()
    removed = serializers.IntegerField()


class ComparisonSerializer(serializers.Serializer):
    """Two versions paragraph by paragraph, in b's order, removed ones where they stood.

    Serializes the dict the view builds: work (slug), a and b (versions), summary, rows.
    """

    work = serializers.CharField()
    a = VersionLinkSerializer()
    b = VersionLinkSerializer()
    summary = ComparisonSummarySerializer()
    paragraphs = ComparisonRowsField(source="rows")
