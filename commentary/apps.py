from django.apps import AppConfig


class CommentaryConfig(AppConfig):
    name = "commentary"
    verbose_name = "Commentary"

    def ready(self) -> None:
        from django.urls import register_converter

        from commentary import accounts  # noqa: F401  (connects the profile receiver)
        from commentary.access import paragraph_comment_counts
        from commentary.converters import CommentIdConverter, UsernameConverter
        from commentary.layers import chosen_layer
        from edition.extensions import register_layer_resolver, register_paragraph_counter

        register_paragraph_counter(paragraph_comment_counts)
        register_layer_resolver(chosen_layer)
        # Registered once here: the pages and the API both route with them.
        register_converter(UsernameConverter, "username")
        register_converter(CommentIdConverter, "comment_id")
