"""Personal API tokens through the API: list, create (the key shown once), read, revoke.

Everything here is the requesting member's own: another member's token answers 404, an
anonymous client 401. A token may make another no wider than itself (its scopes, groups
and expiry: ``commentary.accounts.tokens.token_create``).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.accounts import tokens
from commentary.accounts.models import ApiToken, Scope
from config.api.errors import error_responses, flatten_errors
from config.api.idempotency import idempotent
from config.site.token_auth import InsufficientScope


class ApiTokenSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:token-detail")
    scopes = serializers.ListField(
        source="scope_list",
        child=serializers.ChoiceField(choices=Scope.choices),
        help_text="What it may do.",
    )
    groups = serializers.SerializerMethodField(
        help_text="The slugs of the only reading groups it reaches; null: all its owner's."
    )
    expired = serializers.BooleanField(source="is_expired", help_text="Past its expiry.")

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "url",
            "name",
            "prefix",
            "scopes",
            "expires_at",
            "expired",
            "groups",
            "created_at",
            "last_used_on",
            "revoked_at",
        ]
        read_only_fields = fields

    def get_groups(self, token: ApiToken) -> list[str] | None:
        if not token.limited_to_groups:
            return None
        return sorted(group.slug for group in token.groups.all())


class NewApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(help_text="The key: shown this once, never again.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80, help_text="What the token is for.")
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Scope.choices),
        default=[Scope.READ],
        help_text="What it may do; by default read only.",
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When it stops working; omitted: never."
    )
    groups = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        allow_null=True,
        help_text=(
            "Limit it to these reading groups of yours (an empty list: the public "
            "discussion only); omitted or null: all your groups."
        ),
    )


def _own_tokens(request: Request):
    return ApiToken.objects.filter(user=request.user).prefetch_related("groups")


class TokenList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Your API tokens, newest first (revoked ones included)",
        responses={200: ApiTokenSerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        return Response(
            ApiTokenSerializer(_own_tokens(request), many=True, context={"request": request}).data
        )

    @extend_schema(
        summary="Create a token; its key is in this answer only",
        description=(
            "A token used to create another can give it no scope, group or lifetime "
            "beyond its own: a scope it lacks answers 403 (insufficient_scope)."
        ),
        request=ApiTokenCreateSerializer,
        responses={
            201: NewApiTokenSerializer,
            **error_responses(400, 401, 403, 411, 413, 415, 422),
        },
        examples=[
            OpenApiExample(
                "A read-only token for one group, for 90 days",
                value={
                    "name": "course mirror",
                    "scopes": ["read"],
                    "expires_at": "2027-03-01T00:00:00Z",
                    "groups": ["seminar"],
                },
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        made_with = request.auth if isinstance(request.auth, ApiToken) else None
        try:
            token, raw_key = tokens.token_create(
                user=request.user,
                name=data["name"],
                scopes=data["scopes"],
                expires_at=data.get("expires_at"),
                group_slugs=data.get("groups"),
                made_with=made_with,
            )
        except tokens.ScopeLacking as lacking:
            raise InsufficientScope(lacking.scope) from lacking
        except tokens.TokenError as error:
            raise ValidationError(flatten_errors(error.message_dict)) from error
        token.key = raw_key
        answer = NewApiTokenSerializer(token, context={"request": request}).data
        return Response(
            answer, status=status.HTTP_201_CREATED, headers={"Location": str(answer["url"])}
        )


class TokenDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="One of your API tokens",
        responses={200: ApiTokenSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        token = get_object_or_404(_own_tokens(request), pk=pk)
        return Response(ApiTokenSerializer(token, context={"request": request}).data)

    @extend_schema(
        summary="Revoke one of your API tokens, for good",
        description="Revoking a revoked token changes nothing (204 again).",
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        tokens.token_revoke(token=token, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
