"""Browser fixtures: Debian's Chromium driven by Playwright's sync API.

The browser is found at $CHROMIUM_PATH, else /usr/bin/chromium. Without one the browser
tests are skipped, unless SCHOLIA_REQUIRE_BROWSER=1 (CI) makes that a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

from edition.seed import seed_import

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# beside it, although nothing here is actually asynchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if Path(candidate).is_file():
        return candidate
    return shutil.which(candidate)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: apt-get install chromium, or set CHROMIUM_PATH"
        if os.environ.get("SCHOLIA_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page at a laptop's size; console errors (CSP refusals among them) collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def seeded(transactional_db):
    """The seed chapter imported and published, as `make run` does."""
    seed_import()


@pytest.fixture(autouse=True)
def _pages_closed(request):
    """The pages a test opened beyond ``page`` (other readers, other screens) are closed
    after it, so that a worker's browser does not carry every test's pages to the end."""
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()
