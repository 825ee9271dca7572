"""The entry point of the API: a link to every collection, the schema and the docs.

``COLLECTIONS`` names each collection by its route; ``TEMPLATES`` the collections that
belong to a work or a group, as URI templates (RFC 6570) with the route's arguments in
braces. tests/api/test_root.py walks the URL conf and fails when a route is reachable from
no entry here, so a new collection cannot be left out.
"""

from django.urls import reverse as plain_reverse
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

# name in the answer -> route name (in the ``api`` namespace)
COLLECTIONS = {
    "works": "work-list",
    "comments": "comment-list",
    "changes": "change-list",
    "search": "search",
    "groups": "group-list",
    "notifications": "notification-list",
    "notification_preferences": "notification-preferences",
    "follows": "follow-list",
    "moderation_queue": "moderation-queue",
    "moderation_log": "moderation-events",
    "tokens": "token-list",
    "webhooks": "webhook-list",
    "account": "account-delete",
    "account_exports": "account-export-list",
    "schema": "schema",
    "docs": "docs",
}
# name in the answer -> (route name, its arguments)
TEMPLATES = {
    "work_annotations": ("work-annotations", ("slug",)),
    "group_annotations": ("group-annotations", ("slug",)),
    "work_comments": ("work-comments", ("slug",)),
}
# A stand-in argument, replaced by its name in braces once the route is reversed.
_PLACEHOLDER = "arg0placeholder"


def uri_template(request: Request, route: str, arguments: tuple[str, ...]) -> str:
    """The absolute URI template of ``route``: ``https://host/api/v1/works/{slug}/…``."""
    path = plain_reverse(
        f"api:{route}", kwargs={name: f"{_PLACEHOLDER}{name}" for name in arguments}
    )
    uri = request.build_absolute_uri(path)
    for name in arguments:
        uri = uri.replace(f"{_PLACEHOLDER}{name}", "{" + name + "}")
    return uri


class ApiRoot(APIView):
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        tags=["root"],
        operation_id="root_retrieve",
        summary="Links to every collection of the API, its schema and documentation",
        description=(
            "Each collection's address; those of one work or one group as URI templates "
            "(RFC 6570), e.g. `…/works/{slug}/annotations/`."
        ),
        responses=inline_serializer(
            "ApiRoot",
            {
                **{name: serializers.URLField() for name in COLLECTIONS},
                **{
                    name: serializers.CharField(help_text="A URI template (RFC 6570).")
                    for name in TEMPLATES
                },
            },
        ),
        examples=[
            OpenApiExample(
                "The root",
                value={
                    "works": "https://scholia.example.org/api/v1/works/",
                    "comments": "https://scholia.example.org/api/v1/comments/",
                    "work_annotations": (
                        "https://scholia.example.org/api/v1/works/{slug}/annotations/"
                    ),
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                **{
                    name: reverse(f"api:{route}", request=request)
                    for name, route in COLLECTIONS.items()
                },
                **{
                    name: uri_template(request, route, arguments)
                    for name, (route, arguments) in TEMPLATES.items()
                },
            }
        )
