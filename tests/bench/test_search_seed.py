"""The search figure's seed (``bench.search``): the word compared between sizes is in as
many comments at every size, so that its page of hits and what is ranked are the same and
only the database grows; the rare word's hits grow with it."""

import pytest
from django.db import connection

from bench.search import RARE, STEADY, STEADY_HITS, _seed
from commentary.search.reads import SearchFilters, search


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("comments", [1_000, 15_000])
def test_the_steady_word_is_in_as_many_comments_at_every_size(comments):
    if connection.vendor != "postgresql":
        pytest.skip("the search figure is PostgreSQL's")
    _seed(comments)
    steady = search(None, STEADY, SearchFilters(kind="comments"))
    assert steady.total == STEADY_HITS
    assert len(steady.hits) == 20  # a full page at every size
    assert search(None, RARE, SearchFilters(kind="comments")).total == comments // 5_000
