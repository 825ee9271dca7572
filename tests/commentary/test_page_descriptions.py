"""Every page says what it is in a `<meta name="description">`, for search results and link
previews: the site, a work, a paragraph, a comment, a person."""

import re
from html import unescape

import pytest

from tests.commentary.builders import client_for, paragraph_of, post

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def description_of(url: str) -> str:
    html = client_for().get(url).content.decode()
    found = DESCRIPTION.findall(html)
    assert len(found) == 1, (url, found)
    return unescape(found[0])


def test_the_site_describes_itself(db):
    assert "scholarly" in description_of("/").lower()


def test_a_work_names_its_title_and_author(work):
    description = description_of(work.get_absolute_url())
    assert work.title in description and work.author in description


def test_a_paragraph_begins_with_its_words(work):
    paragraph = paragraph_of(work, "p3")
    words = paragraph.revisions.latest("pk").text.split()[:6]
    description = description_of(f"/works/{work.slug}/p/p3/")
    assert " ".join(words) in description
    assert work.title in description
    assert len(description) <= 200


def test_a_comment_names_its_author_and_begins_with_its_words(work, alice):
    comment = post(alice, work, body="The **soviets** were never a formality. " * 10)
    description = description_of(f"/comments/{comment.pk}/")
    assert "Alice Liddell" in description
    assert "The soviets were never a formality." in description
    assert len(description) <= 200


def test_a_profile_names_the_person(alice):
    assert "Alice Liddell" in description_of("/users/alice/")
