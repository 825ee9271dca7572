"""A published version never changes when a later one is published.

Version 2 merges, splits, moves and removes paragraphs of version 1; version 3 goes back to
the first text (which restores what version 2 merged away and removed); version 4 edits it
again. Everything a reader sees of version 2 — its text with its counts, each paragraph's
discussion, the comments it lists under passages gone, the API's version and its comments
read on version 2 with their anchors — is the same before and after.
"""

import re

import pytest

from tests.commentary.builders import client_for, make_user
from tests.commentary.revised_by_import import revised_by_import
from tests.edition.revision_texts import D, E, F, G, first_text, original, para, publish

pytestmark = pytest.mark.django_db


def between(html: str, start: str, end: str) -> str:
    at = html.index(start)
    return html[at : html.index(end, at)]


def seen_on_version_2(reader, keys: list[str], comment_ids: list[int]) -> dict:
    """What a reader and an API client see of version 2 (what may legitimately change, the
    version switcher and the paragraphs' history across versions, left out)."""
    pages, api = client_for(reader), client_for()
    seen: dict = {}
    reading = pages.get("/works/october-1917/v/2/").content.decode()
    seen["reading"] = between(reading, '<article class="text"', '<aside class="discussion-panel"')
    for key in keys:
        panel = pages.get(f"/works/october-1917/v/2/?discussion={key}", follow=True)
        # A passage version 2 does not hold has no discussion of its own there: its address
        # leads to the text, the same before and after.
        seen[f"panel {key}"] = between(
            panel.content.decode(), '<aside class="discussion-panel"', "</aside>"
        )
        page = pages.get(f"/works/october-1917/v/2/p/{key}/")
        if page.status_code == 200:  # the pages of the paragraphs version 2 holds
            html = page.content.decode()
            seen[f"passage {key}"] = between(html, '<blockquote class="passage', "</blockquote>")
            seen[f"discussion {key}"] = html[html.index('<section class="discussion') :]
        listed = api.get(f"/api/v1/comments/?work=october-1917&version=2&paragraph={key}")
        seen[f"api comments {key}"] = listed.json()
    version = api.get("/api/v1/works/october-1917/versions/2/").json()
    del version["is_current"]  # it was, and is no longer
    seen["api version"] = version
    seen["api comments"] = api.get("/api/v1/comments/?work=october-1917&version=2").json()
    for pk in comment_ids:
        thread = api.get(f"/api/v1/comments/{pk}/thread/?version=2")
        seen[f"api thread {pk}"] = thread.json()
    return {name: same_version_2(value) for name, value in seen.items()}


def same_version_2(html):
    """The page with what legitimately differs between two renderings of version 2 made
    equal: the form's CSRF token, and the addresses of version 2 itself, which are the
    work's own while it is the current version and its pinned ones after."""
    if not isinstance(html, str):
        return html
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = html.replace('<input type="hidden" name="version" value="2">', "")
    html = html.replace("/works/october-1917/v/2/", "/works/october-1917/")
    html = re.sub(r"(\?|&amp;|&)version=2\b", "", html)
    return html


def test_it_shows_version_2_the_same_after_versions_3_and_4_are_published():
    alice, bob = make_user("alice"), make_user("bob")
    revised = revised_by_import(alice, bob)
    work, v2, (c, d, f, g) = revised.work, revised.v2, (revised.keys[k] for k in "cdfg")
    statuses = dict(v2.changes.values_list("paragraph__key", "status"))
    assert {statuses[c], statuses[g], statuses[f]} == {"merged", "removed", "moved"}
    assert "split" in statuses.values()
    keys_v2 = list(v2.entries.order_by("position").values_list("paragraph__key", flat=True))
    keys = [*keys_v2, c, g]
    ids = [comment.pk for comment in revised.comments.values()]
    before = seen_on_version_2(bob, keys, ids)
    assert "On learning." in before[f"panel {d}"]  # C's comments are shown under D

    publish(work, original())  # version 3: the first text again, C and G restored
    publish(work, [*first_text(), para(D + " Indeed."), para(E), para(F), para(G)])

    after = seen_on_version_2(bob, keys, ids)
    assert after.keys() == before.keys()
    changed = {
        name: difference(before[name], after[name])
        for name in before
        if after[name] != before[name]
    }
    assert changed == {}


def difference(before, after) -> list[str]:
    """The lines that differ, for a readable failure."""
    import difflib

    if not isinstance(before, str):
        before, after = repr(before), repr(after)
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line[:400] for line in lines][:12]
