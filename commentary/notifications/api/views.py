"""The signed-in client's notifications: the decisions taken on their own comments.

Only the token's (or session's) owner's own, through ``Notification.objects.for_recipient``;
an anonymous client gets 401. Cursor-paginated, newest first, in a fixed number of queries.
Reading the list marks nothing read (the profile page's "Mark all as read" does).
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from commentary.api.serializers import comments_url
from commentary.notifications.api.serializers import NotificationSerializer, notification_data
from commentary.notifications.entries import notification_entries
from commentary.notifications.models import Notification
from config.api.errors import error_responses


class NotificationList(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer
    filter_backends = []

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.for_recipient(self.request.user).with_related()

    @extend_schema(
        summary="Decisions on your comments, newest first",
        description=(
            "The moderation decisions taken on the signed-in member's own comments: "
            "approve, reject, hide (by a moderator, or by members' flags awaiting a "
            "moderator), restore, and keep when it brought a hidden comment back."
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
