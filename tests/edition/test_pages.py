import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.html import Element, parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from edition import extensions
from edition.models import Work
from tests.edition.builders import (
    build_version,
    build_work,
    chapter_specs,
    heading,
    item,
    merge,
    para,
    quote,
)

pytestmark = pytest.mark.django_db


def find_all(node: Element, name: str, **attrs: str) -> list[Element]:
    """Elements named ``name`` under ``node`` whose attributes include ``attrs``.

    Write ``aria_label`` for ``aria-label``; ``class_`` matches one class among several.
    """
    wanted = {key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()}
    found = []
    for child in node.children:
        if isinstance(child, str):
            continue
        attributes = dict(child.attributes)
        classes = (attributes.get("class") or "").split()
        if child.name == name and all(
            value in classes if key == "class" else attributes.get(key) == value
            for key, value in wanted.items()
        ):
            found.append(child)
        found.extend(find_all(child, name, **attrs))
    return found


def text_of(node: Element | str) -> str:
    """The text a reader sees, near enough: parse_html drops the spaces around tags."""
    if isinstance(node, str):
        return re.sub(r"[\t\n\f\r ]+", " ", node).strip()
    text = " ".join(filter(None, (text_of(child) for child in node.children)))
    return re.sub(r" ([.,;:])", r"\1", text)


def attr(node: Element, name: str) -> str | None:
    return dict(node.attributes).get(name)


