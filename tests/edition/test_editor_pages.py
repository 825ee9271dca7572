"""The editor's pages: upload a revision, review and correct the draft, publish or discard."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.html import parse_html

from edition.drafts import draft_checksum
from edition.models import (
    DraftDoubts,
    Paragraph,
    ParagraphChange,
    ParagraphRevision,
    Version,
    VersionParagraph,
    Work,
)
from edition.pages import editor as editor_pages
from edition.services import version_publish
from tests.edition.builders import build_version, build_work, para
from tests.edition.conftest import edition_counts
from tests.edition.test_pages import find_all, text_of

pytestmark = pytest.mark.django_db

AIM = "The aim of this chapter is certainly not to denigrate this first socialist project."
HOWEVER = "However, neither is the objective of this study a nostalgic looking back."
LENIN = "Lenin, along with the Bolshevik leaders, shaped the history of the revolution."
LESSON = "Nevertheless, Lenin quickly learned the necessary historical lesson."
AIM_REVISED = "The aim of this chapter is surely not to denigrate this first socialist project."
INSERTED = "An entirely different passage about the peasantry, the land and the towns."
REVISION = "\n\n".join([AIM_REVISED, HOWEVER, INSERTED, LESSON])

REVISE = "/works/october-1917/revise/"
REVIEW = "/works/october-1917/v/2/review/"


@pytest.fixture
def work() -> Work:
    work = build_work()
    build_version(work, [para(AIM), para(HOWEVER), para(LENIN), para(LESSON)])
    return work


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("eleanor", password="pw", is_staff=True)


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("rosa", password="pw")


@pytest.fixture
def editor_client(client, editor) -> Client:
    client.force_login(editor)
    return client


def upload(client: Client, text: str = REVISION, **fields):
    return client.post(REVISE, {"pasted": text, "format": "markdown", **fields})


@pytest.fixture
def draft(editor_client, work) -> Version:
    response = upload(editor_client, note="Spelling.")
    assert response.status_code == 302
    return Version.objects.get(work=work, number=2)


def review_rows(client: Client) -> dict[str, tuple[str, str]]:
    """Each row of the review as the editor reads it: key -> (status, text)."""
    response = client.get(REVIEW)
    assert response.status_code == 200
    html = parse_html(response.content.decode())
    rows = {}
    for row in find_all(html, "li", class_="mapping-row"):
        key = dict(row.attributes)["id"].removeprefix("row-")
        status = text_of(find_all(row, "span", class_="mapping-status")[0])
        # The diff's closing bracket is read right after the changed words.
        text = text_of(find_all(row, "p", class_="mapping-text")[0]).replace(" ]", "]")
        rows[key] = (status, text)
    return rows


def visible_words(html: str) -> str:
    """The page's text, without its tags and attributes (where keys belong)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_review_names_each_passage_as_readers_number_it(editor_client, work):
    # ¶ 2 moves to the end; ¶ 3 is removed; a new passage takes its place.
    upload(editor_client, "\n\n".join([AIM_REVISED, LESSON, INSERTED, HOWEVER]))

    html = editor_client.get(REVIEW).content.decode()

    heads = {
        dict(row.attributes)["id"]: text_of(find_all(row, "h3")[0])
        for row in find_all(parse_html(html), "li", class_="mapping-row")
    }
    assert heads["row-p1"] == "¶ 1"
    assert heads["row-p2"] == "¶ 2 on v1, now ¶ 4"
    assert heads["row-p3"] == "¶ 3 on v1"
    assert heads["row-p5"] == "¶ 3"
    assert "Correct ¶ 2 on v1, now ¶ 4" in html
    assert re.findall(r"\bp\d+\b", visible_words(html)) == []


def reviewed(draft: Version) -> dict[str, str]:
    """The publish form as the review page draws it."""
    return {"checksum": draft_checksum(draft)}


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Who may use the pages


