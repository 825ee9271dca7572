"""The comparison of two versions, its picker, and the version switcher that leads there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from edition.models import Work
from edition.numbering import passage_label
from tests.edition.builders import build_version, build_work, chapter_specs, merge, para
from tests.edition.test_pages import attr, find_all, page, text_of

pytestmark = pytest.mark.django_db

SPECS = chapter_specs()
AIM = SPECS[2].text  # p3
HOWEVER = SPECS[3].text  # p4
AIM_REVISED = AIM.replace("certainly", "surely")
INSERTED = "A passage about the peasantry, new in the second version."


def revised_specs() -> list:
    """Version 2: p3 reworded, p4 removed, a new passage after p6, the rest as it was."""
    specs = []
    for ordinal, spec in enumerate(SPECS, start=1):
        key = f"p{ordinal}"
        if key == "p3":
            specs.append(para(AIM_REVISED, key="p3"))
        elif key == "p4":
            continue
        else:
            specs.append(spec.__class__(spec.text, spec.kind, spec.level, key))
        if key == "p6":
            specs.append(para(INSERTED))
    return specs


@pytest.fixture
def work() -> Work:
    work = build_work()
    build_version(work, SPECS)
    build_version(work, revised_specs())
    return work


def rows(html) -> dict[str, tuple[str, str]]:
    """The changed paragraphs as a reader sees them, by the key in their anchor:
    key -> (status, text)."""
    found = {}
    for section in find_all(html, "section", class_="mapping-row"):
        key = attr(section, "id")
        status = text_of(find_all(section, "span", class_="mapping-status")[0])
        text = text_of(find_all(section, "p", class_="mapping-text")[0]).replace(" ]", "]")
        found[key] = (status, text)
    return found


def test_it_shows_an_edited_paragraph_with_its_word_diff(client, work):
    html = page(client, "/works/october-1917/compare/1...2/")

    assert text_of(find_all(html, "h1")[0]) == "Version 1 and version 2 compared"
    assert rows(html)["p3"] == (
        "edited",
        "The aim of this chapter is [removed: certainly] [added: surely] not to denigrate "
        "this first socialist project.",
    )
    deleted = [text_of(node).replace(" ]", "]") for node in find_all(html, "del")]
    assert deleted == ["[removed: certainly]", f"[removed: {HOWEVER}]"]


def test_it_shows_new_and_removed_paragraphs(client, work):
    changed = rows(page(client, "/works/october-1917/compare/1...2/"))

    assert changed["p4"] == ("removed", f"[removed: {HOWEVER}]")
    assert changed["p13"] == ("new", f"[added: {INSERTED}]")
    assert list(changed) == ["p3", "p4", "p13"]


def test_it_collapses_runs_of_unchanged_paragraphs(client, work):
    html = page(client, "/works/october-1917/compare/1...2/")

    runs = find_all(html, "details", class_="mapping-unchanged")
    # Named as readers number them in version 2 (headings by their words), not by key.
    assert [text_of(find_all(run, "summary")[0]) for run in runs] == [
        "2 unchanged paragraphs, from “Chapter One”",
        f"2 unchanged paragraphs, from {passage_label('heading', None, SPECS[4].text)}",
        "6 unchanged paragraphs, from ¶ 4",
    ]
    assert all("open" not in dict(run.attributes) for run in runs)
    assert SPECS[5].text in text_of(runs[1])


def test_it_says_which_paragraph_a_merged_one_went_into(client, work):
    build_version(work, [para("Both, merged into one.", key="p3")])
    merge(work.current_version, "p4", "p3")

    html = page(client, "/works/october-1917/compare/1...3/")

    removed = [s for s in find_all(html, "section", class_="mapping-row") if attr(s, "id") == "p4"]
    assert "merged into ¶ 1" in text_of(removed[0])
    assert find_all(removed[0], "a", href="/works/october-1917/v/3/p/p3/")


def test_a_passage_merged_into_one_since_removed_is_named_never_by_key(client, work):
    merge(build_version(work, [para("Both, merged into one.", key="p3")]), "p4", "p3")
    build_version(work, [para("Something else entirely.")])

    html = page(client, "/works/october-1917/compare/1...4/")

    removed = [s for s in find_all(html, "section", class_="mapping-row") if attr(s, "id") == "p4"]
    assert "merged into p3" not in text_of(removed[0])
    assert "merged into ¶ " in text_of(removed[0])
    assert " on v1" in text_of(removed[0])


def test_it_names_passages_as_readers_number_them_and_keeps_keys_in_anchors(client, work):
    html = page(client, "/works/october-1917/compare/1...2/")

    headings = {
        attr(section, "id"): text_of(find_all(section, "h2")[0])
        for section in find_all(html, "section", class_="mapping-row")
    }
    # p3 is the first passage of both; p4 was the second of version 1; p13 is new, the
    # third of version 2 (p1, p2 and p5 are headings, which take no number).
    assert headings == {"p3": "¶ 1", "p4": "¶ 2", "p13": "¶ 3"}
    assert find_all(html, "a", href="/works/october-1917/v/2/p/p13/")
    assert "p13" not in text_of(html)


def test_a_moved_passage_says_where_it_was_and_where_it_is(client, work):
    moved = [spec for spec in revised_specs() if spec.key != "p6"]
    moved.append(SPECS[5].__class__(SPECS[5].text, SPECS[5].kind, SPECS[5].level, "p6"))
    build_version(work, moved)

    html = page(client, "/works/october-1917/compare/2...3/")

    section = [s for s in find_all(html, "section", class_="mapping-row") if attr(s, "id") == "p6"]
    assert "was ¶ 2, now ¶ 8" in text_of(section[0])


def test_it_links_each_paragraph_to_its_page_in_the_version_shown(client, work):
    html = page(client, "/works/october-1917/compare/1...2/")

    assert find_all(html, "a", href="/works/october-1917/v/2/p/p3/")
    assert find_all(html, "a", href="/works/october-1917/v/1/p/p4/")


def test_it_summarises_the_changes(client, work):
    html = page(client, "/works/october-1917/compare/1...2/")

    summary = find_all(html, "ul", class_="versions-summary")[0]
    assert text_of(summary) == "1 paragraph edited 1 new 1 removed 10 unchanged"


def test_it_picks_the_versions_with_a_form_that_needs_no_script(client, work):
    html = page(client, "/works/october-1917/compare/")

    form = find_all(html, "form", class_="version-picker")[0]
    assert (attr(form, "method"), attr(form, "action")) == ("get", "/works/october-1917/compare/")
    assert [attr(select, "name") for select in find_all(form, "select")] == ["a", "b"]
    assert [attr(label, "for") for label in find_all(form, "label")] == ["id_a", "id_b"]

    response = client.get("/works/october-1917/compare/", {"a": "2", "b": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/works/october-1917/compare/2...1/"


def test_it_shows_the_picker_again_for_a_version_that_does_not_exist(client, work):
    response = client.get("/works/october-1917/compare/", {"a": "1", "b": "9"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/works/october-1917/compare/1...9/", "/works/nothing/compare/1...2/"],
    ids=["no-such-version", "no-such-work"],
)
def test_it_answers_404_for_what_does_not_exist(client, work, url):
    assert client.get(url).status_code == 404


def test_it_hides_a_draft_from_readers_and_shows_it_to_editors(client, work, django_user_model):
    build_version(work, [para("Draft text.", key="p3")], publish=False)

    assert client.get("/works/october-1917/compare/2...3/").status_code == 404

    client.force_login(django_user_model.objects.create_user("eleanor", is_staff=True))
    assert client.get("/works/october-1917/compare/2...3/").status_code == 200


def test_it_links_the_reading_page_to_the_comparison(client, work):
    html = page(client, "/works/october-1917/")

    assert find_all(html, "a", href="/works/october-1917/compare/")


def test_the_switcher_lists_every_published_version_and_no_draft(client, work):
    build_version(work, [para("A third version.", key="p3")])
    build_version(work, [para("A draft.", key="p3")], publish=False)

    html = page(client, "/works/october-1917/v/1/")

    switcher = find_all(html, "nav", aria_label="Versions")[0]
    assert [attr(a, "href") for a in find_all(switcher, "a")] == [
        "/works/october-1917/v/1/",
        "/works/october-1917/v/2/",
        "/works/october-1917/v/3/",
    ]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_compares_in_a_fixed_number_of_queries_as_versions_and_text_grow(
    client, django_assert_max_num_queries
):
    work = build_work()
    build_version(work, [para("One."), para("Two.")])
    build_version(work, [para("One, edited.", key="p1")])
    few = queries_for(client, "/works/october-1917/compare/1...2/")
    # Every comparison here is a first request, so none comes from the page cache.

    long_text = [para(f"Passage number {n}.") for n in range(300)]
    for _ in range(6):
        build_version(work, long_text)
    with django_assert_max_num_queries(few):
        queries_for(client, "/works/october-1917/compare/1...8/")
    assert few <= 4