def page(client, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200
    return parse_html(response.content.decode())


@pytest.fixture
def work() -> Work:
    work = build_work()
    build_version(work, chapter_specs())
    return work


@pytest.fixture
def count_everything_twice(monkeypatch):
    """A stand-in for commentary's counter: two comments on every paragraph but the first."""
    calls = []

    def counter(user, paragraph_ids, version=None):
        calls.append(list(paragraph_ids))
        return dict.fromkeys(sorted(paragraph_ids)[1:], 2)

    monkeypatch.setattr(extensions, "_paragraph_counters", [counter])
    return calls


def reading_url(work: Work) -> str:
    return reverse("edition:work-detail", kwargs={"slug": work.slug})


# The list of works


def test_it_lists_works_with_a_published_version_on_the_home_page(client, work):
    build_work(slug="unpublished", title="Work in progress")

    html = page(client, reverse("edition:work-list"))

    # The works' titles: the page's other h2 heads its recent activity (commentary's tag).
    titles = [text_of(h2) for h2 in find_all(html, "h2", class_="work-card-title")]
    assert titles == ["October 1917 Revolution: A Century Later"]
    assert find_all(html, "a", href="/works/october-1917/")
    assert "Samir Amin" in text_of(html)


def test_it_serves_the_home_page_at_the_root(client):
    assert reverse("edition:work-list") == "/"
    assert client.get("/").status_code == 200


# The reading page


def test_it_shows_the_title_as_the_only_h1_and_the_author(client, work):
    html = page(client, reading_url(work))

    h1s = find_all(html, "h1")
    assert [text_of(h1) for h1 in h1s] == ["October 1917 Revolution: A Century Later"]
    assert text_of(find_all(html, "p", class_="work-author")[0]) == "Samir Amin"
    assert text_of(find_all(html, "p", class_="work-subtitle")[0]) == "Chapter One"


def test_it_has_landmarks_and_a_skip_link_first(client, work):
    html = page(client, reading_url(work))

    links = find_all(html, "a")
    assert text_of(links[0]) == "Skip to text"
    assert attr(links[0], "href") == "#main"
    assert find_all(html, "main", id="main")
    assert find_all(html, "header", class_="site-header")
    assert find_all(html, "footer")
    assert find_all(html, "nav", aria_label="Contents")


def test_it_links_every_contents_entry_to_an_existing_heading_id(client, work):
    html = page(client, reading_url(work))

    toc = find_all(html, "nav", aria_label="Contents")[0]
    targets = [attr(a, "href") for a in find_all(toc, "a")]
    heading_ids = {
        attr(h, "id")
        for level in range(2, 7)
        for h in find_all(html, f"h{level}", class_="text-heading")
    }
    assert targets == ["#p1", "#p2", "#p5", "#p10"]
    assert {target.removeprefix("#") for target in targets} == heading_ids


def test_it_nests_the_contents_by_heading_level(client, work):
    html = page(client, reading_url(work))

    toc = find_all(html, "nav", aria_label="Contents")[0]
    top_list = find_all(toc, "ol")[0]
    top_entries = [child for child in top_list.children if not isinstance(child, str)]
    assert [text_of(find_all(li, "a")[0]) for li in top_entries] == [
        "Chapter One",
        "The October 1917 Revolution started off the transformation of the world",
    ]
    nested = find_all(top_entries[1], "a")
    assert [attr(a, "href") for a in nested] == ["#p2", "#p5", "#p10"]


def test_it_renders_headings_at_their_level_under_the_h1(client):
    work = build_work(slug="levels")
    build_version(
        work, [heading("Top", level=1), heading("Section", level=3), heading("Deep", level=6)]
    )

    html = page(client, reading_url(work))

    # The top level is h2; each level below it is one step deeper, as far as h6.
    assert attr(find_all(html, "h2", id="p1")[0], "id") == "p1"
    assert text_of(find_all(html, "h4", id="p2")[0]) == "Section"
    assert text_of(find_all(html, "h6", id="p3")[0]) == "Deep"
    assert len(find_all(html, "h1")) == 1


def test_it_anchors_and_numbers_every_paragraph_without_counting_headings(client, work):
    html = page(client, reading_url(work))

    numbers = {
        attr(a, "href").split("/")[-2]: text_of(a)
        for a in find_all(html, "a", class_="block-number")
    }
    assert numbers == {
        key: f"Paragraph {number} — permalink and citation"
        for number, key in enumerate(("p3", "p4", "p6", "p7", "p8", "p9", "p11", "p12"), 1)
    }
    for key in numbers:
        assert (
            len(find_all(html, "p", id=key))
            + len(find_all(html, "li", id=key))
            + len(find_all(html, "blockquote", id=key))
            == 1
        )


def test_it_groups_consecutive_list_items_in_one_list(client, work):
    html = page(client, reading_url(work))

    lists = find_all(html, "ul", class_="block-list")
    assert len(lists) == 1
    assert [attr(li, "id") for li in find_all(lists[0], "li")] == ["p7", "p8"]


def test_it_renders_quotes_as_blockquotes(client, work):
    html = page(client, reading_url(work))

    assert "autocracy masked" in text_of(find_all(html, "blockquote", id="p11")[0])


def test_it_links_every_numbered_paragraph_to_its_permalink(client, work):
    html = page(client, reading_url(work))

    permalinks = [attr(a, "href") for a in find_all(html, "a", class_="block-number")]
    assert len(permalinks) == 8
    assert "/works/october-1917/p/p7/" in permalinks


def test_it_shows_readers_numbers_and_never_the_stable_keys(client, work):
    html = page(client, reading_url(work))

    text = find_all(html, "article", class_="text")[0]
    assert not re.search(r"\bp\d+\b", text_of(text))


def test_it_names_every_passages_discussion_control_after_the_passage(client, work):
    html = page(client, reading_url(work))

    controls = {
        attr(a, "data-discussion-toggle"): text_of(a)
        for a in find_all(html, "a", class_="comment-toggle")
    }
    assert len(controls) == 12
    assert controls["p3"] == "Comment on ¶ 1"
    assert controls["p1"] == "Comment on “Chapter One”"


def test_it_leaves_the_discussion_panel_empty_until_a_discussion_is_asked_for(client, work):
    html = page(client, reading_url(work))

    panel = find_all(html, "aside", id="discussion-panel")[0]
    assert not panel.children
    assert find_all(html, "a", href="/works/october-1917/?discussion=p3#p3")


def test_it_opens_the_discussion_the_address_names(client, work):
    html = page(client, f"{reading_url(work)}?discussion=p6")

    panel = find_all(html, "aside", id="discussion-panel")[0]
    assert text_of(find_all(panel, "h2")[0]) == "Discussion of ¶ 3"
    close = find_all(panel, "a", class_="discussion-close")[0]
    assert attr(close, "href") == "/works/october-1917/#p6"


def test_it_sends_a_discussion_of_a_passage_not_in_the_version_to_the_text(client, work):
    response = client.get(f"{reading_url(work)}?discussion=p99")

    assert response.status_code == 302
    assert response["Location"] == reading_url(work)


def test_it_shows_comment_counts_asking_the_counters_once(client, work, count_everything_twice):
    html = page(client, reading_url(work))

    assert len(count_everything_twice) == 1
    assert len(count_everything_twice[0]) == 12
    counts = {
        attr(a, "data-discussion-toggle"): text_of(a)
        for a in find_all(html, "a", class_="comment-count")
    }
    assert len(counts) == 11
    assert counts["p2"] == (
        "2 comments on “The October 1917 Revolution started off the transformation…”"
    )
    assert counts["p3"] == "2 comments on ¶ 1"
    assert "p1" not in counts


def test_it_hides_a_count_of_zero(client, work):
    html = page(client, reading_url(work))

    assert find_all(html, "a", class_="comment-count") == []


def test_it_serves_no_inline_script_or_style(client, work):
    response = client.get(reading_url(work))
    html = parse_html(response.content.decode())

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert all(attr(script, "src") for script in find_all(html, "script"))
    assert find_all(html, "style") == []
    assert b" style=" not in response.content
    assert find_all(html, "script", src="/static/django_htmx/htmx-2.min.js")


# Versions


def test_it_shows_a_given_published_version_with_a_switcher(client, work):
    build_version(work, [heading("Chapter One", key="p1"), para("A new wording.", key="p3")])

    html = page(client, "/works/october-1917/v/1/")

    switcher = find_all(html, "nav", aria_label="Versions")[0]
    links = find_all(switcher, "a")
    assert [attr(a, "href") for a in links] == [
        "/works/october-1917/v/1/",
        "/works/october-1917/v/2/",
    ]
    assert attr(links[0], "aria-current") == "page"
    assert "This is not the current version of the text." in text_of(html)
    assert "autocracy masked" in text_of(html)


def test_it_shows_the_current_version_at_the_work_address(client, work):
    build_version(work, [heading("Chapter One", key="p1"), para("A new wording.", key="p3")])

    html = page(client, reading_url(work))

    assert text_of(find_all(html, "p", id="p3")[0]) == "A new wording."
    assert find_all(html, "p", id="p4") == []


def test_it_hides_a_draft_version_from_readers(client, work, django_user_model):
    build_version(work, [para("Not yet.")], publish=False)
    client.force_login(django_user_model.objects.create_user("reader"))

    assert client.get("/works/october-1917/v/2/").status_code == 404


def test_it_shows_a_draft_version_to_staff(client, work, django_user_model):
    build_version(work, [para("Not yet.")], publish=False)
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))

    html = page(client, "/works/october-1917/v/2/")

    assert "Not yet." in text_of(html)
    assert "Draft" in text_of(html)


