"""A comment's tags are shown in its thread, each a link to the work's comments in reading
order filtered by it: in the discussion beside the text, on the paragraph page, on a
permalink and in what an open discussion's poll brings; read in the thread's own query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.commentary.builders import client_for, htmx_headers, post
from tests.commentary.group_people import group_post, make_seminar

pytestmark = pytest.mark.django_db

TAGS = (
    '<ul class="comment-tags" role="list" aria-label="Tags">'
    '<li><a class="comment-tag" href="/works/october-1917/comments/?tag=objection">'
    "#objection</a></li>"
    '<li><a class="comment-tag" href="/works/october-1917/comments/?tag=question">'
    "#question</a></li></ul>"
)


def test_a_threads_comments_show_their_tags_as_links_to_the_filtered_list(alice, bob, work):
    root = post(alice, work, body="Is this so?", tags="question, objection")
    reply = post(bob, work, parent=root, body="It is.", tags=["état-major"])
    untagged = post(bob, work, body="Nothing to tag.")

    for address, headers in (
        ("/works/october-1917/p/p3/discussion/", htmx_headers()),
        ("/works/october-1917/p/p3/", {}),
        (f"/comments/{reply.pk}/", {}),
    ):
        html = client_for(bob).get(address, headers=headers).content.decode()
        assert TAGS in html, address
        # A tag of any script, its address encoded.
        assert 'href="/works/october-1917/comments/?tag=%C3%A9tat-major">#état-major</a>' in html
    panel = client_for(bob).get("/works/october-1917/p/p3/discussion/", headers=htmx_headers())
    untagged_article = panel.content.decode().split(f'id="c{untagged.pk}"')[1]
    assert "comment-tags" not in untagged_article.split("</article>")[0]

    # The link leads to the list that shows the comment under its tag.
    listed = client_for(bob).get("/works/october-1917/comments/?tag=question").content.decode()
    assert "Is this so?" in listed and "Nothing to tag." not in listed


def test_what_an_open_discussion_hears_of_carries_its_tags(alice, bob, work):
    reader = client_for(alice)
    live = "/works/october-1917/p/p3/discussion/live/"
    first = reader.get(f"{live}?standalone=0")
    after = first.content.decode().split("after=")[1].split("&")[0]
    post(bob, work, body="Tagged as it arrives.", tags="source")
    html = reader.get(f"{live}?after={after}&standalone=0").content.decode()
    assert 'href="/works/october-1917/comments/?tag=source">#source</a>' in html


def test_a_group_comments_tags_reach_only_the_group(alice, work):
    group, olga, gus = make_seminar(work)
    group_post(olga, work, group, tags="seminar-only")
    outsider = client_for(alice).get("/works/october-1917/p/p3/").content.decode()
    assert "seminar-only" not in outsider
    member = client_for(gus).get(f"/works/october-1917/p/p3/?group={group.slug}").content.decode()
    assert "#seminar-only</a>" in member


def test_tags_cost_the_discussion_no_query(alice, bob, work):
    def queries() -> int:
        client = client_for(bob)
        client.get("/works/october-1917/p/p3/discussion/", headers=htmx_headers())
        with CaptureQueriesContext(connection) as captured:
            client.get("/works/october-1917/p/p3/discussion/", headers=htmx_headers())
        return len(captured.captured_queries)

    post(alice, work, body="Untagged.")
    before = queries()
    for number in range(5):
        post(alice, work, body=f"Tagged {number}.", tags=f"one two three{number}")
    assert queries() == before
