"""The reading page of a signed-in reader: the page every reader shares, rendered once and
kept in the cache, with the reader's own places filled in (``edition.pages.shared_page``).
Nobody ever gets another reader's part.

alice holds a comment for the moderators, which only she may count; bob reads signed in
too. olga leads the Tuesday seminar, gus is in it and wrote the canary there; nina is
outside it.
"""

import re

import pytest
from django.core.cache import caches

from commentary.models import Comment
from edition.pages import shared_page
from edition.services import version_publish
from tests.commentary.builders import client_for, make_user, post, set_status
from tests.commentary.group_people import CANARY, group_post, make_seminar
from tests.edition.builders import build_version, heading, para

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"
HELD = "Held back for the moderators."
# Session and user with roles, the work, the reader's layers, their own held comments, the
# follow button; what every reader shares comes from the cache.
SIGNED_IN_QUERIES = 6


def toggle(html: str, key: str = "p3") -> str:
    return re.search(rf'<a class="comment-toggle[^>]*data-discussion-toggle="{key}"[^>]*>', html)[0]


def account(html: str) -> str:
    return re.search(r'<nav class="account-nav".*?</nav>', html, re.S)[0]


@pytest.fixture
def renders(monkeypatch):
    """The shared pages rendered during the test (not served from the cache)."""
    made = []
    real = shared_page._shared_html

    def counted(request, context):
        made.append(context["layer_query"])
        return real(request, context)

    monkeypatch.setattr(shared_page, "_shared_html", counted)
    return made


@pytest.fixture
def held(work, alice):
    return set_status(post(alice, work, body=HELD), Comment.Status.PENDING)


def stored_page(work, layer_query: str = "") -> str:
    name = shared_page.page_name(work.current_version, layer_query, "http")
    return caches["default"].get(name)[1]


def test_it_renders_the_shared_page_once_for_every_signed_in_reader(work, alice, bob, renders):
    for reader in (alice, bob, alice):
        response = client_for(reader).get(READING)
        assert response.status_code == 200

    assert renders == [""]


def test_two_readers_never_see_each_others_part(work, alice, bob, held):
    bobs_client, alices_client = client_for(bob), client_for(alice)

    first = bobs_client.get(READING).content.decode()
    alices = alices_client.get(READING).content.decode()
    then = bobs_client.get(READING).content.decode()

    assert 'data-count="1"' in toggle(alices)
    assert ">alice</a>" in account(alices)
    for bobs in (first, then):
        assert 'data-count="0"' in toggle(bobs)
        assert ">bob</a>" in account(bobs)
        assert "alice" not in bobs
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1] for page in (alices, then)
    ]
    assert tokens[0] != tokens[1]


def test_the_stored_page_holds_nothing_of_any_reader(work, alice, held):
    client_for(alice).get(READING)

    page = stored_page(work)
    assert "alice" not in page
    assert "csrfmiddlewaretoken" not in page
    assert "<!--personal:account-->" in page
    assert "<!--comment-count:p3-->" in page


def test_it_serves_the_same_page_as_the_whole_render(work, alice, held, monkeypatch):
    client = client_for(alice)
    client.get(READING)  # the shared page is now in the cache
    shared = client.get(READING).content.decode()
    monkeypatch.setattr(shared_page, "applies", lambda *args: False)
    monkeypatch.setattr(shared_page, "kept_under", lambda read: (None, {}))  # nothing kept
    whole = client.get(READING).content.decode()

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", shared) == token.sub("", whole)


def test_an_outsider_signed_in_sees_nothing_of_a_group_comment(work, renders):
    group, _olga, gus = make_seminar(work)
    group_post(gus, work, group)
    nina = make_user("nina")
    members_client, outsiders_client = client_for(gus), client_for(nina)

    members_layer = members_client.get(f"{READING}?group={group.slug}").content.decode()
    members_public = members_client.get(READING).content.decode()
    outsiders = outsiders_client.get(READING).content.decode()

    assert 'data-layer-count="1"' in toggle(members_layer)
    assert group.name in members_public  # the layer switch, for a member
    assert CANARY not in outsiders
    assert group.name not in outsiders
    assert group.slug not in outsiders
    assert "data-layer-count" not in outsiders
    assert 'data-count="0"' in toggle(outsiders)
    assert outsiders_client.get(f"{READING}?group={group.slug}").status_code == 404
    assert sorted(renders) == ["", f"group={group.slug}"]


def test_a_member_who_left_loses_the_layer_at_once(work, renders):
    group, _olga, gus = make_seminar(work)
    group_post(gus, work, group)
    client = client_for(gus)
    assert client.get(f"{READING}?group={group.slug}").status_code == 200

    group.memberships.filter(user=gus).delete()

    assert client.get(f"{READING}?group={group.slug}").status_code == 404
    assert group.name not in client.get(READING).content.decode()


def test_a_newly_published_version_shows_at_once_to_signed_in_readers(
    work, alice, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    client.get(READING)
    client.get(READING)  # and the reader's part is kept
    draft = build_version(
        work,
        [heading("Chapter One", key="p1"), para("Reworded for everybody.", key="p2")],
        publish=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        version_publish(version=draft)

    assert "Reworded for everybody." in client.get(READING).content.decode()


def test_staff_and_an_open_discussion_get_the_whole_page(work, alice, renders):
    editor = make_user("editor")
    editor.is_staff = True
    editor.save()

    assert "Upload a revision" in client_for(editor).get(READING).content.decode()
    opened = client_for(alice).get(f"{READING}?discussion=p3").content.decode()
    assert 'id="discussion-panel"' in opened
    assert renders == []


def test_the_signed_in_reading_page_costs_a_few_queries(
    work, alice, held, django_assert_max_num_queries
):
    client = client_for(alice)
    client.get(READING)
    with django_assert_max_num_queries(SIGNED_IN_QUERIES):
        response = client.get(READING)
    assert 'data-count="1"' in toggle(response.content.decode())
