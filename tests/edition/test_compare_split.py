"""A split shows as a split: on the compare page, in the compare API and in the editor's
review, the split-off half says which paragraph it came from, by the ¶ label readers knew it
by, never by its key."""

import pytest
from django.test import Client

from edition.models import Work
from edition.services import version_import
from tests.edition.revision_texts import SHORT, original, publish, revised
from tests.edition.test_pages import attr, find_all, page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def work() -> Work:
    work = Work.objects.create(slug="october-1917", title="October 1917 Revolution")
    publish(work, original())
    return work


def split_off_key(work: Work, number: int = 2) -> str:
    return work.versions.get(number=number).entries.get(revision__text=SHORT).paragraph.key


def test_the_compare_page_shows_the_split_off_half_as_split_from_its_paragraph(client, work):
    publish(work, revised())
    key = split_off_key(work)

    html = page(client, "/works/october-1917/compare/1...2/")

    row = next(s for s in find_all(html, "section", class_="mapping-row") if attr(s, "id") == key)
    assert text_of(find_all(row, "span", class_="mapping-status")[0]) == "split"
    # B + SHORT was ¶ 2 of version 1 (A is ¶ 1); its key p3 is only in the link.
    assert "split from ¶ 2" in text_of(row)
    assert "p3" not in text_of(row)
    assert find_all(row, "a", href="#p3")


def test_the_compare_api_carries_split_from(client, work):
    publish(work, revised())
    key = split_off_key(work)

    answer = client.get("/api/v1/works/october-1917/compare/1/2/").json()

    row = next(row for row in answer["paragraphs"] if row["key"] == key)
    assert (row["status"], row["split_from"]) == ("split", "p3")
    assert answer["summary"]["split"] == 1
    others = [row for row in answer["paragraphs"] if row["key"] != key]
    assert {row["split_from"] for row in others} == {None}


def test_a_comparison_from_before_the_split_to_after_it_shows_it(client, work):
    publish(work, revised())
    publish(work, [*revised(), *original()[-1:]])  # version 3 adds a paragraph back
    key = split_off_key(work)

    answer = client.get("/api/v1/works/october-1917/compare/1/3/").json()
    since_split = client.get("/api/v1/works/october-1917/compare/2/3/").json()

    row = next(row for row in answer["paragraphs"] if row["key"] == key)
    assert row["split_from"] == "p3"
    assert all(row["split_from"] is None for row in since_split["paragraphs"])


def test_the_review_shows_the_split_off_half_as_split_from_its_paragraph(
    client: Client, django_user_model, work
):
    version_import(work=work, blocks=revised())
    client.force_login(django_user_model.objects.create_user("eleanor", is_staff=True))

    html = page(client, "/works/october-1917/v/2/review/")

    key = split_off_key(work)
    row = next(
        r for r in find_all(html, "li", class_="mapping-row") if attr(r, "id") == f"row-{key}"
    )
    assert "split from ¶ 2" in text_of(row)
    assert "split off from p3" not in text_of(row)


def test_a_draft_compared_shows_the_merges_it_would_carry_on(client, django_user_model, work):
    publish(work, revised())  # version 2 merges p4 into p5
    version_import(work=work, blocks=[*revised(), original()[-1]])  # a draft takes G back
    client.force_login(django_user_model.objects.create_user("eleanor", is_staff=True))

    answer = client.get("/api/v1/works/october-1917/compare/1/3/").json()

    merged = next(row for row in answer["paragraphs"] if row["key"] == "p4")
    assert (merged["status"], merged["merged_into"]) == ("removed", "p5")
