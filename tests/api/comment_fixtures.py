"""Personas and builders for the comments API tests.

The edition comes from the ``october`` fixture of tests/api/conftest.py: v1 and v2 are
published (v2 current), p5 is only in v1, p8 only in the v3 draft. The personas:

- alice writes comments, some still pending;
- bob is another reader, who must not see what only alice may;
- charlie replies to both.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from commentary.models import Comment
from edition.models import VersionParagraph, Work
from tests.commentary.builders import bulk_thread as build_thread
from tests.commentary.builders import make_user, set_status  # noqa: F401 - re-exported
from tests.commentary.builders import post as post_comment

COMMENTS = "/api/v1/comments/"


def comment_url(pk: int, suffix: str = "") -> str:
    return f"{COMMENTS}{pk}/{suffix}"


@dataclass
class People:
    alice: object
    bob: object
    charlie: object


def make_people() -> People:
    return People(
        alice=make_user("alice", "Alice Liddell"),
        bob=make_user("bob"),
        charlie=make_user("charlie", "Charlie"),
    )


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def post(author, work: Work, key: str = "p2", body: str = "A comment.", **kwargs) -> Comment:
    """A comment written through the service (on p2, the API fixtures' first paragraph)."""
    return post_comment(author, work, key, body, **kwargs)


def bulk_comments(author, work: Work, count: int, *, key: str = "p2") -> list[Comment]:
    """``count`` top-level comments, one minute apart, written straight to the table."""
    version = work.current_version
    entry = VersionParagraph.objects.get(version=version, paragraph__key=key)
    start = timezone.now() - timedelta(days=1)
    comments = Comment.objects.bulk_create(
        Comment(
            work=work,
            paragraph_id=entry.paragraph_id,
            revision_id=entry.revision_id,
            version=version,
            author=author,
            body=f"Comment {number}.",
            body_html=f"<p>Comment {number}.</p>",
        )
        for number in range(count)
    )
    for number, comment in enumerate(comments):
        comment.created_at = start + timedelta(minutes=number)
    Comment.objects.bulk_update(comments, ["created_at"])
    return comments


def bulk_thread(root: Comment, authors: list, size: int) -> list[Comment]:
    """A thread of ``size`` comments under ``root``, two replies a comment, reaching the
    depth cap (see tests.commentary.builders.bulk_thread)."""
    return build_thread(root, authors, size, fan_out=2)
