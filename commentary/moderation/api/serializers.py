"""Serializers of the moderation API: flags, decisions, the queue, the audit log and
sanctions. Write serializers validate and hand ``validated_data`` to the services of
``commentary.moderation.decisions`` and ``commentary.moderation.sanctions``; read ones
document the shapes the views build."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commentary.api.serializers import CommentSerializer
from commentary.models import Comment
from commentary.moderation.api.filters import QUEUE_KINDS
from commentary.moderation.decisions import DECISIONS
from commentary.moderation.models import Flag, ModerationEvent, Sanction
from config.api.validation import RejectUnknownFieldsMixin, StrictCharField

MAX_REASON_CHARS = 1000
MAX_NOTE_CHARS = 500


class StrictDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time sent as text, that can be expressed in UTC."""

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]")
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]")


# Write side -----------------------------------------------------------------------------


class FlagCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.ChoiceField(choices=Flag.Reason.choices)
    note = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=MAX_NOTE_CHARS,
        help_text="What is wrong; required when the reason is `other`.",
    )


class ModerateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(action.value, action.label) for action in DECISIONS],
        help_text=(
            "approve or reject a held comment; hide a published one; restore a hidden one; "
            "keep a flagged one (dismiss its flags)."
        ),
    )
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=MAX_REASON_CHARS,
        help_text="Told to the author.",
    )
    expected_status = serializers.ChoiceField(
        choices=Comment.Status.choices,
        required=False,
        help_text=(
            "The status you saw. If the comment is no longer in it (another moderator "
            "decided meanwhile), the answer is 409 and nothing changes."
        ),
    )


def group_scope_field() -> StrictCharField:
    return StrictCharField(
        required=False,
        max_length=80,
        help_text=(
            "A reading group's slug: the sanction applies in that group only, and is its "
            "owner's and moderators' to give. Left out: the site's, everywhere."
        ),
    )


class SuspendSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    until = StrictDateTimeField(help_text="When the suspension ends; in the future.")
    reason = StrictCharField(max_length=MAX_REASON_CHARS, help_text="Told to the member.")
    group = group_scope_field()


class BanSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = StrictCharField(max_length=MAX_REASON_CHARS, help_text="Told to the member.")
    group = group_scope_field()


class ReinstateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = StrictCharField(required=False, allow_blank=True, max_length=MAX_REASON_CHARS)
    group = group_scope_field()


# Read side ------------------------------------------------------------------------------


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    comment = serializers.IntegerField(read_only=True, help_text="Id of the comment flagged.")
    reason = serializers.ChoiceField(choices=Flag.Reason.choices, read_only=True)
    note = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)


def flag_data(flag: Flag) -> dict:
    return {
        "id": flag.pk,
        "comment": flag.comment_id,
        "reason": flag.reason,
        "note": flag.note,
        "created": flag.created_at,
    }


class AuthorRecordSerializer(serializers.Serializer):
    approved = serializers.IntegerField(read_only=True, help_text="Published comments.")
    rejected = serializers.IntegerField(read_only=True)
    flags_received = serializers.IntegerField(read_only=True)


class RepliedToSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    html_url = serializers.URLField(read_only=True, help_text="The comment's page.")
    author = serializers.CharField(read_only=True, help_text="Username of its author.")
    body = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Comment.Status.choices, read_only=True)


class QueueItemSerializer(serializers.Serializer):
    """A comment waiting for a moderator, with what is needed to decide."""

    kind = serializers.ChoiceField(
        choices=QUEUE_KINDS,
        read_only=True,
        help_text="held: waiting for approval; flagged: has open flags.",
    )
    comment = CommentSerializer(read_only=True)
    paragraph_text = serializers.CharField(
        read_only=True, help_text="The wording of the paragraph its author saw."
    )
    replies_to = RepliedToSerializer(read_only=True, allow_null=True)
    flags = FlagSerializer(many=True, read_only=True, help_text="Open flags, oldest first.")
    author_record = AuthorRecordSerializer(read_only=True)


@extend_schema_field({"type": "string", "nullable": True, "description": "A username."})
class UsernameField(serializers.CharField):
    pass


class ModerationEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    actor = UsernameField(read_only=True, help_text="The moderator; null when the site acted.")
    action = serializers.ChoiceField(choices=ModerationEvent.Action.choices, read_only=True)
    comment = serializers.IntegerField(read_only=True, allow_null=True)
    user = UsernameField(read_only=True, help_text="The member acted on.")
    group = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Slug of the reading group whose leader acted on a member; null otherwise.",
    )
    reason = serializers.CharField(read_only=True)
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)


def event_data(event: ModerationEvent) -> dict:
    return {
        "id": event.pk,
        "actor": event.actor.get_username() if event.actor_id else None,
        "action": event.action,
        "comment": event.comment_id,
        "user": event.user.get_username() if event.user_id else None,
        "group": event.group.slug if event.group_id else None,
        "reason": event.reason,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "created": event.created_at,
    }


class SanctionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Sanction.Kind.choices, read_only=True)
    until = serializers.DateTimeField(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    lifted = serializers.DateTimeField(read_only=True, allow_null=True)
    group = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Slug of the reading group it applies in; null: the site's, everywhere.",
    )


def sanction_data(sanction: Sanction) -> dict:
    return {
        "id": sanction.pk,
        "user": sanction.user.get_username(),
        "kind": sanction.kind,
        "until": sanction.until,
        "reason": sanction.reason,
        "created": sanction.created_at,
        "lifted": sanction.lifted_at,
        "group": sanction.group.slug if sanction.group_id else None,
    }
