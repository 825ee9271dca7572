"""Views of the reading groups API.

A group exists, for the API, only to its members: anybody else gets the 404 of a group
that does not exist, except for a discoverable group, whose name and description anybody
may read. Writes go through the services of ``commentary.groups``; their CommentError
becomes a 400 with the same field errors.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from commentary.api.group_serializers import (
    GroupCardSerializer,
    GroupCreateSerializer,
    GroupJoinSerializer,
    GroupSerializer,
    group_card,
    group_data,
)
from commentary.api.views import service_errors
from commentary.group_models import Membership, ReadingGroup
from commentary.groups import group_create, group_join, group_leave, member_remove
from config.api.errors import error_responses

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


def _member_groups(user):
    """The groups ``user`` is in, each with ``role``, ``work_slugs`` and ``member_count``,
    in two queries however many groups."""
    memberships = Membership.objects.filter(user_id=user.pk).select_related("group")
    groups = {m.group_id: m for m in memberships}
    works: dict[int, list[str]] = {pk: [] for pk in groups}
    through = ReadingGroup.works.through.objects.filter(readinggroup_id__in=groups)
    for group_id, slug in through.order_by("work__slug").values_list(
        "readinggroup_id", "work__slug"
    ):
        works[group_id].append(slug)
    counts = dict(
        Membership.objects.filter(group_id__in=groups)
        .order_by()
        .values_list("group_id")
        .annotate(count=Count("pk"))
    )
    return [
        (membership.group, membership.role, works[pk], counts.get(pk, 0))
        for pk, membership in sorted(groups.items(), key=lambda item: item[1].group.name)
    ]


def _represent(request: Request, group, role: str, works: list[str], members: int) -> dict:
    url = reverse("api:group-detail", kwargs={"slug": group.slug}, request=request)
    return group_data(group, role=role, url=url, works=works, members=members)


def _member_view(request: Request, slug: str) -> dict | None:
    for group, role, works, members in _member_groups(request.user):
        if group.slug == slug:
            return _represent(request, group, role, works, members)
    return None


def _group_for_member(user, slug: str) -> ReadingGroup:
    group = ReadingGroup.objects.for_member(user).filter(slug=slug).first()
    if group is None:
        raise NotFound()
    return group


class GroupList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Your reading groups",
        description="The groups you are in, by name; the invitation code for those you own.",
        responses={200: GroupSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return Response([_represent(request, *row) for row in _member_groups(request.user)])

    @extend_schema(
        summary="Found a reading group, which you then own",
        request=GroupCreateSerializer,
        responses={201: GroupSerializer, **error_responses(400, 401, 403, 411, 413, 415)},
    )
    def post(self, request: Request) -> Response:
        serializer = GroupCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            group = group_create(owner=request.user, **serializer.validated_data)
        data = _member_view(request, group.slug)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})


class GroupDetail(APIView):
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


class GroupJoin(APIView):
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
    def post(self, request: Request, slug: str) -> Response:
        serializer = GroupJoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            group_join(user=request.user, code=serializer.validated_data["code"], slug=slug)
        return Response(_member_view(request, slug))


class GroupMember(APIView):
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
        group = _group_for_member(request.user, slug)
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