EDITOR_URLS = [
    ("get", REVISE),
    ("get", REVIEW),
    ("post", REVIEW + "note/"),
    ("post", REVIEW + "p1/separate/"),
    ("post", REVIEW + "p5/link/"),
    ("post", REVIEW + "p1/wording/"),
    ("post", "/works/october-1917/v/2/publish/"),
    ("post", "/works/october-1917/v/2/discard/"),
]


@pytest.mark.parametrize(("method", "url"), EDITOR_URLS)
def test_it_answers_404_to_anonymous_visitors(client, draft, method, url):
    client.logout()
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize(("method", "url"), EDITOR_URLS)
def test_it_answers_404_to_readers_who_are_not_editors(client, draft, reader, method, url):
    client.force_login(reader)
    assert getattr(client, method)(url).status_code == 404
    assert Version.objects.get(pk=draft.pk).status == Version.Status.DRAFT


def test_it_answers_404_for_a_work_that_does_not_exist(editor_client):
    assert editor_client.get("/works/no-such-work/revise/").status_code == 404


def test_it_refuses_a_change_without_its_csrf_token(editor, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post("/works/october-1917/v/2/publish/")

    assert response.status_code == 403
    assert Version.objects.get(pk=draft.pk).status == Version.Status.DRAFT


def test_it_offers_the_upload_page_to_editors_from_the_reading_page(editor_client, work):
    response = editor_client.get("/works/october-1917/")

    assert 'href="/works/october-1917/revise/"' in response.content.decode()


def test_it_offers_no_upload_link_to_readers(client, reader, work):
    client.force_login(reader)

    assert "/revise/" not in client.get("/works/october-1917/").content.decode()


# Upload


def test_it_makes_a_draft_from_pasted_text_and_shows_its_review(editor_client, work):
    response = upload(editor_client, note="Spelling.")

    assert response.status_code == 302
    assert response["Location"] == REVIEW
    draft = Version.objects.get(work=work, number=2)
    assert (draft.status, draft.note) == (Version.Status.DRAFT, "Spelling.")
    rows = review_rows(editor_client)
    assert rows["p1"] == (
        "edited",
        "The aim of this chapter is [removed: certainly] [added: surely] "
        "not to denigrate this first socialist project.",
    )
    assert rows["p2"] == ("unchanged", HOWEVER)
    assert rows["p3"] == ("removed", f"[removed: {LENIN}]")
    assert rows["p5"] == ("new", INSERTED)
    assert rows["p4"] == ("unchanged", LESSON)


def test_it_shows_the_similarity_of_an_edited_paragraph(editor_client, draft):
    page = editor_client.get(REVIEW).content.decode()

    assert "similarity 0.93" in page


def test_it_makes_a_draft_from_a_markdown_file(editor_client, work):
    source = SimpleUploadedFile("chapter.md", REVISION.encode(), content_type="text/markdown")

    response = editor_client.post(REVISE, {"source": source, "format": "auto"})

    assert response.status_code == 302
    texts = list(
        VersionParagraph.objects.filter(version__number=2).values_list("revision__text", flat=True)
    )
    assert texts == [AIM_REVISED, HOWEVER, INSERTED, LESSON]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"pasted": "", "format": "auto"}, "Upload a file or paste the text."),
        (
            {
                "pasted": "Some text.",
                "format": "auto",
                "source": SimpleUploadedFile("a.txt", b"Other text."),
            },
            "Upload a file or paste the text, not both.",
        ),
        (
            {"format": "auto", "source": SimpleUploadedFile("a.txt", b"\xff\xfe bad")},
            "This file is not UTF-8 text; save it as UTF-8 and upload it again.",
        ),
    ],
    ids=["nothing", "both", "not-utf8"],
)
def test_it_shows_the_upload_form_again_with_its_error(editor_client, work, fields, error):
    response = editor_client.post(REVISE, fields)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Version.objects.filter(number=2).exists()


def test_it_lists_the_drafts_waiting_for_review(editor_client, draft):
    page = editor_client.get(REVISE).content.decode()

    assert 'href="/works/october-1917/v/2/review/"' in page


