from pathlib import Path

import pytest

from edition.models import Paragraph, ParagraphRevision, Version, VersionParagraph, Work

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "october-1917-chapter-one.txt"
EDITION_MODELS = (Work, Version, Paragraph, ParagraphRevision, VersionParagraph)


def edition_counts() -> dict[str, int]:
    """Rows in every edition table, to show that an operation wrote nothing."""
    return {model.__name__: model.objects.count() for model in EDITION_MODELS}


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def work(db) -> Work:
    return Work.objects.create(slug="october-1917", title="October 1917 Revolution")
