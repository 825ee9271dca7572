"""A book's review: its chapters listed with how much each changes, each chapter's title
where its rows begin, and no fold of unchanged passages running across two chapters."""

import pytest
from django.test import Client
from django.test.html import parse_html

from edition.drafts import draft_review
from edition.models import Version
from edition.parts import review_parts
from tests.edition.builders import build_version, build_work, heading, para
from tests.edition.test_pages import find_all, text_of

pytestmark = pytest.mark.django_db

REVIEW = "/works/october-1917/v/2/review/"
BOOK = [
    ("Chapter One", ["One's first paragraph.", "One's second paragraph.", "One's third."]),
    ("Chapter Two", ["Two's first paragraph.", "Two's second paragraph."]),
    ("Chapter Three", ["Three's first paragraph.", "Three's second paragraph."]),
]


def specs(book):
    blocks = []
    for title, paragraphs in book:
        blocks.append(heading(title, level=1))
        blocks.extend(para(text) for text in paragraphs)
    return blocks


@pytest.fixture
def editor_client(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    return client


@pytest.fixture
def book_draft(editor_client):
    work = build_work()
    build_version(work, specs(BOOK))
    revised = [
        ("Chapter One", ["One's first paragraph.", "One's second paragraph.", "One's third."]),
        ("Chapter Two", ["Two's first paragraph, revised at length.", "Two's second paragraph."]),
        ("Chapter Three", ["Three's first paragraph.", "A passage new in chapter three."]),
    ]
    text = "\n\n".join(f"# {title}\n\n" + "\n\n".join(paragraphs) for title, paragraphs in revised)
    response = editor_client.post(
        f"/works/{work.slug}/revise/", {"pasted": text, "format": "markdown"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Version.objects.get(work=work, number=2)


def test_each_row_of_a_books_review_falls_in_its_chapter(book_draft):
    review = draft_review(book_draft)
    chapter_of = review_parts(review.rows)
    titles = {row.key: chapter_of[row.key].title for row in review.rows}
    removed = [row for row in review.rows if row.position_new is None]
    assert removed, "the revision removes Three's second paragraph"
    # A passage the draft no longer holds falls in the chapter of the row before it.
    assert {titles[row.key] for row in removed} == {"Chapter Three"}
    held = sorted(
        (row for row in review.rows if row.position_new is not None),
        key=lambda row: row.position_new,
    )
    assert [titles[row.key] for row in held] == ["Chapter One"] * 4 + ["Chapter Two"] * 3 + [
        "Chapter Three"
    ] * 3


def test_the_review_lists_the_chapters_with_their_changes_and_opens_each_with_its_title(
    editor_client, book_draft
):
    page = editor_client.get(REVIEW)
    assert page.status_code == 200
    html = parse_html(page.content.decode())
    listed = find_all(html, "nav", class_="review-chapters")
    assert len(listed) == 1
    said = [" ".join(text_of(item).split()) for item in find_all(listed[0], "li")]
    assert said == [
        "Chapter One unchanged",
        "Chapter Two 1 change",
        "Chapter Three 2 changes",
    ]
    openings = find_all(html, "li", class_="mapping-chapter")
    assert [dict(item.attributes)["id"] for item in openings] == [
        "review-chapter-one",
        "review-chapter-two",
        "review-chapter-three",
    ]
    # Chapter One is all unchanged: folded, and its fold stops where Chapter Two begins.
    folds = find_all(html, "details", class_="mapping-unchanged")
    first_fold = " ".join(text_of(folds[0]).split())
    assert "One's third." in first_fold and "Two's" not in first_fold


def test_an_undivided_texts_review_has_no_chapters(editor_client):
    work = build_work()
    build_version(work, [para("A first paragraph."), para("A second paragraph.")])
    response = editor_client.post(
        f"/works/{work.slug}/revise/",
        {"pasted": "A first paragraph, revised.\n\nA second paragraph.", "format": "markdown"},
    )
    assert response.status_code == 302
    page = editor_client.get(REVIEW).content.decode()
    assert "review-chapters" not in page and "mapping-chapter" not in page
