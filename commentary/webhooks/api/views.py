"""Webhook endpoints through the API: list, register (the secret shown once), read,
change, delete; rotate the secret; send a test event; read the delivery log.

Everything here is the requesting member's own: another member's endpoint answers 404, an
anonymous client 401. A token needs ``read`` to read and ``write`` for everything else.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.groups.models import ReadingGroup
from commentary.webhooks import services
from commentary.webhooks.api.serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateSerializer,
    WebhookEndpointWithSecretSerializer,
    WebhookEndpointWriteSerializer,
    WebhookRotateSerializer,
)
from commentary.webhooks.deliveries import test_deliver
from commentary.webhooks.models import WebhookEndpoint
from config.api.errors import error_responses, flatten_errors
from config.api.idempotency import idempotent
from config.api.pagination import CursorPagination
from edition.models import Work


def _own(request: Request, id: int) -> WebhookEndpoint:
    return get_object_or_404(
        WebhookEndpoint.objects.select_related("work", "group"), pk=id, owner=request.user
    )


def _limits(data: dict) -> dict:
    """The work and group named by slug, as objects; a missing one is a 400."""
    found = {}
    if "work" in data:
        slug = data["work"]
        found["work"] = Work.objects.filter(slug=slug).first() if slug else None
        if slug and found["work"] is None:
            raise ValidationError({"work": ["No such work."]})
    if "group" in data:
        slug = data["group"]
        found["group"] = ReadingGroup.objects.filter(slug=slug).first() if slug else None
        if slug and found["group"] is None:
            raise ValidationError({"group": ["You are not a member of this reading group."]})
    return found


def _answer(request: Request, endpoint: WebhookEndpoint, code: int = 200, **kwargs) -> Response:
    return Response(
        WebhookEndpointWithSecretSerializer(endpoint, context={"request": request}).data,
        status=code,
        **kwargs,
    )


class WebhookList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Your webhook endpoints, newest first",
        responses={200: WebhookEndpointSerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        endpoints = WebhookEndpoint.objects.filter(owner=request.user).select_related(
            "work", "group"
        )
        return Response(
            WebhookEndpointSerializer(endpoints, many=True, context={"request": request}).data
        )

    @extend_schema(
        summary="Register a webhook endpoint; its secret is in this answer only",
        description=(
            "Deliveries follow Standard Webhooks (webhook-id, webhook-timestamp and "
            "webhook-signature headers, signed with the secret). Only public http(s) "
            "addresses are accepted."
        ),
        request=WebhookEndpointWriteSerializer,
        responses={
            201: WebhookEndpointWithSecretSerializer,
            **error_responses(400, 401, 403, 411, 413, 415, 422),
        },
        examples=[
            OpenApiExample(
                "New comments in one reading group",
                value={
                    "target_url": "https://example.org/hooks/scholia",
                    "events": ["comment.created", "comment.updated", "comment.deleted"],
                    "group": "seminar",
                },
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = WebhookEndpointWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {**serializer.validated_data, **_limits(serializer.validated_data)}
        try:
            endpoint = services.endpoint_create(owner=request.user, **data)
        except DjangoValidationError as error:
            raise ValidationError(flatten_errors(error.message_dict)) from error
        answer = _answer(request, endpoint, status.HTTP_201_CREATED)
        answer["Location"] = str(answer.data["url"])
        return answer


class WebhookDetail(APIView):
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    @extend_schema(
        summary="One of your webhook endpoints",
        responses={200: WebhookEndpointSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, id: int) -> Response:
        endpoint = _own(request, id)
        return Response(WebhookEndpointSerializer(endpoint, context={"request": request}).data)

    @extend_schema(
        summary="Change one of your webhook endpoints, or enable or disable it",
        request=WebhookEndpointUpdateSerializer,
        responses={
            200: WebhookEndpointSerializer,
            **error_responses(400, 401, 403, 404, 411, 413, 415),
        },
    )
    def patch(self, request: Request, id: int) -> Response:
        endpoint = _own(request, id)
        serializer = WebhookEndpointUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {**serializer.validated_data, **_limits(serializer.validated_data)}
        try:
            services.endpoint_update(endpoint=endpoint, by=request.user, **data)
        except DjangoValidationError as error:
            raise ValidationError(flatten_errors(error.message_dict)) from error
        return Response(WebhookEndpointSerializer(endpoint, context={"request": request}).data)

    @extend_schema(
        summary="Delete one of your webhook endpoints and its delivery log",
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, id: int) -> Response:
        services.endpoint_delete(endpoint=_own(request, id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateSecret(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Give an endpoint a new secret; it is in this answer only",
        description=(
            "Deliveries are signed with the new secret from now on. For 24 hours the old "
            "one signs each delivery too (webhook-signature then holds two signatures, "
            "separated by a space, and a receiver accepts either), so that the receiver can "
            "take the new one without refusing a delivery; `old_secret_signs_until` says "
            'until when. `{"revoke_old": true}`, for a secret that leaked, stops the old '
            "one at once. An empty body is allowed."
        ),
        request=WebhookRotateSerializer,
        responses={
            200: WebhookEndpointWithSecretSerializer,
            **error_responses(400, 401, 403, 404, 413, 415, 422),
        },
    )
    @idempotent
    def post(self, request: Request, id: int) -> Response:
        endpoint = _own(request, id)
        serializer = WebhookRotateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_rotate_secret(
            endpoint=endpoint, revoke_old=serializer.validated_data["revoke_old"]
        )
        return _answer(request, endpoint)


class WebhookTest(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Send a webhook.test event to an endpoint",
        description=(
            "Sent by the background queue, enabled or not; its outcome is in the delivery "
            "log. A test is neither retried nor counted as a failure."
        ),
        request=None,
        responses={202: WebhookDeliverySerializer, **error_responses(401, 403, 404, 422)},
    )
    @idempotent
    def post(self, request: Request, id: int) -> Response:
        delivery = test_deliver(_own(request, id))
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveries(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = WebhookDeliverySerializer
    pagination_class = CursorPagination
    filter_backends = []

    def get_queryset(self):
        return _own(self.request, self.kwargs["id"]).deliveries.all()

    @extend_schema(
        summary="An endpoint's delivery log, newest first: one row per attempt",
        responses={
            200: WebhookDeliverySerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
