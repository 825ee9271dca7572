"""Read-only views of the edition API: works, versions, paragraphs, comparisons.

Who sees what is the edition's one reading rule (``edition.querysets``): what a user may
not read answers 404, with the same body as something that does not exist.

Each view costs a fixed number of queries whatever the length of the text: one per object
it fetches (with what that links to), one ``.values()`` query for the paragraphs, and the
comment counters' queries (one per registered counter, none without commentary).
"""

from django.db.models import Count, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.conditional import NOT_MODIFIED, read_conditionally
from config.api.errors import error_responses
from config.site.caching import COUNTS, TEXT
from edition.access import (
    get_paragraph_for_user,
    get_version_for_user,
    get_work_for_user,
    works_readable_by,
)
from edition.api.serializers import (
    ComparisonSerializer,
    ParagraphSerializer,
    VersionDetailSerializer,
    VersionSerializer,
    WorkSerializer,
)
from edition.extensions import paragraph_comment_counts
from edition.models import MAX_VERSION_NUMBER, Paragraph, Version, Work
from edition.parts import (
    CHAPTER_PARAMETER,
    NoSuchPart,
    comparison_in_part,
    part_url,
    version_parts,
)
from edition.reading import comparison_rows, comparison_summary, paragraph_history, version_rows

READ_ONLY_METHODS = ["get", "head", "options"]

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # what the <slug:...> converter accepts
VERSION_NUMBER = {"type": "integer", "minimum": 1, "maximum": MAX_VERSION_NUMBER}

SLUG_PARAMETER = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    pattern=SLUG_PATTERN,
    description="The work's slug, e.g. october-1917.",
)
NUMBER_PARAMETER = OpenApiParameter(
    "number", VERSION_NUMBER, OpenApiParameter.PATH, description="The version number."
)


class ConditionalRead:
    """A read answered 304 to a client whose copy is current (``config.api.conditional``):
    the text, and with ``shows`` the comment counts each reader sees of it."""

    shows: tuple[str, ...] = (TEXT,)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get" in cls.__dict__ or not hasattr(cls.get, "__wrapped__"):
            cls.get = read_conditionally(*cls.shows)(cls.get)


def version_paragraph_rows(version: Version, request) -> tuple[list[dict], list[dict]]:
    """The version's paragraphs in order, as the rows of ``VersionParagraphSerializer``, and
    its chapters, as those of ``VersionChapterSerializer`` (none for an undivided text)."""
    rows = version_rows(version)
    parts = version_parts(version, lambda: rows)
    chapter_of = {} if not parts.is_divided else parts.part_of
    slugs = {part.number: part.slug for part in parts.parts}
    counts = paragraph_comment_counts(request.user, [row.paragraph_id for row in rows], version)
    paragraphs = [
        {
            "key": row.key,
            "position": row.position,
            "kind": row.kind,
            "level": row.level,
            "text": row.text,
            "markup": row.markup,
            "comment_count": counts.get(row.paragraph_id, 0),
            "chapter": slugs[chapter_of[row.key]] if row.key in chapter_of else None,
        }
        for row in rows
    ]
    if not parts.is_divided:
        return paragraphs, []
    is_current = version.pk == version.work.current_version_id
    reading_url = version.work.get_absolute_url() if is_current else version.get_absolute_url()
    chapters = [
        {
            "number": part.number,
            "slug": part.slug,
            "title": part.title,
            "key": part.heading_key,
            "paragraph_count": part.end - part.start,
            "html_url": request.build_absolute_uri(part_url(reading_url, part, parts)),
        }
        for part in parts.parts
    ]
    return paragraphs, chapters


@extend_schema_view(
    get=extend_schema(
        tags=["edition"],
        operation_id="works_list",
        summary="List the works",
        responses={200: WorkSerializer(many=True), 304: NOT_MODIFIED},
    )
)
class WorkList(ConditionalRead, generics.ListAPIView):
    """Every published work (staff also see works still in draft)."""

    serializer_class = WorkSerializer
    http_method_names = READ_ONLY_METHODS
    # An edition holds a handful of works: clients get the whole list, as a plain array.
    pagination_class = None

    def get_queryset(self) -> QuerySet[Work]:
        return works_readable_by(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["edition"],
        operation_id="works_retrieve",
        summary="Retrieve a work",
        parameters=[SLUG_PARAMETER],
        responses={200: WorkSerializer, 304: NOT_MODIFIED, **error_responses(404)},
    )
)
class WorkDetail(ConditionalRead, generics.RetrieveAPIView):
    serializer_class = WorkSerializer
    lookup_field = "slug"
    http_method_names = READ_ONLY_METHODS

    def get_queryset(self) -> QuerySet[Work]:
        return works_readable_by(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["edition"],
        operation_id="versions_list",
        summary="List a work's versions",
        description="Published versions, oldest first; staff also see drafts.",
        parameters=[SLUG_PARAMETER],
        responses={200: VersionSerializer(many=True), 304: NOT_MODIFIED, **error_responses(404)},
    )
)
class VersionList(ConditionalRead, generics.ListAPIView):
    serializer_class = VersionSerializer
    queryset = Version.objects.none()  # describes the model to the schema; see get_queryset
    http_method_names = READ_ONLY_METHODS
    # A work has a few versions: clients get them all, oldest first, as a plain array.
    pagination_class = None

    def get_queryset(self) -> QuerySet[Version]:
        user = self.request.user
        work = get_work_for_user(user, self.kwargs["slug"])
        return (
            Version.objects.readable_by(user)
            .filter(work=work)
            .select_related("work")
            .annotate(paragraph_count=Count("entries"))
            .order_by("number")
        )


