"""The reading groups' pages, under /groups/. None is cached: each answers for one reader."""

from django.urls import path

from commentary.groups.pages import configure as group_settings
from commentary.groups.pages import leaders as group_leaders
from commentary.groups.pages import views as groups

app_name = "groups"

urlpatterns = [
    path("groups/", groups.group_list, name="group-list"),
    path("groups/new/", groups.group_new, name="group-new"),
    path("groups/<slug:slug>/", groups.group_detail, name="group-detail"),
    path("groups/<slug:slug>/join/<slug:code>/", groups.group_join_page, name="group-join"),
    path("groups/<slug:slug>/leave/", groups.group_leave_page, name="group-leave"),
    # The owner's.
    path("groups/<slug:slug>/settings/", group_settings.group_settings, name="group-settings"),
    path(
        "groups/<slug:slug>/invitation/",
        group_settings.invitation_update,
        name="invitation-update",
    ),
    path(
        "groups/<slug:slug>/invitation/rotate/",
        group_settings.invitation_rotate,
        name="invitation-rotate",
    ),
    path(
        "groups/<slug:slug>/invitation/switch/",
        group_settings.invitation_switch,
        name="invitation-switch",
    ),
    path(
        "groups/<slug:slug>/members/<username:username>/remove/",
        group_settings.member_remove_page,
        name="member-remove",
    ),
    path(
        "groups/<slug:slug>/transfer/",
        group_settings.ownership_transfer_page,
        name="ownership-transfer",
    ),
    path("groups/<slug:slug>/copy/", group_settings.group_copy_page, name="group-copy"),
    # The leaders' (owner and moderators).
    path(
        "groups/<slug:slug>/participation/",
        group_leaders.participation_page,
        name="participation",
    ),
    path(
        "groups/<slug:slug>/participation.csv",
        group_leaders.participation_download,
        name="participation-csv",
    ),
    path("groups/<slug:slug>/comments/", group_leaders.group_comment_list, name="group-comments"),
]
