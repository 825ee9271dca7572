"""The discussion's place on the reading page, on a phone (390×844) and a wide screen
(1440×900): a control for every passage, a panel that never pushes the text apart, the open
discussion in the URL, permalinks that scroll to their comment, quoted phrases highlighted,
and one label ("¶ 4") for every passage. axe-core checks every page these tests see with
JavaScript on (it cannot run in a page without)."""

import re

import pytest
from playwright.sync_api import expect

from edition.models import VersionParagraph, Work
from tests.commentary.builders import bulk_thread, post
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING, make_reader, sign_in
from tests.e2e.test_keyboard import tab_to

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def passages() -> list[tuple[str, str, str]]:
    """(key, kind, text) of the current version, in reading order."""
    work = Work.objects.get(slug="october-1917")
    return list(
        VersionParagraph.objects.filter(version=work.current_version)
        .order_by("position")
        .values_list("paragraph__key", "revision__kind", "revision__text")
    )


def short_paragraph() -> tuple[str, int, str]:
    """The first paragraph of one or two lines: (key, its number, its text)."""
    number = 0
    for key, kind, text in passages():
        if kind != "heading":
            number += 1
            if len(text) < 120:
                return key, number, text
    raise AssertionError("the seed has no short paragraph")


def long_thread(key: str, size: int = 80):
    """A thread of ``size`` comments on paragraph ``key``, by three readers."""
    readers = [make_reader(name) for name in ("alice", "bob", "charlie")]
    work = Work.objects.get(slug="october-1917")
    root = post(readers[0], work, key=key, body="Where does this sentence end?")
    return bulk_thread(root, readers, size)


def gap_below(page, key: str) -> float:
    """The space between passage ``key`` and the next one, in CSS pixels."""
    return page.evaluate(
        """(key) => {
            const block = document.getElementById(key).closest('.block');
            const next = block.nextElementSibling;
            return next.getBoundingClientRect().top - block.getBoundingClientRect().bottom;
        }""",
        key,
    )


def box(page, selector: str) -> dict:
    return page.eval_on_selector(
        selector,
        """(element) => {
            const r = element.getBoundingClientRect();
            return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                    width: r.width, height: r.height};
        }""",
    )


def highlighted(page) -> list[str]:
    return page.evaluate(
        """() => Array.from(CSS.highlights.get('discussion-quote') || [],
                            (range) => range.toString()).sort()"""
    )


# 3. A control for every passage


def test_every_passage_has_a_visible_named_control_of_24_pixels(
    browser, live_server, seeded, screen
):
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}{READING}")
    assert_accessible(page)

    controls = page.evaluate(
        """() => Array.from(document.querySelectorAll('.text .block'), (block) => {
            const control = block.querySelector('[data-discussion-toggle]');
            if (!control) return {missing: block.outerHTML.slice(0, 80)};
            control.scrollIntoView({block: 'center'});
            const r = control.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return {
                width: r.width,
                height: r.height,
                shown: control.checkVisibility({opacityProperty: true, visibilityProperty: true})
                    && getComputedStyle(control).opacity === '1',
                reachable: !!hit && control.contains(hit),
            };
        })"""
    )
    assert len(controls) == len(passages())
    too_small = [c for c in controls if c.get("missing") or c["width"] < 24 or c["height"] < 24]
    assert too_small == []
    assert all(c["shown"] and c["reachable"] for c in controls)

    key, number, _text = short_paragraph()
    control = page.get_by_role("link", name=f"Comment on ¶ {number}", exact=True)
    expect(control).to_have_attribute("data-discussion-toggle", key)

    # The keyboard reaches the first paragraph's control after its number, and opens it.
    first_key = next(key for key, kind, _text in passages() if kind != "heading")
    page.evaluate("window.scrollTo(0, 0)")
    page.focus(".skip-link")
    page.keyboard.press("Enter")
    tab_to(page, f'.block-number[href$="/p/{first_key}/"]')
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Comment on ¶ 1", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Discussion of ¶ 1")).to_be_focused()
    assert page.console_errors == []
    page.context.close()


# 4. The panel


def test_a_long_discussion_opens_in_a_full_height_panel_beside_the_text(
    browser, live_server, seeded
):
    key, number, _text = short_paragraph()
    long_thread(key)
    page = open_page(browser, "wide")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}#{key}")
    gap = gap_below(page, key)
    top = box(page, f"[id='{key}']")["top"]

    page.locator(f'[data-discussion-toggle="{key}"]').click()
    panel = page.locator("#discussion-panel")
    expect(panel.get_by_role("heading", name=f"Discussion of ¶ {number}")).to_be_focused()

    # Beside the text, the height of the window, the form at its top in view.
    frame = box(page, "#discussion-panel")
    text = box(page, f"[id='{key}']")
    assert frame["right"] == 1440 and frame["width"] >= 320
    assert frame["left"] >= text["right"]
    assert frame["height"] == 900
    expect(panel.get_by_label("Your comment")).to_be_in_viewport()
    # The passage stays where the reader saw it, and the text is not pushed apart.
    assert abs(text["top"] - top) <= 2
    assert gap_below(page, key) == pytest.approx(gap, abs=1)
    # The thread scrolls in the panel, to its last comment.
    assert page.eval_on_selector(
        "#discussion-panel .discussion-body", "(body) => body.scrollHeight > body.clientHeight"
    )
    last = panel.locator("article.comment").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    assert_accessible(page)

    # Escape closes it: the text takes its room again, the control has the focus.
    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    expect(page.locator(f'[data-discussion-toggle="{key}"]')).to_be_focused()
    assert page.console_errors == []
    page.context.close()


