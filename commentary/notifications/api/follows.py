"""The signed-in client's follows: ``GET`` lists them, ``POST`` follows a place and
``DELETE`` stops following it, the place named in the body (or, for ``DELETE``, the query)
as ``work`` (slug), ``work`` + ``paragraph`` (key) or ``thread`` (a comment id: its
thread). A place the client may not read answers 404, as one that does not exist."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from commentary.models import MAX_COMMENT_ID
from commentary.notifications.follows import (
    follow_create,
    follow_delete,
    follows_of,
    resolve_place,
)
from commentary.notifications.models import Follow
from config.api.errors import error_responses
from config.api.idempotency import idempotent
from config.api.validation import RejectUnknownFieldsMixin, StrictCharField, StrictIntegerField


class FollowPlaceSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    work = StrictCharField(required=False, max_length=200, help_text="A work's slug.")
    paragraph = StrictCharField(
        required=False, max_length=200, help_text="A paragraph's stable key (with ``work``)."
    )
    thread = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_COMMENT_ID,
        help_text="Any comment of the thread to follow.",
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("work") and not attrs.get("thread"):
            raise serializers.ValidationError(
                {"work": ["Name a work (and a paragraph), or a thread."]}
            )
        if attrs.get("paragraph") and not attrs.get("work"):
            raise serializers.ValidationError({"work": ["A paragraph is named with its work."]})
        return attrs


class FollowQuerySerializer(FollowPlaceSerializer):
    """The same place named in a DELETE's query string, where every value is text."""

    work = serializers.CharField(required=False, max_length=200)
    paragraph = serializers.CharField(required=False, max_length=200)
    thread = serializers.IntegerField(required=False, min_value=1, max_value=MAX_COMMENT_ID)


class FollowSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    target = serializers.ChoiceField(choices=Follow.Target.choices, read_only=True)
    work = serializers.CharField(read_only=True)
    paragraph = serializers.CharField(read_only=True, allow_null=True)
    thread = serializers.IntegerField(read_only=True, allow_null=True)
    created = serializers.DateTimeField(read_only=True)


def follow_data(follow: Follow) -> dict:
    return {
        "id": follow.pk,
        "target": follow.target,
        "work": follow.work.slug,
        "paragraph": follow.paragraph.key if follow.paragraph_id else None,
        "thread": follow.thread_id,
        "created": follow.created_at,
    }


def _place(request: Request, data, serializer=FollowPlaceSerializer) -> dict:
    place = serializer(data=data)
    place.is_valid(raise_exception=True)
    try:
        return resolve_place(request.user, **place.validated_data).arguments()
    except Http404 as missing:
        raise NotFound(str(missing)) from missing


class FollowList(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = FollowSerializer
    filter_backends = []

    @extend_schema(
        summary="What you follow",
        responses={200: FollowSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(follows_of(request.user))
        return self.get_paginated_response([follow_data(follow) for follow in page])

    @extend_schema(
        summary="Follow a work, a paragraph or a thread",
        request=FollowPlaceSerializer,
        responses={201: FollowSerializer, **error_responses(400, 401, 404)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        follow = follow_create(user=request.user, **_place(request, request.data))
        return Response(
            follow_data(Follow.objects.select_related("work", "paragraph").get(pk=follow.pk)),
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Stop following a work, a paragraph or a thread",
        parameters=[
            OpenApiParameter("work", str),
            OpenApiParameter("paragraph", str),
            OpenApiParameter("thread", int),
        ],
        request=None,
        responses={204: None, **error_responses(400, 401, 404)},
    )
    def delete(self, request: Request) -> Response:
        if request.data:
            place = _place(request, request.data)
        else:
            place = _place(request, request.query_params.dict(), FollowQuerySerializer)
        follow_delete(user=request.user, **place)
        return Response(status=status.HTTP_204_NO_CONTENT)
