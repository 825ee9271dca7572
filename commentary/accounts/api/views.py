"""A signed-in member's own account through the API: their data exports, and deletion.

Everything here is the requesting member's own: another member's export answers 404, an
anonymous client 401.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.accounts.api.serializers import AccountDeleteSerializer, MemberExportSerializer
from commentary.accounts.deletion import AccountDeletionRefused, account_delete
from commentary.accounts.export import export_request
from commentary.accounts.models import MemberExport
from config.api.errors import error_responses
from config.api.idempotency import idempotent


def _own_export(request: Request, pk: int) -> MemberExport:
    return get_object_or_404(MemberExport, pk=pk, user=request.user)


class ExportList(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MemberExportSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return MemberExport.objects.filter(user=self.request.user).defer("json", "markdown")

    @extend_schema(
        summary="Your data exports, newest first",
        responses={200: MemberExportSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Export all your data",
        description=(
            "Your profile, comments with their earlier wordings, flags, reading groups, "
            "decisions told and tokens, as JSON and Markdown. A small account's export is "
            "ready at once (201); a large one's is written in the background (202): poll "
            "its url until its status is ready."
        ),
        request=None,
        responses={
            201: MemberExportSerializer,
            202: MemberExportSerializer,
            **error_responses(401),
        },
    )
    @idempotent
    def post(self, request: Request, *args, **kwargs) -> Response:
        export = export_request(user=request.user)
        answer = MemberExportSerializer(export, context={"request": request}).data
        code = status.HTTP_201_CREATED if export.is_ready else status.HTTP_202_ACCEPTED
        return Response(answer, status=code, headers={"Location": str(answer["url"])})


class ExportDetail(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MemberExportSerializer
    filter_backends = []

    def get_object(self) -> MemberExport:
        return _own_export(self.request, self.kwargs["pk"])

    @extend_schema(
        summary="One of your data exports",
        responses={200: MemberExportSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class _ExportFile(APIView):
    permission_classes = [IsAuthenticated]
    content_type = ""
    extension = ""
    field = ""

    def get(self, request: Request, pk: int) -> HttpResponse:
        export = _own_export(request, pk)
        if not export.is_ready:
            raise ValidationError({"status": [f"The export is {export.status}, not ready yet."]})
        response = HttpResponse(getattr(export, self.field), content_type=self.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="scholia-data-{export.pk}.{self.extension}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ExportJson(_ExportFile):
    content_type = "application/json; charset=utf-8"
    extension = "json"
    field = "json"

    @extend_schema(
        summary="An export's data as JSON",
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            **error_responses(400, 401, 404),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return super().get(request, pk)


class ExportMarkdown(_ExportFile):
    content_type = "text/markdown; charset=utf-8"
    extension = "md"
    field = "markdown"

    @extend_schema(
        summary="An export's data as Markdown",
        responses={
            (200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR),
            **error_responses(400, 401, 404),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return super().get(request, pk)


class AccountDelete(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Delete your account",
        description=(
            "Cannot be undone. Your comments stay where they are, by “[deleted member]”, "
            "their text removed unless keep_comments is true; your profile, addresses, "
            "tokens, sessions and exports go. Refused (400) while you own a reading group: "
            "hand it over first. A DELETE with a JSON body: it is idempotent by nature, "
            "and there is no Idempotency-Key to keep once the account has gone."
        ),
        request=AccountDeleteSerializer,
        responses={204: None, **error_responses(400, 401)},
    )
    def delete(self, request: Request) -> Response:
        serializer = AccountDeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["confirm"] != request.user.get_username():
            raise ValidationError({"confirm": ["Type your username to confirm."]})
        try:
            account_delete(
                user=request.user, keep_comments=serializer.validated_data["keep_comments"]
            )
        except AccountDeletionRefused as refused:
            raise ValidationError(refused.message_dict) from refused
        return Response(status=status.HTTP_204_NO_CONTENT)
