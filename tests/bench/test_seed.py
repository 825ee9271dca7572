"""The benchmark's seed past 10,000 comments, where PostgreSQL writes them itself in one
statement: every column the model requires is written (a column added to the model and
forgotten there stops ``make bench-million`` after its first run)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from bench.seed import many_comments_sql
from commentary.models import Comment
from edition.models import VersionParagraph
from edition.seed import seed_import


@pytest.mark.django_db
def test_postgresql_writes_roots_and_replies_with_every_required_column():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL writes them itself; elsewhere the seed uses bulk_create")
    work = seed_import()
    entries = list(
        VersionParagraph.objects.filter(version=work.current_version)
        .exclude(revision__kind="heading")
        .order_by("position")[:3]
    )
    authors = [get_user_model().objects.create_user(f"seeded{n}") for n in range(3)]

    def make(entry, parent, n, author=None):
        return Comment(body=f"Body {n}.", body_html=f"<p>Body {n}.</p>")

    many_comments_sql(8, work=work, entries=entries, authors=authors, make=make)

    comments = list(Comment.objects.filter(work=work).order_by("pk"))
    assert len(comments) == 8
    roots = [comment for comment in comments if comment.parent_id is None]
    assert [root.pk for root in roots] == [comments[0].pk, comments[4].pk]
    for comment in comments:
        assert comment.status == "published"
        assert comment.modified_at == comment.created_at
        if comment.parent_id is not None:
            assert comment.root_id == comment.parent_id
            assert comment.depth == 1
    assert {comment.author_id for comment in comments} == {author.pk for author in authors}
    # The sequence goes on after them: the next comment written the usual way gets a new id.
    assert Comment.objects.order_by("-pk").first().pk == comments[-1].pk
    next_id = Comment.objects.create(
        work=work,
        version=work.current_version,
        paragraph_id=entries[0].paragraph_id,
        revision_id=entries[0].revision_id,
        author=authors[0],
        body="After.",
        body_html="<p>After.</p>",
    ).pk
    assert next_id > comments[-1].pk
