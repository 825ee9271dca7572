"""Search routes of the API; config/api/urls.py joins them into the ``api`` namespace."""

from django.urls import path

from commentary.search.api import reading, views

urlpatterns = [
    # allows /api/v1/search/
    path("search/", views.Search.as_view(), name="search"),
    # allows /api/v1/works/october-1917/comments/
    path(
        "works/<slug:slug>/comments/",
        reading.WorkCommentsInReadingOrder.as_view(),
        name="work-comments",
    ),
]
