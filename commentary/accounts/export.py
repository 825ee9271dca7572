"""A member's own data, to take away: as JSON and as Markdown.

It holds their profile and addresses, every comment they wrote (deleted ones included,
each with its earlier wordings), the flags they raised, their reading groups, the decisions
they were told of and their API tokens (names and prefixes; a key is never stored). Nothing
of anybody else's is in it: no other member's comment, nor which moderator decided.

``export_request`` makes a ``MemberExport``. An account of up to
``SCHOLIA_EXPORT_INLINE_COMMENTS`` comments is written at once, in the request; a larger
one is written by a background task (``member_export_build``), and its page says so until
it is ready. The files are read back from the row; they are the member's only.
"""

import json
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from commentary.accounts.member_data import exported
from commentary.accounts.models import ApiToken, MemberExport, Profile
from commentary.groups.models import Membership
from commentary.models import Comment, display_name_of
from commentary.moderation.models import Flag
from config.request_log import current_request_id, request_id_bound

try:  # Django 6 has the Tasks framework built in; on 5.2 the django-tasks backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task

FORMAT_VERSION = 1


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def member_data(user) -> dict:
    """Everything ``user`` put into the site or was told by it, as plain values."""
    profile = Profile.objects.filter(user=user).first()
    comments = (
        Comment.objects.filter(author=user)
        .select_related("work", "paragraph", "version", "group")
        .prefetch_related("revisions")
        .order_by("pk")
    )
    return {
        "format": FORMAT_VERSION,
        "exported_at": _moment(timezone.now()),
        "profile": {
            "username": user.get_username(),
            "display_name": profile.display_name if profile else "",
            "affiliation": profile.affiliation if profile else "",
            "bio": profile.bio if profile else "",
            "joined": _moment(user.date_joined),
            "last_sign_in": _moment(user.last_login),
            "email_addresses": [
                {"email": address.email, "primary": address.primary, "verified": address.verified}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
        },
        "comments": [
            {
                "id": comment.pk,
                "url": comment.get_absolute_url(),
                "work": comment.work.slug,
                "paragraph": comment.paragraph.key,
                "version": comment.version.number,
                "parent": comment.parent_id,
                "group": comment.group.slug if comment.group else None,
                "status": comment.status,
                "created": _moment(comment.created_at),
                "edited": _moment(comment.edited_at),
                "deleted": _moment(comment.deleted_at),
                "quote": comment.quote_exact or None,
                "body": comment.body,
                "earlier_wordings": [
                    {
                        "body": revision.body,
                        "written": _moment(revision.written_at),
                        "replaced": _moment(revision.replaced_at),
                    }
                    for revision in comment.revisions.all()
                ],
            }
            for comment in comments
        ],
        "flags": [
            {
                "comment": flag.comment_id,
                "reason": flag.reason,
                "note": flag.note,
                "created": _moment(flag.created_at),
                "reviewed": _moment(flag.reviewed_at),
            }
            for flag in Flag.objects.filter(user=user).order_by("pk")
        ],
        "groups": [
            {
                "slug": membership.group.slug,
                "name": membership.group.name,
                "role": membership.role,
                "joined": _moment(membership.joined_at),
            }
            for membership in Membership.objects.filter(user=user)
            .select_related("group")
            .order_by("pk")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created": _moment(token.created_at),
                "scopes": token.scope_list,
                "expires": _moment(token.expires_at),
                "last_used": token.last_used_on.isoformat() if token.last_used_on else None,
                "revoked": _moment(token.revoked_at),
            }
            for token in ApiToken.objects.filter(user=user).order_by("pk")
        ],
        # What the other wings keep of the member ("notifications": the decisions they
        # were told of), as each registered it.
        **exported(user),
    }


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines()) or ">"


