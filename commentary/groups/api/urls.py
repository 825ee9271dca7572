"""Reading groups' routes of the API; config/api/urls.py joins them into the ``api`` namespace."""

from django.urls import path

from commentary.groups.api import views as group_views

# Reading groups: never cached, each answer depends on who asks.
urlpatterns = [
    # allows /api/v1/groups/
    path("groups/", group_views.GroupList.as_view(), name="group-list"),
    # allows /api/v1/groups/tuesday-seminar/
    path("groups/<slug:slug>/", group_views.GroupDetail.as_view(), name="group-detail"),
    # allows /api/v1/groups/tuesday-seminar/join/
    path("groups/<slug:slug>/join/", group_views.GroupJoin.as_view(), name="group-join"),
    # allows /api/v1/groups/tuesday-seminar/invitation/
    path(
        "groups/<slug:slug>/invitation/",
        group_views.GroupInvitation.as_view(),
        name="group-invitation",
    ),
    # allows /api/v1/groups/tuesday-seminar/invitation/rotate/
    path(
        "groups/<slug:slug>/invitation/rotate/",
        group_views.GroupInvitationRotate.as_view(),
        name="group-invitation-rotate",
    ),
    # allows /api/v1/groups/tuesday-seminar/transfer/
    path(
        "groups/<slug:slug>/transfer/", group_views.GroupTransfer.as_view(), name="group-transfer"
    ),
    # allows /api/v1/groups/tuesday-seminar/copy/
    path("groups/<slug:slug>/copy/", group_views.GroupCopy.as_view(), name="group-copy"),
    # allows /api/v1/groups/tuesday-seminar/participation/
    path(
        "groups/<slug:slug>/participation/",
        group_views.GroupParticipation.as_view(),
        name="group-participation",
    ),
    # allows /api/v1/groups/tuesday-seminar/members/alice/
    path(
        "groups/<slug:slug>/members/<username:username>/",
        group_views.GroupMember.as_view(),
        name="group-member",
    ),
]
