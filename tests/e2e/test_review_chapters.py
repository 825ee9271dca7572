"""A book's review lists its chapters with how much each changes; following one reaches
that chapter's rows, at phone and wide sizes, with axe at 0."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import sign_in
from tests.e2e.test_editor_review import make_editor
from tests.e2e.test_publish_reviewed import shoot
from tests.edition.builders import build_version, build_work, heading, para

pytestmark = pytest.mark.e2e

CHAPTERS = ["One", "Two", "Three", "Four"]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_review_of_a_book_leads_to_each_chapters_changes(browser, live_server, screen):
    work = build_work(slug="book")
    blocks = []
    for name in CHAPTERS:
        blocks.append(heading(f"Chapter {name}"))  # as the importer reads a plain title
        blocks.extend(para(f"Paragraph {n} of chapter {name.lower()}.") for n in range(6))
    build_version(work, blocks)
    revised = "\n\n".join(
        f"Chapter {name}\n\n"
        + "\n\n".join(
            f"Paragraph {n} of chapter {name.lower()}"
            + (", revised." if name == "Three" and n == 2 else ".")
            for n in range(6)
        )
        for name in CHAPTERS
    )
    make_editor("ada")
    page = open_page(browser, screen)
    sign_in(page, live_server, "ada")
    page.goto(f"{live_server.url}/works/book/revise/")
    page.get_by_label("Or paste the text").fill(revised)
    page.get_by_role("button", name="Upload and review").click()

    chapters = page.get_by_role("navigation", name="Changes by chapter")
    expect(chapters).to_be_visible()
    expect(chapters.get_by_role("listitem")).to_have_text(
        [
            re.compile(r"Chapter One\s+unchanged"),
            re.compile(r"Chapter Two\s+unchanged"),
            re.compile(r"Chapter Three\s+1 change"),
            re.compile(r"Chapter Four\s+unchanged"),
        ]
    )
    shoot(page, f"review-chapters-{screen}")
    assert_accessible(page)
    chapters.get_by_role("link", name="Chapter Three").click()
    expect(page).to_have_url(re.compile(r"#review-chapter-three$"))
    expect(page.get_by_role("heading", name="Chapter Three", level=3)).to_be_in_viewport()
    expect(page.locator("#review-chapter-three ~ .mapping-row-edited")).to_have_count(1)
    shoot(page, f"review-chapter-three-{screen}")
    assert page.console_errors == []
    page.context.close()
