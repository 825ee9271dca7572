"""The Nu HTML Checker over every kind of page: no error.

The checker is npm's ``vnu-jar`` (pinned in package.json, installed by ``npm ci``), run with
the machine's ``java -jar``. Without Java or the jar the test is skipped with the reason,
unless SCHOLIA_REQUIRE_BROWSER=1 (CI) makes that a failure, as for the browser tests.
Pages are rendered by the server as a reader without JavaScript receives them.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from commentary.groups.models import ReadingGroup
from commentary.models import Comment
from edition.models import Work
from edition.seed import BOOK_SLUG, book_import

VNU_JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
READING = "/works/october-1917/"


def checker_command() -> list[str]:
    java = shutil.which("java")
    missing = None
    if java is None:
        missing = "Java not found: apt-get install default-jre-headless"
    elif not VNU_JAR.is_file():
        missing = "vnu.jar not found: run `npm ci` at the top of the project"
    if missing:
        if os.environ.get("SCHOLIA_REQUIRE_BROWSER") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    return [java, "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def client_as(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def pages() -> dict[str, bytes]:
    """Every kind of page, named, as its HTML: the demo's data, seen by each of its people."""
    comment = Comment.objects.filter(group__isnull=True, parent__isnull=True).first()
    key = comment.paragraph.key
    group = ReadingGroup.objects.get()
    found: dict[str, bytes] = {}

    def get(name: str, client: Client, url: str, status: int = 200) -> None:
        response = client.get(url)
        assert response.status_code == status, (name, url, response.status_code)
        found[name] = response.content

    def post(name: str, client: Client, url: str, data: dict, status: int = 400) -> None:
        response = client.post(url, data)
        assert response.status_code == status, (name, url, response.status_code)
        found[name] = response.content

    anonymous = client_as(None)
    get("works", anonymous, "/")
    get("reading", anonymous, READING)
    get("reading, discussion open", anonymous, f"{READING}?discussion={key}")
    get("reading, version 1", anonymous, f"{READING}v/1/")
    get("paragraph", anonymous, f"{READING}p/{key}/")
    get("paragraph in version 1", anonymous, f"{READING}v/1/p/{key}/")
    get("comment permalink", anonymous, f"/comments/{comment.pk}/")
    get("comment history", anonymous, f"/comments/{comment.pk}/history/")
    get("compare", anonymous, f"{READING}compare/1...2/")
    get("profile", anonymous, f"/users/{comment.author.username}/")
    get("sign in", anonymous, "/accounts/login/")
    get("sign up", anonymous, "/accounts/signup/")
    get("password reset", anonymous, "/accounts/password/reset/")
    get("not found", anonymous, "/works/no-such-work/", status=404)
    get("search", anonymous, "/search/?q=revolution+or+Lenin")
    get("search with errors", anonymous, "/search/?q=x&work=no-such-work", status=400)
    get("reading order", anonymous, f"{READING}comments/")
    get("a chapter's comments", anonymous, f"/works/{BOOK_SLUG}/comments/?chapter=chapter-two")
    get(
        "a chapter's search",
        anonymous,
        f"/search/?q=revolution&work={BOOK_SLUG}&chapter=chapter-two",
    )
    get("book's title page", anonymous, f"/works/{BOOK_SLUG}/")
    get("book's chapter", anonymous, f"/works/{BOOK_SLUG}/chapter-two/")
    post("sign up with errors", anonymous, "/accounts/signup/", {"username": ""}, status=200)
    post("sign in with errors", anonymous, "/accounts/login/", {"login": "x"}, status=200)

    reader = client_as("reader")
    get("reading, signed in", reader, f"{READING}?discussion={key}")
    get("reading in the group", reader, f"{READING}?group={group.slug}&discussion={key}")
    book_key = Work.objects.get(slug=BOOK_SLUG).paragraphs.order_by("-ordinal")[0].key
    get(
        "book's chapter, signed in, discussion open",
        reader,
        f"/works/{BOOK_SLUG}/chapter-two/?discussion={book_key}",
    )
    get("own profile", reader, "/users/reader/")
    get("profile settings", reader, "/settings/profile/")
    get("tokens", reader, "/settings/tokens/")
    reader.post("/settings/data/")
    get("own data, with a download", reader, "/settings/data/")
    get("account deletion", reader, "/settings/delete/")
    get("account email", reader, "/accounts/email/")
    get("password change", reader, "/accounts/password/change/")
    get("groups, signed in", reader, "/groups/")
    get("group", reader, f"/groups/{group.slug}/")
    get("group settings", reader, f"/groups/{group.slug}/settings/")
    get("group participation", reader, f"/groups/{group.slug}/participation/")
    get("group comments", reader, f"/groups/{group.slug}/comments/")
    get("new group", reader, "/groups/new/")
    get("reply", reader, f"/comments/{comment.pk}/reply/")
    get("flag", reader, f"/comments/{comment.pk}/flag/")
    post("new group with errors", reader, "/groups/new/", {"name": ""}, status=200)
    post("comment refused", reader, f"{READING}p/{key}/comments/", {"body": " "})
    own = Comment.objects.filter(author__username="reader", group__isnull=True).first()
    get("edit", reader, f"/comments/{own.pk}/edit/")
    get("delete", reader, f"/comments/{own.pk}/delete/")

    moderator = client_as("moderator")
    get("moderation queue", moderator, "/moderation/")
    get("moderation log", moderator, "/moderation/log/")
    post("account deletion refused", moderator, "/settings/delete/", {"password": "wrong"})
    get("member", moderator, "/moderation/members/newcomer/")

    editor = client_as("editor")
    get("upload", editor, f"{READING}revise/")
    post("upload with errors", editor, f"{READING}revise/", {"pasted": "", "format": "auto"})
    # A draft: the demo's second version with three words changed.
    source = (settings.BASE_DIR / "fixtures" / "october-1917-chapter-one-v2.txt").read_text()
    response = editor.post(
        f"{READING}revise/", {"pasted": source.replace(" the ", " thee ", 3), "format": "auto"}
    )
    assert response.status_code == 302, response.status_code
    get("review", editor, response["Location"])
    return found


def test_every_kind_of_page_is_valid_html(transactional_db, tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    command = checker_command()
    call_command("load_demo", verbosity=0)
    book_import(chapters=2)
    names = {}
    for number, (name, html) in enumerate(pages().items()):
        path = tmp_path / f"page-{number:02}.html"
        path.write_bytes(html)
        names[path.name] = name
    result = subprocess.run(
        [*command, *sorted(str(path) for path in tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{names[Path(m['url']).name]}:{m.get('lastLine')}: {m['message']}"
        f" [{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m["type"] == "error"
    ]
    assert len(names) >= 40
    assert errors == [], "\n".join(errors)
