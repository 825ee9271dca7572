"""What the API says of a member's data export."""

from django.urls import reverse
from rest_framework import serializers

from commentary.accounts.models import MemberExport


class MemberExportSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="This export.")
    json_url = serializers.SerializerMethodField(help_text="The data as JSON; null until ready.")
    markdown_url = serializers.SerializerMethodField(
        help_text="The data as Markdown; null until ready."
    )

    class Meta:
        model = MemberExport
        fields = [
            "id",
            "url",
            "status",
            "created_at",
            "finished_at",
            "comment_count",
            "json_url",
            "markdown_url",
        ]
        read_only_fields = fields

    def _link(self, export: MemberExport, name: str) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, kwargs={"pk": export.pk}))

    def get_url(self, export: MemberExport) -> str:
        return self._link(export, "api:account-export-detail")

    def get_json_url(self, export: MemberExport) -> str | None:
        return self._link(export, "api:account-export-json") if export.is_ready else None

    def get_markdown_url(self, export: MemberExport) -> str | None:
        return self._link(export, "api:account-export-markdown") if export.is_ready else None


class AccountDeleteSerializer(serializers.Serializer):
    confirm = serializers.CharField(
        help_text="Your username, typed again: the deletion cannot be undone."
    )
    keep_comments = serializers.BooleanField(
        default=False,
        help_text="Keep your comments' text, shown as by “[deleted member]”; otherwise "
        "their text is removed and a placeholder keeps each thread whole.",
    )
