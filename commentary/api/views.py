"""Views of the comments API.

Reads: every comment comes from ``Comment.objects.visible_to(request.user)``, directly or
through the fetch helpers of ``commentary.access``; what a user may not see answers 404.
Writes: a write serializer validates the body, a service of ``commentary.services`` writes,
and its CommentError becomes a 400 with the same field errors. Editing and deleting fetch
with ``get_comment_for_author``, so somebody else's comment is a 404 like a missing one.

Query costs are fixed: a list page is one query (replies counted by a subquery), a thread
of any size one query after a two-column fetch of the comment asked for.
"""

import hashlib
from contextlib import contextmanager

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.access import (
    get_comment_for_author,
    get_comment_for_user,
    get_thread_root_id_for_user,
)
from commentary.anchors import VersionWordings, version_wordings
from commentary.api.conditional import NOT_MODIFIED, conditional_get, ensure_if_match
from commentary.api.filters import ORDERINGS, CommentFilter
from commentary.api.listing import comment_queryset, listed_data, listed_rows
from commentary.api.merged_list import first_page
from commentary.api.permissions import ReadOpenWriteSignedInMixin
from commentary.api.serializers import (
    CommentCreateSerializer,
    CommentEditSerializer,
    CommentRevisionSerializer,
    CommentSerializer,
    ThreadCommentSerializer,
    ThreadPlaceholderSerializer,
    comment_data,
    comments_url,
    revision_rows,
    thread_data,
)
from commentary.errors import MemberSanctioned, ModerationConflict
from commentary.models import MAX_COMMENT_ID, Comment
from commentary.rows import CommentRow
from commentary.services import (
    CommentError,
    CommentRateLimited,
    comment_create,
    comment_delete,
    comment_edit,
)
from commentary.tags import tags_joined, tags_read, tags_split
from commentary.threads import ThreadNode, build_forest, sees_only_public
from config.api.errors import Conflict, error_responses
from config.api.idempotency import idempotent
from config.api.pagination import OrderedCursorPagination
from config.site.caching import DISCUSSION, TEXT, remembered
from edition.models import MAX_VERSION_NUMBER, Version

COMMENT_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": MAX_COMMENT_ID},
    OpenApiParameter.PATH,
    description="The comment's id.",
)
THREAD_NODE = PolymorphicProxySerializer(
    component_name="ThreadNode",
    serializers=[ThreadCommentSerializer, ThreadPlaceholderSerializer],
    resource_type_field_name=None,
)
SHOWN_ON = OpenApiParameter(
    "version",
    {"type": "integer", "minimum": 1, "maximum": MAX_VERSION_NUMBER},
    OpenApiParameter.QUERY,
    description=(
        "Read the comments as shown on this published version of their work: each then "
        "carries its `anchor` there. A version the work does not have published answers 400."
    ),
)


class ShownOnSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, max_value=MAX_VERSION_NUMBER)


def wordings_asked_for(request: Request, work_slug: str) -> VersionWordings | None:
    """The wordings of the version ``?version=N`` names (a published version of the work),
    None when none is named; 400 for a version the work does not have published."""
    query = ShownOnSerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    number = query.validated_data.get("version")
    if number is None:
        return None
    version = Version.objects.readable_by(None).filter(work__slug=work_slug, number=number).first()
    if version is None:
        raise ValidationError({"version": [f"This work has no published version {number}."]})
    return version_wordings(version)


