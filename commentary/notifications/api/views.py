"""The signed-in client's notifications: decisions on their comments, replies, mentions,
news of what they follow; and marking them read (``ids`` or ``all``).

Only the token's (or session's) owner's own, through ``Notification.objects.for_recipient``;
an anonymous client gets 401. Cursor-paginated, newest first, in a fixed number of queries.
Reading the list marks nothing read; ``POST /api/v1/notifications/read/`` does.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from commentary.api.serializers import comments_url
from commentary.notifications.api.serializers import (
    NotificationSerializer,
    NotificationsReadSerializer,
    notification_data,
)
from commentary.notifications.entries import notification_entries
from commentary.notifications.models import Notification
from commentary.notifications.services import notifications_mark_read
from config.api.errors import error_responses
from config.api.idempotency import idempotent


class NotificationList(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer
    filter_backends = []

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.for_recipient(self.request.user).with_related()

    @extend_schema(
        summary="Your notifications, newest first",
        description=(
            "What the signed-in member is told of (``kind``): moderation decisions on "
            "their own comments (approve, reject, hide by a moderator or by members' "
            "flags, restore, keep when it brought a hidden comment back); replies to "
            "their comments; mentions; new comments in threads, on paragraphs and works "
            "they follow; new versions of works they follow; and, in a post-first group, "
            "that the group wrote on a passage (never what). Only what they may read now."
        ),
        responses={200: NotificationSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        list_url = comments_url({"request": request})
        return self.get_paginated_response(
            [
                notification_data(entry, comments_url=list_url, page_url=request.build_absolute_uri)
                for entry in notification_entries(page)
            ]
        )


class NotificationsRead(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationsReadSerializer

    @extend_schema(
        summary="Mark notifications read",
        description='``{"ids": [1, 2]}`` marks those (others\' ids mark nothing); '
        '``{"all": true}`` marks every one. Answers how many were marked.',
        responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}}
        | error_responses(400, 401),
    )
    @idempotent
    def post(self, request: Request) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        ids = None if form.validated_data.get("all") else form.validated_data["ids"]
        return Response({"marked": notifications_mark_read(user=request.user, ids=ids)})
