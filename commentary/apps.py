from django.apps import AppConfig


class CommentaryConfig(AppConfig):
    name = "commentary"
    verbose_name = "Commentary"

    def ready(self) -> None:
        from commentary import accounts  # noqa: F401  (connects the profile receiver)
        from commentary.access import paragraph_comment_counts
        from commentary.cache import GENERATION_KEY
        from edition.extensions import register_generation_key, register_paragraph_counter

        register_paragraph_counter(paragraph_comment_counts)
        register_generation_key(GENERATION_KEY)