def represent(request: Request, comment: Comment, wordings: VersionWordings | None = None) -> dict:
    # The replies the user may see and the tags, in one query.
    visible_replies = (
        Comment.objects.visible_to(request.user)
        .live()
        .filter(parent_id=comment.pk)
        .order_by()
        .values("parent_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    reply_count, joined = (
        Comment.objects.filter(pk=comment.pk)
        .annotate(
            visible_reply_count=Coalesce(Subquery(visible_replies, output_field=IntegerField()), 0),
            tag_names=tags_joined(),
        )
        .values_list("visible_reply_count", "tag_names")
        .get()
    )
    return comment_data(
        comment,
        list_url=comments_url({"request": request}),
        reply_count=reply_count,
        wordings=wordings,
        tags=tags_split(joined),
    )


@contextmanager
def service_errors():
    """A CommentError from a service becomes a 400 with the same field errors; posting too
    fast becomes a 429 with Retry-After; a suspended or banned member's attempt a 403 that
    says why; a moderation decision taken too late a 409."""
    try:
        yield
    except MemberSanctioned as error:
        raise PermissionDenied(detail=error.messages[0]) from error
    except ModerationConflict as error:
        raise Conflict(detail=error.messages[0]) from error
    except CommentRateLimited as error:
        # Given the wait, DRF would append its own "Expected available in N seconds." to a
        # message that already says it; set on the exception, it still makes Retry-After.
        throttled = Throttled(detail=error.messages[0])
        throttled.wait = error.retry_after
        raise throttled from error
    except CommentError as error:
        raise ValidationError(error.message_dict) from error


class CommentList(ReadOpenWriteSignedInMixin, generics.ListCreateAPIView):
    filterset_class = CommentFilter
    pagination_class = OrderedCursorPagination
    orderings = ORDERINGS
    default_ordering = "-created"

    def get_queryset(self) -> QuerySet[Comment]:
        return comment_queryset(self.request.user).live()

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "POST":
            return CommentCreateSerializer
        return CommentSerializer

    @extend_schema(
        summary="Comments you may see, newest first or in the order of the text",
        description=(
            "Deleted comments are left out. Pages through `next` and `previous` links; "
            "`ordering=reading` (with `work`) lists them in the order of the text, each with "
            "its paragraph's `position`; "
            "`version`, `written_on` and `paragraph` need `work`. With `version`, every "
            "comment carries its `anchor` on that version. A filter sent empty answers 400: "
            "leave it out instead."
        ),
        responses={200: CommentSerializer(many=True), 304: NOT_MODIFIED, **error_responses(400)},
    )
    @conditional_get
    def get(self, request: Request, *args, **kwargs) -> HttpResponse:
        # A signed-in reader's first page: the public part kept for everybody, theirs merged.
        merged = first_page(request, self)
        if merged is not None:
            return merged
        # Filtered here rather than by the filter backend (which documents the filters), to
        # keep the version the filters read for the anchors.
        filterset = CommentFilter(request.query_params, self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        reading = filterset.form.cleaned_data.get("ordering") == "reading"
        page = self.paginate_queryset(
            listed_rows(filterset.qs, *(("position",) if reading else ()))
        )
        if not page:
            # Asked only of an empty page: a comment found proves that every name it was
            # filtered by is real, so a list with answers costs no query more.
            filterset.refuse_unknown_names()
        return self.get_paginated_response(listed_data(request, page, filterset.shown_on))

    @extend_schema(
        summary="Post a comment on a paragraph, or a reply to a comment",
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, **error_responses(400, 401, 403, 411, 413, 415, 429)},
    )
    @idempotent
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = CommentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with service_errors():
            comment = comment_create(author=request.user, **serializer.validated_data)
        data = comment_data(
            comment,
            list_url=comments_url({"request": request}),
            reply_count=0,
            # A new comment has exactly the tags it was written with, as the service read them.
            tags=sorted(tags_read(serializer.validated_data["tags"])),
        )
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])}
        )