def test_on_a_phone_the_discussion_is_a_full_screen_sheet(browser, live_server, seeded):
    key, number, text = short_paragraph()
    long_thread(key, size=30)
    page = open_page(browser, "phone")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}#{key}")
    scrolled = page.evaluate("window.scrollY")

    page.locator(f'[data-discussion-toggle="{key}"]').tap()
    panel = page.locator("#discussion-panel")
    expect(panel.get_by_role("heading", name=f"Discussion of ¶ {number}")).to_be_focused()
    assert box(page, "#discussion-panel") == {
        "left": 0,
        "top": 0,
        "right": 390,
        "bottom": 844,
        "width": 390,
        "height": 844,
    }
    expect(panel.get_by_label("Your comment")).to_be_in_viewport()
    assert_accessible(page)

    # The sheet covers the text, so the passage can be read in it, and a phrase quoted.
    panel.get_by_text(f"Read ¶ {number}").tap()
    passage = panel.locator(f'[data-quote-source="{key}"]')
    expect(passage).to_have_text(text)
    phrase = " ".join(text.split()[1:3])
    page.evaluate(
        """([key, phrase]) => {
            const node = document.querySelector(`[data-quote-source="${key}"]`).firstChild;
            const start = node.data.indexOf(phrase);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + phrase.length);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
        }""",
        [key, phrase],
    )
    page.get_by_role("button", name="Quote and comment").tap()
    expect(panel.locator("[data-quote-text]")).to_have_text(phrase)
    expect(panel.get_by_label("Your comment")).to_be_focused()

    # Close: the reader is back where they were in the text.
    close = panel.get_by_role("link", name="Close the discussion")
    close.tap()
    expect(panel).to_be_empty()
    assert page.evaluate("window.scrollY") == pytest.approx(scrolled, abs=2)
    expect(page.locator(f'[data-discussion-toggle="{key}"]')).to_be_focused()
    assert page.console_errors == []
    page.context.close()


def test_the_open_discussion_is_in_the_url(browser, live_server, seeded, screen):
    key, number, _text = short_paragraph()
    page = open_page(browser, screen)
    reading = f"{live_server.url}{READING}"
    page.goto(reading)
    panel = page.locator("#discussion-panel")
    heading = panel.get_by_role("heading", name=f"Discussion of ¶ {number}")

    page.locator(f'[data-discussion-toggle="{key}"]').click()
    expect(heading).to_be_visible()
    expect(page).to_have_url(f"{reading}?discussion={key}#{key}")

    # Back closes it, Forward opens it again.
    page.go_back()
    expect(panel).to_be_empty()
    expect(page).to_have_url(reading)
    page.go_forward()
    expect(heading).to_be_visible()
    expect(page.locator(f'[data-discussion-toggle="{key}"]')).to_have_attribute(
        "aria-expanded", "true"
    )

    # A shared link opens it, rendered by the server.
    page.reload()
    expect(heading).to_be_visible()
    expect(page.locator(f'[data-discussion-toggle="{key}"]')).to_have_attribute(
        "aria-expanded", "true"
    )
    assert_accessible(page)

    # Closing it takes it out of the URL.
    panel.get_by_role("link", name="Close the discussion").click()
    expect(panel).to_be_empty()
    expect(page).to_have_url(f"{reading}#{key}")
    assert page.console_errors == []
    page.context.close()


def test_the_discussion_opens_and_closes_without_javascript(browser, live_server, seeded, screen):
    key, number, _text = short_paragraph()
    make_reader("alice")
    page = open_page(browser, screen, javascript=False)
    sign_in(page, live_server, "alice")
    reading = f"{live_server.url}{READING}"
    page.goto(reading)

    page.get_by_role("link", name=f"Comment on ¶ {number}", exact=True).click()
    expect(page).to_have_url(f"{reading}?discussion={key}#{key}")
    panel = page.locator("#discussion-panel")
    expect(panel.get_by_role("heading", name=f"Discussion of ¶ {number}")).to_be_visible()
    expect(panel.get_by_label("Your comment")).to_be_visible()
    # axe-core needs script in the page: this same server-rendered state is audited with
    # JavaScript on in test_the_open_discussion_is_in_the_url.

    panel.get_by_role("link", name="Close the discussion").click()
    expect(page).to_have_url(f"{reading}#{key}")
    expect(panel).to_be_empty()
    page.context.close()