def test_it_sends_the_editor_of_a_published_version_to_its_page(editor_client, draft):
    version_publish(version=draft)

    response = editor_client.get(REVIEW)

    assert response.status_code == 302
    assert response["Location"] == "/works/october-1917/v/2/"


# Corrections


def test_it_treats_a_paragraph_as_new(editor_client, draft):
    response = editor_client.post(REVIEW + "p1/separate/")

    assert response.status_code == 302
    rows = review_rows(editor_client)
    assert rows["p6"] == ("new", AIM_REVISED)
    assert rows["p1"] == ("removed", f"[removed: {AIM}]")


def test_it_refuses_to_treat_a_new_paragraph_as_new_again(editor_client, draft):
    response = editor_client.post(REVIEW + "p5/separate/", follow=True)

    assert messages_on(response) == ["p5 is already a new paragraph."]
    assert review_rows(editor_client)["p5"] == ("new", INSERTED)


def test_it_links_a_new_block_to_a_removed_paragraph(editor_client, draft):
    response = editor_client.post(REVIEW + "p5/link/", {"link-p5-target": "p3"})

    assert response.status_code == 302
    rows = review_rows(editor_client)
    assert rows["p3"][0] == "edited"
    assert "p5" not in rows
    # The key the import had given the block was only the draft's: nothing of it is left.
    assert not Paragraph.objects.filter(key="p5").exists()