@pytest.mark.parametrize(
    "url",
    [
        "/works/unknown/",
        "/works/october-1917/v/9/",
        "/works/unknown/v/1/",
        "/works/october-1917/p/p999/",
        "/works/unknown/p/p1/",
    ],
)
def test_it_answers_404_for_what_does_not_exist(client, work, url):
    response = client.get(url)

    assert response.status_code == 404
    assert b"Not found" in response.content


def test_it_answers_404_for_a_work_with_no_published_version(client):
    work = build_work(slug="draft-only")
    build_version(work, [para("Draft.")], publish=False)

    assert client.get(reading_url(work)).status_code == 404
    assert client.get("/works/draft-only/p/p1/").status_code == 404


def test_it_renders_the_server_error_page_without_a_request():
    html = render_to_string("500.html")

    assert "Something went wrong" in html
    assert "/static/css/scholia.css" in html


# The paragraph page


def test_it_shows_the_paragraph_with_its_number_key_and_place_in_the_text(client, work):
    html = page(client, "/works/october-1917/p/p6/")

    assert text_of(find_all(html, "h1")[0]) == "Paragraph 3"
    assert "p6" not in text_of(find_all(html, "header", class_="paragraph-header")[0])
    assert "Lenin, along with the Bolshevik leaders" in text_of(
        find_all(html, "blockquote", class_="passage")[0]
    )
    assert find_all(html, "a", href="/works/october-1917/#p6")


