"""The migration that gives each published version its own merges finds them again by
replaying what each version recorded, where the per-work field only knew the last state."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from edition.models import VersionMerge

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("edition", "0004_markdown_markup_and_block_kinds")
AFTER = ("edition", "0006_remove_per_work_merge_and_split")


def migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_each_version_gets_the_merges_in_force_when_it_was_published():
    apps = migrate(BEFORE)
    model = apps.get_model
    work = model("edition", "Work").objects.create(slug="w", title="W")
    paragraphs = {
        name: model("edition", "Paragraph").objects.create(work=work, ordinal=n, key=f"p{n}")
        for n, name in enumerate("abc", 1)
    }
    wordings = {
        name: model("edition", "ParagraphRevision").objects.create(
            paragraph=paragraph, text=name, checksum=name
        )
        for name, paragraph in paragraphs.items()
    }
    versions = {}
    # Version 2 merges a into b; version 3 restores a, so the per-work field is empty.
    for number, held in ((1, "abc"), (2, "bc"), (3, "abc")):
        versions[number] = model("edition", "Version").objects.create(
            work=work, number=number, status="published", published_at=timezone.now()
        )
        for position, name in enumerate(held, 1):
            model("edition", "VersionParagraph").objects.create(
                version=versions[number],
                position=position,
                paragraph=paragraphs[name],
                revision=wordings[name],
            )
    model("edition", "ParagraphChange").objects.create(
        version=versions[2],
        paragraph=paragraphs["a"],
        status="merged",
        other=paragraphs["b"],
        score=0.5,
    )

    migrate(AFTER)

    rows = VersionMerge.objects.values_list("version__number", "paragraph__key", "merged_into__key")
    assert list(rows) == [(2, "p1", "p2")]
    migrate(BEFORE)  # and back, for the tests that follow
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
