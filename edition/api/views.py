"""Read-only views of the edition API: works, versions, paragraphs, comparisons.

Who sees what: published versions are public. Drafts — a draft version, a work with no
published version yet, a paragraph that is only in drafts — are visible to staff only and
answer everyone else 404, with the same body as something that does not exist.

Each view costs a fixed number of queries whatever the length of the text: one per object
it fetches (with what that links to), one ``.values()`` query for the paragraphs, and the
comment counters' queries (one per registered counter, none without commentary).
"""

from django.db.models import Count, F, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.errors import error_responses
from edition.access import (
    can_read_drafts,
    get_paragraph_for_user,
    get_version_for_user,
    get_work_for_user,
    works_visible_to,
)
from edition.alignment import word_diff
from edition.api.serializers import (
    ComparisonSerializer,
    ParagraphSerializer,
    VersionDetailSerializer,
    VersionSerializer,
    WorkSerializer,
)
from edition.extensions import paragraph_comment_counts
from edition.models import MAX_VERSION_NUMBER, Paragraph, Version, VersionParagraph, Work

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


def version_paragraph_rows(version: Version, user) -> list[dict]:
    """The version's paragraphs in order, as the rows of ``VersionParagraphSerializer``."""
    entries = list(
        VersionParagraph.objects.filter(version=version)
        .order_by("position")
        .values_list(
            "paragraph_id",
            "paragraph__key",
            "position",
            "revision__kind",
            "revision__level",
            "revision__text",
        )
    )
    counts = paragraph_comment_counts(user, [entry[0] for entry in entries])
    return [
        {
            "key": key,
            "position": position,
            "kind": kind,
            "level": level,
            "text": text,
            "comment_count": counts.get(paragraph_id, 0),
        }
        for paragraph_id, key, position, kind, level, text in entries
    ]


def paragraph_history(paragraph: Paragraph) -> tuple[list[dict], dict | None]:
    """Every wording in published versions, oldest first, and the one in the current version.

    Versions are read in order, so a wording's first appearance fixes its place; a wording
    that comes back after an edit is the same revision and lists both versions.
    """
    entries = (
        VersionParagraph.objects.filter(
            paragraph=paragraph, version__status=Version.Status.PUBLISHED
        )
        .order_by("version__number")
        .values(
            "version_id",
            "version__number",
            "position",
            "revision_id",
            "revision__kind",
            "revision__level",
            "revision__text",
            "revision__checksum",
        )
    )
    revisions: dict[int, dict] = {}
    current = None
    for entry in entries:
        wording = {
            "kind": entry["revision__kind"],
            "level": entry["revision__level"],
            "text": entry["revision__text"],
            "checksum": entry["revision__checksum"],
        }
        revisions.setdefault(entry["revision_id"], {"versions": [], **wording})
        revisions[entry["revision_id"]]["versions"].append(entry["version__number"])
        if entry["version_id"] == paragraph.work.current_version_id:
            current = {"version": entry["version__number"], "position": entry["position"]}
            current.update(wording)
    return list(revisions.values()), current


def comparison_rows(version_a: Version, version_b: Version) -> list[dict]:
    """Every paragraph of either version, in b's order; a removed one follows the paragraph
    it followed in a. Edited paragraphs (same key, another revision) carry a word diff."""
    entries = VersionParagraph.objects.filter(version__in=[version_a, version_b]).values(
        "version_id",
        "position",
        "revision_id",
        key=F("paragraph__key"),
        merged_into=F("paragraph__merged_into__key"),
        kind=F("revision__kind"),
        level=F("revision__level"),
        text=F("revision__text"),
    )
    side_a: dict[str, dict] = {}
    side_b: dict[str, dict] = {}
    for entry in entries:
        # Both branches when a == b: every paragraph is then unchanged.
        if entry["version_id"] == version_a.pk:
            side_a[entry["key"]] = entry
        if entry["version_id"] == version_b.pk:
            side_b[entry["key"]] = entry

    order = {key: (entry["position"], 0, 0) for key, entry in side_b.items()}
    anchor = 0
    for key, entry in sorted(side_a.items(), key=lambda item: item[1]["position"]):
        if key in side_b:
            anchor = side_b[key]["position"]
        else:
            order[key] = (anchor, 1, entry["position"])

    rows = []
    for key in sorted(order, key=order.__getitem__):
        old, new = side_a.get(key), side_b.get(key)
        if old and new:
            status = "unchanged" if old["revision_id"] == new["revision_id"] else "edited"
        else:
            status = "new" if new else "removed"
        shown = new or old
        rows.append(
            {
                "key": key,
                "status": status,
                "position_a": old["position"] if old else None,
                "position_b": new["position"] if new else None,
                "kind": shown["kind"],
                "level": shown["level"],
                "old_text": old["text"] if old else None,
                "new_text": new["text"] if new else None,
                "diff": (
                    [{"op": op, "text": text} for op, text in word_diff(old["text"], new["text"])]
                    if status == "edited"
                    else None
                ),
                "merged_into": old["merged_into"] if status == "removed" else None,
            }
        )
    return rows