def test_it_offers_the_stable_url_and_a_citation(client, work):
    html = page(client, "/works/october-1917/p/p6/")

    cite = find_all(html, "details", class_="cite-box")[0]
    assert text_of(find_all(cite, "summary")[0]) == "Cite this paragraph"
    stable_url = find_all(cite, "input", class_="cite-url")[0]
    assert "readonly" in dict(stable_url.attributes)
    assert attr(stable_url, "value") == "http://testserver/works/october-1917/p/p6/"
    assert text_of(find_all(cite, "p", class_="cite-text")[0]) == (
        "Samir Amin, “October 1917 Revolution: A Century Later,” Chapter One "
        "(Daraja Press, 2017), ¶\N{NO-BREAK SPACE}3 [p6], version 1. "
        "Scholia edition, http://testserver/works/october-1917/p/p6/."
    )


def test_it_groups_identical_wordings_in_the_history(client, work):
    build_version(work, [para("A new wording.", key="p3"), para(chapter_specs()[3].text, key="p4")])
    build_version(work, [para(chapter_specs()[2].text, key="p3"), para("Gone.")])

    html = page(client, "/works/october-1917/p/p3/")

    wordings = [
        (
            text_of(find_all(li, "p", class_="history-versions")[0]),
            text_of(find_all(li, "blockquote")[0]).replace(" ]", "]"),
        )
        for li in find_all(html, "li", class_="history-item")
    ]
    # Each wording after the first is marked with its changes from the one before.
    assert wordings == [
        ("Versions 1, 3 current", chapter_specs()[2].text),
        ("Version 2", f"[removed: {chapter_specs()[2].text[:-1]}] [added: A new wording]."),
    ]


def test_it_says_where_a_removed_paragraph_appeared(client, work):
    build_version(work, [heading("Chapter One", key="p1")])

    html = page(client, "/works/october-1917/p/p6/")

    assert "This passage is no longer in the current version of the text." in text_of(html)
    assert text_of(find_all(html, "h1")[0]) == "Paragraph 3"
    assert "¶ 3 in version 1, where it last appeared" in text_of(html)
    assert find_all(html, "a", href="/works/october-1917/v/1/#p6")
    assert "Lenin, along with the Bolshevik leaders" in text_of(html)


def test_it_links_a_merged_paragraph_to_the_one_it_joined(client, work):
    build_version(work, [para("Both paragraphs, merged.", key="p3")])
    merge(work.current_version, "p4", "p3")

    html = page(client, "/works/october-1917/p/p4/")

    assert "It was merged into another passage." in text_of(html)
    assert find_all(html, "a", href="/works/october-1917/p/p3/")


def test_it_answers_404_for_a_paragraph_only_in_a_draft(client, work):
    build_version(work, [para("Only in a draft.")], publish=False)

    assert client.get("/works/october-1917/p/p13/").status_code == 404


# Query budget


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_it_reads_any_length_of_text_in_a_fixed_number_of_queries(
    client, django_user_model, count_everything_twice, signed_in
):
    if signed_in:
        client.force_login(django_user_model.objects.create_user("reader"))
        # The navigation's count of unread decisions is cached from the reader's first page.
        client.get("/")
    short, long = build_work(slug="short"), build_work(slug="long")
    specs = [heading("Part", level=2), item("An item"), quote("A quote")]
    build_version(short, specs + [para(f"Paragraph {n}.") for n in range(7)])
    build_version(long, specs + [para(f"Paragraph {n}.") for n in range(997)])

    for url in ("/works/{}/", "/works/{}/v/1/"):
        short_count = count_queries(client, url.format("short"))
        long_count = count_queries(client, url.format("long"))
        assert short_count == long_count <= 10
