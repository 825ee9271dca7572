"""The shape of a notification in the API: a decision on one of the reader's comments, a
reply, a mention, a new comment where they follow, a new version of a work they follow,
a post-first group's note. Read-only; the view builds the dictionaries with
``notification_data``."""

from rest_framework import serializers

from commentary.models import Comment
from commentary.moderation.models import ModerationEvent
from commentary.notifications.entries import NotificationEntry
from commentary.notifications.models import Kind
from config.api.validation import RejectUnknownFieldsMixin, StrictBooleanField, StrictIntegerField


class NotifiedCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="The comment in the API.")
    html_url = serializers.URLField(read_only=True, help_text="The comment's page.")
    work = serializers.CharField(read_only=True, help_text="The work's slug.")
    paragraph = serializers.CharField(read_only=True, help_text="The paragraph's stable key.")
    passage = serializers.CharField(
        read_only=True, help_text="The passage as readers cite it in the version written on."
    )
    excerpt = serializers.CharField(read_only=True, help_text="Empty for a deleted comment.")


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    html_url = serializers.URLField(read_only=True, help_text="Where the notification leads.")
    decision = serializers.ChoiceField(
        choices=ModerationEvent.Action.choices,
        read_only=True,
        allow_null=True,
        help_text="approve, reject, hide, restore or keep; null for other kinds.",
    )
    by_flags = serializers.BooleanField(
        read_only=True,
        help_text="True when members' flags hid the comment, awaiting a moderator.",
    )
    summary = serializers.CharField(read_only=True, help_text="The decision in words.")
    reason = serializers.CharField(read_only=True)
    from_status = serializers.ChoiceField(
        choices=Comment.Status.choices, read_only=True, allow_null=True
    )
    to_status = serializers.ChoiceField(
        choices=Comment.Status.choices, read_only=True, allow_null=True
    )
    created = serializers.DateTimeField(
        read_only=True, help_text="When it was decided, or written."
    )
    read = serializers.BooleanField(read_only=True)
    work = serializers.CharField(read_only=True, allow_null=True, help_text="The work's slug.")
    version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The new version's number."
    )
    note = serializers.CharField(read_only=True, help_text="What changed, for a new version.")
    comment = NotifiedCommentSerializer(read_only=True, allow_null=True)


class NotificationsReadSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    ids = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=1000,
        help_text="The notifications to mark read.",
    )
    all = StrictBooleanField(required=False, help_text="Mark every notification read.")

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("all") and not attrs.get("ids"):
            raise serializers.ValidationError({"ids": ["Give ids, or all: true."]})
        return attrs


def notification_data(entry: NotificationEntry, *, comments_url: str, page_url) -> dict:
    """``page_url(path)`` makes a page's absolute address."""
    event, comment, note = entry.event, entry.comment, entry.notification
    return {
        "id": note.pk,
        "kind": note.kind,
        "html_url": page_url(entry.url),
        "decision": event.action if event else None,
        "by_flags": event is not None and event.actor_id is None,
        "summary": entry.summary,
        "reason": event.reason if event else "",
        "from_status": event.from_status if event else None,
        "to_status": event.to_status if event else None,
        "created": event.created_at if event else note.created_at,
        "read": not note.is_unread,
        "work": note.work.slug if note.work_id else (comment.work.slug if comment else None),
        "version": note.version.number if note.version_id else None,
        "note": note.note,
        "comment": None
        if comment is None
        else {
            "id": comment.pk,
            "url": f"{comments_url}{comment.pk}/",
            "html_url": page_url(comment.get_absolute_url()),
            "work": comment.work.slug,
            "paragraph": comment.paragraph.key,
            "passage": entry.passage_label,
            "excerpt": entry.excerpt,
        },
    }
