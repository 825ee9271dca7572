"""The shape of a notification in the API: a decision on one of the reader's comments.
Read-only; the view builds the dictionaries with ``notification_data``."""

from rest_framework import serializers

from commentary.models import Comment
from commentary.moderation.models import ModerationEvent
from commentary.notifications.entries import NotificationEntry


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
    decision = serializers.ChoiceField(
        choices=ModerationEvent.Action.choices,
        read_only=True,
        help_text="approve, reject, hide, restore or keep.",
    )
    by_flags = serializers.BooleanField(
        read_only=True,
        help_text="True when members' flags hid the comment, awaiting a moderator.",
    )
    summary = serializers.CharField(read_only=True, help_text="The decision in words.")
    reason = serializers.CharField(read_only=True)
    from_status = serializers.ChoiceField(choices=Comment.Status.choices, read_only=True)
    to_status = serializers.ChoiceField(choices=Comment.Status.choices, read_only=True)
    created = serializers.DateTimeField(read_only=True, help_text="When it was decided.")
    read = serializers.BooleanField(read_only=True)
    comment = NotifiedCommentSerializer(read_only=True)


def notification_data(entry: NotificationEntry, *, comments_url: str, page_url) -> dict:
    """``page_url(path)`` makes a page's absolute address."""
    event, comment = entry.event, entry.comment
    return {
        "id": entry.notification.pk,
        "decision": event.action,
        "by_flags": event.actor_id is None,
        "summary": entry.summary,
        "reason": event.reason,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "created": event.created_at,
        "read": not entry.notification.is_unread,
        "comment": {
            "id": comment.pk,
            "url": f"{comments_url}{comment.pk}/",
            "html_url": page_url(comment.get_absolute_url()),
            "work": comment.work.slug,
            "paragraph": comment.paragraph.key,
            "passage": entry.passage_label,
            "excerpt": entry.excerpt,
        },
    }