class CommentDetail(ReadOpenWriteSignedInMixin, APIView):
    @extend_schema(
        summary="A comment",
        parameters=[COMMENT_ID, SHOWN_ON],
        responses={200: CommentSerializer, 304: NOT_MODIFIED, **error_responses(400, 404)},
    )
    @conditional_get
    def get(self, request: Request, id: int) -> Response:
        comment = get_comment_for_user(request.user, id)
        return Response(represent(request, comment, wordings_asked_for(request, comment.work.slug)))

    @extend_schema(
        summary="Edit your comment",
        description=(
            "Its author only; anybody else gets 404. The earlier body is kept in the "
            "revisions. Without `body` nothing changes. With `If-Match`, an ETag that is "
            "no longer current answers 412 and nothing changes; `If-Match` is never "
            "required (no 428)."
        ),
        parameters=[COMMENT_ID],
        request=CommentEditSerializer,
        responses={
            200: CommentSerializer,
            **error_responses(400, 401, 403, 404, 411, 412, 413, 415, 429),
        },
    )
    def patch(self, request: Request, id: int) -> Response:
        comment = get_comment_for_author(request.user, id)
        ensure_if_match(request)
        serializer = CommentEditSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        changes = serializer.validated_data
        if changes:
            with service_errors():
                comment_edit(
                    comment=comment,
                    editor=request.user,
                    body=changes.get("body", comment.body),
                    tags=changes.get("tags"),
                )
        return Response(represent(request, get_comment_for_user(request.user, id)))

    @extend_schema(
        summary="Delete your comment",
        description=(
            "Its author only; anybody else gets 404. A tombstone keeps the replies. With "
            "`If-Match`, an ETag that is no longer current answers 412 and nothing is done."
        ),
        parameters=[COMMENT_ID],
        responses={204: None, **error_responses(401, 403, 404, 412)},
    )
    def delete(self, request: Request, id: int) -> Response:
        comment = get_comment_for_author(request.user, id)
        ensure_if_match(request)
        with service_errors():
            comment_delete(comment=comment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def thread_root(forest: list[ThreadNode], root_id: int) -> ThreadNode:
    """The forest of one thread as a single tree under its root.

    The root is a placeholder if the viewer may not see it. A placeholder deeper down whose
    own parent is hidden cannot be placed exactly without reading hidden rows, so it hangs
    from the root; its ``depth`` still tells where it stands.
    """
    root = next((node for node in forest if node.pk == root_id), None)
    if root is None:
        root = ThreadNode(comment=None, pk=root_id, depth=0)
    detached = [node for node in forest if node is not root]
    if detached:
        root.replies = sorted([*root.replies, *detached], key=lambda node: node.pk)
    return root


class CommentThread(APIView):
    @extend_schema(
        summary="The whole thread a comment is in, as a tree",
        description=(
            "Starts from the thread's first comment; replies are nested, oldest first. "
            "A comment you may not see but whose replies you may is a placeholder."
        ),
        parameters=[COMMENT_ID, SHOWN_ON],
        responses={200: THREAD_NODE, 304: NOT_MODIFIED, **error_responses(400, 404)},
    )
    @conditional_get
    def get(self, request: Request, id: int) -> Response:
        root_id = get_thread_root_id_for_user(request.user, id)
        if not sees_only_public(request.user, root_id):
            return Response(self.tree(request, request.user, root_id))
        # What everybody sees of it, made once per generation of the discussion and the
        # text: a reader who sees no more gets the same tree; in JSON, the same bytes.
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        shape = "\n".join(
            [request.build_absolute_uri("/"), request.query_params.urlencode(), media_type]
        )
        name = f"api-thread:{root_id}:{hashlib.sha256(shape.encode()).hexdigest()}"
        if renderer.format != "json":
            return Response(
                remembered(name, (DISCUSSION, TEXT), lambda: self.tree(request, None, root_id))
            )
        content = remembered(
            name,
            (DISCUSSION, TEXT),
            lambda: renderer.render(self.tree(request, None, root_id), media_type),
        )
        return HttpResponse(content, content_type=renderer.media_type)

    @staticmethod
    def tree(request: Request, user, root_id: int) -> dict:
        """Thread ``root_id`` as ``user`` may see it (None: as everybody does), nested."""
        tagged = (
            Comment.objects.visible_to(user)
            .in_thread(root_id)
            .annotate(tag_names=tags_joined())
            .order_by("pk")
            .values_list(*CommentRow.FIELDS, "tag_names")
        )
        rows, tags = [], {}
        for *fields, joined in tagged:
            rows.append(CommentRow(*fields))
            tags[rows[-1].pk] = tags_split(joined)
        wordings = wordings_asked_for(request, rows[0].work_slug) if rows else None
        root = thread_root(build_forest(rows), root_id)
        return thread_data(
            root, list_url=comments_url({"request": request}), wordings=wordings, tags=tags
        )


class CommentRevisions(APIView):
    @extend_schema(
        summary="The bodies a comment has had, oldest first, the current one last",
        description="A deleted comment shows no bodies: the list is empty.",
        parameters=[COMMENT_ID],
        responses={
            200: CommentRevisionSerializer(many=True),
            304: NOT_MODIFIED,
            **error_responses(404),
        },
    )
    @conditional_get
    def get(self, request: Request, id: int) -> Response:
        comment = get_comment_for_user(request.user, id)
        revisions = [] if comment.is_deleted else list(comment.revisions.order_by("pk"))
        rows = revision_rows(comment, revisions)
        return Response(CommentRevisionSerializer(rows, many=True).data)
