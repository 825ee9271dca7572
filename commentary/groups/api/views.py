"""Views of the reading groups API.

A group exists, for the API, only to its members: anybody else gets the 404 of a group
that does not exist, except for a discoverable group, whose name and description anybody
may read. A member who may not take an action (only the owner changes the group; the owner
and its moderators read participation) gets 403: they know the group exists. Writes go
through the services of ``commentary.groups.services``, reads through
``commentary.groups.reads``, as the pages do; a CommentError becomes a 400 with the
same field errors.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import (
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from commentary.api.views import service_errors
from commentary.groups.api.serializers import (
    CopySerializer,
    GroupCardSerializer,
    GroupCreateSerializer,
    GroupJoinSerializer,
    GroupSerializer,
    GroupUpdateSerializer,
    InvitationSerializer,
    ParticipationSerializer,
    TransferSerializer,
    group_card,
    group_data,
)
from commentary.groups.invitations import (
    group_invite_disable,
    group_invite_enable,
    group_invite_rotate,
    group_join,
)
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.reads import (
    MemberGroup,
    get_group_for_member,
    invitation_url,
    member_groups,
)
from commentary.groups.services import (
    group_copy,
    group_create,
    group_leave,
    group_update,
    member_remove,
    ownership_transfer,
    participation,
)
from commentary.permissions import allowed
from config.api.errors import error_responses
from config.api.idempotency import idempotent

GROUP_SLUG = OpenApiParameter(
    "slug",
    {"type": "string", "maxLength": 80, "pattern": "^[-a-zA-Z0-9_]+$"},
    OpenApiParameter.PATH,
    description="The group's slug.",
)
USERNAME = OpenApiParameter(
    "username", str, OpenApiParameter.PATH, description="The member's username."
)
GROUP_OR_CARD = PolymorphicProxySerializer(
    component_name="GroupOrCard",
    serializers=[GroupSerializer, GroupCardSerializer],
    resource_type_field_name=None,
)


def _represent(request: Request, row: MemberGroup) -> dict:
    group = row.group
    url = reverse("api:group-detail", kwargs={"slug": group.slug}, request=request)
    shows_invitation = allowed(request.user, "group.invitation", group)
    invite_url = invitation_url(request, group) if shows_invitation else None
    return group_data(
        group,
        role=row.role,
        url=url,
        works=row.work_slugs,
        members=row.members,
        invite_url=invite_url,
        shows_invitation=shows_invitation,
    )


def _member_view(request: Request, slug: str) -> dict | None:
    for row in member_groups(request.user):
        if row.group.slug == slug:
            return _represent(request, row)
    return None


def _group_for_owner(user, slug: str) -> ReadingGroup:
    """404 outside the group; 403 for a member who does not own it."""
    group = get_group_for_member(user, slug)
    if not allowed(user, "group.change", group):
        raise PermissionDenied(detail=_("Only the group's owner can do that."))
    return group


class GroupList(APIView):
    token_scope = {"GET": "read", "*": "groups:manage"}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Your reading groups",
        description="The groups you are in, by name; the invitation code for those you own.",
        responses={200: GroupSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return Response([_represent(request, row) for row in member_groups(request.user)])

    @extend_schema(
        summary="Found a reading group, which you then own",
        request=GroupCreateSerializer,
        responses={201: GroupSerializer, **error_responses(400, 401, 403, 411, 413, 415)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = GroupCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            group = group_create(owner=request.user, **serializer.validated_data)
        data = _member_view(request, group.slug)
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])}
        )


class GroupDetail(APIView):
    token_scope = {"GET": "read", "*": "groups:manage"}

    @extend_schema(
        summary="A reading group",
        description=(
            "For its members, the group; for anybody else, a discoverable group's name and "
            "description only, and 404 for any other group."
        ),
        parameters=[GROUP_SLUG],
        responses={200: GROUP_OR_CARD, **error_responses(404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        data = _member_view(request, slug) if request.user.is_authenticated else None
        if data is None:
            group = ReadingGroup.objects.discoverable().filter(slug=slug).first()
            if group is None:
                raise NotFound()
            data = group_card(group)
        return Response(data)

    @extend_schema(
        summary="Change a reading group's settings (its owner)",
        description=(
            "Any of the fields; ``works`` replaces the list. A group you are not in answers "
            "404; a member who does not own it gets 403."
        ),
        parameters=[GROUP_SLUG],
        request=GroupUpdateSerializer,
        responses={200: GroupSerializer, **error_responses(400, 401, 403, 404, 411, 413, 415)},
    )
    def patch(self, request: Request, slug: str) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        group = _group_for_owner(request.user, slug)
        serializer = GroupUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        works = changes.pop("works", None)
        with service_errors():
            group_update(group=group, by=request.user, works=works, **changes)
        return Response(_member_view(request, slug))


class GroupJoin(APIView):
    token_scope = {"GET": "read", "*": "groups:manage"}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Join a reading group with its invitation code",
        description=(
            "A wrong, turned-off or expired code, and a group that does not exist, all "
            "answer the same 400. Joining a group you are in changes nothing."
        ),
        parameters=[GROUP_SLUG],
        request=GroupJoinSerializer,
        responses={200: GroupSerializer, **error_responses(400, 401, 403, 411, 413, 415)},
    )
    @idempotent
    def post(self, request: Request, slug: str) -> Response:
        serializer = GroupJoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            group_join(user=request.user, code=serializer.validated_data["code"], slug=slug)
        return Response(_member_view(request, slug))


class GroupMember(APIView):
    token_scope = {"GET": "read", "*": "groups:manage"}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Leave a reading group, or (its owner) remove a member",
        description=(
            "Your own username: you leave (an owner hands the group over first: 400). "
            "Another member's: the owner removes them; any other member gets 403. A group "
            "you are not in, or a username that is not in it, answers 404."
        ),
        parameters=[GROUP_SLUG, USERNAME],
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, username: str) -> Response:
        group = get_group_for_member(request.user, slug)
        person = get_user_model().objects.filter(username=username).first()
        if person is None or not Membership.objects.filter(group=group, user=person).exists():
            raise NotFound()
        with service_errors():
            if person.pk == request.user.pk:
                group_leave(group=group, user=request.user)
            elif not Membership.objects.filter(
                group=group, user_id=request.user.pk, role=Membership.Role.OWNER
            ).exists():
                raise PermissionDenied(detail=_("Only the group's owner can remove a member."))
            else:
                member_remove(group=group, by=request.user, user=person)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupInvitation(APIView):
    token_scope = {"GET": "read", "*": "groups:manage"}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Turn the invitation on or off, or set its role and end (its owner)",
        description=(
            "Turning it on again keeps the code; ``rotate/`` makes a new one. A group you are "
            "not in answers 404; a member who does not own it gets 403."
        ),
        parameters=[GROUP_SLUG],
        request=InvitationSerializer,
        responses={200: GroupSerializer, **error_responses(400, 401, 403, 404, 411, 413, 415)},
    )
    def patch(self, request: Request, slug: str) -> Response:
        group = _group_for_owner(request.user, slug)
        serializer = InvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {}
        if "role" in data:
            changes["invite_role"] = data["role"]
        if "expires_at" in data:
            changes["invite_expires_at"] = data["expires_at"]
        with service_errors():
            if changes:
                group_update(group=group, by=request.user, **changes)
            if data.get("enabled") is True:
                group_invite_enable(group=group, by=request.user)
            elif data.get("enabled") is False:
                group_invite_disable(group=group, by=request.user)
        return Response(_member_view(request, slug))


class GroupInvitationRotate(APIView):
    token_scope = {"GET": "read", "*": "groups:manage"}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Make a new invitation code (its owner); the old one stops working",
        description="The invitation is turned on. 404 outside the group, 403 for a member.",
        parameters=[GROUP_SLUG],
        request=None,
        responses={200: GroupSerializer, **error_responses(401, 403, 404)},
    )
    @idempotent
    def post(self, request: Request, slug: str) -> Response:
        group = _group_for_owner(request.user, slug)
        with service_errors():
            group_invite_rotate(group=group, by=request.user)
        return Response(_member_view(request, slug))


class GroupTransfer(APIView):
    token_scope = {"GET": "read", "*": "groups:manage"}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Hand the group over to another member (its owner)",
        description=(
            "The member named becomes the owner; you stay on as a moderator. Somebody who is "
            "not a member answers 400. 404 outside the group, 403 for a member."
        ),
        parameters=[GROUP_SLUG],
        request=TransferSerializer,
        responses={200: GroupSerializer, **error_responses(400, 401, 403, 404, 411, 413, 415)},
    )
    @idempotent
    def post(self, request: Request, slug: str) -> Response:
        group = _group_for_owner(request.user, slug)
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        heir = (
            Membership.objects.filter(group=group, user__username=username)
            .exclude(user_id=request.user.pk)
            .select_related("user")
            .first()
        )
        if heir is None:
            raise ValidationError(
                {"username": [_("Hand the group over to another of its members.")]}
            )
        with service_errors():
            ownership_transfer(group=group, by=request.user, to=heir.user)
        return Response(_member_view(request, slug))


class GroupCopy(APIView):
    token_scope = {"GET": "read", "*": "groups:manage"}
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Copy the group for a new term (its owner)",
        description=(
            "A new group with the same works and settings, owned by you, with no other "
            "member; with ``include_my_comments``, your own first comments are copied into "
            "it. 404 outside the group, 403 for a member."
        ),
        parameters=[GROUP_SLUG],
        request=CopySerializer,
        responses={201: GroupSerializer, **error_responses(400, 401, 403, 404, 411, 413, 415)},
    )
    @idempotent
    def post(self, request: Request, slug: str) -> Response:
        group = _group_for_owner(request.user, slug)
        serializer = CopySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        include = data.pop("include_my_comments", False)
        with service_errors():
            copy = group_copy(group=group, by=request.user, include_leader_comments=include, **data)
        data = _member_view(request, copy.slug)
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])}
        )


class GroupParticipation(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Each member's share in the discussion (the group's owner and moderators)",
        description=(
            "A row per member, in order of joining, counting their live comments in the "
            "group. A group you are not in answers 404; a member who neither owns nor "
            "moderates it gets 403."
        ),
        parameters=[GROUP_SLUG],
        responses={200: ParticipationSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        group = get_group_for_member(request.user, slug)
        if not allowed(request.user, "group.lead", group):
            raise PermissionDenied(detail=_("Only the group's owner and moderators see this."))
        rows = participation(group)
        return Response(ParticipationSerializer(rows, many=True).data)
