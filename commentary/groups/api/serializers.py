"""Serializers of the reading groups API. The write serializers validate what a client
sends and hand it to the services of ``commentary.groups.services``; the read ones document the
shapes ``group_data`` and ``group_card`` build."""

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from commentary.groups.models import Membership, ReadingGroup
from config.api.validation import (
    RejectUnknownFieldsMixin,
    StrictBooleanField,
    StrictCharField,
)

MAX_WORKS = 50
# The roles an invitation may give, and a group's moderation policies.
INVITE_ROLES = [("member", "member"), ("moderator", "moderator")]
GROUP_POLICIES = [("open", "open"), ("premoderated", "premoderated")]


class GroupCardSerializer(serializers.Serializer):
    """What anybody may know of a discoverable group they are not in."""

    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)


class GroupSerializer(GroupCardSerializer):
    """A group as its members see it."""

    url = serializers.URLField(read_only=True, help_text="This group in the API.")
    works = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Slugs of the works it reads."
    )
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, read_only=True, help_text="Your role in it."
    )
    members = serializers.IntegerField(read_only=True, help_text="How many people are in it.")
    starts_on = serializers.DateField(read_only=True, allow_null=True)
    ends_on = serializers.DateField(read_only=True, allow_null=True)
    discoverable = serializers.BooleanField(read_only=True)
    post_first = serializers.BooleanField(
        read_only=True,
        help_text="Members see others' comments on a paragraph only after writing there.",
    )
    moderation_policy = serializers.CharField(read_only=True)
    invite_code = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The invitation code; shown to the owner only, null for everybody else.",
    )
    invite_url = serializers.URLField(
        read_only=True,
        allow_null=True,
        help_text="The invitation link to send; shown to the owner only, null for everybody else.",
    )
    invite_enabled = serializers.BooleanField(read_only=True)
    invite_role = serializers.ChoiceField(
        choices=INVITE_ROLES,
        read_only=True,
        help_text="The role the invitation gives.",
    )
    invite_expires_at = serializers.DateTimeField(read_only=True, allow_null=True)


class GroupCardScheme(OpenApiSerializerExtension):
    """States that a card holds nothing more, so that a client (and the schema's
    ``oneOf``) tells a card from a member's view of the group."""

    target_class = "commentary.groups.api.serializers.GroupCardSerializer"

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["additionalProperties"] = False
        return schema


def group_card(group: ReadingGroup) -> dict:
    return {"slug": group.slug, "name": group.name, "description": group.description}


def group_data(
    group: ReadingGroup,
    *,
    role: str,
    url: str,
    works: list[str],
    members: int,
    invite_url: str | None = None,
    shows_invitation: bool = False,
) -> dict:
    """A group for one of its members, in ``role``: the invitation (code and link) only
    where ``shows_invitation`` (its owner's: the permission table's "group.invitation")."""
    owner = shows_invitation
    return {
        **group_card(group),
        "url": url,
        "works": works,
        "role": role,
        "members": members,
        "starts_on": group.starts_on,
        "ends_on": group.ends_on,
        "discoverable": group.discoverable,
        "post_first": group.post_first,
        "moderation_policy": group.moderation_policy,
        "invite_code": group.invite_code if owner else None,
        "invite_url": invite_url if owner else None,
        "invite_enabled": group.invite_enabled,
        "invite_role": group.invite_role,
        "invite_expires_at": group.invite_expires_at,
    }


class GroupCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = StrictCharField(max_length=120, help_text="The group's name; its slug is made from it.")
    works = serializers.ListField(
        child=StrictCharField(max_length=80),
        min_length=1,
        max_length=MAX_WORKS,
        help_text="Slugs of the published works the group reads.",
    )
    description = StrictCharField(required=False, allow_blank=True, max_length=2000)
    post_first = StrictBooleanField(
        required=False, help_text="Members see others' comments only after writing there."
    )
    discoverable = StrictBooleanField(
        required=False, help_text="Outsiders may see its name and description."
    )


class GroupJoinSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    code = StrictCharField(max_length=64, help_text="The code of the group's invitation.")


class GroupUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """What the owner may change; every field optional (PATCH)."""

    name = StrictCharField(required=False, max_length=120)
    description = StrictCharField(required=False, allow_blank=True, max_length=2000)
    works = serializers.ListField(
        child=StrictCharField(max_length=80),
        required=False,
        min_length=1,
        max_length=MAX_WORKS,
        help_text="Slugs of the published works the group reads.",
    )
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    discoverable = StrictBooleanField(required=False)
    post_first = StrictBooleanField(required=False)
    moderation_policy = serializers.ChoiceField(
        choices=GROUP_POLICIES,
        required=False,
        help_text="premoderated: members' comments wait for the group's leaders.",
    )


class InvitationSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The invitation's state; every field optional (PATCH)."""

    enabled = StrictBooleanField(
        required=False, help_text="false turns the link off; true turns it on, same code."
    )
    role = serializers.ChoiceField(
        choices=INVITE_ROLES,
        required=False,
        help_text="The role the invitation gives.",
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When the link stops working; null: never."
    )


class TransferSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    username = StrictCharField(max_length=150, help_text="The member who becomes the owner.")


class CopySerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = StrictCharField(max_length=120, help_text="The new group's name.")
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    include_my_comments = StrictBooleanField(
        required=False,
        default=False,
        help_text="Copy your own first comments (not replies) into the new group.",
    )


class ParticipationSerializer(serializers.Serializer):
    """One member's share in the group's discussion (live comments only)."""

    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)
    joined_at = serializers.DateTimeField(read_only=True)
    comments = serializers.IntegerField(read_only=True, help_text="First comments written.")
    replies_given = serializers.IntegerField(read_only=True)
    replies_received = serializers.IntegerField(
        read_only=True, help_text="Replies others wrote to this member."
    )
    paragraphs = serializers.IntegerField(read_only=True, help_text="Paragraphs written on.")
    last_activity = serializers.DateTimeField(read_only=True, allow_null=True)
