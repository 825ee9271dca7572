"""``GET /api/v1/changes/``: what changed since a cursor, as its reader may be told.

See ``commentary.sync.reads`` for what each entry says and to whom. Anonymous clients
read the public discussion's changes; a token or session reads its owner's, within the
token's groups.
"""

from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.api.serializers import CommentSerializer
from commentary.api.views import comment_queryset, listed_data, listed_rows
from commentary.sync.reads import MAX_PAGE, changes_for, latest_cursor
from config.api.errors import error_responses

DEFAULT_PAGE = 100
MAX_CURSOR = 2**63 - 1

TYPES = [
    "comment.created",
    "comment.updated",
    "comment.deleted",
    "comment.removed",
    "group.joined",
    "group.left",
    "group.changed",
]


class ChangeQuerySerializer(serializers.Serializer):
    since = serializers.RegexField(
        r"^(latest|[0-9]{1,19})$",
        error_messages={"invalid": "Give a cursor from an earlier answer, 0 or latest."},
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=DEFAULT_PAGE)

    def validate_since(self, value: str) -> int | None:
        if value == "latest":
            return None
        if int(value) > MAX_CURSOR:
            raise serializers.ValidationError("This cursor is out of range.")
        return int(value)


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}],
        "description": "The comment's id (an integer), or the group's slug for group.* entries.",
    }
)
class ChangeSubjectField(serializers.Field):
    pass


class ChangeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=TYPES)
    id = ChangeSubjectField()
    at = serializers.DateTimeField()
    object = CommentSerializer(
        required=False,
        help_text="comment.created and comment.updated only: the comment as the list shows it.",
    )


class ChangePageSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True)
    cursor = serializers.CharField(help_text="Send it as `since` to read on from here.")
    more = serializers.BooleanField(help_text="More changes follow: read on at once.")
    next = serializers.URLField(allow_null=True, help_text="The next page, when more follow.")


class ChangeList(APIView):
    @extend_schema(
        summary="What changed since a cursor: comments and your groups",
        description=(
            "Everything you may read that changed after `since`, oldest first. "
            "`comment.created` and `comment.updated` carry the comment as the list shows it; "
            "`comment.deleted` (deleted by its author) and `comment.removed` (hidden, "
            "rejected, held, or out of your reach) are tombstones with no content: drop the "
            "comment. `group.joined` (its `id` the group's slug; you joined or founded it): "
            "read that group's comments with `GET /api/v1/comments/?group=<slug>`; "
            "`group.left`: drop that group's comments — the ones you wrote, which you still "
            "see, follow as updates; `group.changed`: what you may read of a group you are "
            'still in changed (it turned "post first" on or off, you became its owner): '
            'drop that group\'s comments and read them again. In a "post first" group, '
            "the comments on a paragraph come as updates once you write there. A comment "
            "whose author deleted their account comes as `comment.deleted`, or as an update "
            'by "[deleted member]" when they kept it. A comment changed several times in '
            "one page comes once, at its last change.\n\n"
            "To mirror: ask `since=latest` for the current cursor, read the comment list in "
            "full, then ask `since=<cursor>` from then on, following `next` while `more`. "
            "`since=0` replays the whole log."
        ),
        parameters=[
            OpenApiParameter(
                "since",
                {"type": "string", "pattern": "^(latest|[0-9]{1,19})$"},
                OpenApiParameter.QUERY,
                required=True,
                description="A cursor from an earlier answer, 0 for the start, or latest.",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                OpenApiParameter.QUERY,
                description=f"Changes per page, {DEFAULT_PAGE} by default.",
            ),
        ],
        responses={200: ChangePageSerializer, **error_responses(400, 401, 403)},
        examples=[
            OpenApiExample(
                "A page",
                value={
                    "changes": [
                        {"type": "comment.removed", "id": 41, "at": "2026-12-06T10:00:00Z"},
                        {
                            "type": "group.left",
                            "id": "tuesday-seminar",
                            "at": "2026-12-06T10:01:00Z",
                        },
                    ],
                    "cursor": "1207",
                    "more": False,
                    "next": None,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = ChangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since, limit = query.validated_data["since"], query.validated_data["limit"]
        if since is None:
            return Response(
                {"changes": [], "cursor": str(latest_cursor()), "more": False, "next": None}
            )

        def represent(ids: list[int]) -> dict[int, dict]:
            if not ids:
                return {}
            rows = listed_rows(comment_queryset(request.user).live().filter(pk__in=ids))
            return {data["id"]: data for data in listed_data(request, rows)}

        page = changes_for(request.user, since=since, limit=limit, represent=represent)
        changes = []
        for entry in page.entries:
            change = {"type": entry.type, "id": entry.id, "at": entry.at}
            if entry.object is not None:
                change["object"] = entry.object
            changes.append(change)
        next_url = None
        if page.more:
            next_url = request.build_absolute_uri(
                f"{reverse('api:change-list')}?since={page.cursor}&limit={limit}"
            )
        return Response(
            {"changes": changes, "cursor": str(page.cursor), "more": page.more, "next": next_url}
        )
