"""Personas and editions built straight from the models (no importer).

The October work has two published versions and a draft:

- v1: p1 heading, p2, p3, p4, p5 list item, p6 quote
- v2 (current): p1 unchanged, p7 new heading, p2 edited, p3 edited with p4 merged into it,
  p6 unchanged; p5 removed
- v3 (draft): p1, p2 edited again, p8 new; nobody but staff may see it
"""

from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from edition import extensions
from edition.models import (
    Paragraph,
    ParagraphRevision,
    Version,
    VersionParagraph,
    Work,
    revision_checksum,
)
from tests.edition.builders import merge

# (key, kind, level, text)
Block = tuple[str, str, int | None, str]

V1: list[Block] = [
    ("p1", "heading", 1, "The October 1917 Revolution started off the transformation"),
    ("p2", "paragraph", None, "The revolution opened a century of attempts to go beyond it."),
    ("p3", "paragraph", None, "Lenin saw the weak link in the imperialist chain."),
    ("p4", "paragraph", None, "He was right about the chain."),
    ("p5", "list_item", None, "- the peasant question"),
    ("p6", "quote", None, "All power to the Soviets."),
]
V2: list[Block] = [
    V1[0],
    ("p7", "heading", 2, "1. The weak link"),
    ("p2", "paragraph", None, "The revolution opened a long century of attempts to go beyond it."),
    ("p3", "paragraph", None, "Lenin saw the weak link in the chain, and he was right about it."),
    V1[5],
]
V3: list[Block] = [
    V1[0],
    ("p2", "paragraph", None, "The revolution opened a whole century of attempts."),
    ("p8", "paragraph", None, "A paragraph only the draft has."),
]


def build_work(
    *,
    slug: str,
    versions: Sequence[Sequence[Block]],
    published: int,
    merges: dict[str, str] | None = None,
    **fields,
) -> Work:
    """A work whose first ``published`` versions are published, the rest drafts.

    Entries go in while each version is a draft (a published version refuses them); then
    the version is published by an update, as ``version_publish`` would.
    """
    fields.setdefault("title", slug.replace("-", " ").title())
    work = Work.objects.create(slug=slug, **fields)
    paragraphs: dict[str, Paragraph] = {}
    revisions: dict[tuple[str, str], ParagraphRevision] = {}
    start = timezone.now() - timedelta(days=len(versions))
    for number, blocks in enumerate(versions, start=1):
        version = Version.objects.create(work=work, number=number, note=f"Version {number}.")
        new_paragraphs = [
            Paragraph(work=work, key=key, ordinal=int(key[1:]))
            for key, *_ in blocks
            if key not in paragraphs
        ]
        for paragraph in Paragraph.objects.bulk_create(new_paragraphs):
            paragraphs[paragraph.key] = paragraph
        new_revisions = {}
        for key, kind, level, text in blocks:
            checksum = revision_checksum(kind, level, text)
            if (key, checksum) not in revisions:
                new_revisions[key, checksum] = ParagraphRevision(
                    paragraph=paragraphs[key], kind=kind, level=level, text=text, checksum=checksum
                )
        ParagraphRevision.objects.bulk_create(new_revisions.values())
        revisions.update(new_revisions)
        VersionParagraph.objects.bulk_create(
            VersionParagraph(
                version=version,
                position=position,
                paragraph=paragraphs[key],
                revision=revisions[key, revision_checksum(kind, level, text)],
            )
            for position, (key, kind, level, text) in enumerate(blocks, start=1)
        )
        if number <= published:
            Version.objects.filter(pk=version.pk).update(
                status=Version.Status.PUBLISHED, published_at=start + timedelta(days=number)
            )
            work.current_version = version
    work.save()
    for key, target in (merges or {}).items():
        merge(work.current_version, key, target)
    return work


def long_text(size: int) -> list[Block]:
    blocks: list[Block] = []
    for ordinal in range(1, size + 1):
        if ordinal % 10 == 1:
            blocks.append((f"p{ordinal}", "heading", 2, f"Section {ordinal // 10 + 1}"))
        else:
            blocks.append((f"p{ordinal}", "paragraph", None, f"Paragraph number {ordinal}."))
    return blocks


def reworded(blocks: list[Block]) -> list[Block]:
    """Every third paragraph edited, every seventh removed, and one new at the end."""
    result: list[Block] = []
    for index, (key, kind, level, text) in enumerate(blocks):
        if index % 7 == 6:
            continue
        if index % 3 == 2:
            text = f"{text} Now revised."
        result.append((key, kind, level, text))
    result.append((f"p{len(blocks) + 1}", "paragraph", None, "A closing paragraph."))
    return result


@pytest.fixture
def october(db) -> Work:
    return build_work(
        slug="october-1917",
        title="October 1917 Revolution",
        subtitle="A Century Later",
        author="Samir Amin",
        publisher="Daraja Press",
        year=2017,
        description="Chapter One.",
        versions=[V1, V2, V3],
        published=2,
        merges={"p4": "p3"},
    )


@pytest.fixture
def make_long_work(db) -> Callable[[int], Work]:
    """A work of ``size`` paragraphs in v1 and a reworded v2, both published."""

    def make(size: int) -> Work:
        blocks = long_text(size)
        return build_work(slug=f"long-{size}", versions=[blocks, reworded(blocks)], published=2)

    return make


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor", "editor@example.org", is_staff=True)


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("reader", "reader@example.org")


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def reader_client(reader) -> Client:
    client = Client()
    client.force_login(reader)
    return client


@pytest.fixture
def comment_counter(monkeypatch) -> list:
    """Registers a stand-in for commentary's counter: two comments on p2, one on p3.

    Returns the list of (user, paragraph ids) calls it received.
    """
    monkeypatch.setattr(extensions, "_paragraph_counters", [])
    calls: list = []

    def count(user, paragraph_ids, version=None):
        ids = list(paragraph_ids)
        calls.append((user, ids))
        keys = dict(Paragraph.objects.filter(pk__in=ids).values_list("pk", "key"))
        fake = {"p2": 2, "p3": 1}
        return {pk: fake[key] for pk, key in keys.items() if key in fake}

    extensions.register_paragraph_counter(count)
    return calls
