"""Query-string filters of the moderators' queue and audit log. An invalid value answers
400; a parameter sent empty too (see ``CommentFilterForm``)."""

from django_filters import rest_framework as filters

from commentary.api.filters import AwareDateTimeFilter, CommentFilterForm, _documented
from commentary.models import Comment
from commentary.moderation.models import Flag, ModerationEvent

QUEUE_KINDS = [("held", "held"), ("flagged", "flagged")]


class QueueFilter(filters.FilterSet):
    work = _documented(
        {"type": "string", "minLength": 1, "maxLength": 80, "description": "Slug of the work."},
        filters.CharFilter(field_name="work__slug", max_length=80),
    )
    kind = filters.ChoiceFilter(
        choices=QUEUE_KINDS,
        method="filter_kind",
        help_text="held: waiting for approval; flagged: with open flags.",
    )
    reason = filters.ChoiceFilter(
        choices=Flag.Reason.choices,
        method="filter_reason",
        help_text="Only comments with an open flag for this reason.",
    )

    class Meta:
        model = Comment
        fields = ["work", "kind", "reason"]
        form = CommentFilterForm

    def filter_kind(self, queryset, name, value):
        return queryset.held() if value == "held" else queryset.flagged()

    def filter_reason(self, queryset, name, value):
        return queryset.flagged(reason=value)


class EventFilter(filters.FilterSet):
    moderator = _documented(
        {"type": "string", "minLength": 1, "maxLength": 150, "description": "Username."},
        filters.CharFilter(field_name="actor__username", max_length=150),
    )
    action = filters.ChoiceFilter(choices=ModerationEvent.Action.choices)
    user = _documented(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": 150,
            "description": "Username of the member acted on.",
        },
        filters.CharFilter(field_name="user__username", max_length=150),
    )
    created_after = _documented(
        {"type": "string", "format": "date-time", "description": "At or after this date-time."},
        AwareDateTimeFilter(field_name="created_at", lookup_expr="gte"),
    )
    created_before = _documented(
        {"type": "string", "format": "date-time", "description": "Strictly before this date-time."},
        AwareDateTimeFilter(field_name="created_at", lookup_expr="lt"),
    )

    class Meta:
        model = ModerationEvent
        fields = ["moderator", "action", "user", "created_after", "created_before"]
        form = CommentFilterForm
