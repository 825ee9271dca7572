"""The cluster's data: the seed chapter (published) with a few hundred comments, its second
version imported as a draft for the editor to publish through one app server, and the
people the checks act as. Prints one JSON line of what the checks need.

- ``reader``: a member with a password (the checks sign in through the form) and a session;
- ``limited``: a member with an API token, whose posting the rate limit counts;
- ``writer``: staff (exempt from rate limits), with a token, who writes the load's comments;
- ``editor``: staff, with a session, who publishes the draft.

Run inside Django: ``manage.py shell -c "from bench.cluster.seed import main; main()"``.
"""

import json

READER_PASSWORD = "cluster-reader-password"
COMMENTS = 300


def _member(username: str, *, staff: bool = False, password: str | None = None):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", password, is_staff=staff
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def main() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    from commentary.accounts.tokens import token_create
    from commentary.services import comment_create
    from edition.models import VersionParagraph
    from edition.seed import SEED_SLUG, seed_import

    work = seed_import()
    reader = _member("reader", password=READER_PASSWORD)
    limited = _member("limited")
    writer = _member("writer", staff=True)
    editor = _member("editor", staff=True)
    # Not `limited`: the rate-limit check counts its posts from none.
    voices = [reader, writer] + [_member(f"voice{n}") for n in range(5)]
    keys = list(
        VersionParagraph.objects.filter(version=work.current_version)
        .exclude(revision__kind="heading")
        .order_by("position")
        .values_list("paragraph__key", flat=True)
    )
    paragraphs = {p.key: p for p in work.paragraphs.filter(key__in=keys)}
    with override_settings(SCHOLIA_COMMENT_RATE=f"{COMMENTS}/60"):
        for n in range(COMMENTS):
            comment_create(
                author=voices[n % len(voices)],
                paragraph=paragraphs[keys[n % len(keys)]],
                body=f"Seed comment {n}: a remark on this passage.",
            )
    call_command(
        "import_text",
        SEED_SLUG,
        str(settings.BASE_DIR / "fixtures" / "october-1917-chapter-one-v2.txt"),
        "--note",
        "The second version, published by the cluster test.",
    )
    print(
        json.dumps(
            {
                "work": SEED_SLUG,
                "reading_path": f"/works/{SEED_SLUG}/",
                "paragraph": keys[0],
                "draft": work.current_version.number + 1,
                "reader": {"username": "reader", "password": READER_PASSWORD},
                "reader_cookie": _session_cookie(reader),
                "editor_cookie": _session_cookie(editor),
                "writer_token": token_create(
                    user=writer, name="cluster load", scopes=["read", "write"]
                )[1],
                "limited_token": token_create(
                    user=limited, name="cluster rate", scopes=["read", "write"]
                )[1],
            }
        )
    )
