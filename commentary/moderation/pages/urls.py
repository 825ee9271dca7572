"""The moderators' pages (404 for everybody else)."""

from django.urls import path

from commentary.moderation.pages import flags, members
from commentary.moderation.pages import queue as moderation

app_name = "moderation"

urlpatterns = [
    path("comments/<int:pk>/flag/", flags.comment_flag, name="comment-flag"),
    path("moderation/", moderation.queue, name="queue"),
    path("moderation/comments/<int:pk>/decide/", moderation.decide, name="decide"),
    path("moderation/decide/", moderation.decide_many, name="decide-many"),
    path("moderation/log/", moderation.log, name="log"),
    path("moderation/members/<username:username>/", members.member_detail, name="member"),
    path(
        "moderation/members/<username:username>/trust/",
        members.member_trust,
        name="member-trust",
    ),
    path(
        "moderation/members/<username:username>/<slug:action>/",
        members.member_sanction,
        name="member-sanction",
    ),
]
