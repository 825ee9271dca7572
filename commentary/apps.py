from django.apps import AppConfig


class CommentaryConfig(AppConfig):
    name = "commentary"
    verbose_name = "Commentary"

    def ready(self) -> None:
        from commentary import accounts  # noqa: F401  (connects the profile receiver)
        from commentary.access import paragraph_comment_counts
        from edition.extensions import register_paragraph_counter

        register_paragraph_counter(paragraph_comment_counts)