@extend_schema_view(
    get=extend_schema(
        tags=["edition"],
        operation_id="works_list",
        summary="List the works",
    )
)
class WorkList(generics.ListAPIView):
    """Every work with a published version (staff also see works still in draft)."""

    serializer_class = WorkSerializer
    http_method_names = READ_ONLY_METHODS
    # An edition holds a handful of works: clients get the whole list, as a plain array.
    pagination_class = None

    def get_queryset(self) -> QuerySet[Work]:
        return works_visible_to(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["edition"],
        operation_id="works_retrieve",
        summary="Retrieve a work",
        parameters=[SLUG_PARAMETER],
        responses={200: WorkSerializer, **error_responses(404)},
    )
)
class WorkDetail(generics.RetrieveAPIView):
    serializer_class = WorkSerializer
    lookup_field = "slug"
    http_method_names = READ_ONLY_METHODS

    def get_queryset(self) -> QuerySet[Work]:
        return works_visible_to(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["edition"],
        operation_id="versions_list",
        summary="List a work's versions",
        description="Published versions, oldest first; staff also see drafts.",
        parameters=[SLUG_PARAMETER],
        responses={200: VersionSerializer(many=True), **error_responses(404)},
    )
)
class VersionList(generics.ListAPIView):
    serializer_class = VersionSerializer
    queryset = Version.objects.none()  # describes the model to the schema; see get_queryset
    http_method_names = READ_ONLY_METHODS
    # A work has a few versions: clients get them all, oldest first, as a plain array.
    pagination_class = None

    def get_queryset(self) -> QuerySet[Version]:
        work = get_work_for_user(self.request.user, self.kwargs["slug"])
        versions = Version.objects.filter(work=work)
        if not can_read_drafts(self.request.user):
            versions = versions.published()
        return (
            versions.select_related("work")
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
        responses={200: VersionDetailSerializer, **error_responses(404)},
    )
)
class VersionDetail(generics.RetrieveAPIView):
    serializer_class = VersionDetailSerializer
    queryset = Version.objects.none()  # describes the model to the schema; see get_object
    http_method_names = READ_ONLY_METHODS

    def get_object(self) -> Version:
        user = self.request.user
        version = get_version_for_user(user, self.kwargs["slug"], self.kwargs["number"])
        version.paragraph_rows = version_paragraph_rows(version, user)
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
        responses={200: ParagraphSerializer, **error_responses(404)},
    )
)
class ParagraphDetail(generics.RetrieveAPIView):
    serializer_class = ParagraphSerializer
    queryset = Paragraph.objects.none()  # describes the model to the schema; see get_object
    http_method_names = READ_ONLY_METHODS

    def get_object(self) -> Paragraph:
        user = self.request.user
        paragraph = get_paragraph_for_user(user, self.kwargs["slug"], self.kwargs["key"])
        paragraph.history, paragraph.current = paragraph_history(paragraph)
        paragraph.comment_count = paragraph_comment_counts(user, [paragraph.pk]).get(
            paragraph.pk, 0
        )
        return paragraph


class Comparison(generics.GenericAPIView):
    serializer_class = ComparisonSerializer
    http_method_names = READ_ONLY_METHODS

    @extend_schema(
        tags=["edition"],
        operation_id="compare_retrieve",
        summary="Compare two versions paragraph by paragraph",
        description=(
            "Every paragraph of either version with its status — unchanged, edited (same key, "
            "new wording), new or removed — its positions in a and b, both wordings, and for "
            "edited paragraphs a word-level diff. Either order works; a may equal b."
        ),
        parameters=[
            SLUG_PARAMETER,
            OpenApiParameter(
                "a", VERSION_NUMBER, OpenApiParameter.PATH, description="The older version."
            ),
            OpenApiParameter(
                "b", VERSION_NUMBER, OpenApiParameter.PATH, description="The newer version."
            ),
        ],
        responses={200: ComparisonSerializer, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, a: int, b: int) -> Response:
        version_a = get_version_for_user(request.user, slug, a)
        version_b = get_version_for_user(request.user, slug, b)
        rows = comparison_rows(version_a, version_b)
        summary = dict.fromkeys(("unchanged", "edited", "new", "removed"), 0)
        for row in rows:
            summary[row["status"]] += 1
        comparison = {
            "work": slug,
            "a": version_a,
            "b": version_b,
            "summary": summary,
            "rows": rows,
        }
        return Response(self.get_serializer(comparison).data)
