"""The moderation API: members flag comments; moderators decide, work the queue, read the
audit log and sanction members.

Everything but flagging is for moderators only: the site's, and a reading group's owner and
moderators for their group (``ModeratorsOrGroupLeaders``). An anonymous caller is asked to
authenticate (401), as everywhere a signed-in reader is needed; any other member gets 404,
as for an address that does not exist. Each view validates with a write serializer and
calls the same service as the pages and the admin, so every decision writes the same one
ModerationEvent. The queue and the log cost a fixed number of queries whatever their
length (select_related, annotations and one prefetch).
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.access import get_comment_for_user
from commentary.api.serializers import (
    CommentSerializer,
    comment_data,
    comment_html_url,
    comments_url,
)
from commentary.api.views import COMMENT_ID, comment_queryset, represent, service_errors
from commentary.groups.models import ReadingGroup
from commentary.models import Comment
from commentary.moderation.api.filters import EventFilter, QueueFilter
from commentary.moderation.api.permissions import ModeratorsOrGroupLeaders
from commentary.moderation.api.serializers import (
    BanSerializer,
    FlagCreateSerializer,
    FlagSerializer,
    ModerateSerializer,
    ModerationEventSerializer,
    QueueItemSerializer,
    ReinstateSerializer,
    SanctionSerializer,
    SuspendSerializer,
    event_data,
    flag_data,
    sanction_data,
)
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.moderation.models import ModerationEvent
from commentary.moderation.moderators import is_moderator
from commentary.moderation.sanctions import user_ban, user_reinstate, user_suspend
from commentary.tags import tags_split
from config.api.errors import error_responses
from config.api.idempotency import idempotent
from config.api.pagination import CursorPagination

USERNAME = OpenApiParameter(
    "username",
    {"type": "string", "minLength": 1, "maxLength": 150, "pattern": "^[^/\\x00]+$"},
    OpenApiParameter.PATH,
    description="The member's username.",
)


class OldestFirstPagination(CursorPagination):
    """The queue is worked from its oldest item."""

    ordering = ("pk",)


class FlagCreate(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Flag a comment for the moderators",
        description=(
            "One flag per member and comment, never on your own; `other` needs a `note`. "
            "Enough flags from distinct members hide the comment until a moderator decides. "
            "A suspended or banned member gets 403, saying why."
        ),
        parameters=[COMMENT_ID],
        request=FlagCreateSerializer,
        responses={201: FlagSerializer, **error_responses(400, 401, 403, 404, 411, 413, 415, 429)},
    )
    @idempotent
    def post(self, request: Request, id: int) -> Response:
        comment = get_comment_for_user(request.user, id)
        serializer = FlagCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            flag = flag_create(comment=comment, user=request.user, **serializer.validated_data)
        return Response(flag_data(flag), status=status.HTTP_201_CREATED)


class CommentModerate(APIView):
    token_scope = "moderate"
    permission_classes = [ModeratorsOrGroupLeaders]

    @extend_schema(
        summary="Decide on a comment: approve, reject, hide, restore or keep",
        description=(
            "Moderators only: an anonymous caller gets 401, any other member 404. A "
            "decision that no longer applies (another moderator decided first) answers 409 "
            "and changes nothing. Each "
            "decision writes one event in the audit log."
        ),
        parameters=[COMMENT_ID],
        request=ModerateSerializer,
        responses={
            200: CommentSerializer,
            **error_responses(400, 401, 403, 404, 409, 411, 413, 415),
        },
    )
    @idempotent
    def post(self, request: Request, id: int) -> Response:
        comment = get_comment_for_user(request.user, id)
        serializer = ModerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            comment_moderate(comment=comment, moderator=request.user, **serializer.validated_data)
        return Response(represent(request, get_comment_for_user(request.user, id)))


def queue_item(comment: Comment, *, list_url: str) -> dict:
    parent = comment.parent
    return {
        "kind": "held" if comment.status == Comment.Status.PENDING else "flagged",
        "comment": comment_data(
            comment,
            list_url=list_url,
            reply_count=comment.reply_count,
            tags=tags_split(getattr(comment, "tag_names", None)),
        ),
        "paragraph_text": comment.revision.text,
        "replies_to": None
        if parent is None
        else {
            "id": parent.pk,
            "html_url": comment_html_url(list_url, parent.pk),
            "author": parent.author.get_username(),
            "body": "" if parent.is_deleted else parent.body,
            "status": parent.status,
        },
        "flags": [flag_data(flag) for flag in comment.open_flags],
        "author_record": {
            "approved": comment.author_approved,
            "rejected": comment.author_rejected,
            "flags_received": comment.author_flags_received,
        },
    }


class ModerationQueue(generics.ListAPIView):
    token_scope = "moderate"
    permission_classes = [ModeratorsOrGroupLeaders]
    filterset_class = QueueFilter
    pagination_class = OldestFirstPagination
    serializer_class = QueueItemSerializer

    def get_queryset(self) -> QuerySet[Comment]:
        user = self.request.user
        return (
            comment_queryset(user)
            .moderated_by(user)
            .awaiting_moderation()
            .with_moderation_context()
        )

    @extend_schema(
        summary="The moderators' queue: held and flagged comments, oldest first",
        description=(
            "Moderators and the leaders of reading groups only: an anonymous caller gets "
            "401 (with `WWW-Authenticate`), any other member 404."
        ),
        responses={200: QueueItemSerializer(many=True), **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        list_url = comments_url({"request": request})
        return self.get_paginated_response([queue_item(c, list_url=list_url) for c in page])


class ModerationEvents(generics.ListAPIView):
    token_scope = "moderate"
    permission_classes = [ModeratorsOrGroupLeaders]
    filterset_class = EventFilter
    serializer_class = ModerationEventSerializer

    def get_queryset(self) -> QuerySet[ModerationEvent]:
        return ModerationEvent.objects.visible_to(self.request.user).select_related(
            "actor", "user", "group"
        )

    @extend_schema(
        summary="The audit log: every moderation event, newest first",
        description=(
            "Moderators and the leaders of reading groups only: an anonymous caller gets "
            "401 (with `WWW-Authenticate`), any other member 404."
        ),
        responses={
            200: ModerationEventSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([event_data(event) for event in page])


def _member(username: str):
    User = get_user_model()
    return get_object_or_404(User, **{User.USERNAME_FIELD: username})


def _sanction_scope(user, slug: str | None) -> ReadingGroup | None:
    """The scope a sanction is asked in: the site's (None) for its moderators, or a reading
    group its caller leads; anything else is the 404 of an address that does not exist."""
    if slug is None:
        if not is_moderator(user):
            raise NotFound()
        return None
    group = ReadingGroup.objects.led_by(user).filter(slug=slug).first()
    if group is None:
        raise NotFound()
    return group


SANCTION_ERRORS = error_responses(400, 401, 403, 404, 409, 411, 413, 415)
SCOPE = (
    " With `group` (a reading group's slug), the sanction is that group's: it stops writing "
    "in the group only, and its owner and moderators give it (site moderators give the "
    "others, which apply everywhere). An anonymous caller gets 401, any other member 404."
)


class MemberSanctionView(APIView):
    """Suspend, ban or reinstate: validate with ``request_serializer``, find the scope,
    call ``service`` (a ``commentary.moderation.sanctions`` function) and answer with the
    sanction."""

    token_scope = "moderate"
    permission_classes = [ModeratorsOrGroupLeaders]
    request_serializer: type[serializers.Serializer]
    service: Callable
    answer_status = status.HTTP_201_CREATED

    @idempotent
    def post(self, request: Request, username: str) -> Response:
        member = _member(username)
        serializer = self.request_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group = _sanction_scope(request.user, data.pop("group", None))
        with service_errors():
            sanction = self.service(user=member, moderator=request.user, group=group, **data)
        return Response(sanction_data(sanction), status=self.answer_status)


@extend_schema(
    summary="Suspend a member until a date",
    description=(
        "The member cannot post, edit or flag until then; a sanction in force in the same "
        "scope is replaced." + SCOPE
    ),
    parameters=[USERNAME],
    request=SuspendSerializer,
    responses={201: SanctionSerializer, **SANCTION_ERRORS},
)
class UserSuspend(MemberSanctionView):
    request_serializer = SuspendSerializer
    service = staticmethod(user_suspend)


@extend_schema(
    summary="Ban a member",
    description="A sanction in force in the same scope is replaced." + SCOPE,
    parameters=[USERNAME],
    request=BanSerializer,
    responses={201: SanctionSerializer, **SANCTION_ERRORS},
)
class UserBan(MemberSanctionView):
    request_serializer = BanSerializer
    service = staticmethod(user_ban)


@extend_schema(
    summary="Lift a member's suspension or ban",
    description=(
        "409 if the member is not suspended or banned in that scope. Answers with the "
        "sanction lifted." + SCOPE
    ),
    parameters=[USERNAME],
    request=ReinstateSerializer,
    responses={200: SanctionSerializer, **SANCTION_ERRORS},
)
class UserReinstate(MemberSanctionView):
    request_serializer = ReinstateSerializer
    service = staticmethod(user_reinstate)
    answer_status = status.HTTP_200_OK
