"""Search of the text and of the discussion: ``search(user, query, filters)``.

What is searched: the wordings of the current version of every work ``user`` may read (or
of one chosen version), and the live comments ``user`` may read, through the one
visibility rule, ``Comment.objects.visible_to(user)``, applied in the same query that
matches, ranks and counts: a comment a reader may not read is never counted, ranked or
shown. Only a comment's present body is searched; its earlier wordings never are.

What a search costs does not grow with what it finds: of each kind, at most
``COUNTED_AT_MOST`` matches are read (the text in reading order, comments newest first),
counted and ranked, in one query each; past that the count is a floor ("more than 1,000")
and older comments are not reached. Then only the hits of the page shown are read whole,
with their snippets.

On PostgreSQL a query is read by ``websearch_to_tsquery`` (words, "phrases", ``-word``,
``or``) in the language of the works searched, matched against the generated vectors of
``commentary.search.vectors`` (each in its work's language) through their GIN indexes,
ranked by ``ts_rank`` and shown by ``ts_headline``. Elsewhere (SQLite, in development) each
word or phrase is matched as a case-insensitive substring, with the same reading of the
query (``commentary.search.terms``), no stemming and no ranking: text in reading order,
then comments newest first.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchConfig, SearchHeadline, SearchQuery, SearchRank
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Replace
from django.utils.safestring import SafeString
from psycopg.sql import quote

from commentary.models import Comment
from commentary.relations import reading_group_model
from commentary.search.snippets import SNIPPET_WORDS, START, STOP, highlight, marked
from commentary.search.terms import Terms, read_terms
from commentary.search.vectors import (
    FALLBACK_CONFIG,
    StoredConfig,
    StoredVector,
    has_vectors,
    search_config_for,
)
from edition.models import Version, VersionParagraph, Work
from edition.numbering import passage_labels
from edition.parts import Chapter, passage_reading_url

TEXT = "text"
COMMENTS = "comments"
KINDS = (TEXT, COMMENTS)
MAX_WINDOW = 1000  # how deep results are read: offset plus page size
# How many matches of each kind are counted and ranked: the first in their order (the text
# in reading order, comments newest first). As many as the deepest page reaches, so that
# every page is cut from the same ranked matches.
COUNTED_AT_MOST = MAX_WINDOW


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search. ``version`` (of ``work``) chooses the wording searched; the
    others (author, group, tag, dates) are of comments only: with any of them, the text is
    not searched."""

    kind: str = ""
    work: Work | None = None
    version: Version | None = None
    # One chapter of ``work`` (of ``version``, or of the current one): its text and the
    # comments on its paragraphs.
    chapter: Chapter | None = None
    author_id: int | None = None
    group_slug: str = ""
    tag: str = ""
    created_after: datetime | None = None
    created_before: datetime | None = None

    @property
    def comments_only(self) -> bool:
        return self.kind == COMMENTS or bool(
            self.author_id
            or self.group_slug
            or self.tag
            or self.created_after
            or self.created_before
        )


@dataclass
class Hit:
    """One result: a passage of the text (``comment`` None) or a comment."""

    kind: str
    rank: float
    snippet: SafeString
    url: str
    work: Work
    paragraph_key: str
    version_number: int
    comment: Comment | None = None
    # Where the version it names calls the passage: "¶ 4", or a heading's first words.
    label: str = ""
    version_id: int = 0
    paragraph_id: int = 0


@dataclass
class Results:
    hits: list[Hit]
    # How many of each kind matched, counted up to ``COUNTED_AT_MOST``.
    text_total: int
    comment_total: int
    # True when more of that kind matched than were counted: its total is then a floor, and
    # what was ranked and shown of it is the first ``COUNTED_AT_MOST`` (the text in reading
    # order, the newest comments).
    text_more: bool = False
    comments_more: bool = False
    counted_at_most: int = COUNTED_AT_MOST

    @property
    def total(self) -> int:
        return self.text_total + self.comment_total

    @property
    def exact(self) -> bool:
        """True when every count is exact, False when some is a floor."""
        return not (self.text_more or self.comments_more)

    @property
    def comments_ranked(self) -> bool:
        """True when every matching comment was ranked, False when only the newest were."""
        return not self.comments_more


