"""Search routes of the API; config/api/urls.py joins them into the ``api`` namespace."""

from django.urls import path

from commentary.search.api import views

urlpatterns = [
    # allows /api/v1/search/
    path("search/", views.Search.as_view(), name="search"),
]
