from django.urls import path

from commentary.sync.api import views

urlpatterns = [
    # allows /api/v1/changes/
    path("changes/", views.ChangeList.as_view(), name="change-list"),
]
