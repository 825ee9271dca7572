"""A long draft: uploaded, reviewed and discarded within bounded work; a text over the
paragraph limit is refused with a message that says so, on the upload form and by the
import command."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from edition.models import ParagraphChange, Version
from tests.edition.builders import build_version, build_work, para
from tests.edition.conftest import edition_counts

pytestmark = pytest.mark.django_db

REVISE = "/works/october-1917/revise/"
REVIEW = "/works/october-1917/v/2/review/"


def paragraphs(count: int) -> str:
    return "\n\n".join(f"Short paragraph number {i} of the long draft." for i in range(count))


@pytest.fixture
def work():
    work = build_work()
    build_version(work, [para(f"The chapter's paragraph {i}, on the soviets.") for i in range(110)])
    return work


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("eleanor", is_staff=True))
    return client


def test_a_draft_of_5000_paragraphs_is_uploaded_reviewed_and_discarded(
    editor_client, work, django_assert_max_num_queries
):
    before = edition_counts()

    response = editor_client.post(REVISE, {"pasted": paragraphs(5_000), "format": "text"})
    assert response.status_code == 302
    assert response["Location"] == REVIEW

    with django_assert_max_num_queries(15):
        review = editor_client.get(REVIEW)
    assert review.status_code == 200
    page = review.content.decode()
    assert page.count('class="mapping-row ') == 5_110
    # Each row links to its corrections rather than carrying every form (and every
    # paragraph it might continue) itself: the page grows with the text, not its square.
    assert len(page) < 5_110 * 1_500
    assert page.count("<form") < 10

    response = editor_client.post("/works/october-1917/v/2/discard/", {"confirm": "on"})
    assert response.status_code == 302
    assert edition_counts() == before
    assert not ParagraphChange.objects.exists()


def test_a_long_draft_opens_the_corrections_of_one_row(editor_client, work, settings):
    settings.SCHOLIA_REVIEW_INLINE_CORRECTIONS = 10
    editor_client.post(REVISE, {"pasted": paragraphs(20), "format": "text"})
    key = "p111"

    page = editor_client.get(REVIEW).content.decode()
    assert f'href="{REVIEW}?correct={key}#row-{key}"' in page
    assert "Treat as a new paragraph" not in page

    page = editor_client.get(REVIEW, {"correct": key}).content.decode()
    assert page.count("Save the wording") == 1
    assert f'action="{REVIEW}{key}/wording/"' in page
    assert f'action="{REVIEW}{key}/link/"' in page


def test_the_upload_form_refuses_more_paragraphs_than_the_limit(editor_client, work, settings):
    settings.SCHOLIA_IMPORT_MAX_PARAGRAPHS = 40

    response = editor_client.post(REVISE, {"pasted": paragraphs(41), "format": "text"})

    assert response.status_code == 400
    assert (
        "The text has 41 paragraphs, more than the 40 a version may hold."
        in response.content.decode()
    )
    assert not Version.objects.filter(number=2).exists()


def test_the_upload_form_refuses_a_20000_paragraph_file_under_the_byte_limit(editor_client, work):
    text = "\n\n".join(f"P{i}." for i in range(20_000))

    response = editor_client.post(REVISE, {"pasted": text, "format": "text"})

    assert response.status_code == 400
    assert "The text has 20,000 paragraphs, more than the 5,000" in response.content.decode()
    assert not Version.objects.filter(number=2).exists()


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_the_import_command_refuses_more_paragraphs_than_the_limit(
    work, settings, tmp_path, dry_run
):
    settings.SCHOLIA_IMPORT_MAX_PARAGRAPHS = 40
    path = tmp_path / "long.txt"
    path.write_text(paragraphs(41), encoding="utf-8")
    before = edition_counts()

    with pytest.raises(CommandError, match="The text has 41 paragraphs, more than the 40"):
        call_command(
            "import_text",
            "october-1917",
            str(path),
            *(["--dry-run"] if dry_run else []),
            stdout=StringIO(),
        )

    assert edition_counts() == before
