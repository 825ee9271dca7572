"""Edition routes of the API; config/api/urls.py joins them into the ``api`` namespace.

Works, versions and paragraphs are addressed by slug, number and key, never by database id.
"""

from django.urls import path

from edition.api import views

urlpatterns = [
    # allows /api/v1/works/
    path("works/", views.WorkList.as_view(), name="work-list"),
    # allows /api/v1/works/october-1917/
    path("works/<slug:slug>/", views.WorkDetail.as_view(), name="work-detail"),
    # allows /api/v1/works/october-1917/versions/
    path("works/<slug:slug>/versions/", views.VersionList.as_view(), name="version-list"),
    # allows /api/v1/works/october-1917/versions/2/
    path(
        "works/<slug:slug>/versions/<int:number>/",
        views.VersionDetail.as_view(),
        name="version-detail",
    ),
    # allows /api/v1/works/october-1917/paragraphs/p7/
    path(
        "works/<slug:slug>/paragraphs/<slug:key>/",
        views.ParagraphDetail.as_view(),
        name="paragraph-detail",
    ),
    # allows /api/v1/works/october-1917/compare/1/2/
    path("works/<slug:slug>/compare/<int:a>/<int:b>/", views.Comparison.as_view(), name="compare"),
]
