from importlib import import_module

from django.apps import AppConfig

# The wings of the discussion, each a package of this one app with models of its own.
WINGS = ("groups", "moderation", "notifications", "accounts", "annotations", "sync", "webhooks")


class CommentaryConfig(AppConfig):
    name = "commentary"
    verbose_name = "Commentary"

    def import_models(self) -> None:
        """The core's models, then each wing's: one app, one set of migrations."""
        super().import_models()
        for wing in WINGS:
            import_module(f"{self.name}.{wing}.models")

    def ready(self) -> None:
        """Put the house together: what the edition and the core ask of the discussion
        and its wings is registered here, the one place that knows them all."""
        from django.urls import register_converter

        from commentary import cache
        from commentary.access import paragraph_comment_counts, part_comment_counts
        from commentary.accounts import (
            profiles,  # noqa: F401  (its receiver makes profiles)
            reading_places,
            token_users,
        )
        from commentary.converters import CommentIdConverter, UsernameConverter
        from commentary.layers import chosen_layer
        from commentary.moderation.pages import context as moderation_context
        from commentary.moderation.policy import SitePolicy
        from commentary.notifications import listeners
        from commentary.notifications.pages import decisions
        from commentary.policy import register_write_policy
        from commentary.roles import reader_description
        from commentary.sync import listeners as sync_listeners
        from commentary.webhooks import listeners as webhook_listeners
        from config.api.conditional import register_reader_description
        from edition.extensions import (
            register_layer_resolver,
            register_paragraph_counter,
            register_part_counter,
            register_reader_standing,
        )

        register_paragraph_counter(paragraph_comment_counts)
        register_part_counter(part_comment_counts)
        # An API answer's ETag names the reader's roles: who reads decides what they see.
        register_reader_description(reader_description)
        register_layer_resolver(chosen_layer)
        # A reader's kept part of a page is theirs only while their roles stay the same.
        register_reader_standing(reader_description)
        register_write_policy(SitePolicy())
        cache.listen()
        token_users.listen()
        reading_places.listen()
        listeners.listen()
        sync_listeners.listen()
        webhook_listeners.listen()
        decisions.listen()
        moderation_context.listen()
        # Registered once here: the pages and the API both route with them.
        register_converter(UsernameConverter, "username")
        register_converter(CommentIdConverter, "comment_id")