@dataclass(frozen=True)
class _Kind:
    """What search reads of one kind of hit: ``source`` the field it matches and shows,
    ``order`` which matches are counted and ranked when too many match, ``related`` what a
    hit shown needs besides, ``fields`` (if not all) what the page and the API show of it."""

    name: str
    source: str
    order: tuple
    related: tuple
    fields: tuple = ()


_TEXT = _Kind(
    TEXT,
    "revision__text",
    ("version__work_id", "position"),
    ("version__work", "paragraph", "revision"),
)
_COMMENTS = _Kind(
    COMMENTS,
    "body",
    ("-created_at", "-pk"),
    ("work", "paragraph", "version", "author__profile", "group"),
    (
        "body",
        "created_at",
        "work__slug",
        "work__title",
        "paragraph__key",
        "version__number",
        f"author__{get_user_model().USERNAME_FIELD}",
        "author__profile__display_name",
        "group__slug",
        "group__name",
    ),
)


@dataclass(frozen=True)
class _Reading:
    """How a query is matched: ``configs``, the text search configurations of the works
    searched, None without PostgreSQL (substrings of ``terms``)."""

    query: str
    terms: Terms
    configs: list[str] | None


def search(
    user, query: str, filters: SearchFilters, *, offset: int = 0, limit: int = 20
) -> Results:
    """The hits ``offset`` to ``offset + limit`` of ``query`` for ``user``, best first, and
    how many there are of each kind (``Results``: up to ``COUNTED_AT_MOST`` of each). A
    query with nothing to look for (empty, or only words to leave out) finds nothing."""
    terms = read_terms(query)
    if not terms:
        return Results([], 0, 0)
    window = min(offset + limit, MAX_WINDOW)
    works = _works_searched(user, filters)
    reading = _Reading(query, terms, _configs(works, filters) if has_vectors() else None)
    sources = {_TEXT: _text_entries(works, filters), _COMMENTS: _comments(user, works, filters)}
    found = {kind: _candidates(rows, kind, reading) for kind, rows in sources.items()}
    # Stable: on equal ranks (always, without PostgreSQL) the text comes first, then each
    # kind in its own order.
    ranked = sorted(
        (
            (rank, kind, pk)
            for kind, candidates in found.items()
            for pk, rank in candidates[:COUNTED_AT_MOST]
        ),
        key=lambda candidate: -candidate[0],
    )
    hits = _hits(ranked[offset:window], sources, reading)
    return Results(
        hits,
        text_total=min(len(found[_TEXT]), COUNTED_AT_MOST),
        comment_total=min(len(found[_COMMENTS]), COUNTED_AT_MOST),
        text_more=len(found[_TEXT]) > COUNTED_AT_MOST,
        comments_more=len(found[_COMMENTS]) > COUNTED_AT_MOST,
        counted_at_most=COUNTED_AT_MOST,
    )


def _candidates(rows: QuerySet | None, kind: _Kind, reading: _Reading) -> list[tuple]:
    """(pk, rank) of the first ``COUNTED_AT_MOST`` + 1 of ``rows`` that match, in ``kind``'s
    order: one query, which stops there however many match (for a common word PostgreSQL
    walks the comments newest first and stops; a rare one it reads from the index)."""
    if rows is None:
        return []
    if reading.configs is None:
        matches = _matching(rows, kind.source, reading.terms)
    else:
        matches = _ranked(rows, kind.source, reading)
    return list(matches.order_by(*kind.order).values_list("pk", "rank")[: COUNTED_AT_MOST + 1])


