"""``GET /api/v1/works/{slug}/comments/``: every comment the client may read on a work, in
the order of the text (``commentary.search.reading``), a page of 50 at a time."""

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.api.serializers import CommentSerializer, comment_data, comments_url
from commentary.models import Comment
from commentary.search.criteria import ReadingFilterForm
from commentary.search.reading import reading_order
from commentary.tags import tags_split
from config.api.errors import error_responses
from edition.access import get_work_for_user

PAGE_SIZE = 50


def _query(name: str, schema: dict, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, description=description)


PARAMETERS = [
    OpenApiParameter(
        "slug",
        {"type": "string", "maxLength": 80},
        OpenApiParameter.PATH,
        description="The work's slug.",
    ),
    _query(
        "chapter",
        {"type": "string", "minLength": 1, "maxLength": 80},
        "The word of a chapter's address (its slug) in the current version: the comments on "
        "its paragraphs. One the work does not have, or any for a work not divided into "
        "chapters, answers 400.",
    ),
    _query("author", {"type": "string", "minLength": 1, "maxLength": 150}, "Username."),
    _query(
        "group",
        {"type": "string", "minLength": 1, "maxLength": 80},
        "Slug of one of your reading groups; any other gives none.",
    ),
    _query("tag", {"type": "string", "minLength": 1, "maxLength": 40}, "A tag (lower-case)."),
    _query(
        "created_after",
        {"type": "string", "format": "date-time"},
        "Written at or after this ISO 8601 date or date-time.",
    ),
    _query(
        "created_before",
        {"type": "string", "format": "date-time"},
        "Written strictly before this ISO 8601 date or date-time.",
    ),
    _query(
        "status",
        {"type": "string", "enum": Comment.Status.values},
        "For moderators and group leaders only: anybody else gets 400.",
    ),
    _query("page", {"type": "integer", "minimum": 1}, f"Page of {PAGE_SIZE} comments."),
]
# The filters whose schema asks for at least one character.
NON_EMPTY = [
    parameter.name
    for parameter in PARAMETERS
    if isinstance(parameter.type, dict) and parameter.type.get("minLength")
]


class WorkCommentsInReadingOrder(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Every comment you may read on a work, in the order of its text",
        description=(
            "Paragraph by paragraph as the current version orders them, oldest first on "
            "each; each comment carries `position`, its paragraph's place in that version."
        ),
        parameters=PARAMETERS,
        responses={
            200: inline_serializer(
                "ReadingOrderPage",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": CommentSerializer(many=True),
                },
            ),
            **error_responses(400, 404),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        work = get_work_for_user(request.user, slug)
        if work.current_version_id is None:
            raise NotFound()
        if "status" in request.query_params and not _may_ask_status(request):
            raise ValidationError({"status": ["Only moderators can filter by status."]})
        # The page's form reads an empty filter as none; the API's schema says each is a
        # non-empty word, and an empty one is a client's mistake, told as such.
        empty = [name for name in NON_EMPTY if request.query_params.get(name, None) == ""]
        if empty:
            raise ValidationError({name: ["This filter cannot be empty."] for name in empty})
        form = ReadingFilterForm(request.query_params, user=request.user, work=work)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        visible_replies = (
            Comment.objects.visible_to(request.user)
            .live()
            .filter(parent_id=OuterRef("pk"))
            .order_by()
            .values("parent_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        comments = (
            reading_order(request.user, work, form.filters())
            .select_related("work")
            .annotate(
                reply_count=Coalesce(Subquery(visible_replies, output_field=IntegerField()), 0)
            )
        )
        paginator = Paginator(comments, PAGE_SIZE)
        number = form.cleaned_data.get("page") or 1
        if number > paginator.num_pages:
            raise NotFound("No such page.")
        page = paginator.page(number)
        list_url = comments_url({"request": request})
        results = []
        for comment in page:
            data = comment_data(
                comment,
                list_url=list_url,
                reply_count=comment.reply_count,
                tags=tags_split(comment.tag_names),
            )
            data["position"] = comment.position
            results.append(data)
        return Response(
            {
                "count": paginator.count,
                "next": _page_url(request, number + 1) if page.has_next() else None,
                "previous": _page_url(request, number - 1) if page.has_previous() else None,
                "results": results,
            }
        )


def _may_ask_status(request: Request) -> bool:
    return "status" in ReadingFilterForm(user=request.user).fields


def _page_url(request: Request, page: int) -> str:
    query = request.query_params.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
