from django.apps import AppConfig


class CommentaryConfig(AppConfig):
    name = "commentary"
    verbose_name = "Commentary"
