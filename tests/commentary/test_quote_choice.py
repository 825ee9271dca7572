"""A phrase typed by hand that appears more than once in the paragraph: the form comes back
offering each place it stands, and the reader picks one (with htmx and without)."""

import re

import pytest

from commentary.models import Comment
from tests.commentary.builders import FIRST, client_for, htmx_headers

pytestmark = pytest.mark.django_db

CREATE = "/works/october-1917/p/p3/comments/"
PHRASE = "this"  # "…of this chapter…" and "…denigrate this first…"
FIRST_AT, SECOND_AT = FIRST.index(PHRASE), FIRST.rindex(PHRASE)


@pytest.mark.parametrize("headers", [htmx_headers(), {}], ids=["htmx", "no-javascript"])
def test_it_offers_each_place_a_repeated_phrase_stands(bob, work, headers):
    data = {"body": "Which one?", "quote_exact": PHRASE}

    response = client_for(bob).post(CREATE, data, headers=headers)

    html = response.content.decode()
    assert response.status_code == 400
    assert "appears 2 times in the paragraph: choose the one you mean." in html
    assert "prefix or suffix" not in html
    choices = re.findall(r'<input type="radio" name="quote_occurrence" value="(\d+)"', html)
    assert choices == [str(FIRST_AT), str(SECOND_AT)]
    assert "The aim of <mark>this</mark> chapter is certainly not to denigrate…" in html
    second = "…chapter is certainly not to denigrate <mark>this</mark> first socialist project."
    assert second in html
    # The reader's words stay.
    assert ">\nWhich one?</textarea>" in html
    assert f'value="{PHRASE}"' in html
    assert f'<input type="hidden" name="quote_occurrence_of" value="{PHRASE}">' in html
    assert not Comment.objects.exists()


def test_it_keeps_the_choice_when_the_form_comes_back_for_another_reason(bob, work):
    data = {
        "body": " ",
        "quote_exact": PHRASE,
        "quote_occurrence": str(SECOND_AT),
        "quote_occurrence_of": PHRASE,
    }

    html = client_for(bob).post(CREATE, data, headers=htmx_headers()).content.decode()

    assert "A comment cannot be empty." in html
    assert f'<input type="hidden" name="quote_occurrence" value="{SECOND_AT}">' in html
    assert f'<input type="hidden" name="quote_occurrence_of" value="{PHRASE}">' in html


@pytest.mark.parametrize("headers", [htmx_headers(), {}], ids=["htmx", "no-javascript"])
def test_it_quotes_the_place_the_reader_chose(bob, work, headers):
    data = {
        "body": "This one.",
        "quote_exact": PHRASE,
        "quote_occurrence": str(SECOND_AT),
        "quote_occurrence_of": PHRASE,
    }

    response = client_for(bob).post(CREATE, data, headers=headers)

    assert response.status_code in (200, 302)
    comment = Comment.objects.get()
    assert (comment.quote_start, comment.quote_end) == (SECOND_AT, SECOND_AT + len(PHRASE))
    assert comment.quote_exact == PHRASE


def test_it_finds_the_phrase_again_when_it_changed_after_the_choice(bob, work):
    data = {
        "body": "Changed my mind.",
        "quote_exact": "denigrate",
        "quote_occurrence": str(SECOND_AT),
        "quote_occurrence_of": PHRASE,
    }

    client_for(bob).post(CREATE, data)

    comment = Comment.objects.get()
    assert FIRST[comment.quote_start : comment.quote_end] == "denigrate"


def test_it_offers_no_choice_for_a_phrase_that_appears_once(bob, work):
    response = client_for(bob).post(CREATE, {"body": "", "quote_exact": "denigrate"})

    assert response.status_code == 400
    assert 'name="quote_occurrence"' not in response.content.decode()
