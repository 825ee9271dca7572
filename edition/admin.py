"""The edition in the admin. A published version and everything in it are read-only here:
the admin calls the same refusal as the services (PublishedVersionError) by never offering
the change."""

from django.contrib import admin

from edition.models import Paragraph, ParagraphRevision, Version, VersionParagraph, Work
from edition.services import version_discard, work_delete, work_save


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "author", "current_version", "moderation_policy"]
    search_fields = ["title", "slug", "author"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["current_version"]

    def save_model(self, request, obj, form, change) -> None:
        work_save(work=obj)

    def delete_model(self, request, obj) -> None:
        work_delete(work=obj)

    def delete_queryset(self, request, queryset) -> None:
        for work in queryset:
            work_delete(work=work)


class VersionParagraphInline(admin.TabularInline):
    model = VersionParagraph
    fields = ["position", "paragraph", "revision"]
    raw_id_fields = ["paragraph", "revision"]
    ordering = ["position"]
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_published

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_published

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_published


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    list_display = ["work", "number", "status", "published_at", "created_by"]
    list_filter = ["status", "work"]
    readonly_fields = ["status", "published_at", "published_by", "created_at"]
    inlines = [VersionParagraphInline]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj) -> None:
        version_discard(version=obj)

    def delete_queryset(self, request, queryset) -> None:
        for version in queryset:
            version_discard(version=version)


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["key", "work", "created_at"]
    list_filter = ["work"]
    search_fields = ["key"]
    readonly_fields = ["work", "key", "ordinal", "created_at"]

    def has_add_permission(self, request) -> bool:
        # Paragraphs are born from imports, which give them their keys.
        return False


@admin.register(ParagraphRevision)
class ParagraphRevisionAdmin(admin.ModelAdmin):
    list_display = ["paragraph", "kind", "level", "checksum", "created_at"]
    list_filter = ["kind"]
    search_fields = ["text", "paragraph__key"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Immutable: a new wording is a new revision, made by an import.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
