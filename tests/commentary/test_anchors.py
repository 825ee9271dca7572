"""Comments across versions: every comment written on v1 is reachable on v2 and v3, and
says whether it answers the wording shown, an earlier one, or a passage no longer there."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.anchors import VersionWordings, quote_refind, version_wordings
from commentary.models import Comment
from commentary.quotes import quote_locate
from edition.models import VersionParagraph
from tests.commentary.builders import bulk_roots, client_for, htmx_headers, make_user, post
from tests.commentary.revised_chapter import (
    FIXED,
    NEVERTHELESS,
    revised_chapter,
    write_version_3,
)

pytestmark = pytest.mark.django_db

WORK = "/works/october-1917"


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def anchors_on(version, comments: dict[str, Comment]) -> dict[str, tuple]:
    wordings = version_wordings(version)
    found = {}
    for name, comment in comments.items():
        anchor = wordings.anchor_of(comment)
        found[name] = (anchor.state, anchor.quote_state)
    return found


def quoted_now(wordings: VersionWordings, comment: Comment) -> str | None:
    anchor = wordings.anchor_of(comment)
    if anchor.quote_now is None:
        return None
    start, end = anchor.quote_now
    return wordings.texts[wordings.home(comment.paragraph_id)][start:end]


# Finding a quote again


def test_it_finds_a_phrase_that_is_still_there_exactly():
    found = quote_refind("A new opening. The aim of it all.", "aim of it", "The ", " all", 4)

    assert (found.state, found.score) == ("exact", 1.0)
    assert (found.start, found.end) == (19, 28)


def test_it_tells_a_repeated_phrase_apart_by_its_context():
    text = "the form of property; the form of planning"

    found = quote_refind(text, "the form of", "property; ", " planning", 0)

    assert (found.start, found.end) == (22, 33)


def test_it_finds_a_phrase_with_a_corrected_spelling_fuzzily_with_its_score():
    found = quote_refind(FIXED, "this chaptre is", "The aim of ", " certainly", 11)

    assert found.state == "fuzzy"
    assert 0.9 < found.score < 1
    assert FIXED[found.start : found.end] == "this chapter is"


def test_it_reports_a_rewritten_phrase_lost():
    found = quote_refind(
        "This chapter does not set out to belittle the experiment.",
        "certainly not to denigrate this first socialist project",
        "The aim of this chaptre is ",
        ".",
        27,
    )

    assert found.state == "lost"
    assert found.score < 0.7
    assert found.start is None


ZHDANOV_V1 = "The following year Jdanov, in his famous report (in fact, Stalin’s), which led"
ZHDANOV_V2 = "The following year Zhdanov, in his famous report (in fact, Stalin’s), which led"


def refound(text_v1: str, text_v2: str, exact: str) -> str | None:
    """The passage of ``text_v2`` found again for ``exact`` quoted in ``text_v1``."""
    quote = quote_locate(text_v1, {"exact": exact})
    found = quote_refind(text_v2, quote.exact, quote.prefix, quote.suffix, quote.start)
    return None if found.start is None else text_v2[found.start : found.end]


@pytest.mark.parametrize(
    ("text_v1", "text_v2", "exact", "now"),
    [
        (ZHDANOV_V1, ZHDANOV_V2, "Jdanov", "Zhdanov"),
        (
            "The Jdanov doctrine pursued one main aim: to impose peaceful coexistence.",
            "The Zhdanov doctrine pursued one main aim: to impose peaceful coexistence.",
            "Jdanov",
            "Zhdanov",
        ),
        (
            "Gover Furr has provided the proof in minute detail.",
            "Grover Furr has provided the proof in minute detail.",
            "Gover",
            "Grover",
        ),
        (
            "a book by Gover Furr is now available",
            "a book by Grover Furr is now available",
            "Gover Furr",
            "Grover Furr",
        ),
        (ZHDANOV_V1, ZHDANOV_V2, "famous report", "famous report"),
        (
            "The aim of this chaptre is certainly not",
            "The aim of this chapter is certainly not",
            "haptre",
            "hapter",
        ),
    ],
)
def test_a_quote_found_again_spans_the_words_found_not_the_old_length(text_v1, text_v2, exact, now):
    assert refound(text_v1, text_v2, exact) == now


# Every comment of v1, on v1, v2 and v3


def test_every_comment_is_current_on_the_version_it_was_written_on(alice):
    revised = revised_chapter(alice)

    anchors = anchors_on(revised.v1, revised.comments)

    assert all(state == "current" for state, _quote in anchors.values())


def test_it_labels_every_comment_of_version_1_on_version_2(alice):
    # These versions are built without an import's record of moves and splits, so those
    # read as wordings (tests/api/test_anchor_states.py imports them); merges are recorded.
    revised = revised_chapter(alice)

    assert anchors_on(revised.v2, revised.comments) == {
        "typo": ("earlier_wording", "fuzzy"),
        "kept": ("earlier_wording", "exact"),
        "split": ("earlier_wording", "exact"),
        "split_away": ("earlier_wording", "lost"),
        "moved": ("current", None),
        "merged": ("merged", "exact"),
        "merged_into": ("earlier_wording", None),
        "removed": ("paragraph_removed", "lost"),
        "unchanged": ("current", "exact"),
    }


def test_it_labels_every_comment_of_version_1_on_version_3(alice):
    revised = revised_chapter(alice, versions=3)

    assert anchors_on(revised.v3, revised.comments) == {
        "typo": ("earlier_wording", "lost"),
        "kept": ("earlier_wording", "lost"),
        "split": ("earlier_wording", "exact"),
        "split_away": ("earlier_wording", "lost"),
        "moved": ("paragraph_removed", None),
        "merged": ("merged", "exact"),
        "merged_into": ("merged", None),
        "removed": ("paragraph_removed", "lost"),
        "unchanged": ("current", "exact"),
    }


def test_a_quote_found_again_points_into_the_wording_shown(alice):
    revised = revised_chapter(alice, versions=3)
    comments = revised.comments

    on_v2 = version_wordings(revised.v2)
    on_v3 = version_wordings(revised.v3)

    assert quoted_now(on_v2, comments["typo"]) == "this chapter is"
    # p5 went into p6 on v2, and p6 into p3 on v3: the phrase is found where it now stands.
    assert quoted_now(on_v2, comments["merged"]) == "quickly learned"
    assert on_v2.anchor_of(comments["merged"]).quote_now == (len("Nevertheless, Lenin "), 35)
    assert quoted_now(on_v3, comments["merged"]) == "quickly learned"
    assert on_v3.anchor_of(comments["merged"]).quote_now[0] > 80
    assert quoted_now(on_v3, comments["kept"]) is None


# The pages


def count_in_margin(html: str, key: str) -> str:
    control = rf'data-discussion-toggle="{key}"[^>]*>\s*<span class="comment-toggle-label">([^<]*)<'
    found = re.search(control, html)
    assert found, key
    return found.group(1)


def test_the_margin_counts_what_each_passage_carries(alice):
    revised_chapter(alice, versions=3)

    on_v2 = html_of(client_for().get(f"{WORK}/v/2/"))
    on_v3 = html_of(client_for().get(f"{WORK}/"))

    assert count_in_margin(on_v2, "p6") == "2 comments"  # its own and p5's
    assert count_in_margin(on_v2, "p4") == "1 comment"  # moved, with its comment
    assert count_in_margin(on_v3, "p3") == "4 comments"  # its two, p5's and p6's


def test_the_discussion_of_a_merged_passage_gathers_both_and_says_where_each_was_written(
    alice,
):
    revised = revised_chapter(alice)

    html = html_of(client_for().get(f"{WORK}/p/p6/discussion/?version=2", headers=htmx_headers()))

    assert "On learning." in html and "On the lesson." in html
    assert "Written on v1, on ¶ 4, since merged into this passage." in html
    assert f'href="{WORK}/compare/1...2/#p5"' in html
    assert f'href="{WORK}/compare/1...2/#p6"' in html
    assert revised.comments["merged"].quote_exact in html


def test_a_comment_on_an_earlier_wording_shows_its_quote_as_it_now_reads(alice):
    revised_chapter(alice, versions=3)
    client = client_for()

    on_v2 = html_of(client.get(f"{WORK}/p/p2/discussion/?version=2", headers=htmx_headers()))
    on_v3 = html_of(client.get(f"{WORK}/p/p2/discussion/", headers=htmx_headers()))

    assert "Written on v1, on an earlier wording." in on_v2
    assert 'class="comment-quote comment-quote-fuzzy"' in on_v2
    assert "this chapter is</p></blockquote>" in on_v2
    assert '<p class="comment-quote-origin">Quoted on v1 as: <q>this chaptre is</q></p>' in on_v2
    assert "The quote is no longer in the text. Quoted on v1 as:</span> not to denigrate" in on_v3
    assert f'href="{WORK}/compare/1...3/#p2"' in on_v3


def test_a_comment_on_the_wording_shown_says_nothing_of_versions(alice):
    revised_chapter(alice)

    html = html_of(client_for().get(f"{WORK}/p/p4/discussion/", headers=htmx_headers()))

    assert "On nostalgia." in html
    assert "Written on" not in html


def test_the_version_page_lists_comments_on_passages_no_longer_in_it(alice):
    revised = revised_chapter(alice, versions=3)
    post(alice, revised.work, "p9", "On a sentence that version 1 did not have yet.")

    on_v1 = html_of(client_for().get(f"{WORK}/v/1/"))
    on_v2 = html_of(client_for().get(f"{WORK}/v/2/"))
    on_v3 = html_of(client_for().get(f"{WORK}/"))

    assert "Comments on passages no longer in this version" not in on_v1
    assert "Comments on passages no longer in this version" in on_v2
    listed_v2 = on_v2.split("Comments on passages no longer in this version")[1]
    assert f'href="{WORK}/p/p7/#discussion"' in listed_v2
    assert "1 comment on ¶ 6</a>" in listed_v2  # p7, as version 1 numbered it
    assert "comment on p7" not in listed_v2
    assert f'href="{WORK}/p/p5/#discussion"' not in listed_v2  # carried into p6
    listed_v3 = on_v3.split("Comments on passages no longer in this version")[1]
    assert f'href="{WORK}/p/p4/#discussion"' in listed_v3
    assert f'href="{WORK}/p/p7/#discussion"' in listed_v3
    assert "/p/p6/#discussion" not in listed_v3  # carried into p3


def test_a_comment_on_a_removed_passage_names_it_as_readers_numbered_it(alice):
    revised = revised_chapter(alice)
    post(alice, revised.work, "p9", "A comment on a passage version 3 will not hold.")
    write_version_3(revised.work)

    html = html_of(client_for().get(f"{WORK}/p/p3/discussion/", headers=htmx_headers()))

    # p6 (¶ 5 of v2) went into p3 in v3; p5 (¶ 4 of v1) had gone into p6 before.
    assert "Written on v1, on ¶ 4, since merged into this passage." in html
    assert "Written on v1, on p5" not in html


def test_the_permalink_of_a_moved_paragraphs_comment_says_nothing_changed(alice):
    revised = revised_chapter(alice)

    moved = html_of(client_for().get(f"/comments/{revised.comments['moved'].pk}/"))
    removed = html_of(client_for().get(f"/comments/{revised.comments['removed'].pk}/"))

    # ¶ 3 of version 1 is ¶ 6 of version 2: the permalink says both, never the key.
    assert "<h1>A comment on ¶ 3 on v1, now ¶ 6</h1>" in moved
    assert "The whole discussion of ¶ 3 on v1, now ¶ 6" in moved
    assert "<h1>A comment on ¶ 6</h1>" in removed
    assert "Written on v1, on ¶ 6, a passage no longer in this version." in removed
    assert "The passage has changed since" not in moved
    assert "Written on v1" not in moved
    assert "The passage is no longer in the current version" in removed


def test_a_reply_to_a_comment_on_an_earlier_wording_records_the_wording_shown(alice, bob):
    revised = revised_chapter(alice)
    parent = revised.comments["split"]

    client_for(bob).post(f"/comments/{parent.pk}/reply/", {"body": "I read it today."})

    reply = Comment.objects.get(parent=parent)
    shown = VersionParagraph.objects.get(version=revised.v2, paragraph=parent.paragraph)
    assert (reply.version_id, reply.revision_id) == (revised.v2.pk, shown.revision_id)
    assert reply.revision_id != parent.revision_id


# Query budgets


def queries_for(client, url: str, **kwargs) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("viewer", [None, "bob"])
def test_the_reading_page_of_a_revised_text_costs_the_same_as_comments_grow(alice, viewer):
    revised = revised_chapter(alice, versions=3)
    client = client_for(make_user(viewer) if viewer else None)
    few = queries_for(client, f"{WORK}/")
    few_old = queries_for(client, f"{WORK}/v/1/")

    for key in ("p2", "p3", "p5", "p7"):
        version = revised.v1 if key in ("p5", "p7") else revised.v3
        revised.work.current_version = version
        bulk_roots(alice, revised.work, 300, key=key)
    revised.work.current_version = revised.v3

    assert queries_for(client, f"{WORK}/") == few
    assert queries_for(client, f"{WORK}/v/1/") == few_old


def test_a_revised_passages_discussion_costs_the_same_as_comments_grow(alice, bob):
    revised = revised_chapter(alice, versions=3)
    client = client_for(bob)
    url = f"{WORK}/p/p3/discussion/"
    few = queries_for(client, url, headers=htmx_headers())

    revised.work.current_version = revised.v1
    for key in ("p3", "p5", "p6"):
        bulk_roots(alice, revised.work, 300, key=key)
    post(bob, revised.work, "p3", "On the merged passage.", quote={"exact": NEVERTHELESS})

    assert queries_for(client, url, headers=htmx_headers()) == few


def test_a_reply_written_on_an_older_version_on_screen_records_that_wording(alice, bob):
    revised = revised_chapter(alice)
    parent = revised.comments["split"]
    client = client_for(bob)

    on_v1 = html_of(client.get(f"{WORK}/p/p3/discussion/?version=1", headers=htmx_headers()))
    reply_url = f"/comments/{parent.pk}/reply/?version=1"
    form = html_of(client.get(reply_url))
    client.post(reply_url, {"body": "Reading the first edition."})

    assert f'href="{reply_url}"' in on_v1
    assert f'action="{reply_url}"' in form
    reply = Comment.objects.get(parent=parent)
    assert (reply.version_id, reply.revision_id) == (revised.v1.pk, parent.revision_id)


def test_the_thread_shown_again_after_a_reply_keeps_saying_where_each_was_written(alice, bob):
    revised = revised_chapter(alice)
    parent = revised.comments["split"]

    response = client_for(bob).post(
        f"/comments/{parent.pk}/reply/?version=2",
        {"body": "Read on the second edition."},
        headers=htmx_headers("/works/october-1917/v/2/"),
    )

    html = html_of(response)
    assert "Read on the second edition." in html
    assert html.count("Written on v1, on an earlier wording.") == 1


def test_the_profile_says_which_comments_answer_an_earlier_wording(alice):
    revised_chapter(alice, versions=3)

    html = html_of(client_for().get("/users/alice/"))
    items = {
        body: item
        for item in html.split('<li class="profile-comment">')[1:]
        for body in ("On nostalgia.", "On autocracy.", "On learning.")
        if body in item
    }

    assert "written on version 1, an earlier wording" in items["On learning."]
    assert "written on version 1, a passage no longer in the text" in items["On nostalgia."]
    assert "written on version" not in items["On autocracy."]
