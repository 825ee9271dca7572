"""Filling a kept reading page (``edition.pages.shared_page``): split once at its slots and
kept encoded, with the margin's links made once for all the requests that show the same
numbers (``edition.rendering.count_links``), it comes out byte for byte as searching the
page for its slots at each request wrote it (``fill_count_slots``, then the reader's
parts in the personal slots)."""

import re

import pytest

from edition import rendering
from edition.pages.shared_page import Margin, PublicPage, SharedText
from edition.rendering import RenderedText, fill_count_slots

PAGE = (
    "<header><!--personal:account--></header>¶ <!--personal:messages--><!--personal:layers-->"
    "<p id=p1>Текст…</p><!--comment-count:p1-->"
    "<p id=p2>Two</p><!--comment-count:p2-->"
    "<p id=p3>Three</p><!--comment-count:p3-->"
    "<p id=p4>Four</p><!--comment-count:p4-->"
    "<!--personal:follow--><!--personal:gone--></footer>"
)
IDS = {"p1": 11, "p2": 12, "p3": 13, "p4": 14}
# Escaped already, as ``rendered_text`` keeps them.
LABELS = {"p1": "¶ 1", "p2": "&lt;b&gt; &amp; “2”", "p3": "¶ 3", "p4": "¶ 4"}
PARTS = {
    "account": '<a href="/accounts/">Ольга & co</a>',
    "messages": "",
    "layers": "<select><option>Tuesday</option></select>",
    "follow": '<form><input name="csrfmiddlewaretoken" value="t0ken"></form>',
    "gone": "<p>gone…</p>",
}
FILL = {
    "permalink_prefix": "/works/october-1917/p/",
    "reading_path": "/works/october-1917/",
    "query": "?version=2",
}
LAYER = {"layer_name": 'Tuesday <seminar> & "friends"', "layer_query": "group=tuesday&x=1"}
# p1 has no comment at all, p2 public ones, p3 the layer's, p4 one waiting for the reader.
COUNTS = {12: 3, 13: 1}
LAYER_COUNTS = {13: 2}
WAITING = {14: 1}


def by_substitution(margin: Margin, fill: dict) -> bytes:
    """The page as the slots were filled before: one search for the margin's, another for
    the personal ones."""
    with_counts = fill_count_slots(
        RenderedText(PAGE, [], IDS, LABELS),
        margin.counts,
        layer_counts=margin.layer_counts,
        layer_waiting=margin.layer_waiting,
        **fill,
    )
    return re.sub(r"<!--personal:(\w+)-->", lambda match: PARTS[match[1]], with_counts).encode()


@pytest.fixture(autouse=True)
def nothing_made(monkeypatch):
    monkeypatch.setattr(rendering, "_links_made", {})


@pytest.mark.parametrize(
    ("margin", "fill"),
    [
        (Margin(COUNTS), FILL),
        (Margin(COUNTS, LAYER_COUNTS, WAITING), {**FILL, **LAYER}),
        (Margin({}, {}, {}), {**FILL, **LAYER}),
    ],
    ids=["public", "layer", "layer, nothing yet"],
)
def test_a_kept_page_is_filled_as_the_slots_were_substituted(margin, fill):
    expected = by_substitution(margin, fill)
    rendering._links_made.clear()
    text = SharedText.of(PAGE, IDS, LABELS, fill)

    made = text.filled(margin, PARTS)
    again = text.filled(margin, PARTS)  # its links now made before

    assert made == again == expected
    assert b'data-count="0"' in made
    assert b"&lt;b&gt; &amp; \xe2\x80\x9c2\xe2\x80\x9d" in made
    if margin.layer_waiting:
        assert b'data-layer-waiting="1"' in made


def test_the_page_with_everybodys_counts_takes_a_readers_own_links():
    text = SharedText.of(PAGE, IDS, LABELS, FILL)
    public = PublicPage(text.pieces, text.links(COUNTS, text.keys()))
    own = {12: 4, 13: 1}

    joined = public.joined(PARTS, text.links(own, ["p2"]))

    assert joined == by_substitution(Margin(own), FILL)


def test_a_link_made_before_serves_only_the_same_passage_layer_and_numbers():
    layered = {**FILL, **LAYER}
    text = SharedText.of(PAGE, IDS, LABELS, layered)
    text.filled(Margin(COUNTS, LAYER_COUNTS, WAITING), PARTS)

    other_layer = SharedText.of(PAGE, IDS, LABELS, {**layered, "layer_name": "Wednesday"})
    relabelled = SharedText.of(PAGE, IDS, {**LABELS, "p3": "¶ 30"}, layered)
    margin = Margin(COUNTS, LAYER_COUNTS, WAITING)

    assert b"Wednesday" in other_layer.filled(margin, PARTS)
    assert b"seminar" not in other_layer.filled(margin, PARTS)
    assert b"\xc2\xb6 30" in relabelled.filled(margin, PARTS)
    assert b'data-count="4"' in text.filled(Margin({13: 4}, LAYER_COUNTS, WAITING), PARTS)


def test_the_links_made_are_bounded(monkeypatch):
    monkeypatch.setattr(rendering, "_LINKS_KEPT", 3)
    text = SharedText.of(PAGE, IDS, LABELS, FILL)

    text.filled(Margin(COUNTS), PARTS)

    assert len(rendering._links_made) <= 3