def _hits(shown: list[tuple], sources: dict, reading: _Reading) -> list[Hit]:
    """The hits of ``shown`` ((rank, kind, pk), in the order shown), each read whole with
    its snippet: one query per kind shown, through the same rows it was found in."""
    wanted = defaultdict(list)
    for _rank, kind, pk in shown:
        wanted[kind].append(pk)
    rows = {}
    for kind, pks in wanted.items():
        page = sources[kind].filter(pk__in=pks).select_related(*kind.related).order_by()
        if kind.fields:
            page = page.only(*kind.fields)
        rows.update({(kind, row.pk): row for row in _with_headlines(page, kind.source, reading)})
    hits = [
        _hit(kind, rows[kind, pk], rank, reading.terms)
        for rank, kind, pk in shown
        # A hit deleted between the two reads is left out.
        if (kind, pk) in rows
    ]
    labels = passage_labels((hit.version_id, hit.paragraph_id) for hit in hits)
    for hit in hits:
        hit.label = labels.get((hit.version_id, hit.paragraph_id), hit.paragraph_key)
    return hits


@dataclass(frozen=True)
class _Searched:
    """A work ``user`` may read, as search needs it: read once, in one query, so that the
    queries which match, rank and count name the works by literal ids instead of planning
    the reading rule's join again inside each of them."""

    pk: int
    current_version_id: int | None
    language: str


def _works_searched(user, filters: SearchFilters) -> list[_Searched]:
    """The works ``user`` may read (``Work.objects.readable_by``), or the chosen one among
    them."""
    works = Work.objects.readable_by(user)
    if filters.work is not None:
        works = works.filter(pk=filters.work.pk)
    return [
        _Searched(*row)
        for row in works.order_by("pk").values_list("pk", "current_version_id", "language")
    ]


def _text_entries(works: list[_Searched], filters: SearchFilters) -> QuerySet | None:
    if filters.comments_only:
        return None
    if filters.chapter is not None:
        chapter = filters.chapter
        return VersionParagraph.objects.filter(
            version=chapter.version, paragraph_id__in=chapter.paragraph_ids()
        )
    if filters.version is not None:
        return VersionParagraph.objects.filter(version=filters.version)
    versions = [work.current_version_id for work in works if work.current_version_id]
    return VersionParagraph.objects.filter(version_id__in=versions)


def _comments(user, works: list[_Searched], filters: SearchFilters) -> QuerySet | None:
    if filters.kind == TEXT:
        return None
    comments = (
        Comment.objects.visible_to(user).live().filter(work_id__in=[work.pk for work in works])
    )
    return comments_filtered(comments, filters)


def comments_filtered(comments: QuerySet, filters) -> QuerySet:
    """``comments`` narrowed by the filters search and the reading order share: ``filters``
    has ``chapter`` (``edition.parts.Chapter``: the comments on its paragraphs),
    ``author_id``, ``group_slug``, ``tag``, ``created_after`` and ``created_before``."""
    if filters.chapter is not None:
        comments = comments.filter(paragraph_id__in=filters.chapter.paragraph_ids())
    if filters.author_id:
        comments = comments.filter(author_id=filters.author_id)
    if filters.group_slug:
        group = reading_group_model().objects.filter(slug=filters.group_slug).values("pk")[:1]
        comments = comments.filter(group_id__in=group)
    if filters.tag:
        comments = comments.filter(tags__name=filters.tag)
    if filters.created_after:
        comments = comments.filter(created_at__gte=filters.created_after)
    if filters.created_before:
        comments = comments.filter(created_at__lt=filters.created_before)
    return comments


def _configs(works: list[_Searched], filters: SearchFilters) -> list[str]:
    """The text search configurations of the works searched (``search_config_for`` their
    languages): the chosen version's work's, or those of the works searched."""
    if filters.version is not None:
        return [search_config_for(filters.version.work.language)]
    configs = {search_config_for(work.language) for work in works}
    return sorted(configs) or [FALLBACK_CONFIG]


class _Written(Value):
    """A string written into the statement, quoted by the driver, rather than sent beside
    it as a parameter: a prepared statement's generic plan cannot see what its parameters
    hold, and how many rows a word matches decides the plan (walk the comments newest first
    for a common word, read the index for a rare one)."""

    def as_sql(self, compiler, connection):
        return quote(self.value, connection.connection).replace("%", "%%"), []


