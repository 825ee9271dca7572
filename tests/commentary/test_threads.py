"""Threads as trees (commentary.threads) and as HTML (commentary.pages.threads)."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from commentary.pages.threads import (
    FOLDED_DEPTH,
    REPLIES_SHOWN,
    THREADS_SHOWN,
    ThreadRenderer,
    Viewer,
    drop_bare_tombstones,
    group_threads,
)
from commentary.rows import CommentRow
from commentary.threads import build_forest

START = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def row(pk: int, parent: "CommentRow | None" = None, **fields) -> CommentRow:
    values = {
        "pk": pk,
        "parent_id": parent.pk if parent else None,
        "root_id": (parent.root_id or parent.pk) if parent else None,
        "depth": parent.depth + 1 if parent else 0,
        "author_id": 1,
        "username": "alice",
        "display_name": "Alice Liddell",
        "work_slug": "october-1917",
        "paragraph_key": "p3",
        "version_number": 1,
        "body": f"Comment {pk}.",
        "body_html": f"<p>Comment {pk}.</p>",
        "quote_exact": "",
        "quote_prefix": "",
        "quote_suffix": "",
        "quote_start": None,
        "quote_end": None,
        "status": "published",
        "created_at": START + timedelta(minutes=pk),
        "edited_at": None,
        "deleted_at": None,
        "paragraph_id": 3,
        "revision_id": 3,
    }
    values.update(fields)
    return CommentRow(**values)


def chain(length: int, start: int = 1) -> list[CommentRow]:
    """A thread of replies to replies, ``length`` deep."""
    rows = [row(start)]
    for pk in range(start + 1, start + length):
        rows.append(row(pk, rows[-1]))
    return rows


def ids(forest) -> list:
    return [(node.pk, ids(node.replies)) if node.replies else node.pk for node in forest]


def render(rows, *, target=None, viewer=None, fold=True) -> str:
    forest = drop_bare_tombstones(build_forest(rows), keep=target)
    renderer = ThreadRenderer(viewer=viewer or Viewer(pk=None, can_write=False), target=target)
    return renderer.threads(forest, fold=fold)


def article_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="[^"]*" id="c(\d+)"', html)]


# Trees


def test_it_nests_replies_under_their_parents_oldest_first():
    root = row(1)
    first, second = row(2, root), row(3, root)
    answer = row(4, first)

    forest = build_forest([answer, second, root, first])

    assert ids(forest) == [(1, [(2, [4]), 3])]


def test_it_orders_threads_and_siblings_by_age():
    rows = [row(5), row(2), row(9)]
    rows.append(row(7, rows[1]))
    rows.append(row(3, rows[1]))

    assert ids(build_forest(rows)) == [(2, [3, 7]), 5, 9]


def test_it_hangs_a_reply_to_an_unseen_comment_under_a_placeholder():
    root = row(1)
    hidden = row(2, root)
    visible = row(3, hidden)

    forest = build_forest([root, visible])

    assert ids(forest) == [1, (2, [3])]
    assert forest[1].is_placeholder
    assert forest[1].comment is None


def test_it_counts_replies_however_deep():
    forest = build_forest(chain(5))

    assert forest[0].reply_count == 4


def test_it_groups_a_placeholder_with_its_thread():
    root = row(1)
    hidden = row(2, root)
    visible = row(3, hidden)
    other = row(4)

    groups = group_threads(build_forest([root, visible, other]))

    assert [(thread_id, [node.pk for node in roots]) for thread_id, roots in groups] == [
        (1, [1, 2]),
        (4, [4]),
    ]


def test_it_drops_tombstones_that_hold_no_replies():
    root = row(1, deleted_at=START)
    kept = row(2, root)
    bare = row(3, kept, deleted_at=START)
    lonely = row(4, deleted_at=START)

    forest = drop_bare_tombstones(build_forest([root, kept, bare, lonely]))

    assert ids(forest) == [(1, [2])]


def test_it_keeps_the_tombstone_a_permalink_points_at():
    lonely = row(4, deleted_at=START)

    assert ids(drop_bare_tombstones(build_forest([lonely]), keep=4)) == [4]


# HTML


def test_it_renders_a_comment_with_its_author_time_and_body():
    html = render([row(1, quote_exact="a <phrase>")])

    assert '<a class="comment-author" id="c1-by" href="/users/alice/">Alice Liddell</a>' in html
    assert '<time datetime="2025-05-01T12:01:00Z">1 May 2025, 12:01</time>' in html
    assert '<a class="comment-permalink" href="/comments/1/">' in html
    assert '<div class="comment-body"><p>Comment 1.</p></div>' in html
    assert "a &lt;phrase&gt;</p></blockquote>" in html
    assert 'id="thread-1"' in html


def test_it_escapes_what_people_typed():
    html = render([row(1, display_name='<script>alert("x")</script>', username="a&b")])

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="/users/a&amp;b/"' in html


def test_it_falls_back_to_the_username():
    assert ">alice</a>" in render([row(1, display_name="")])


def test_it_marks_an_edited_comment_with_a_link_to_its_history():
    html = render([row(1, edited_at=START)])

    assert '<a class="comment-edited" href="/comments/1/history/">edited' in html


def test_it_shows_a_tombstone_and_never_the_deleted_body():
    root = row(1, deleted_at=START, body_html="<p>Regrettable.</p>")
    html = render([root, row(2, root)])

    assert "This comment was deleted." in html
    assert "Regrettable" not in html
    assert article_ids(html) == [1, 2]


def test_it_offers_actions_to_writers_only():
    root = row(1)
    mine = row(2, root, author_id=7)

    anonymous = render([root, mine])
    signed_in = render([root, mine], viewer=Viewer(pk=7, can_write=True))

    assert "comment-actions" not in anonymous
    assert signed_in.count(">Reply</a>") == 2
    assert signed_in.count(">Edit</a>") == 1
    assert (
        'href="/comments/2/delete/" data-hx-get="/comments/2/delete/" data-hx-target="#c2-slot"'
        in (signed_in)
    )


def test_it_offers_no_reply_at_the_depth_cap(settings):
    settings.SCHOLIA_COMMENT_MAX_DEPTH = 2

    html = render(chain(3), viewer=Viewer(pk=1, can_write=True), fold=False)

    assert 'href="/comments/2/reply/"' in html
    assert 'href="/comments/3/reply/"' not in html


def test_it_shows_the_status_of_a_comment_still_waiting():
    html = render([row(1, status="pending")])

    assert '<span class="badge badge-pending">awaiting moderation</span>' in html
    assert 'class="comment comment-pending"' in html


def test_it_folds_replies_after_the_first_few():
    root = row(1)
    replies = [row(pk, root) for pk in range(2, 8)]

    html = render([root, *replies])

    folded = len(replies) - REPLIES_SHOWN
    assert f"Show {folded} more replies" in html
    before, after = html.split('<details class="more"', 1)
    assert article_ids(before) == [1, 2, 3, 4]
    assert article_ids(after) == [5, 6, 7]
    assert '<details class="more" data-for="after-4">' in html


def test_it_folds_deep_branches():
    html = render(chain(FOLDED_DEPTH + 3))

    before, after = html.split('<details class="replies-folded"', 1)
    assert article_ids(before) == list(range(1, FOLDED_DEPTH + 1))
    assert "Show 3 replies" in after


def test_it_folds_threads_after_the_first_few():
    html = render([row(pk) for pk in range(1, THREADS_SHOWN + 6)])

    assert "Show 5 more comments" in html
    assert article_ids(html.split("<details", 1)[0]) == list(range(1, THREADS_SHOWN + 1))


def test_it_opens_every_fold_on_the_way_to_the_target():
    deep = chain(FOLDED_DEPTH + 3)
    root = deep[0]
    siblings = [row(pk, root) for pk in range(100, 105)]

    html = render([*deep, *siblings], target=deep[-1].pk)

    assert '<details class="replies-folded" data-for="below-4" open>' in html
    assert f'class="comment comment-target" id="c{deep[-1].pk}"' in html
    assert '<details class="more" data-for="after-101">' in html  # not on the way


def test_it_opens_the_fold_of_later_siblings_holding_the_target():
    root = row(1)
    replies = [row(pk, root) for pk in range(2, 8)]

    html = render([root, *replies], target=7)

    assert '<details class="more" data-for="after-4" open>' in html


def test_it_renders_a_thousand_comments_in_one_pass():
    root = row(1)
    rows, level = [root], [root]
    while len(rows) < 1000:
        level = [row(len(rows) + n + 1, parent) for n, parent in enumerate(level * 3)][
            : 1000 - len(rows)
        ]
        rows.extend(level)

    html = render(rows, target=rows[-1].pk)

    assert len(article_ids(html)) == 1000
    assert sorted(article_ids(html)) == [r.pk for r in rows]


@pytest.mark.parametrize("fold", [True, False])
def test_it_keeps_siblings_oldest_first_in_the_html(fold):
    root = row(1)
    html = render([root, row(9, root), row(3, root), row(5, root)], fold=fold)

    assert article_ids(html) == [1, 3, 5, 9]
