"""Stable citation: a paragraph's address resolves on every version, a version can be pinned,
and the citation names the work, the key and the version."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from edition.models import Work
from tests.edition.builders import build_version, build_work, merge, para
from tests.edition.test_pages import find_all, page, text_of

pytestmark = pytest.mark.django_db

FIRST = "The aim of this chapter is certainly not to denigrate this first socialist project."
SECOND = "The aim of this chapter is surely not to denigrate this first socialist project."
OTHER = "However, neither is the objective of this study a nostalgic looking back."


@pytest.fixture
def work() -> Work:
    """p1 reworded in version 2 and gone from version 3; p2 in every version."""
    work = build_work()
    build_version(work, [para(FIRST), para(OTHER)])
    build_version(work, [para(SECOND, key="p1"), para(OTHER, key="p2")])
    build_version(work, [para(OTHER, key="p2")])
    return work


def citation(html) -> str:
    return text_of(find_all(html, "p", class_="cite-text")[0])


def events(html) -> list[str]:
    return [text_of(li) for li in find_all(html, "li", class_="history-event")]


def test_a_paragraph_gone_from_the_current_version_keeps_its_page(client, work):
    html = page(client, "/works/october-1917/p/p1/")

    assert "This passage is no longer in the current version of the text." in text_of(html)
    assert text_of(find_all(html, "blockquote", class_="passage")[0]) == SECOND
    assert events(html) == [
        "Added in version 1.",
        "Reworded in version 2.",
        "Removed in version 3.",
    ]


def test_it_says_where_a_merged_paragraph_went(client, work):
    merge(work.current_version, "p1", "p2")

    html = page(client, "/works/october-1917/p/p1/")

    assert events(html)[-1] == "Merged into ¶ 1 in version 3."
    assert find_all(html, "a", href="/works/october-1917/p/p2/")


def test_it_tells_when_a_removed_paragraph_came_back(client, work):
    build_version(work, [para(FIRST, key="p1"), para(OTHER, key="p2")])

    html = page(client, "/works/october-1917/p/p1/")

    assert events(html)[-2:] == ["Removed in version 3.", "Restored in version 4."]


def test_it_highlights_what_changed_between_wordings(client, work):
    html = page(client, "/works/october-1917/p/p1/")

    items = find_all(html, "li", class_="history-item")
    assert [text_of(node) for node in find_all(items[1], "del")] == ["[removed: certainly ]"]
    assert [text_of(node) for node in find_all(items[1], "ins")] == ["[added: surely ]"]
    assert not find_all(items[0], "del")


def test_the_stable_page_cites_the_version_it_shows(client, work):
    html = page(client, "/works/october-1917/p/p2/")

    assert citation(html).endswith(
        "¶\N{NO-BREAK SPACE}1 [p2], version 3. "
        "Scholia edition, http://testserver/works/october-1917/p/p2/."
    )


def test_a_pinned_address_shows_the_paragraph_as_that_version_has_it(client, work):
    html = page(client, "/works/october-1917/v/1/p/p1/")

    assert text_of(find_all(html, "h1")[0]) == "Paragraph 1 of version 1"
    assert text_of(find_all(html, "blockquote", class_="passage")[0]) == FIRST
    assert citation(html) == (
        "Samir Amin, “October 1917 Revolution: A Century Later,” Chapter One "
        "(Daraja Press, 2017), ¶\N{NO-BREAK SPACE}1 [p1], version 1. "
        "Scholia edition, http://testserver/works/october-1917/v/1/p/p1/."
    )
    assert find_all(html, "a", href="/works/october-1917/v/1/#p1")


def test_a_pinned_address_points_to_a_differently_worded_current_version(client, work):
    build_version(work, [para("Reworded once more.", key="p2")])

    html = page(client, "/works/october-1917/v/3/p/p2/")

    notice = find_all(html, "p", class_="notice")[0]
    assert "The current version (4) words this passage differently" in text_of(notice)
    assert find_all(notice, "a", href="/works/october-1917/p/p2/")


def test_the_history_links_each_version_to_its_pinned_address(client, work):
    html = page(client, "/works/october-1917/p/p2/")

    assert [
        node
        for n in (1, 2, 3)
        for node in find_all(html, "a", href=f"/works/october-1917/v/{n}/p/p2/")
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/works/october-1917/v/3/p/p1/",  # not in that version
        "/works/october-1917/v/9/p/p1/",  # no such version
        "/works/october-1917/v/1/p/p99/",  # no such paragraph
        "/works/nothing/v/1/p/p1/",  # no such work
    ],
)
def test_a_pinned_address_answers_404_for_what_is_not_there(client, work, url):
    assert client.get(url).status_code == 404


@pytest.fixture
def draft(work):
    return build_version(work, [para("Only in the draft.")], publish=False)


def test_a_draft_pinned_address_is_404_for_anonymous_visitors(client, draft):
    assert client.get("/works/october-1917/v/4/p/p3/").status_code == 404


def test_a_draft_pinned_address_is_404_for_readers(client, draft, django_user_model):
    client.force_login(django_user_model.objects.create_user("rosa"))

    assert client.get("/works/october-1917/v/4/p/p3/").status_code == 404


def test_a_draft_pinned_address_shows_to_editors(client, draft, django_user_model):
    client.force_login(django_user_model.objects.create_user("eleanor", is_staff=True))

    html = page(client, "/works/october-1917/v/4/p/p3/")

    assert text_of(find_all(html, "blockquote", class_="passage")[0]) == "Only in the draft."


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["/works/october-1917/p/p1/", "/works/october-1917/v/1/p/p1/"], ids=["stable", "pinned"]
)
def test_the_paragraph_pages_cost_a_fixed_number_of_queries_as_versions_grow(
    client, work, url, django_assert_max_num_queries
):
    # From two versions on, the page also reads how the shown wording differs from others.
    build_version(work, [para("Wording.", key="p1"), para(OTHER, key="p2")])
    caches["default"].clear()
    few = queries_for(client, url)
    for n in range(8):
        build_version(work, [para(f"Wording {n}.", key="p1"), para(OTHER, key="p2")])
    # The builders write around the services, so the cached page has to go by hand.
    caches["default"].clear()

    with django_assert_max_num_queries(few):
        html = page(client, url)
    assert len(find_all(html, "li", class_="history-item")) == 11
