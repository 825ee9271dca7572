"""A refused blank comment, then good ones: the forms the reader is left with are clean.

With htmx the refused form is swapped in with its error; the next post succeeds and the
form swapped in after it carries no error, no ``aria-invalid`` and no leftover text. A
blank form refused and then left for another (a reply, a new comment) is cleaned too once
that other post succeeds: its error spoke of an attempt the reader has given up.
Without JavaScript the refused form is a page of its own; the good post leads to the
comment, and the form offered there is clean too. On a phone and a wide screen, with axe.
"""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.models import Comment
from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING, first_paragraph_key, make_reader, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path(tempfile.gettempdir()) / "scholia-smalls-shots"


@pytest.fixture(autouse=True)
def _development(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # As `make run` serves it: django-htmx's development script shows 400s as error pages.
    settings.DEBUG = True


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def assert_clean(form) -> None:
    expect(form.locator(".field-errors, .form-errors")).to_have_count(0)
    expect(form.locator('[aria-invalid="true"]')).to_have_count(0)
    expect(form.locator(".field-invalid")).to_have_count(0)
    expect(form.get_by_label("Your comment")).to_have_value("")


def test_it_clears_the_error_once_a_post_succeeds_with_javascript(
    browser, live_server, seeded, screen
):
    make_reader("alice")
    key = first_paragraph_key()
    page = open_page(browser, screen)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    discussion = page.locator("#discussion-panel")
    form = discussion.locator("form[data-comment-form]")

    form.get_by_label("Your comment").fill("   ")
    form.get_by_role("button", name="Post comment").click()
    expect(form.locator(f"#{key}-body-errors")).to_have_text("A comment cannot be empty.")

    for words in ("A first good comment.", "A second good comment."):
        form.get_by_label("Your comment").fill(words)
        form.get_by_role("button", name="Post comment").click()
        expect(discussion.locator(".comment-body", has_text=words)).to_be_visible()
        assert_clean(form)
    assert Comment.objects.count() == 2
    assert_accessible(page)
    shoot(page, f"form-after-refusal-js-{screen}")
    assert refused_loads_only(page.console_errors)
    page.context.close()


def refused_loads_only(console_errors: list[str]) -> bool:
    """The browser logs the refused post's 400 as a failed load; nothing else may appear."""
    return all("status of 400" in message for message in console_errors)


def test_it_clears_a_refused_blank_form_once_another_post_succeeds(
    browser, live_server, seeded, screen
):
    alice = make_reader("alice")
    key = first_paragraph_key()
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=key)
    first = comment_create(author=alice, paragraph=paragraph, body="A first thought.")
    page = open_page(browser, screen)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    discussion = page.locator("#discussion-panel")
    form = discussion.locator("form[data-comment-form]")
    article = discussion.locator(f"#c{first.pk}")

    # A blank new comment refused, then a reply posted instead.
    form.get_by_label("Your comment").fill("   ")
    form.get_by_role("button", name="Post comment").click()
    expect(form.locator(f"#{key}-body-errors")).to_have_text("A comment cannot be empty.")
    # Once settled, the refused form takes the focus (as a reader sees it): typing before
    # that, on a loaded machine, could land in the refused field instead of the next one.
    expect(form.get_by_label("Your comment")).to_be_focused()
    article.get_by_role("link", name="Reply").click()
    discussion.get_by_label("Your reply").fill("A reply that goes through.")
    discussion.get_by_role("button", name="Post reply").click()
    expect(
        discussion.locator(".comment-body", has_text="A reply that goes through.")
    ).to_be_visible()
    assert_clean(form)

    # A blank reply refused, then a new comment posted instead.
    article = discussion.locator(f"#c{first.pk}")
    article.get_by_role("link", name="Reply").first.click()
    discussion.get_by_label("Your reply").fill("  ")
    discussion.get_by_role("button", name="Post reply").click()
    expect(article.locator(".comment-slot").first).to_contain_text("A comment cannot be empty.")
    expect(discussion.get_by_label("Your reply")).to_be_focused()
    form.get_by_label("Your comment").fill("A new comment instead.")
    form.get_by_role("button", name="Post comment").click()
    # A loaded machine can take longer than expect's five seconds to post and swap.
    expect(discussion.locator(".comment-body", has_text="A new comment instead.")).to_be_visible(
        timeout=15_000
    )
    expect(discussion.locator(".field-errors, .form-errors")).to_have_count(0)
    expect(discussion.locator('[aria-invalid="true"]')).to_have_count(0)
    assert_accessible(page)
    shoot(page, f"form-after-refusal-elsewhere-{screen}")
    assert refused_loads_only(page.console_errors)
    page.context.close()


def test_it_clears_the_error_once_a_post_succeeds_without_javascript(
    browser, live_server, seeded, screen
):
    make_reader("alice")
    key = first_paragraph_key()
    page = open_page(browser, screen, javascript=False)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    form = page.locator("#discussion-panel form[data-comment-form]")

    form.get_by_label("Your comment").fill("   ")
    form.get_by_role("button", name="Post comment").click()
    refused = page.locator("form[data-comment-form]")
    expect(refused.locator(f"#{key}-body-errors")).to_have_text("A comment cannot be empty.")

    refused.get_by_label("Your comment").fill("A good comment at last.")
    refused.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-body", has_text="A good comment at last.")).to_be_visible()
    expect(page.locator(".field-errors, .form-errors")).to_have_count(0)
    expect(page.locator('[aria-invalid="true"]')).to_have_count(0)
    # Back at the discussion, the form is a fresh one.
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    assert_clean(page.locator("#discussion-panel form[data-comment-form]"))
    # axe-core needs script in the page: the same discussion is audited with it above.
    shoot(page, f"form-after-refusal-nojs-{screen}")
    page.context.close()
