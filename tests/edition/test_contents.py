"""One algorithm nests the headings of every contents: an undivided text's and each
chapter's sections; what the cache kept under the two old copies is never read."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils.translation import get_language

from edition.contents import Heading, nest_headings
from edition.seed import SEED_SLUG, book_import, seed_import


def heading(key: str, level: int) -> SimpleNamespace:
    return SimpleNamespace(key=key, text=key.upper(), level=level)


def test_headings_nest_by_level_and_a_skipped_level_nests_one_step():
    nested = nest_headings(
        [heading("a", 2), heading("b", 3), heading("c", 5), heading("d", 3), heading("e", 2)]
    )
    assert [entry.key for entry in nested] == ["a", "e"]
    assert [entry.key for entry in nested[0].children] == ["b", "d"]
    assert nested[0].children[0].children == [Heading("c", "C", 5)]
    assert nest_headings([]) == []


@pytest.mark.django_db
def test_a_chapters_sections_kept_by_the_old_copy_are_not_read():
    work = book_import(chapters=2)
    # What the chapters' old copy kept: its own class, under revision 1 of the key.
    cache.set(f"version-sections:{work.current_version.pk}:1", "an old pickle", timeout=None)
    page = Client().get(f"/works/{work.slug}/").content.decode()
    assert "Soviet leaders facing the challenge of history" in page


@pytest.mark.django_db
def test_a_texts_contents_kept_by_the_old_copy_are_not_read():
    work = seed_import()
    old = f"version-text:{work.current_version.pk}:2:{get_language()}:"
    cache.set(old, "an old pickle", timeout=None)
    page = Client().get(f"/works/{SEED_SLUG}/").content.decode()
    assert 'class="toc"' in page and 'class="block-text"' in page