def _tsquery(query: str, config: str, *, written: bool = False) -> SearchQuery:
    if written:
        return SearchQuery(
            _Written(query), search_type="websearch", config=SearchConfig(_Written(config))
        )
    return SearchQuery(query, search_type="websearch", config=config)


def _ranked(rows: QuerySet, source: str, reading: _Reading) -> QuerySet:
    """``rows`` whose vector matches the query as read in its own language, with ``rank``:
    in several languages, each row's language chooses the reading it is matched and ranked
    by (one index scan per language)."""
    wanted = {config: _tsquery(reading.query, config, written=True) for config in reading.configs}
    rows = rows.annotate(vector=StoredVector(source))
    if len(wanted) == 1:
        ((tsquery),) = wanted.values()
        return rows.filter(vector=tsquery).annotate(rank=SearchRank(F("vector"), tsquery))
    rows = rows.annotate(search_config=StoredConfig(source))
    matches = reduce(
        or_, (Q(search_config=config, vector=tsquery) for config, tsquery in wanted.items())
    )
    rank = Case(
        *(
            When(search_config=config, then=SearchRank(F("vector"), tsquery))
            for config, tsquery in wanted.items()
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return rows.filter(matches).annotate(rank=rank)


def _matching(rows: QuerySet, source: str, terms: Terms) -> QuerySet:
    for clause in terms.wanted:
        rows = rows.filter(reduce(or_, (Q(**{f"{source}__icontains": t}) for t in clause)))
    for term in terms.unwanted:
        rows = rows.exclude(**{f"{source}__icontains": term})
    return rows.annotate(rank=Value(0.0, output_field=FloatField()))


def _with_headlines(rows: QuerySet, source: str, reading: _Reading) -> QuerySet:
    """``rows`` with PostgreSQL's ``headline`` of ``source`` in one language; in several, or
    without PostgreSQL, the snippet is marked by ``highlight`` instead."""
    if reading.configs is None or len(reading.configs) != 1:
        return rows
    (config,) = reading.configs
    # The text shown is the source without the two marker characters, so that only the
    # highlighter's own markers reach ``marked``.
    plain = Replace(Replace(F(source), Value(START), Value("")), Value(STOP), Value(""))
    return rows.annotate(
        headline=SearchHeadline(
            plain,
            _tsquery(reading.query, config),
            config=config,
            start_sel=START,
            stop_sel=STOP,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
        )
    )


def _snippet(row, text: str, terms: Terms) -> SafeString:
    headline = getattr(row, "headline", None)
    return marked(headline if headline is not None else highlight(text, terms.marked))


def _hit(kind: _Kind, row, rank: float, terms: Terms) -> Hit:
    if kind is _TEXT:
        return _text_hit(row, rank, terms)
    return _comment_hit(row, rank, terms)


def _text_hit(entry: VersionParagraph, rank: float, terms: Terms) -> Hit:
    work = entry.version.work
    # The version's page, or its chapter's for a work in chapters.
    url = passage_reading_url(entry.version, entry.paragraph.key, current=False)
    return Hit(
        kind=TEXT,
        rank=float(rank),
        snippet=_snippet(entry, entry.revision.text, terms),
        url=f"{url}#{entry.paragraph.key}",
        work=work,
        paragraph_key=entry.paragraph.key,
        version_number=entry.version.number,
        version_id=entry.version_id,
        paragraph_id=entry.paragraph_id,
    )


def _comment_hit(comment: Comment, rank: float, terms: Terms) -> Hit:
    return Hit(
        kind=COMMENTS,
        rank=float(rank),
        snippet=_snippet(comment, comment.body, terms),
        url=f"{comment.get_absolute_url()}#c{comment.pk}",
        work=comment.work,
        paragraph_key=comment.paragraph.key,
        version_number=comment.version.number,
        comment=comment,
        version_id=comment.version_id,
        paragraph_id=comment.paragraph_id,
    )
