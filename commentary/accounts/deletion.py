"""A member leaves: their account is deleted, their part in the discussion stays in place.

``account_delete`` keeps the user row (comments, flags, decisions and sanctions point at
it, and threads stay whole) but empties it of the person: the username becomes
``deleted-<id>``, the display name "[deleted member]", and the email, names, password,
profile, addresses, sessions, tokens, idempotency keys, exports, memberships and
notifications go. Their comments stay where they are, by "[deleted member]": as
tombstones, their text and earlier wordings removed, unless they chose to keep them
anonymously. Their flags count still; a flag's note goes. The audit log keeps its events,
which name the account by its id only; where a moderator's reason, a sanction's reason or
the admin's history wrote their username, names or email, "[deleted member]" replaces it.

On PostgreSQL the audit log is append-only in the database itself; the one change it lets
through is this erasure of a name from a reason (migration 0012).

A member who owns a reading group must hand it over first (the group would have no owner).
Once it is committed, ``account_deleted`` tells the change log, which tells every reader of
their comments. The site has no webhooks; when it has, they go here too.
"""

import re
from functools import partial

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from commentary import cache
from commentary.accounts.events import account_deleted
from commentary.accounts.member_data import erase as erase_member_data
from commentary.accounts.models import ApiToken, MemberExport, Profile
from commentary.groups.models import Membership, ReadingGroup
from commentary.models import Comment, CommentRevision
from commentary.moderation.models import Flag, ModerationEvent, Sanction
from config.site.events import send_after_commit

DELETED_NAME = "[deleted member]"
# A flag of reason "other" must say what: its note is replaced, not emptied.
REMOVED_NOTE = "[removed]"


class AccountDeletionRefused(ValidationError):
    pass


def deleted_username(user_id: int) -> str:
    return f"deleted-{user_id}"


def owned_groups(user) -> list[ReadingGroup]:
    return list(
        ReadingGroup.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.OWNER
        ).order_by("name")
    )


def _identifiers(user) -> list[str]:
    """What names the person: username, names, display name, every address."""
    profile = Profile.objects.filter(user=user).first()
    found = {
        user.get_username(),
        user.email,
        user.first_name,
        user.last_name,
        user.get_full_name(),
        profile.display_name if profile else "",
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    # Longest first, so that "Ada Lovelace" is replaced whole before "Ada".
    return sorted((text.strip() for text in found if text and text.strip()), key=len, reverse=True)


def _scrubbed(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(DELETED_NAME, text)


def _scrub(queryset, field: str, pattern: re.Pattern, identifiers: list[str]) -> None:
    """Replace the person's identifiers in ``field`` of the rows that mention one. An
    update, not a save: the audit log refuses a save of a row, rightly, to anyone else."""
    mentions = None
    for identifier in identifiers:
        condition = queryset.filter(**{f"{field}__icontains": identifier})
        mentions = condition if mentions is None else mentions | condition
    if mentions is None:
        return
    for pk, text in mentions.values_list("pk", field):
        queryset.model._base_manager.filter(pk=pk).update(**{field: _scrubbed(text, pattern)})


def _sessions_end(user) -> None:
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")
    for session in Session.objects.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session.session_key).delete()


@transaction.atomic
def account_delete(*, user, keep_comments: bool = False) -> None:
    """Delete ``user``'s account as the module says. Raises AccountDeletionRefused while
    they own a reading group."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    groups = owned_groups(user)
    if groups:
        names = ", ".join(group.name for group in groups)
        raise AccountDeletionRefused(
            {
                "groups": [
                    _(
                        "You own %(groups)s: hand each group over to another member "
                        "before you delete your account."
                    )
                    % {"groups": names}
                ]
            }
        )
    identifiers = _identifiers(user)
    # Whole words only: a username "al" must not eat the "al" of "totally".
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(text)}(?!\w)" for text in identifiers), re.IGNORECASE
    )

    comments = Comment.objects.filter(author=user)
    work_slugs = set(comments.values_list("work__slug", flat=True))
    comments.update(modified_at=timezone.now())
    if not keep_comments:
        comments.filter(deleted_at__isnull=True).update(deleted_at=timezone.now())
        comments.update(body="", body_html="")
        CommentRevision.objects.filter(comment__author=user).update(body="", body_html="")
    Flag.objects.filter(user=user, reason=Flag.Reason.OTHER).update(note=REMOVED_NOTE)
    Flag.objects.filter(user=user).exclude(reason=Flag.Reason.OTHER).update(note="")

    erase_member_data(user)  # what other wings keep of them (notifications)
    ApiToken.objects.filter(user=user).delete()
    # The API's replay records of their writes (``config.api``'s model, read by name).
    apps.get_model("api", "IdempotencyKey").objects.filter(user=user).delete()
    MemberExport.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    _sessions_end(user)

    # The audit log keeps its events and the sanctions their reasons, without the name.
    # On PostgreSQL a trigger refuses any change to an event; this transaction may erase
    # a name from a reason, and nothing else (migration 0012).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL scholia.erasure = 'on'")
    _scrub(ModerationEvent.objects.all(), "reason", pattern, identifiers)
    _scrub(Sanction.objects.all(), "reason", pattern, identifiers)
    _scrub(LogEntry.objects.all(), "object_repr", pattern, identifiers)
    _scrub(LogEntry.objects.all(), "change_message", pattern, identifiers)

    Profile.objects.update_or_create(
        user=user, defaults={"display_name": DELETED_NAME, "affiliation": "", "bio": ""}
    )
    user.username = deleted_username(user.pk)
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    transaction.on_commit(cache.people_renamed)
    for slug in work_slugs:
        transaction.on_commit(partial(cache.comments_counted, slug))
    send_after_commit(account_deleted, user_id=user.pk)
