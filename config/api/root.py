"""The entry point of the API: links to each collection, the schema and the docs."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView


class ApiRoot(APIView):
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        tags=["root"],
        operation_id="root_retrieve",
        summary="Links to the API's collections, schema and documentation",
        responses=inline_serializer(
            "ApiRoot",
            {
                "works": serializers.URLField(),
                "comments": serializers.URLField(),
                "changes": serializers.URLField(),
                "tokens": serializers.URLField(),
                "webhooks": serializers.URLField(),
                "schema": serializers.URLField(),
                "docs": serializers.URLField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "works": reverse("api:work-list", request=request),
                "comments": reverse("api:comment-list", request=request),
                "changes": reverse("api:change-list", request=request),
                "tokens": reverse("api:token-list", request=request),
                "webhooks": reverse("api:webhook-list", request=request),
                "schema": reverse("api:schema", request=request),
                "docs": reverse("api:docs", request=request),
            }
        )
