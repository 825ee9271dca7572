"""The import page and its report, on a phone and a wide screen, with axe: a member of
staff uploads a Hypothesis export and reads what came in and what did not."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in

pytestmark = pytest.mark.e2e
EXPORT = (
    Path(__file__).resolve().parents[1] / "commentary" / "annotations" / "hypothesis_export.json"
)
SHOTS = Path(tempfile.gettempdir()) / "scholia-annot-shots"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_staff_import_an_export_and_read_the_report(browser, live_server, seeded, screen):
    stella = make_reader("stella")
    stella.is_staff = True
    stella.save(update_fields=["is_staff"])
    page = open_page(browser, screen)
    sign_in(page, live_server, "stella")
    page.goto(f"{live_server.url}/works/october-1917/import/")
    expect(page.get_by_role("heading", name="Import annotations")).to_be_visible()
    assert_accessible(page)
    shoot(page, f"import-upload-{screen}")
    page.get_by_label("Export file").set_input_files(str(EXPORT))
    page.get_by_label("Import into").select_option(label="The public discussion")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Import report")).to_be_visible()
    expect(page.get_by_role("heading", name="Skipped")).to_be_visible()
    expect(page.get_by_text("a page note")).to_be_visible()
    expect(page.get_by_text("an empty highlight")).to_be_visible()
    assert_accessible(page)
    shoot(page, f"import-report-{screen}")
    page.context.close()
