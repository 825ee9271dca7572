"""A signed-in reader's kept page for a browser that takes gzip (every browser): the same
page, compressed with what every reader shares of it compressed once per process
(``edition.pages.shared_page._gzipped``, ``config.site.gzipped``); nobody's own piece is
ever another's.

alice holds a comment for the moderators, which only she may count; bob reads signed in
too. olga leads the Tuesday seminar, gus is in it and wrote the canary there; nina is
outside it.
"""

import gzip
import pickle
import re
import zlib

import pytest

from commentary.models import Comment
from edition.pages import shared_page
from tests.commentary.builders import client_for, make_user, post, set_status
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def held(work, alice):
    return set_status(post(alice, work, body="Held back."), Comment.Status.PENDING)


@pytest.fixture
def runs_made(monkeypatch):
    """How many times what every reader shares of a page was compressed."""
    made = []
    real = shared_page._everybodys_runs

    def counted(*args):
        made.append(1)
        return real(*args)

    monkeypatch.setattr(shared_page, "_everybodys_runs", counted)
    return made


def unzipped(response) -> str:
    """The page of a gzipped answer: one gzip member, nothing after it."""
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) == len(response.content)
    assert response.content[3] & 0x08  # a name of random length, against BREACH
    stream = zlib.decompressobj(wbits=31)
    page = stream.decompress(response.content)
    assert stream.eof and not stream.unused_data
    assert page == gzip.decompress(response.content)
    return page.decode()


def plain(client, url: str = READING) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    return response.content.decode()


def kept(client, url: str = READING):
    """The page kept for the client's reader, asked as a browser asks."""
    client.get(url, headers=GZIP)  # renders and keeps their part
    response = client.get(url, headers=GZIP)
    vary = {name.strip() for name in response["Vary"].split(",")}
    assert {"Accept-Encoding", "Cookie"} <= vary
    return response


@pytest.mark.parametrize("reader", ["alice", "bob"])
def test_a_kept_page_gzipped_is_the_same_page(work, alice, bob, held, reader):
    client = client_for(alice if reader == "alice" else bob)
    page = unzipped(kept(client))
    assert TOKEN.sub("", page) == TOKEN.sub("", plain(client))
    assert f">{reader}</a>" in page
    assert ('data-count="1"' in page) == (reader == "alice")


def test_what_everybody_shares_is_compressed_once(work, alice, bob, held, runs_made):
    bobs, alices = client_for(bob), client_for(alice)
    for client in (alices, bobs):  # each reader's part kept, bob's last: its page is kept
        unzipped(kept(client))
    assert len(runs_made) == 2  # on the page each render kept, for its reader's pieces
    for _ in range(3):
        assert 'data-count="1"' in unzipped(alices.get(READING, headers=GZIP))
        assert 'data-count="1"' not in unzipped(bobs.get(READING, headers=GZIP))
    # Once more, for alice's pieces on the page bob's render kept (her held comment makes a
    # link of the margin hers, so her pieces fall elsewhere than bob's); never again.
    assert len(runs_made) == 3


def test_each_reader_gets_their_own_pieces(work, alice, bob, held):
    alices, bobs = client_for(alice), client_for(bob)
    for _ in range(2):
        alices_page, bobs_page = unzipped(kept(alices)), unzipped(kept(bobs))
        assert ">alice</a>" in alices_page and "alice" not in bobs_page
        assert ">bob</a>" in bobs_page
    tokens = {TOKEN.search(unzipped(kept(alices)))[0] for _ in range(2)}
    assert len(tokens) == 2  # each request its own token


def test_a_group_layer_gzipped_is_the_members_layer_and_nobody_elses(work):
    group, _olga, gus = make_seminar(work)
    group_post(gus, work, group)
    layer = f"{READING}?group={group.slug}"
    members = client_for(gus)
    page = unzipped(kept(members, layer))
    assert TOKEN.sub("", page) == TOKEN.sub("", plain(members, layer))
    assert 'data-layer-count="1"' in page

    nina = client_for(make_user("nina"))
    assert nina.get(layer, headers=GZIP).status_code == 404
    outsiders = unzipped(kept(nina))
    assert CANARY not in outsiders
    assert group.slug not in outsiders
    assert "data-layer-count" not in outsiders


def test_a_new_comment_shows_on_the_next_gzipped_page(
    work, bob, django_capture_on_commit_callbacks
):
    client = client_for(bob)
    assert 'data-count="1"' not in unzipped(kept(client))
    with django_capture_on_commit_callbacks(execute=True):
        set_status(post(bob, work, body="Held back."), Comment.Status.PENDING)
    assert 'data-count="1"' in unzipped(kept(client))


def test_what_this_process_compressed_is_never_stored_with_the_page():
    page = shared_page.PublicPage(
        shared_page._split(
            "<p>a</p><!--personal:account--><p>b</p><!--comment-count:p1--><p>c</p>"
        ),
        {"p1": b"<a>1</a>"},
    )
    mine = page.gzipped({"account": "<b>me</b>"}, {})
    assert gzip.decompress(mine) == b"<p>a</p><b>me</b><p>b</p><a>1</a><p>c</p>"
    assert page.runs

    # As the pages' cache stores it, and as a page stored by an older release reads.
    stored = pickle.loads(pickle.dumps(page))
    assert "_runs" not in stored.__dict__
    assert stored == page
    theirs = stored.gzipped({"account": "<b>you</b>"}, {"p1": b"<a>2</a>"})
    assert gzip.decompress(theirs) == b"<p>a</p><b>you</b><p>b</p><a>2</a><p>c</p>"
