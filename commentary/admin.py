"""The admin: profiles are editable; comments, their history and API tokens are for looking up.

Comments change only through the services (edit history, moderation log, cache), so their
admin is read-only; moderation has its own queue. A token's hash never leaves the database,
and a token is only ever revoked, through the same service its owner uses.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commentary.models import ApiToken, Comment, CommentRevision, Profile
from commentary.tokens import token_revoke


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "affiliation"]
    search_fields = ["user__username", "user__email", "display_name", "affiliation"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    fields = ["written_at", "replaced_at", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "author", "work", "paragraph_key", "status", "depth", "created_at"]
    list_filter = ["status", "work", ("deleted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["author", "work", "paragraph"]
    search_fields = ["body", "author__username"]
    date_hierarchy = "created_at"
    readonly_fields = ["body_html"]
    inlines = [CommentRevisionInline]

    @admin.display(description=_("paragraph"), ordering="paragraph__ordinal")
    def paragraph_key(self, comment: Comment) -> str:
        return comment.paragraph.key


@admin.register(CommentRevision)
class CommentRevisionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "comment", "written_at", "replaced_at"]
    raw_id_fields = ["comment"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        # A key is shown once, to the person who created it: owners create their own.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token_revoke(token=token, by=request.user)
        self.message_user(
            request,
            ngettext("%d token revoked.", "%d tokens revoked.", len(tokens)) % len(tokens),
            messages.SUCCESS,
        )
