from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The API's own state: the idempotency keys of creating requests."""

    name = "config.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"
