from django.apps import AppConfig


class CommentaryConfig(AppConfig):
    name = "commentary"
    verbose_name = "Commentary"

    def ready(self) -> None:
        from django.urls import register_converter

        from commentary import accounts  # noqa: F401  (connects the profile receiver)
        from commentary.access import paragraph_comment_counts
        from commentary.converters import CommentIdConverter, UsernameConverter
        from edition.extensions import register_paragraph_counter

        register_paragraph_counter(paragraph_comment_counts)
        # Registered once here: the pages and the API both route with them.
        register_converter(UsernameConverter, "username")
        register_converter(CommentIdConverter, "comment_id")
