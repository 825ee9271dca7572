"""The moderators' pages (404 for everybody else)."""

from django.urls import path

from commentary.pages import moderation

app_name = "moderation"

urlpatterns = [
    path("moderation/", moderation.queue, name="queue"),
    path("moderation/comments/<int:pk>/decide/", moderation.decide, name="decide"),
    path("moderation/decide/", moderation.decide_many, name="decide-many"),
    path("moderation/log/", moderation.log, name="log"),
]
