"""What the API says of webhook endpoints and their deliveries, and what it accepts."""

import json

from rest_framework import serializers

from commentary.webhooks.models import EventType, WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:webhook-detail", lookup_url_kwarg="id"
    )
    events = serializers.ListField(
        source="event_list",
        child=serializers.ChoiceField(choices=EventType.choices),
        help_text="The events it receives.",
    )
    work = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Only this work's events; null: every work.",
    )
    group = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Only this reading group's comments; null: all you may read.",
    )
    enabled = serializers.BooleanField(source="is_enabled", help_text="Deliveries are sent.")
    disabled_reason = serializers.ChoiceField(
        choices=[("", "Enabled"), *WebhookEndpoint.DisabledReason.choices],
        help_text="Why it is disabled: owner, gone (410), failing (20 failures in a row).",
    )
    deliveries_url = serializers.HyperlinkedIdentityField(
        view_name="api:webhook-deliveries", lookup_url_kwarg="id"
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "target_url",
            "description",
            "events",
            "work",
            "group",
            "enabled",
            "disabled_at",
            "disabled_reason",
            "failures_in_row",
            "created_at",
            "secret_rotated_at",
            "old_secret_signs_until",
            "deliveries_url",
        ]
        read_only_fields = fields


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        help_text="The signing secret (whsec_…): shown in this answer only, never again."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointWriteSerializer(serializers.Serializer):
    target_url = serializers.CharField(
        max_length=500, help_text="An http:// or https:// URL at a public address."
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        min_length=1,
        help_text="The events it receives; decision.made for moderators only.",
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    work = serializers.SlugField(
        required=False, allow_null=True, help_text="A work's slug; omitted or null: every work."
    )
    group = serializers.SlugField(
        required=False,
        allow_null=True,
        help_text="A reading group you belong to; omitted or null: no limit to one group.",
    )


class WebhookEndpointUpdateSerializer(WebhookEndpointWriteSerializer):
    target_url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), min_length=1, required=False
    )
    enabled = serializers.BooleanField(
        required=False,
        help_text="true enables it again (its failures forgotten); false disables it.",
    )


class WebhookDeliverySerializer(serializers.ModelSerializer):
    payload = serializers.SerializerMethodField(help_text="The body sent.")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event_type",
            "attempt",
            "status",
            "status_code",
            "latency_ms",
            "error",
            "created_at",
            "attempted_at",
            "next_attempt_at",
            "payload",
        ]
        read_only_fields = fields

    def get_payload(self, delivery: WebhookDelivery) -> dict:
        return json.loads(delivery.payload)


class WebhookRotateSerializer(serializers.Serializer):
    revoke_old = serializers.BooleanField(
        default=False,
        help_text=(
            "Stop signing with the old secret at once (it leaked) instead of letting it "
            "sign beside the new one for 24 hours."
        ),
    )