def member_markdown(data: dict, *, name: str) -> str:
    """The same data as a Markdown document a person can read."""
    profile = data["profile"]
    lines = [
        f"# Your data on Scholia: {name}",
        "",
        f"Exported {data['exported_at']}.",
        "",
        "## Profile",
        "",
        f"- Username: {profile['username']}",
        f"- Display name: {profile['display_name'] or '(none)'}",
        f"- Affiliation: {profile['affiliation'] or '(none)'}",
        f"- Joined: {profile['joined']}",
        f"- Last sign-in: {profile['last_sign_in'] or '(never)'}",
    ]
    for address in profile["email_addresses"]:
        marks = [
            w
            for w, on in (("primary", address["primary"]), ("verified", address["verified"]))
            if on
        ]
        lines.append(f"- Email: {address['email']}" + (f" ({', '.join(marks)})" if marks else ""))
    if profile["bio"]:
        lines += ["", "Bio:", "", _quoted(profile["bio"])]
    lines += ["", f"## Comments ({len(data['comments'])})", ""]
    for comment in data["comments"]:
        where = f"{comment['work']}, paragraph {comment['paragraph']}, version {comment['version']}"
        if comment["group"]:
            where += f", group {comment['group']}"
        lines += [f"### Comment {comment['id']} ({where})", ""]
        lines.append(f"Written {comment['created']}; {comment['status']}.")
        if comment["parent"]:
            lines.append(f"A reply to comment {comment['parent']}.")
        if comment["edited"]:
            lines.append(f"Edited {comment['edited']}.")
        if comment["deleted"]:
            lines.append(f"Deleted {comment['deleted']}.")
        if comment["quote"]:
            lines += ["", "Quoting:", "", _quoted(comment["quote"])]
        lines += ["", comment["body"], ""]
        for wording in comment["earlier_wordings"]:
            lines += [
                f"Earlier wording (written {wording['written']}):",
                "",
                _quoted(wording["body"]),
                "",
            ]
    lines += ["## Flags you raised", ""]
    lines += [
        f"- On comment {flag['comment']}: {flag['reason']}"
        + (f" ({flag['note']})" if flag["note"] else "")
        + f", {flag['created']}"
        for flag in data["flags"]
    ] or ["None."]
    lines += ["", "## Reading groups", ""]
    lines += [
        f"- {group['name']} ({group['slug']}): {group['role']} since {group['joined']}"
        for group in data["groups"]
    ] or ["None."]
    lines += ["", "## What you were told", ""]
    lines += [
        f"- Comment {told['comment']}: {told['decision'] or told['kind']}, {told['created']}"
        + (f". Reason: {told['reason']}" if told["reason"] else "")
        for told in data.get("notifications", [])
    ] or ["None."]
    lines += ["", "## API tokens", ""]
    lines += [
        f"- {token['name']} ({token['prefix']}…), created {token['created']}"
        + (f", revoked {token['revoked']}" if token["revoked"] else "")
        for token in data["api_tokens"]
    ] or ["None."]
    return "\n".join(lines) + "\n"


def inline_limit() -> int:
    return settings.SCHOLIA_EXPORT_INLINE_COMMENTS


def export_build(export: MemberExport) -> MemberExport:
    """Write ``export``'s files from the member's data as it is now."""
    user = export.user
    data = member_data(user)
    export.json = json.dumps(data, ensure_ascii=False, indent=2)
    export.markdown = member_markdown(data, name=display_name_of(user))
    export.comment_count = len(data["comments"])
    export.status = MemberExport.Status.READY
    export.finished_at = timezone.now()
    export.save()
    return export


@transaction.atomic
def export_request(*, user) -> MemberExport:
    """A new export of ``user``'s data: ready at once for a small account; for a larger
    one, pending until the background task has written it."""
    export = MemberExport.objects.create(user=user)
    if Comment.objects.filter(author=user).count() <= inline_limit():
        return export_build(export)
    transaction.on_commit(
        partial(member_export_build.enqueue, export.pk, request_id=current_request_id()),
        robust=True,
    )
    return export


@task()
def member_export_build(export_id: int, request_id: str = "") -> bool:
    """Write export ``export_id`` if it is still pending (a task run twice writes once)."""
    with request_id_bound(request_id), transaction.atomic():
        export = (
            MemberExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id, status=MemberExport.Status.PENDING)
            .first()
        )
        if export is None:
            return False
        try:
            with transaction.atomic():
                export_build(export)
        except Exception:
            # The page says so, instead of "being prepared" for ever; the task is failed.
            MemberExport.objects.filter(pk=export_id).update(status=MemberExport.Status.FAILED)
            raise
        return True
