from django.apps import AppConfig


class EditionConfig(AppConfig):
    name = "edition"
    verbose_name = "Edition"

    def ready(self) -> None:
        from edition import checks  # noqa: F401  (registers the deployment checks)
