"""The admin: profiles are editable; comments, their history and API tokens are for looking up.

Comments change only through the services (edit history, moderation log, cache), so their
admin is read-only but for the moderators' actions, which call the same decision service as
the queue and the API and write the same events. Flags, sanctions and the audit log are
for looking up; a member's trust changes through its own actions, each logged. A token's
hash never leaves the database, and a token is only ever revoked, through the same service
its owner uses.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commentary import cache
from commentary.accounts.events import member_renamed
from commentary.accounts.models import ApiToken, Profile
from commentary.accounts.tokens import token_revoke
from commentary.errors import CommentError
from commentary.models import Comment, CommentRevision
from commentary.moderation.decisions import comments_moderate
from commentary.moderation.models import Flag, ModerationEvent, Sanction
from commentary.moderation.moderators import is_moderator
from commentary.moderation.trust import member_trust_set
from config.site.events import send_after_commit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ModeratorActionsMixin:
    """Actions marked ``permissions=["moderate"]`` are offered to moderators only."""

    def has_moderate_permission(self, request) -> bool:
        return is_moderator(request.user)


@admin.register(Profile)
class ProfileAdmin(ModeratorActionsMixin, admin.ModelAdmin):
    list_display = ["user", "display_name", "affiliation", "trusted"]
    list_filter = ["trusted"]
    search_fields = ["user__username", "user__email", "display_name", "affiliation"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
    # Trust changes through the actions below, which log who changed it.
    readonly_fields = ["trusted"]
    actions = ["grant_trust", "remove_trust"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "display_name" in form.changed_data:
            # The name shows beside their comments: on cached pages, and in the copies
            # clients keep through the change log, as when they change it themselves.
            transaction.on_commit(cache.people_renamed)
            send_after_commit(member_renamed, user_id=obj.user_id)

    def _set_trust(self, request, queryset, trusted: bool) -> None:
        changed = 0
        for profile in queryset.select_related("user"):
            try:
                member_trust_set(user=profile.user, moderator=request.user, trusted=trusted)
            except CommentError:
                # Already so, or a moderator (always trusted): nothing to change.
                continue
            changed += 1
        self.message_user(
            request,
            ngettext("%d member changed.", "%d members changed.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description=_("Trust the selected members"), permissions=["moderate"])
    def grant_trust(self, request, queryset) -> None:
        self._set_trust(request, queryset, True)

    @admin.action(description=_("Remove the selected members' trust"), permissions=["moderate"])
    def remove_trust(self, request, queryset) -> None:
        self._set_trust(request, queryset, False)


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    fields = ["written_at", "replaced_at", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(ModeratorActionsMixin, ReadOnlyAdmin):
    list_display = ["pk", "author", "work", "paragraph_key", "status", "depth", "created_at"]
    list_filter = ["status", "work", ("deleted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["author", "work", "paragraph"]
    search_fields = ["body", "author__username"]
    date_hierarchy = "created_at"
    readonly_fields = ["body_html"]
    inlines = [CommentRevisionInline]
    actions = ["approve", "reject", "hide", "restore", "keep"]

    @admin.display(description=_("paragraph"), ordering="paragraph__ordinal")
    def paragraph_key(self, comment: Comment) -> str:
        return comment.paragraph.key

    def get_queryset(self, request):
        # The one visibility rule holds here too: a reading group's comments stay out of
        # the site moderators' sight until a member flags one.
        return super().get_queryset(request).visible_to(request.user)

    def _decide(self, request, queryset, action: str) -> None:
        """The queue's bulk decision on the selected comments the moderator may decide on;
        comments already decided are counted apart and left as they are."""
        result = comments_moderate(
            comments=queryset.moderated_by(request.user), moderator=request.user, action=action
        )
        done, skipped = len(result.decided), len(result.already_decided)
        self.message_user(
            request,
            ngettext("%d comment decided.", "%d comments decided.", done) % done,
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d comment was already decided: nothing done to it.",
                    "%d comments were already decided: nothing done to them.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )

    @admin.action(description=_("Approve the selected comments"), permissions=["moderate"])
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, ModerationEvent.Action.APPROVE)

    @admin.action(description=_("Reject the selected comments"), permissions=["moderate"])
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, ModerationEvent.Action.REJECT)

    @admin.action(description=_("Hide the selected comments"), permissions=["moderate"])
    def hide(self, request, queryset) -> None:
        self._decide(request, queryset, ModerationEvent.Action.HIDE)

    @admin.action(description=_("Restore the selected comments"), permissions=["moderate"])
    def restore(self, request, queryset) -> None:
        self._decide(request, queryset, ModerationEvent.Action.RESTORE)

    @admin.action(
        description=_("Keep the selected comments (dismiss their flags)"),
        permissions=["moderate"],
    )
    def keep(self, request, queryset) -> None:
        self._decide(request, queryset, ModerationEvent.Action.KEEP)


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["pk", "comment", "user", "reason", "created_at", "reviewed_at"]
    list_filter = ["reason", ("reviewed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "comment"]
    search_fields = ["user__username", "note"]
    raw_id_fields = ["comment", "user"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    """Members' sanctions; given and lifted through the moderation services. A reading
    group's stay with its leaders, as in the log."""

    list_display = [
        "user",
        "kind",
        "group",
        "until",
        "reason",
        "created_by",
        "created_at",
        "lifted_at",
    ]
    list_filter = ["kind", ("lifted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "created_by", "group"]
    search_fields = ["user__username", "reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnlyAdmin):
    """The audit log: append-only, so nothing here adds, changes or deletes."""

    list_display = ["created_at", "actor", "action", "comment", "user", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["actor", "user", "comment"]
    search_fields = ["actor__username", "user__username", "reason"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(CommentRevision)
class CommentRevisionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "comment", "written_at", "replaced_at"]
    raw_id_fields = ["comment"]

    def get_queryset(self, request):
        visible = Comment.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(comment__in=visible)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_on",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = [
        "user",
        "name",
        "prefix",
        "scopes",
        "expires_at",
        "limited_to_groups",
        "groups",
        "created_at",
        "last_used_on",
        "revoked_at",
    ]
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