def test_a_comment_permalink_scrolls_to_its_comment(browser, live_server, seeded, screen):
    key, _number, _text = short_paragraph()
    deepest = long_thread(key)[-1]
    page = open_page(browser, screen)

    page.goto(f"{live_server.url}/comments/{deepest.pk}/")
    expect(page.locator(f"#c{deepest.pk}")).to_be_in_viewport()
    assert_accessible(page)

    # In the panel too, a folded branch opened on the way.
    page.goto(f"{live_server.url}{READING}?discussion={key}#c{deepest.pk}")
    comment = page.locator(f"#discussion-panel #c{deepest.pk}")
    expect(comment).to_be_visible()
    expect(comment).to_be_in_viewport()
    assert page.console_errors == []
    page.context.close()


def test_the_quoted_phrases_of_the_open_discussion_are_highlighted(browser, live_server, seeded):
    alice = make_reader("alice")
    work = Work.objects.get(slug="october-1917")
    first = next(key for key, kind, _text in passages() if kind != "heading")
    other, number, other_text = short_paragraph()
    phrases = ["first gigantic socialist project", "Paris Commune"]
    for phrase in phrases:
        post(alice, work, key=first, body="On a phrase.", quote={"exact": phrase})
    post(alice, work, key=other, body="Elsewhere.", quote={"exact": other_text.split()[1]})
    page = open_page(browser, "wide")
    page.goto(f"{live_server.url}{READING}")

    # The heading takes the focus once the page around the panel is updated.
    heading = page.locator("#discussion-panel h2")
    page.locator(f'[data-discussion-toggle="{first}"]').click()
    expect(heading).to_have_text("Discussion of ¶ 1")
    expect(heading).to_be_focused()
    assert highlighted(page) == sorted(phrases)

    page.locator(f'[data-discussion-toggle="{other}"]').click()
    expect(heading).to_have_text(f"Discussion of ¶ {number}")
    expect(heading).to_be_focused()
    assert highlighted(page) == [other_text.split()[1]]
    page.keyboard.press("Escape")
    assert highlighted(page) == []

    # Opened by the server, too.
    page.goto(f"{live_server.url}{READING}?discussion={first}")
    expect(page.locator("#discussion-panel article.comment")).to_have_count(2)
    assert highlighted(page) == sorted(phrases)
    assert page.console_errors == []
    page.context.close()


# 5. One label


def test_readers_see_one_label_for_a_passage(browser, live_server, seeded, screen):
    key, number, _text = short_paragraph()
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}{READING}")

    text = page.locator(".text").inner_text()
    assert not re.search(r"\bp\d+\b", text)
    block = page.locator(f".block:has([id='{key}'])")
    expect(block.locator(".block-number")).to_have_text(re.compile(rf"\b{number}\b"))
    block.locator("[data-discussion-toggle]").click()
    expect(page.locator("#discussion-panel h2")).to_have_text(f"Discussion of ¶ {number}")
    assert not re.search(r"\bp\d+\b", page.locator("#discussion-panel").inner_text())

    page.locator("#discussion-panel").get_by_role("link", name="Permalink and citation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Paragraph {number}")
    expect(page.locator(".paragraph-header")).not_to_contain_text(key)
    expect(page.locator("input.cite-url")).to_have_value(
        f"{live_server.url}/works/october-1917/p/{key}/"
    )
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()


def test_a_discussion_that_fails_to_load_leaves_the_url_as_it_was(browser, live_server, seeded):
    first, second, third = [key for key, kind, _text in passages() if kind != "heading"][:3]
    page = open_page(browser, "wide")
    reading = f"{live_server.url}{READING}"
    page.goto(reading)
    heading = page.locator("#discussion-panel h2")
    for key, number in ((first, 1), (second, 2)):
        page.locator(f'[data-discussion-toggle="{key}"]').click()
        expect(heading).to_have_text(f"Discussion of ¶ {number}")
        # The address follows once the panel has settled; Back before that would go further.
        expect(page).to_have_url(f"{reading}?discussion={key}#{key}")

    # Back, while the server is away: the second stays in the panel.
    fragment = re.compile(r"/p/p\d+/discussion/")
    page.route(fragment, lambda route: route.fulfill(status=503, body="Away."))
    with page.expect_response(fragment):
        page.go_back()
    expect(heading).to_have_text("Discussion of ¶ 2")
    page.unroute(fragment)

    # The next discussion opened is in the address again.
    page.locator(f'[data-discussion-toggle="{third}"]').click()
    expect(heading).to_have_text("Discussion of ¶ 3")
    expect(page).to_have_url(f"{reading}?discussion={third}#{third}")
    page.context.close()
