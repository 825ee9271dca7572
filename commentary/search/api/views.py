"""``GET /api/v1/search/``: the text and the comments the client may read, best first.

Reads through ``commentary.search.reads.search``, which applies the visibility rule before
matching, ranking and counting.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.models import display_name_of
from commentary.search.api.serializers import SearchResultsSerializer
from commentary.search.criteria import MAX_PAGE, SearchForm
from commentary.search.reads import COUNTED_AT_MOST, Hit, search
from commentary.search.terms import MAX_QUERY_LENGTH
from config.api.errors import error_responses
from edition.models import MAX_VERSION_NUMBER

PAGE_SIZE = 20


def _query(name: str, schema: dict | OpenApiTypes, description: str, **extra) -> OpenApiParameter:
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, description=description, **extra)


PARAMETERS = [
    _query(
        "q",
        {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
        'What to find: words, "a phrase", -word to leave out, or between alternatives.',
        required=True,
    ),
    _query(
        "kind",
        {"type": "string", "enum": ["text", "comments"]},
        "Only the text, or only comments; both when left out.",
    ),
    _query(
        "work",
        {"type": "string", "minLength": 1, "maxLength": 80},
        "Slug of a published work: only its text and comments. Any other answers 400.",
    ),
    _query(
        "version",
        {"type": "integer", "minimum": 1, "maximum": MAX_VERSION_NUMBER},
        "Search this published version's wording instead of the current one. Needs `work`.",
    ),
    _query(
        "chapter",
        {"type": "string", "minLength": 1, "maxLength": 80},
        "The word of a chapter's address (its slug): only that chapter's text and the "
        "comments on its paragraphs, in `version` or the current one. Needs `work`; a "
        "chapter the work does not have, or any for a work not divided into chapters, "
        "answers 400.",
    ),
    _query(
        "author",
        {"type": "string", "minLength": 1, "maxLength": 150},
        "Comments by this username only (the text is then left out).",
    ),
    _query(
        "group",
        {"type": "string", "minLength": 1, "maxLength": 80},
        "Comments of one of your reading groups; any other group gives none.",
    ),
    _query(
        "tag",
        {"type": "string", "minLength": 1, "maxLength": 40},
        "Comments carrying this tag (lower-case).",
    ),
    _query(
        "created_after",
        {"type": "string", "format": "date-time"},
        "Comments written at or after this ISO 8601 date or date-time.",
    ),
    _query(
        "created_before",
        {"type": "string", "format": "date-time"},
        "Comments written strictly before this ISO 8601 date or date-time.",
    ),
    _query(
        "page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        f"Page of {PAGE_SIZE} results.",
    ),
]


class Search(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Search the text and the comments you may read",
        description=(
            "Ranked by relevance on PostgreSQL. Comments you may not read are never "
            "matched, counted or shown. Filters of comments (author, group, tag, dates) "
            f"leave the text out. Of each kind at most {COUNTED_AT_MOST:,} matches are "
            "counted and ranked (the text in reading order, comments newest first): past "
            "that, `count_exact` is false and the counts are floors."
        ),
        parameters=PARAMETERS,
        responses={200: SearchResultsSerializer, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        # The schema says each parameter is a non-empty word (or one of a list): one sent
        # empty is a client's mistake, told as such rather than read as absent.
        empty = [
            parameter.name
            for parameter in PARAMETERS
            if parameter.name != "q" and request.query_params.get(parameter.name, None) == ""
        ]
        if empty:
            raise ValidationError({name: ["This parameter cannot be empty."] for name in empty})
        form = SearchForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        query = form.cleaned_data["q"]
        if not query:
            raise ValidationError({"q": ["Say what to look for."]})
        page = form.page_number
        results = search(
            request.user, query, form.filters(), offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        last = max(1, -(-results.total // PAGE_SIZE))
        return Response(
            {
                "count": results.total,
                "text_count": results.text_total,
                "comment_count": results.comment_total,
                "count_exact": results.exact,
                "comments_ranked": results.comments_ranked,
                "next": _page_url(request, page + 1) if page < min(last, MAX_PAGE) else None,
                "previous": _page_url(request, page - 1) if page > 1 else None,
                "results": [_hit_data(request, hit) for hit in results.hits],
            }
        )


def _page_url(request: Request, page: int) -> str:
    query = request.query_params.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _hit_data(request: Request, hit: Hit) -> dict:
    comment = hit.comment
    return {
        "kind": hit.kind,
        "rank": hit.rank,
        "snippet": str(hit.snippet),
        "url": request.build_absolute_uri(hit.url),
        "work": hit.work.slug,
        "paragraph": hit.paragraph_key,
        "label": hit.label,
        "version": hit.version_number,
        "comment": None
        if comment is None
        else {
            "id": comment.pk,
            "url": request.build_absolute_uri(
                reverse("api:comment-detail", kwargs={"id": comment.pk})
            ),
            "html_url": request.build_absolute_uri(comment.get_absolute_url()),
            "author": {
                "username": comment.author.get_username(),
                "display_name": display_name_of(comment.author),
            },
            "group": comment.group.slug if comment.group_id else None,
            "created": comment.created_at,
        },
    }
