"""Personas, a short edition and comments, for the discussion's tests.

- alice writes comments; some of hers are pending;
- bob reads and replies; he must never see what only alice may;
- charlie replies too, so threads have more than two voices;
- an anonymous reader sees what everyone may.

The edition is ``chapter_specs()`` from the edition builders: p1 and p2 are headings, p3
the first paragraph.
"""

from django.contrib.auth import get_user_model
from django.test import Client

from commentary.accounts.models import Profile
from commentary.models import Comment
from commentary.services import comment_create
from edition.models import Paragraph, VersionParagraph, Work
from tests.edition.builders import build_version, build_work, chapter_specs

FIRST = "The aim of this chapter is certainly not to denigrate this first socialist project."


def make_user(username: str, display_name: str = ""):
    # No password: hashing one costs a quarter of a second per persona.
    user = get_user_model().objects.create_user(username, f"{username}@example.org")
    Profile.objects.update_or_create(user=user, defaults={"display_name": display_name})
    return user


def make_work(**fields) -> Work:
    work = build_work(**fields)
    build_version(work, chapter_specs())
    work.refresh_from_db()
    return work


def paragraph_of(work: Work, key: str = "p3") -> Paragraph:
    return Paragraph.objects.select_related("work").get(work=work, key=key)


def post(author, work: Work, key: str = "p3", body: str = "A comment.", **kwargs) -> Comment:
    """A comment written through the service, as the pages write them."""
    if "parent" in kwargs:
        return comment_create(author=author, body=body, **kwargs)
    return comment_create(author=author, body=body, paragraph=paragraph_of(work, key), **kwargs)


def set_status(comment: Comment, status: str) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(status=status)
    comment.refresh_from_db()
    return comment


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def htmx_headers(current_url: str = "/works/october-1917/") -> dict:
    return {"HX-Request": "true", "HX-Current-URL": f"http://testserver{current_url}"}


def bulk_roots(author, work: Work, count: int, *, key: str = "p3") -> list[Comment]:
    """``count`` top-level comments on one paragraph, written straight to the table."""
    entry = VersionParagraph.objects.get(version=work.current_version, paragraph__key=key)
    return Comment.objects.bulk_create(
        Comment(
            work=work,
            paragraph_id=entry.paragraph_id,
            revision_id=entry.revision_id,
            version_id=entry.version_id,
            author=author,
            body=f"Comment {number}.",
            body_html=f"<p>Comment {number}.</p>",
        )
        for number in range(count)
    )


def bulk_thread(
    root: Comment, authors: list, size: int, *, fan_out: int = 3, max_depth: int = 8
) -> list[Comment]:
    """A thread of ``size`` comments (``root`` counted in), written level by level with
    bulk_create: each comment gets ``fan_out`` replies on the next level; at ``max_depth``
    it starts again under the root, so a large thread is both wide and as deep as allowed.
    """
    comments, level, number = [root], [root], 0
    while len(comments) < size:
        if level[0].depth >= max_depth:
            level = [root]
        next_level = []
        for parent in level:
            for _ in range(fan_out):
                if len(comments) + len(next_level) >= size:
                    break
                next_level.append(
                    Comment(
                        work_id=root.work_id,
                        paragraph_id=root.paragraph_id,
                        revision_id=root.revision_id,
                        version_id=root.version_id,
                        parent=parent,
                        root_id=root.pk,
                        depth=parent.depth + 1,
                        author=authors[number % len(authors)],
                        body=f"Reply {number}.",
                        body_html=f"<p>Reply {number}.</p>",
                    )
                )
                number += 1
        level = Comment.objects.bulk_create(next_level)
        comments.extend(level)
    return comments
