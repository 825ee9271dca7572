"""A paragraph's page tells what each published version did to it, as the version's import
recorded it: split from or into, moved, merged, removed and restored."""

import pytest

from edition.importer import Block
from edition.models import Work
from edition.services import version_import, version_publish
from tests.edition.test_pages import find_all, page, text_of

pytestmark = pytest.mark.django_db

A = "Lenin, along with the Bolshevik leaders, shaped the history of the October revolution."
B = "The imperialist West could not tolerate the very existence of the Soviet Union at all."
SHORT = "Then Stalin did too."


def publish(work: Work, *texts: str) -> None:
    blocks = [Block("paragraph", None, text) for text in texts]
    version_publish(version=version_import(work=work, blocks=blocks).version)


@pytest.fixture
def work() -> Work:
    """v2 splits p3 off p1; v3 moves p2 to the top; v4 removes p1; v5 restores it."""
    work = Work.objects.create(slug="events", title="Events")
    publish(work, f"{A} {SHORT}", B)
    publish(work, A, SHORT, B)
    publish(work, B, A, SHORT)
    publish(work, B, SHORT)
    publish(work, B, A, SHORT)
    return work


def events(client, key: str) -> list[str]:
    html = page(client, f"/works/events/p/{key}/")
    return [text_of(li) for li in find_all(html, "li", class_="history-event")]


def test_it_says_what_was_split_off_a_paragraph_and_when_it_came_back(client, work):
    assert events(client, "p1") == [
        "Added in version 1.",
        "Reworded in version 2.",
        "A part of it became ¶ 2 in version 2.",
        "Removed in version 4.",
        "Restored in version 5.",
    ]


def test_it_says_where_a_split_off_paragraph_came_from(client, work):
    assert events(client, "p3")[0] == "Split off from ¶ 1 in version 2."
    html = page(client, "/works/events/p/p3/")
    assert find_all(html, "a", href="/works/events/p/p1/")


def test_it_says_where_a_moved_paragraph_was_and_went(client, work):
    assert events(client, "p2") == ["Added in version 1.", "Moved from ¶ 3 to ¶ 1 in version 3."]


def test_it_says_where_a_merged_paragraph_went_and_what_came_in(client, work):
    publish(work, f"{B} {A}", SHORT)

    assert events(client, "p1")[-1] == "Merged into ¶ 1 in version 6."
    assert events(client, "p2")[-2:] == [
        "Reworded in version 6.",
        "¶ 2 on v5 was merged into it in version 6.",
    ]


def test_the_version_page_links_the_passages_it_removed(client, work):
    html = page(client, "/works/events/v/4/")

    [section] = find_all(html, "section", class_="passages-removed")
    assert "¶ 2 on v3" in text_of(section)
    assert "p1" not in text_of(section)
    assert find_all(section, "a", href="/works/events/p/p1/")


def test_the_version_page_says_where_a_merged_passage_went(client, work):
    publish(work, f"{B} {A}", SHORT)

    [section] = find_all(page(client, "/works/events/v/6/"), "section", class_="passages-removed")

    assert "¶ 2 on v5, merged into ¶ 1" in text_of(section)
    assert find_all(section, "a", href="/works/events/p/p2/")


def test_a_version_that_removed_nothing_lists_nothing(client, work):
    assert not find_all(page(client, "/works/events/v/3/"), "section", class_="passages-removed")
