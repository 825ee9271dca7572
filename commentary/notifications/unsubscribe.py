"""One-click unsubscribe (RFC 8058) for every mail the notifications wing sends.

A mail names a signed address that stops mail of its kind (or of every kind) for its
recipient. ``List-Unsubscribe`` carries it and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` says a POST to it suffices: a mail client POSTs with no
session and no CSRF token, and gets 200. A GET only shows a confirmation page, because
link scanners fetch every address in a mail.
"""

from django.core import signing
from django.urls import reverse

from commentary.notifications.models import Frequency, Kind
from commentary.notifications.preferences import preferences_update

SALT = "scholia.notifications.unsubscribe"
EVERY_KIND = "all"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"user": user_id, "kind": kind}, salt=SALT, compress=True)


def unsubscribe_url(user_id: int, kind: str, origin: str) -> str:
    token = unsubscribe_token(user_id, kind)
    return origin + reverse("notifications:unsubscribe", kwargs={"token": token})


def unsubscribe_headers(user_id: int, kind: str, origin: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id, kind, origin)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, kind or ``EVERY_KIND``) a token names; None for a token not ours."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    kind = data.get("kind") if isinstance(data, dict) else None
    user_id = data.get("user") if isinstance(data, dict) else None
    if not isinstance(user_id, int) or kind not in (*Kind.values, EVERY_KIND):
        return None
    return user_id, kind


def unsubscribe(*, user, kind: str) -> dict[str, str]:
    """No more mail of ``kind`` (or of any kind) for ``user``."""
    kinds = Kind.values if kind == EVERY_KIND else [kind]
    return preferences_update(user=user, frequencies=dict.fromkeys(kinds, Frequency.NEVER))
