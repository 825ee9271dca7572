"""Each comment read on a version says its state there, the version it was written on and the
paragraph it shows under: in the list, one comment and its thread (``version=N``)."""

import pytest

from tests.api.comment_fixtures import COMMENTS, client_for, comment_url
from tests.commentary.builders import make_user
from tests.commentary.revised_by_import import revised_by_import

pytestmark = pytest.mark.django_db

WORK = "october-1917"


@pytest.fixture
def revised():
    return revised_by_import(make_user("alice"), make_user("bob"))


def anchors_on(number: int, **params) -> dict[str, dict]:
    response = client_for().get(COMMENTS, {"work": WORK, "version": number, **params})
    assert response.status_code == 200, response.content
    return {comment["body"]: comment["anchor"] for comment in response.json()["results"]}


def test_it_says_how_each_comment_stands_on_the_version_read(revised):
    keys = revised.keys

    on_v2 = anchors_on(2)

    expected = {
        "On Lenin.": ("current", keys["a"]),
        "On hindsight.": ("split", keys["b"]),
        "On Stalin.": ("split", keys["b"]),
        "On learning.": ("merged", keys["d"]),
        "On the peasants.": ("merged", keys["d"]),
        "A reply on learning.": ("merged", keys["d"]),
        "On the West.": ("earlier_wording", keys["d"]),
        "On Thermidor.": ("moved", keys["f"]),
        "On autocracy.": ("paragraph_removed", None),
    }
    assert {body: (a["state"], a["shown_under"]) for body, a in on_v2.items()} == expected
    assert {anchor["written_on"] for anchor in on_v2.values()} == {1}


def test_a_comment_on_a_merged_away_paragraph_says_merged_with_its_quote_found(revised):
    learning = revised.comments["On learning."]

    anchor = client_for().get(comment_url(learning.pk), {"version": 2}).json()["anchor"]

    text_v2 = revised.v2.entries.get(paragraph__key=revised.keys["d"]).revision.text
    assert anchor["state"] == "merged"
    assert (anchor["written_on"], anchor["shown_under"]) == (1, revised.keys["d"])
    assert anchor["quote_state"] == "exact"
    assert text_v2[anchor["start"] : anchor["end"]] == "quickly learned"


def test_a_moved_paragraphs_comment_keeps_its_wording(revised):
    thermidor = revised.comments["On Thermidor."]

    anchor = client_for().get(comment_url(thermidor.pk), {"version": 2}).json()["anchor"]

    assert (anchor["state"], anchor["same_wording"]) == ("moved", True)


def test_a_thread_read_on_a_version_says_the_state_of_every_comment(revised):
    reply = revised.comments["A reply on learning."]

    thread = client_for().get(comment_url(reply.pk, "thread/"), {"version": 2}).json()

    assert thread["anchor"]["state"] == "merged"
    assert thread["anchor"]["shown_under"] == revised.keys["d"]
    assert thread["replies"][0]["anchor"]["state"] == "merged"


def test_a_removed_paragraphs_comment_shows_under_none(revised):
    anchor = anchors_on(2)["On autocracy."]

    assert (anchor["shown_under"], anchor["quote_state"], anchor["start"]) == (None, "lost", None)


def test_a_paragraph_read_on_a_version_lists_what_it_shows_with_each_state(revised):
    on_d = anchors_on(2, paragraph=revised.keys["d"])

    assert {body: anchor["state"] for body, anchor in on_d.items()} == {
        "On learning.": "merged",
        "On the peasants.": "merged",
        "A reply on learning.": "merged",
        "On the West.": "earlier_wording",
    }
