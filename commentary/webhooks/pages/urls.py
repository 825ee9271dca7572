"""The webhooks settings page."""

from django.urls import path

from commentary.webhooks.pages import views

app_name = "webhooks"

urlpatterns = [
    path("settings/webhooks/", views.endpoint_list, name="list"),
    path("settings/webhooks/secret/", views.secret_shown, name="secret"),
    path("settings/webhooks/<int:pk>/", views.endpoint_detail, name="detail"),
    path("settings/webhooks/<int:pk>/rotate-secret/", views.endpoint_rotate, name="rotate"),
    path("settings/webhooks/<int:pk>/test/", views.endpoint_test, name="test"),
    path("settings/webhooks/<int:pk>/enable/", views.endpoint_enable, name="enable"),
    path("settings/webhooks/<int:pk>/delete/", views.endpoint_delete, name="delete"),
]
