"""Annotation Protocol routes; config/api/urls.py joins them into the ``api`` namespace.
Never cached: each answer depends on who asks."""

from django.urls import path

from commentary.annotations.api import imports, views

urlpatterns = [
    # allows /api/v1/works/october-1917/annotations/
    path(
        "works/<slug:slug>/annotations/",
        views.WorkAnnotations.as_view(),
        name="work-annotations",
    ),
    # allows /api/v1/works/october-1917/annotations/123/
    path(
        "works/<slug:slug>/annotations/<comment_id:id>/",
        views.WorkAnnotation.as_view(),
        name="work-annotation",
    ),
    # allows /api/v1/groups/tuesday-seminar/annotations/
    path(
        "groups/<slug:slug>/annotations/",
        views.GroupAnnotations.as_view(),
        name="group-annotations",
    ),
    # allows /api/v1/groups/tuesday-seminar/annotations/123/
    path(
        "groups/<slug:slug>/annotations/<comment_id:id>/",
        views.GroupAnnotation.as_view(),
        name="group-annotation",
    ),
    # allows /api/v1/works/october-1917/imports/
    path("works/<slug:slug>/imports/", imports.WorkImports.as_view(), name="work-imports"),
    # allows /api/v1/imports/7/
    path("imports/<int:id>/", imports.ImportReport.as_view(), name="import-report"),
]