@extend_schema_view(
    get=extend_schema(
        tags=["edition"],
        operation_id="versions_retrieve",
        summary="Retrieve a version with its paragraphs in order",
        description=(
            "Each paragraph has its stable key, its position in this version, its kind, heading "
            "level, text and the number of comments on it that you may see. A draft is 404 "
            "except to staff."
        ),
        parameters=[SLUG_PARAMETER, NUMBER_PARAMETER],
        responses={200: VersionDetailSerializer, 304: NOT_MODIFIED, **error_responses(404)},
    )
)
class VersionDetail(ConditionalRead, generics.RetrieveAPIView):
    shows = (TEXT, COUNTS)
    serializer_class = VersionDetailSerializer
    queryset = Version.objects.none()  # describes the model to the schema; see get_object
    http_method_names = READ_ONLY_METHODS

    def get_object(self) -> Version:
        user = self.request.user
        version = get_version_for_user(user, self.kwargs["slug"], self.kwargs["number"])
        version.paragraph_rows, version.chapter_rows = version_paragraph_rows(version, self.request)
        version.paragraph_count = len(version.paragraph_rows)
        return version


@extend_schema_view(
    get=extend_schema(
        tags=["edition"],
        operation_id="paragraphs_retrieve",
        summary="Retrieve a paragraph and its wordings across versions",
        description=(
            "A paragraph is known by its key for good, even after a later version removes it or "
            "merges it into another. `current` is its wording in the work's current version, "
            "`revisions` every wording it has had in published versions, oldest first."
        ),
        parameters=[
            SLUG_PARAMETER,
            OpenApiParameter(
                "key", str, OpenApiParameter.PATH, description="The paragraph's key, e.g. p7."
            ),
        ],
        responses={200: ParagraphSerializer, 304: NOT_MODIFIED, **error_responses(404)},
    )
)
class ParagraphDetail(ConditionalRead, generics.RetrieveAPIView):
    shows = (TEXT, COUNTS)
    serializer_class = ParagraphSerializer
    queryset = Paragraph.objects.none()  # describes the model to the schema; see get_object
    http_method_names = READ_ONLY_METHODS

    def get_object(self) -> Paragraph:
        user = self.request.user
        paragraph = get_paragraph_for_user(user, self.kwargs["slug"], self.kwargs["key"])
        history = paragraph_history(paragraph)
        paragraph.history, paragraph.current = history.wordings, history.current
        paragraph.comment_count = paragraph_comment_counts(user, [paragraph.pk]).get(
            paragraph.pk, 0
        )
        return paragraph


class Comparison(ConditionalRead, generics.GenericAPIView):
    serializer_class = ComparisonSerializer
    http_method_names = READ_ONLY_METHODS

    @extend_schema(
        tags=["edition"],
        operation_id="compare_retrieve",
        summary="Compare two versions paragraph by paragraph",
        description=(
            "Every paragraph of either version with its status — unchanged, edited (same key, "
            "new wording), moved (its place changed relative to the others), new or removed — "
            "its positions in a and b, both wordings, and for edited paragraphs (and moved "
            "ones with a new wording) a word-level diff. Either order works; a may equal b. "
            "`?chapter=<slug>` keeps the rows of one chapter: the passages of b's chapter of "
            "that slug, and those b removed from a's (404 when neither version has it)."
        ),
        parameters=[
            SLUG_PARAMETER,
            OpenApiParameter(
                "a", VERSION_NUMBER, OpenApiParameter.PATH, description="The older version."
            ),
            OpenApiParameter(
                "b", VERSION_NUMBER, OpenApiParameter.PATH, description="The newer version."
            ),
            OpenApiParameter(
                CHAPTER_PARAMETER,
                {"type": "string", "maxLength": 200},
                OpenApiParameter.QUERY,
                description="A chapter's slug: compare that chapter only.",
            ),
        ],
        responses={200: ComparisonSerializer, 304: NOT_MODIFIED, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, a: int, b: int) -> Response:
        version_a = get_version_for_user(request.user, slug, a)
        version_b = get_version_for_user(request.user, slug, b)
        rows = comparison_rows(version_a, version_b)
        chapter = request.query_params.get(CHAPTER_PARAMETER)
        if chapter is not None:
            try:
                rows = comparison_in_part(rows, version_a, version_b, chapter)
            except NoSuchPart as missing:
                raise NotFound(missing.message) from missing
        comparison = {
            "work": slug,
            "a": version_a,
            "b": version_b,
            "summary": comparison_summary(rows),
            "rows": rows,
        }
        return Response(self.get_serializer(comparison).data)
