"""The discussion's pages: opening a paragraph's threads, writing in place with htmx and
without JavaScript, a comment's permalink and history."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from commentary.models import Comment, CommentRevision
from commentary.services import comment_create, comment_delete, comment_edit
from edition.models import ModerationPolicy
from tests.commentary.builders import (
    FIRST,
    bulk_thread,
    client_for,
    htmx_headers,
    post,
)
from tests.edition.builders import build_version, chapter_specs, para

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"
PARAGRAPH = "/works/october-1917/p/p3/"
DISCUSSION = "/works/october-1917/p/p3/discussion/"
CREATE = "/works/october-1917/p/p3/comments/"
HTMX = htmx_headers()


def event_of(response) -> dict:
    return json.loads(response["HX-Trigger-After-Settle"])["commentary:changed"]


def html_of(response) -> str:
    return response.content.decode()


def login_url(next_url: str) -> str:
    return f"/accounts/login/?next={next_url.replace('#', '%23')}"


# URLs


def test_it_names_its_urls():
    assert reverse("commentary:paragraph-discussion", args=["w", "p3"]) == (
        "/works/w/p/p3/discussion/"
    )
    assert reverse("commentary:comment-create", args=["w", "p3"]) == "/works/w/p/p3/comments/"
    assert reverse("commentary:comment-detail", args=[7]) == "/comments/7/"
    for name in ("reply", "edit", "delete", "history"):
        assert reverse(f"commentary:comment-{name}", args=[7]) == f"/comments/7/{name}/"


# The reading page's margin


def test_it_links_each_count_to_its_paragraph_and_its_discussion(alice, work):
    post(alice, work)
    html = html_of(client_for().get(READING))

    assert (
        '<a class="comment-toggle comment-count" href="/works/october-1917/?discussion=p3#p3" '
        'data-hx-get="/works/october-1917/p/p3/discussion/" data-hx-target="#discussion-panel" '
        'aria-controls="discussion-panel" data-discussion-toggle="p3" data-count="1">'
        '<span class="comment-toggle-label">1 comment</span>'
        '<span class="visually-hidden"> on ¶ 1</span></a>'
    ) in html
    assert 'class="comment-toggle comment-add" href="/works/october-1917/?discussion=p4#p4"' in html


def test_it_opens_an_earlier_versions_discussion_on_that_wording(alice, work):
    build_version(work, [para("A rewritten opening.", key="p3"), *chapter_specs()[3:]])

    html = html_of(client_for().get("/works/october-1917/v/1/"))
    assert 'data-hx-get="/works/october-1917/p/p3/discussion/?version=1"' in html

    partial = html_of(client_for(alice).get(f"{DISCUSSION}?version=1", headers=HTMX))
    assert '<input type="hidden" name="version" value="1">' in partial

    response = client_for(alice).post(CREATE, {"body": "On the first wording.", "version": "1"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.version.number == 1
    assert comment.revision.text == FIRST


# Opening the discussion


def test_it_opens_the_discussion_with_its_threads_and_a_form(alice, bob, work):
    root = post(alice, work, body="A *first* thought.", quote={"exact": "first socialist"})
    comment_create(author=bob, parent=root, body="A reply.")

    response = client_for(bob).get(DISCUSSION, headers=HTMX)
    html = html_of(response)

    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert '<h2 class="discussion-title" id="discussion-title-p3" tabindex="-1">' in html
    assert "<p>A <em>first</em> thought.</p>" in html
    assert "first socialist</p></blockquote>" in html
    assert html.index("A <em>first</em>") < html.index("A reply.")
    assert f'action="{CREATE}"' in html
    assert f'data-hx-post="{CREATE}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "data-discussion-close" in html


def test_it_titles_the_discussion_with_the_number_readers_see(alice, work):
    post(alice, work)

    html = html_of(client_for(alice).get(DISCUSSION, headers=HTMX))

    assert ">Discussion of ¶ 1</h2>" in html
    assert '<a class="discussion-close" href="/works/october-1917/#p3"' in html
    assert '<a href="/works/october-1917/p/p3/">Permalink and citation</a>' in html
    assert "p3</h2>" not in html
    # The passage, readable and quotable where the panel covers the text (phones).
    assert f'<p data-quote-source="p3">{FIRST}</p>' in html


def test_it_closes_an_earlier_versions_discussion_back_to_that_version(alice, work):
    build_version(work, [para("A rewritten opening.", key="p3"), *chapter_specs()[3:]])

    html = html_of(client_for(alice).get(f"{DISCUSSION}?version=1", headers=HTMX))

    assert '<a class="discussion-close" href="/works/october-1917/v/1/#p3"' in html


def test_it_puts_the_form_above_the_threads_beside_the_text_and_below_on_the_page(alice, work):
    post(alice, work, body="An early remark.")

    panel = html_of(client_for(alice).get(f"{READING}?discussion=p3"))
    page = html_of(client_for(alice).get(PARAGRAPH))

    assert panel.index('<form class="comment-form"') < panel.index("An early remark.")
    assert page.index("An early remark.") < page.index('<form class="comment-form"')


def test_it_invites_a_signed_out_reader_to_sign_in(alice, work):
    post(alice, work)

    html = html_of(client_for().get(DISCUSSION, headers=HTMX))

    assert "Sign in to comment" in html
    assert 'href="/accounts/login/?next=/works/october-1917/%3Fdiscussion%3Dp3%23p3"' in html
    assert "<form" not in html
    assert "csrfmiddlewaretoken" not in html


def test_it_sends_a_direct_visit_of_the_fragment_to_the_paragraph_page(work):
    response = client_for().get(DISCUSSION)

    assert response.status_code == 302
    assert response["Location"] == f"{PARAGRAPH}#discussion"


def test_it_answers_404_for_a_paragraph_in_no_published_version(work):
    build_version(work, [para("Only in a draft.")], publish=False)

    assert client_for().get("/works/october-1917/p/p13/discussion/", headers=HTMX).status_code == (
        404
    )
    assert client_for().get("/works/nope/p/p3/discussion/", headers=HTMX).status_code == 404


def test_it_says_when_comments_are_closed(alice, work):
    work.moderation_policy = ModerationPolicy.CLOSED
    work.save(update_fields=["moderation_policy"])

    html = html_of(client_for(alice).get(DISCUSSION, headers=HTMX))

    assert "Comments on this work are closed." in html
    assert "<form" not in html


def test_it_takes_no_new_comments_on_a_passage_gone_from_the_text(alice, work):
    post(alice, work)
    build_version(work, [para("Everything else went.")])

    html = html_of(client_for(alice).get(DISCUSSION, headers=HTMX))

    assert "A comment." in html
    assert "takes no new comments" in html
    assert "<form" not in html


# The paragraph page, without JavaScript


def test_it_shows_the_whole_discussion_on_the_paragraph_page(alice, bob, work):
    root = post(alice, work, body="On the page.")
    comment_create(author=bob, parent=root, body="Below it.")

    html = html_of(client_for(bob).get(PARAGRAPH))

    assert '<section class="discussion discussion-standalone" id="discussion"' in html
    assert "On the page." in html
    assert "Below it." in html
    assert '<label for="p3-body">Your comment</label>' in html
    assert '<label for="p3-quote_exact">Quote a phrase from the paragraph' in html
    assert f'data-quote-source="p3">{FIRST}</p>' in html


# Posting


def test_it_posts_in_place_with_htmx(bob, work):
    response = client_for(bob).post(CREATE, {"body": "Posted *in place*."}, headers=HTMX)

    comment = Comment.objects.get()
    html = html_of(response)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#threads-p3"
    assert response["HX-Reswap"] == "beforeend"
    assert html.startswith(f'<li class="thread" id="thread-{comment.pk}">')
    assert "<p>Posted <em>in place</em>.</p>" in html
    assert 'id="p3-form" method="post"' in html
    assert 'data-hx-swap-oob="true"' in html
    assert event_of(response) == {
        "message": "Your comment was posted.",
        "focus": [f"c{comment.pk}", "discussion-title-p3"],
        "paragraph": "p3",
        "count": 1,
        "countLabel": "1 comment",
    }


def test_it_posts_without_javascript_and_redirects_to_the_permalink(bob, work):
    client = client_for(bob)
    response = client.post(CREATE, {"body": "Posted the old way."})

    comment = Comment.objects.get()
    assert response.status_code == 302
    # Where the permalink says it was posted, just above the thread.
    assert response["Location"] == f"/comments/{comment.pk}/#said"
    assert 'id="said"' in client.get(response["Location"]).content.decode()
    assert comment.author == bob
    assert comment.body == "Posted the old way."


def test_it_stores_a_phrase_selected_in_the_text(bob, work):
    start = FIRST.index("socialist project")
    data = {
        "body": "Quoted.",
        "quote_exact": "socialist project",
        "quote_start": start,
        "quote_end": start + len("socialist project"),
    }

    client_for(bob).post(CREATE, data, headers=HTMX)

    assert Comment.objects.get().quote["start"] == start


def test_it_finds_a_phrase_typed_by_hand(bob, work):
    client_for(bob).post(CREATE, {"body": "Quoted.", "quote_exact": " denigrate "})

    quote = Comment.objects.get().quote
    assert FIRST[quote["start"] : quote["end"]] == "denigrate"


def test_it_tells_a_premoderated_author_that_the_comment_waits(bob, work):
    work.moderation_policy = ModerationPolicy.PREMODERATED
    work.save(update_fields=["moderation_policy"])

    response = client_for(bob).post(CREATE, {"body": "Held."}, headers=HTMX)

    assert "once a moderator approves it" in event_of(response)["message"]
    assert "awaiting moderation" in html_of(response)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"body": ""}, "p3-body", "A comment cannot be empty."),
        ({"body": "x" * 10_001}, "p3-body", "at most 10000 characters"),
        ({"body": "Hm.", "quote_exact": "not in it"}, "p3-quote_exact", "not in the paragraph"),
        (
            {"body": "Hm.", "quote_exact": "denigrate", "quote_start": 0, "quote_end": 9},
            "p3-quote_exact",
            "not at that place",
        ),
    ],
    ids=["empty", "over-long", "quote-absent", "quote-misplaced"],
)
def test_it_shows_bad_input_on_the_form_and_writes_nothing(bob, work, data, field, message):
    for headers in (HTMX, {}):
        response = client_for(bob).post(CREATE, data, headers=headers)
        html = html_of(response)

        assert response.status_code == 400
        assert message in html
        assert f'id="{field}-errors"' in html
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html)
    assert not Comment.objects.exists()


def test_it_re_renders_the_htmx_form_alone_and_the_page_without_javascript(bob, work):
    inline = html_of(client_for(bob).post(CREATE, {"body": ""}, headers=HTMX))
    page = html_of(client_for(bob).post(CREATE, {"body": "", "quote_exact": "x"}))

    assert inline.startswith('<form class="comment-form" id="p3-form"')
    assert "<html" not in inline
    assert "<html" in page
    assert "data-hx-post" not in page
    assert FIRST in page
    assert 'value="x"' in page


def test_it_keeps_a_selected_quote_on_a_form_that_comes_back(bob, work):
    start = FIRST.index("denigrate")
    data = {"body": "", "quote_exact": "denigrate", "quote_start": start, "quote_end": start + 9}

    html = html_of(client_for(bob).post(CREATE, data, headers=HTMX))

    assert "<p data-quote-text>denigrate</p>" in html
    assert "data-quote-manual hidden" in html
    assert f'name="quote_start" value="{start}"' in html


def test_it_refuses_comments_on_a_closed_work_with_a_message(bob, work):
    work.moderation_policy = ModerationPolicy.CLOSED
    work.save(update_fields=["moderation_policy"])

    response = client_for(bob).post(CREATE, {"body": "Hm."}, headers=HTMX)

    assert response.status_code == 400
    assert "Comments on this work are closed." in html_of(response)
    assert not Comment.objects.exists()


def test_it_refuses_a_version_that_does_not_exist(bob, work):
    response = client_for(bob).post(CREATE, {"body": "Hm.", "version": "9"})

    assert response.status_code == 400
    assert "That version does not exist." in html_of(response)


def test_it_refuses_a_draft_version_as_one_that_does_not_exist(bob, work):
    build_version(work, [para(FIRST, key="p3")], publish=False)

    response = client_for(bob).post(CREATE, {"body": "Hm.", "version": "2"})

    assert response.status_code == 400
    assert "That version does not exist" in html_of(response)
    assert not Comment.objects.exists()


def test_it_takes_posts_only(bob, work):
    assert client_for(bob).get(CREATE).status_code == 405


def test_it_needs_the_csrf_token(bob, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)

    assert client.post(CREATE, {"body": "Forged."}).status_code == 403
    assert not Comment.objects.exists()


# Signed out


@pytest.mark.parametrize(
    ("method", "url", "next_url"),
    [
        ("post", CREATE, f"{PARAGRAPH}#discussion"),
        ("get", "/comments/{pk}/reply/", "/comments/{pk}/reply/"),
        ("post", "/comments/{pk}/reply/", "/comments/{pk}/reply/"),
        ("get", "/comments/{pk}/edit/", "/comments/{pk}/edit/"),
        ("post", "/comments/{pk}/edit/", "/comments/{pk}/edit/"),
        ("get", "/comments/{pk}/delete/", "/comments/{pk}/delete/"),
        ("post", "/comments/{pk}/delete/", "/comments/{pk}/delete/"),
    ],
)
def test_it_sends_a_signed_out_writer_to_the_login_page(alice, work, method, url, next_url):
    comment = post(alice, work)
    url, next_url = url.format(pk=comment.pk), next_url.format(pk=comment.pk)

    response = getattr(client_for(), method)(url, {"body": "Hm."})

    assert response.status_code == 302
    assert response["Location"] == login_url(next_url)
    assert Comment.objects.count() == 1


def test_it_sends_a_signed_out_writer_to_the_login_page_from_htmx(alice, work):
    comment = post(alice, work)

    response = client_for().get(f"/comments/{comment.pk}/reply/", headers=HTMX)

    assert response["HX-Redirect"] == login_url("/works/october-1917/")


# Replying


def test_it_gives_the_reply_form_in_place_or_as_a_page(alice, bob, work):
    comment = post(alice, work, body="Answer me.")
    url = f"/comments/{comment.pk}/reply/"

    inline = html_of(client_for(bob).get(url, headers=HTMX))
    page = html_of(client_for(bob).get(url))

    assert inline.startswith(
        f'<form class="comment-form comment-form-inline" id="reply-{comment.pk}-form"'
    )
    assert f'data-hx-post="{url}"' in inline
    assert "autofocus" in inline
    assert "<html" in page
    assert "Answer me." in page
    assert "data-hx-post" not in page


def test_it_replies_in_place_with_htmx(alice, bob, work):
    root = post(alice, work)

    response = client_for(bob).post(f"/comments/{root.pk}/reply/", {"body": "Yes."}, headers=HTMX)

    reply = Comment.objects.get(parent=root)
    html = html_of(response)
    assert response["HX-Retarget"] == f"#thread-{root.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert html.startswith(f'<li class="thread" id="thread-{root.pk}">')
    assert f'class="comment comment-target" id="c{reply.pk}"' in html
    assert event_of(response)["focus"][0] == f"c{reply.pk}"
    assert event_of(response)["countLabel"] == "2 comments"


def test_it_replies_without_javascript(alice, bob, work):
    root = post(alice, work)

    response = client_for(bob).post(f"/comments/{root.pk}/reply/", {"body": "Yes."})

    reply = Comment.objects.get(parent=root)
    assert response["Location"] == f"/comments/{reply.pk}/#c{reply.pk}"


def test_it_refuses_a_reply_beyond_the_depth_cap_with_a_message(alice, bob, work, settings):
    settings.SCHOLIA_COMMENT_MAX_DEPTH = 1
    reply = comment_create(author=bob, parent=post(alice, work), body="Deep enough.")

    for headers in (HTMX, {}):
        response = client_for(alice).post(
            f"/comments/{reply.pk}/reply/", {"body": "Deeper."}, headers=headers
        )
        assert response.status_code == 400
        assert "This thread is as deep as it may go" in html_of(response)
        assert 'class="form-errors"' in html_of(response)
    assert Comment.objects.count() == 2


def test_it_refuses_an_empty_reply(alice, bob, work):
    root = post(alice, work)

    response = client_for(bob).post(f"/comments/{root.pk}/reply/", {}, headers=HTMX)

    assert response.status_code == 400
    assert "A comment cannot be empty." in html_of(response)


# Editing


def test_it_edits_in_place_keeping_the_earlier_body(alice, work):
    comment = post(alice, work, body="First.")
    url = f"/comments/{comment.pk}/edit/"

    form = html_of(client_for(alice).get(url, headers=HTMX))
    response = client_for(alice).post(url, {"body": "Second."}, headers=HTMX)

    assert "First.</textarea>" in form
    comment.refresh_from_db()
    assert comment.body == "Second."
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["First."]
    html = html_of(response)
    assert response["HX-Retarget"] == f"#thread-{comment.pk}"
    assert f'<a class="comment-edited" href="/comments/{comment.pk}/history/">edited' in html
    assert event_of(response)["message"] == "Your comment was updated."


def test_it_edits_without_javascript(alice, work):
    comment = post(alice, work, body="First.")

    response = client_for(alice).post(f"/comments/{comment.pk}/edit/", {"body": "Second."})

    assert response["Location"] == f"/comments/{comment.pk}/#c{comment.pk}"
    assert "Second.</textarea>" in html_of(client_for(alice).get(f"/comments/{comment.pk}/edit/"))


def test_it_refuses_an_empty_edit_with_a_message(alice, work):
    comment = post(alice, work, body="First.")

    response = client_for(alice).post(f"/comments/{comment.pk}/edit/", {"body": ""})

    assert response.status_code == 400
    assert "A comment cannot be empty." in html_of(response)
    comment.refresh_from_db()
    assert comment.body == "First."


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_it_answers_404_to_anyone_but_the_author(alice, bob, work, action):
    comment = post(alice, work, body="Mine.")
    url = f"/comments/{comment.pk}/{action}/"

    assert client_for(bob).get(url).status_code == 404
    assert client_for(bob).post(url, {"body": "Yours."}).status_code == 404
    assert client_for(bob).post(url, {"body": "Yours."}, headers=HTMX).status_code == 404
    comment.refresh_from_db()
    assert (comment.body, comment.is_deleted) == ("Mine.", False)


def test_it_offers_edit_and_delete_to_the_author_only(alice, bob, work):
    comment = post(alice, work)
    edit = f'href="/comments/{comment.pk}/edit/"'

    assert edit in html_of(client_for(alice).get(PARAGRAPH))
    assert edit not in html_of(client_for(bob).get(PARAGRAPH))
    assert f'href="/comments/{comment.pk}/reply/"' in html_of(client_for(bob).get(PARAGRAPH))


# Deleting


def test_it_asks_before_deleting(alice, work):
    comment = post(alice, work)
    url = f"/comments/{comment.pk}/delete/"

    inline = html_of(client_for(alice).get(url, headers=HTMX))
    page = html_of(client_for(alice).get(url))

    for html in (inline, page):
        assert f'action="{url}"' in html
        assert "Delete the comment" in html
    comment.refresh_from_db()
    assert not comment.is_deleted


TOMBSTONE_PROMISE = "A note that it was deleted stays in its place"
VANISHES = "It leaves the discussion: nothing of it stays in its place."


def test_it_promises_a_tombstone_only_where_replies_keep_one(alice, bob, work):
    bare = post(alice, work, body="Nobody answered.")
    answered = post(alice, work, body="Answered.")
    comment_create(author=bob, parent=answered, body="An answer.")
    # A reply that was itself deleted, with nothing under it, keeps no tombstone either.
    lone = post(alice, work, body="Answered, then not.")
    comment_delete(comment=comment_create(author=bob, parent=lone, body="Gone."), by=bob)
    # A live reply under a deleted one keeps both tombstones.
    deep = post(alice, work, body="Answered deep down.")
    middle = comment_create(author=bob, parent=deep, body="Middle.")
    comment_create(author=alice, parent=middle, body="Below.")
    comment_delete(comment=middle, by=bob)

    def confirmation(comment) -> list[str]:
        url = f"/comments/{comment.pk}/delete/"
        return [
            html_of(client_for(alice).get(url, headers=HTMX)),
            html_of(client_for(alice).get(url)),
        ]

    for comment in (bare, lone):
        for html in confirmation(comment):
            assert VANISHES in html
            assert TOMBSTONE_PROMISE not in html
    for comment in (answered, deep):
        for html in confirmation(comment):
            assert TOMBSTONE_PROMISE in html
            assert VANISHES not in html


def test_it_deletes_in_place_leaving_a_tombstone_over_the_replies(alice, bob, work):
    root = post(alice, work, body="Regrettable.")
    reply = comment_create(author=bob, parent=root, body="Still here.")

    response = client_for(alice).post(f"/comments/{root.pk}/delete/", headers=HTMX)

    html = html_of(response)
    assert "This comment was deleted." in html
    assert "Regrettable." not in html
    assert f'id="c{reply.pk}"' in html
    assert event_of(response)["message"] == "Your comment was deleted."
    assert event_of(response)["countLabel"] == "1 comment"


def test_it_removes_a_deleted_comment_that_held_no_replies(alice, work):
    comment = post(alice, work)

    response = client_for(alice).post(f"/comments/{comment.pk}/delete/", headers=HTMX)

    assert response.content == b""
    assert response["HX-Retarget"] == f"#thread-{comment.pk}"
    assert event_of(response)["countLabel"] == "Comment"


def test_it_deletes_without_javascript(alice, work):
    comment = post(alice, work)

    response = client_for(alice).post(f"/comments/{comment.pk}/delete/")

    assert response["Location"] == f"/comments/{comment.pk}/#c{comment.pk}"
    html = html_of(client_for(alice).get(f"/comments/{comment.pk}/"))
    assert "This comment was deleted." in html


# The permalink


def test_it_names_the_passage_of_a_permalinked_comment_by_its_number(alice, work):
    comment = post(alice, work, key="p4")

    html = html_of(client_for().get(f"/comments/{comment.pk}/"))
    history = html_of(client_for().get(f"/comments/{comment.pk}/history/"))

    assert "A comment on ¶ 2</h1>" in html
    assert "The whole discussion of ¶ 2</a>" in html
    assert "on ¶ 2; never edited." in history
    assert "p4</" not in html + history


def test_it_opens_the_permalink_in_its_whole_thread(alice, bob, work):
    root = post(alice, work, body="The root.", quote={"exact": "denigrate"})
    reply = comment_create(author=bob, parent=root, body="The reply.")
    other = post(bob, work, body="Another thread.")

    html = html_of(client_for().get(f"/comments/{reply.pk}/"))

    assert "The root." in html
    assert f'<article class="comment comment-target" id="c{reply.pk}"' in html
    assert "Another thread." not in html
    assert f'id="c{other.pk}"' not in html
    assert "Written on version 1 of the text." in html
    assert "<mark>" not in html  # The reply quotes nothing.
    root_html = html_of(client_for().get(f"/comments/{root.pk}/"))
    assert "certainly not to <mark>denigrate</mark> this first" in root_html


class FoldsAround(HTMLParser):
    """The <details> elements around the element with id ``target``, outermost first."""

    def __init__(self, html: str, target: str) -> None:
        super().__init__()
        self.target, self.stack, self.around = target, [], None
        self.all_folds: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details":
            self.stack.append(attrs)
            self.all_folds.append(attrs)
        if attrs.get("id") == self.target:
            self.around = list(self.stack)

    def handle_endtag(self, tag):
        if tag == "details":
            self.stack.pop()


def test_it_opens_the_folded_branches_above_a_permalinked_comment(alice, bob, work):
    comments = bulk_thread(post(alice, work), [alice, bob], 200)
    deepest = comments[-1]

    html = html_of(client_for().get(f"/comments/{deepest.pk}/"))
    folds = FoldsAround(html, f"c{deepest.pk}")

    assert html.count("<article") == 200
    assert deepest.depth >= 4
    assert folds.around
    assert all("open" in fold for fold in folds.around)
    assert any("open" not in fold for fold in folds.all_folds)


def test_it_says_when_the_passage_has_changed_since(alice, work):
    comment = post(alice, work)
    build_version(work, [para("A rewritten opening.", key="p3"), *chapter_specs()[3:]])

    html = html_of(client_for().get(f"/comments/{comment.pk}/"))

    assert "The passage has changed since" in html
    assert FIRST in html


# The history


def test_it_shows_every_earlier_body_oldest_first(alice, work):
    comment = post(alice, work, body="One.")
    comment_edit(comment=comment, editor=alice, body="Two.")
    comment_edit(comment=comment, editor=alice, body="Three.")

    html = html_of(client_for().get(f"/comments/{comment.pk}/history/"))

    assert html.index("<p>One.</p>") < html.index("<p>Two.</p>") < html.index("<p>Three.</p>")
    assert "edited 2 times" in html


def test_it_shows_no_body_in_the_history_of_a_deleted_comment(alice, work):
    comment = post(alice, work, body="One.")
    comment_edit(comment=comment, editor=alice, body="Two.")
    comment_delete(comment=comment, by=alice)

    html = html_of(client_for(alice).get(f"/comments/{comment.pk}/history/"))

    assert "This comment was deleted." in html
    assert "One." not in html
    assert "Two." not in html


# The pages keep to the content security policy


def test_it_serves_no_inline_script_or_style(alice, work):
    comment = post(alice, work)
    client = client_for(alice)
    for url, headers in [
        (DISCUSSION, HTMX),
        (PARAGRAPH, {}),
        (f"/comments/{comment.pk}/", {}),
        (f"/comments/{comment.pk}/reply/", {}),
        (f"/comments/{comment.pk}/edit/", HTMX),
        (f"/comments/{comment.pk}/history/", {}),
    ]:
        html = html_of(client.get(url, headers=headers))
        assert " style=" not in html
        assert "hx-on" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