def test_it_shows_the_link_form_again_for_a_key_it_does_not_offer(editor_client, draft):
    response = editor_client.post(REVIEW + "p5/link/", {"link-p5-target": "p2"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert review_rows(editor_client)["p5"] == ("new", INSERTED)


def test_it_edits_a_paragraphs_wording_and_kind_in_the_draft(editor_client, draft):
    response = editor_client.post(
        REVIEW + "p2/wording/",
        {"wording-p2-kind": "heading", "wording-p2-level": "2", "wording-p2-text": "However"},
    )

    assert response.status_code == 302
    entry = VersionParagraph.objects.get(version=draft, paragraph__key="p2")
    assert (entry.revision.kind, entry.revision.level, entry.revision.text) == (
        "heading",
        2,
        "However",
    )
    assert review_rows(editor_client)["p2"][0] == "edited"


def test_it_drops_a_wording_only_the_draft_had_when_it_is_corrected_again(editor_client, draft):
    editor_client.post(
        REVIEW + "p1/wording/",
        {"wording-p1-kind": "paragraph", "wording-p1-level": "", "wording-p1-text": AIM},
    )

    assert review_rows(editor_client)["p1"] == ("unchanged", AIM)
    assert not ParagraphRevision.objects.filter(text=AIM_REVISED).exists()


def test_it_shows_the_wording_form_again_for_a_heading_without_a_level(editor_client, draft):
    response = editor_client.post(
        REVIEW + "p2/wording/",
        {"wording-p2-kind": "heading", "wording-p2-level": "", "wording-p2-text": "However"},
    )

    assert response.status_code == 400
    assert "A heading needs a level." in response.content.decode()
    assert VersionParagraph.objects.get(version=draft, paragraph__key="p2").revision.text == HOWEVER


def test_it_saves_the_version_note(editor_client, draft):
    response = editor_client.post(REVIEW + "note/", {"note": "Spelling, and a new passage."})

    assert response.status_code == 302
    assert Version.objects.get(pk=draft.pk).note == "Spelling, and a new passage."


# Publish and discard


def test_it_publishes_the_draft(editor_client, draft, editor):
    response = editor_client.post("/works/october-1917/v/2/publish/", reviewed(draft), follow=True)

    assert response.redirect_chain[-1][0] == "/works/october-1917/v/2/"
    assert messages_on(response) == ["Version 2 is published."]
    published = Version.objects.get(pk=draft.pk)
    assert (published.status, published.published_by) == (Version.Status.PUBLISHED, editor)
    assert Work.objects.get(slug="october-1917").current_version == published


def test_it_tells_the_second_editor_the_draft_was_published_meanwhile(
    editor_client, draft, django_user_model
):
    other = django_user_model.objects.create_user("karl", is_staff=True)
    version_publish(version=Version.objects.get(pk=draft.pk), published_by=other)

    response = editor_client.post("/works/october-1917/v/2/publish/", reviewed(draft), follow=True)

    assert response.status_code == 200
    assert messages_on(response) == [
        "Version 2 could not be published. It was published by karl meanwhile."
    ]
    assert "Version 2 could not be published" in response.content.decode()


def test_it_refuses_a_correction_once_the_draft_is_published(editor_client, draft):
    version_publish(version=Version.objects.get(pk=draft.pk))

    response = editor_client.post(REVIEW + "p1/separate/", follow=True)

    assert messages_on(response) == ["Version 2 has been published; it can no longer be changed."]
    assert VersionParagraph.objects.filter(version=draft, paragraph__key="p1").exists()


def test_it_discards_the_draft_leaving_no_trace(editor_client, work):
    before = edition_counts()
    upload(editor_client)
    editor_client.post(REVIEW + "p5/link/", {"link-p5-target": "p3"})
    editor_client.post(REVIEW + "p1/separate/")
    editor_client.post(REVIEW + "p2/wording/", {"wording-p2-kind": "quote", "wording-p2-text": "Q"})
    assert edition_counts() != before

    response = editor_client.post(
        "/works/october-1917/v/2/discard/", {"confirm": "on"}, follow=True
    )

    assert response.redirect_chain[-1][0] == REVISE
    assert messages_on(response)[-1] == "The draft of version 2 is discarded."
    assert edition_counts() == before
    assert not ParagraphChange.objects.exists()
    assert editor_client.get(REVIEW).status_code == 404


@pytest.mark.parametrize(
    ("action", "data", "said"),
    [
        ("publish", None, "Version 2 could not be published."),
        ("discard", {"confirm": "on"}, "Version 2 could not be discarded."),
    ],
)
def test_acting_on_a_draft_another_editor_discarded_says_so_instead_of_a_404(
    editor_client, draft, action, data, said
):
    data = data if data is not None else reviewed(draft)
    editor_client.post("/works/october-1917/v/2/discard/", {"confirm": "on"})

    response = editor_client.post(f"/works/october-1917/v/2/{action}/", data, follow=True)

    assert response.redirect_chain[-1][0] == REVISE
    assert messages_on(response)[-1] == (
        f"{said} There is no such draft: someone else may have discarded it meanwhile."
    )
    assert not Version.objects.filter(number=2).exists()


def test_it_asks_for_confirmation_before_discarding(editor_client, draft):
    response = editor_client.post("/works/october-1917/v/2/discard/", {})

    assert response.status_code == 400
    assert "Tick the box to confirm that the draft should go." in response.content.decode()
    assert Version.objects.filter(pk=draft.pk).exists()


def test_it_folds_away_unchanged_paragraphs_and_shows_the_changes(editor_client, draft):
    html = parse_html(editor_client.get(REVIEW).content.decode())

    runs = find_all(html, "details", class_="mapping-unchanged")
    assert [text_of(find_all(run, "summary")[0]) for run in runs] == [
        "¶ 2: unchanged",
        "¶ 4: unchanged",
    ]
    assert all("open" not in dict(run.attributes) for run in runs)


def test_it_reviews_the_first_version_of_a_new_work_as_all_new(editor_client):
    build_work(slug="manifesto", title="A Manifesto")

    response = editor_client.post(
        "/works/manifesto/revise/", {"pasted": "First.\n\nSecond.", "format": "markdown"}
    )

    assert response["Location"] == "/works/manifesto/v/1/review/"
    html = parse_html(editor_client.get("/works/manifesto/v/1/review/").content.decode())
    statuses = [text_of(s) for s in find_all(html, "span", class_="mapping-status")]
    assert statuses == ["new", "new", "new"]  # the summary, then each paragraph
    assert "The first version of this work: every paragraph is new." in text_of(html)


def test_it_gives_the_reason_a_publication_was_refused(editor_client, draft, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("A newer version was published meanwhile.")

    monkeypatch.setattr(editor_pages, "version_publish", refuse)

    response = editor_client.post("/works/october-1917/v/2/publish/", reviewed(draft), follow=True)

    assert response.redirect_chain[-1][0] == REVIEW
    assert messages_on(response) == [
        "Version 2 could not be published. A newer version was published meanwhile."
    ]


def test_it_links_a_draft_version_page_to_its_review(editor_client, draft):
    page = editor_client.get("/works/october-1917/v/2/").content.decode()

    assert f'href="{REVIEW}"' in page


# What the import was unsure of: kept with the draft, read by every editor of it

# A plain text whose short unpunctuated line the importer takes for a heading, unsure.
DOUBTFUL = "\n\n".join(
    [
        "The aim of this chapter is surely not to denigrate this first socialist project.",
        "A Short Line",
        "Nevertheless, Lenin quickly learned the necessary historical lesson.",
    ]
)
PUNCTUATED = DOUBTFUL.replace("A Short Line", "A short line, now a sentence.")


def upload_doubtful(client: Client, text: str):
    response = client.post(REVISE, {"pasted": text, "format": "text"})
    assert response.status_code == 302, response.content.decode()[:500]
    return Version.objects.get(work__slug="october-1917", number=2)


def doubts_heading(html: str) -> str | None:
    found = re.search(r'<h2 id="import-doubts-title">([^<]*)</h2>', html)
    return found[1] if found else None


def test_every_editor_reads_the_drafts_doubts_whatever_their_session(
    editor_client, work, django_user_model
):
    upload_doubtful(editor_client, DOUBTFUL)
    colleague = Client()
    colleague.force_login(django_user_model.objects.create_user("karl", is_staff=True))

    for client in (editor_client, colleague):
        html = client.get(REVIEW).content.decode()
        assert doubts_heading(html) == "What the import was unsure of (1)"
        assert "Lines taken for headings (1)" in html
        assert html.index('id="mapping-title"') < html.index('id="import-doubts-title"')


def test_a_new_upload_replaces_the_doubts_of_the_last(editor_client, work):
    draft = upload_doubtful(editor_client, DOUBTFUL)
    assert len(DraftDoubts.objects.get(version=draft).doubts) == 1

    upload_doubtful(editor_client, PUNCTUATED)

    assert not DraftDoubts.objects.filter(version=draft).exists()
    assert doubts_heading(editor_client.get(REVIEW).content.decode()) is None


def test_publishing_or_discarding_the_draft_leaves_no_doubts(editor_client, work):
    draft = upload_doubtful(editor_client, DOUBTFUL)
    editor_client.post("/works/october-1917/v/2/publish/", reviewed(draft))
    assert Version.objects.get(pk=draft.pk).is_published
    assert not DraftDoubts.objects.exists()

    upload_again = editor_client.post(
        REVISE, {"pasted": DOUBTFUL.replace("surely", "certainly"), "format": "text"}
    )
    assert upload_again.status_code == 302
    assert DraftDoubts.objects.count() == 1
    editor_client.post("/works/october-1917/v/3/discard/", {"confirm": "on"})
    assert not Version.objects.filter(number=3).exists()
    assert not DraftDoubts.objects.exists()


def test_a_long_reviews_folded_rows_say_their_place_and_link_to_their_corrections(
    editor_client, draft, settings
):
    settings.SCHOLIA_REVIEW_INLINE_CORRECTIONS = 1
    html = parse_html(editor_client.get(REVIEW).content.decode())

    run = find_all(html, "details", class_="mapping-unchanged")[0]
    row = find_all(run, "li", class_="mapping-row")[0]
    assert text_of(find_all(row, "h3")[0]) == "¶ 2"
    assert text_of(find_all(row, "span", class_="mapping-status")[0]) == "unchanged"
    assert text_of(find_all(row, "span", class_="mapping-meta")[0]) == "place 2"
    link = find_all(row, "a")[0]
    assert text_of(link) == "Correct ¶ 2"
    assert dict(link.attributes)["href"].endswith("/review/?correct=p2#row-p2")
