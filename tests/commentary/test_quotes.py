"""Quotes: a phrase and where it stands in the wording a comment was written on."""

import pytest

from commentary.quotes import CONTEXT_CHARS, QuoteAmbiguous, QuoteError, quote_locate

TEXT = (
    "The aim of this chapter is certainly not to denigrate this first socialist project; "
    "nor is it to look back on the first socialist project with nostalgia."
)
PROJECT = "first socialist project"


def test_it_finds_a_phrase_that_appears_once():
    quote = quote_locate(TEXT, {"exact": "denigrate"})

    assert TEXT[quote.start : quote.end] == "denigrate"
    assert quote.prefix == TEXT[quote.start - CONTEXT_CHARS : quote.start]
    assert quote.suffix == TEXT[quote.end : quote.end + CONTEXT_CHARS]


def test_it_takes_offsets_that_point_at_the_phrase():
    second = TEXT.rindex(PROJECT)

    quote = quote_locate(TEXT, {"exact": PROJECT, "start": second, "end": second + len(PROJECT)})

    assert (quote.start, quote.end) == (second, second + len(PROJECT))


def test_it_refuses_offsets_that_point_elsewhere():
    with pytest.raises(QuoteError, match="not at that place"):
        quote_locate(TEXT, {"exact": PROJECT, "start": 0, "end": len(PROJECT)})


@pytest.mark.parametrize(
    "selector",
    [
        {"exact": PROJECT, "start": 5},
        {"exact": PROJECT, "end": 5},
        {"exact": PROJECT, "start": "5", "end": "28"},
        {"exact": PROJECT, "start": -1, "end": 22},
        {"exact": PROJECT, "start": 0, "end": len(TEXT) + 1},
    ],
    ids=["start-only", "end-only", "strings", "negative", "past-the-end"],
)
def test_it_refuses_incomplete_or_impossible_offsets(selector):
    with pytest.raises(QuoteError):
        quote_locate(TEXT, selector)


def test_it_refuses_a_repeated_phrase_with_nothing_to_tell_them_apart():
    with pytest.raises(QuoteError, match="more than once"):
        quote_locate(TEXT, {"exact": PROJECT})


def test_it_tells_repeated_phrases_apart_by_prefix_or_suffix():
    by_prefix = quote_locate(TEXT, {"exact": PROJECT, "prefix": "back on the "})
    by_suffix = quote_locate(TEXT, {"exact": PROJECT, "suffix": "; nor"})

    assert by_prefix.start == TEXT.rindex(PROJECT)
    assert by_suffix.start == TEXT.index(PROJECT)


@pytest.mark.parametrize("exact", ["", "   ", None])
def test_it_needs_the_exact_phrase(exact):
    with pytest.raises(QuoteError, match="exact phrase"):
        quote_locate(TEXT, {"exact": exact})


def test_it_refuses_a_phrase_that_is_not_there():
    with pytest.raises(QuoteError, match="not in the paragraph"):
        quote_locate(TEXT, {"exact": "the Paris Commune"})


def test_it_matches_characters_exactly():
    text = "the \u2018storming of the skies\u2019.\u00a0Humanity owes"

    assert quote_locate(text, {"exact": "\u2018storming"}).start == 4
    with pytest.raises(QuoteError):
        quote_locate(text, {"exact": "'storming"})
    with pytest.raises(QuoteError):
        quote_locate(text, {"exact": ". Humanity"})


def test_it_serialises_as_a_w3c_selector():
    quote = quote_locate(TEXT, {"exact": "denigrate"})

    assert set(quote.as_dict()) == {"exact", "prefix", "suffix", "start", "end"}


def test_it_says_where_each_occurrence_of_a_repeated_phrase_stands():
    first, second = TEXT.index(PROJECT), TEXT.rindex(PROJECT)

    with pytest.raises(QuoteAmbiguous) as refused:
        quote_locate(TEXT, {"exact": PROJECT})

    places = refused.value.occurrences
    assert [(place.start, place.end) for place in places] == [
        (first, first + len(PROJECT)),
        (second, second + len(PROJECT)),
    ]
    # Enough of the words around each to tell them apart, cut at a word.
    assert places[0].before == "…is certainly not to denigrate this "
    assert places[0].after == "; nor is it to look back on the first…"
    assert places[1].before == "…project; nor is it to look back on the "
    assert places[1].after == " with nostalgia."
