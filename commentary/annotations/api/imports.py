"""Imports through the API: staff import into a work's public discussion, a reading
group's owner into that group; the report is read by the same people (404 for others)."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.annotations.access import get_import_for_user
from commentary.annotations.importer import ImportRefused, annotations_import
from commentary.annotations.models import AnnotationImport
from commentary.annotations.report import report_counts
from commentary.groups.reads import get_group_for_owner
from config.api.errors import error_responses
from config.api.idempotency import idempotent
from config.api.validation import RejectUnknownFieldsMixin
from edition.access import get_work_for_user


class ImportRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    export = serializers.JSONField(
        help_text="A Hypothesis export (its rows) or a W3C AnnotationPage."
    )
    group = serializers.SlugField(
        required=False, help_text="A reading group you own; else the public discussion (staff)."
    )


class ImportReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    work = serializers.CharField()
    group = serializers.CharField(allow_null=True)
    created = serializers.DateTimeField()
    counts = serializers.DictField(child=serializers.IntegerField())
    report = serializers.JSONField(
        help_text="imported, fuzzy (with score), orphaned (with quote), skipped (with reason)."
    )


def report_data(request: Request, run: AnnotationImport) -> dict:
    url = request.build_absolute_uri(reverse("api:import-report", kwargs={"id": run.pk}))
    return {
        "id": run.pk,
        "url": url,
        "work": run.work.slug,
        "group": run.group.slug if run.group_id else None,
        "created": run.created_at,
        "counts": report_counts(run.report),
        "report": run.report,
    }


class WorkImports(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Import annotations into a work",
        tags=["annotations"],
        request=ImportRequestSerializer,
        responses={201: ImportReportSerializer, **error_responses(400, 401, 403, 404, 413, 415)},
    )
    @idempotent
    def post(self, request: Request, slug: str) -> Response:
        work = get_work_for_user(request.user, slug)
        incoming = ImportRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        group = None
        if "group" in incoming.validated_data:
            try:
                group = get_group_for_owner(request.user, incoming.validated_data["group"])
            except Http404 as missing:
                raise NotFound() from missing
        elif not request.user.is_staff:
            raise PermissionDenied("Only staff import into the public discussion.")
        try:
            run = annotations_import(
                work=work,
                importer=request.user,
                data=incoming.validated_data["export"],
                group=group,
                source_name="api",
            )
        except ImportRefused as error:
            raise ValidationError({"export": [str(error)]}) from error
        return Response(report_data(request, run), status=status.HTTP_201_CREATED)


class ImportReport(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="An import's report",
        tags=["annotations"],
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: ImportReportSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, id: int) -> Response:
        return Response(report_data(request, get_import_for_user(request.user, id)))
