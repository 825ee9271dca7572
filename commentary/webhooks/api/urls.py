from django.urls import path

from commentary.webhooks.api import views

urlpatterns = [
    # allows /api/v1/webhooks/
    path("webhooks/", views.WebhookList.as_view(), name="webhook-list"),
    # allows /api/v1/webhooks/{id}/
    path("webhooks/<int:id>/", views.WebhookDetail.as_view(), name="webhook-detail"),
    # allows POST /api/v1/webhooks/{id}/rotate-secret/
    path(
        "webhooks/<int:id>/rotate-secret/",
        views.WebhookRotateSecret.as_view(),
        name="webhook-rotate-secret",
    ),
    # allows POST /api/v1/webhooks/{id}/test/
    path("webhooks/<int:id>/test/", views.WebhookTest.as_view(), name="webhook-test"),
    # allows /api/v1/webhooks/{id}/deliveries/
    path(
        "webhooks/<int:id>/deliveries/",
        views.WebhookDeliveries.as_view(),
        name="webhook-deliveries",
    ),
]
