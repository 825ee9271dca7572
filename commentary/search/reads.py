"""Search of the text and of the discussion: ``search(user, query, filters)``.

What is searched: the wordings of the current version of every work ``user`` may read (or
of one chosen version), and the live comments ``user`` may read, through the one
visibility rule, ``Comment.objects.visible_to(user)``, applied in the same query that
matches, ranks and counts: a comment a reader may not read is never counted, ranked or
shown. Only a comment's present body is searched; its earlier wordings never are.

On PostgreSQL a query is read by ``websearch_to_tsquery`` (words, "phrases", ``-word``,
``or``) in the language of the works searched, matched against the generated vectors of
``commentary.search.vectors`` (each in its work's language) through their GIN indexes,
ranked by ``ts_rank`` and shown by ``ts_headline``. Elsewhere (SQLite, in development) each
word or phrase is matched as a case-insensitive substring, with the same reading of the
query (``commentary.search.terms``), no stemming and no ranking: text in reading order,
then comments newest first.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Replace
from django.utils.safestring import SafeString

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
# Past this many matching comments they are shown newest first, not ranked: ranking reads
# every match's vector (seconds for a word in a quarter of a million comments), while the
# newest matches are found by walking the comments newest first.
RANKED_AT_MOST = 10_000


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
    text_total: int
    comment_total: int
    # False when too many comments matched to rank them (``RANKED_AT_MOST``): newest first.
    comments_ranked: bool = True

    @property
    def total(self) -> int:
        return self.text_total + self.comment_total


def search(
    user, query: str, filters: SearchFilters, *, offset: int = 0, limit: int = 20
) -> Results:
    """The hits ``offset`` to ``offset + limit`` of ``query`` for ``user``, best first, and
    how many there are of each kind. A query with nothing to look for (empty, or only
    words to leave out) finds nothing."""
    terms = read_terms(query)
    if not terms:
        return Results([], 0, 0)
    window = min(offset + limit, MAX_WINDOW)
    works = _works_searched(user, filters)
    text = _text_entries(works, filters)
    comments = _comments(user, works, filters)
    if has_vectors():
        configs = _configs(works, filters)
        text = _ranked(text, "revision__text", query, configs, ("version__work_id", "position"))
        comments = _ranked(comments, "body", query, configs, ("-created_at", "-pk"))
    else:
        text = _matching(text, "revision__text", terms, ("version__work_id", "position"))
        comments = _matching(comments, "body", terms, ("-created_at", "-pk"))
    text_total = text.count() if text is not None else 0
    comment_total = comments.count() if comments is not None else 0
    comments_ranked = comment_total <= RANKED_AT_MOST
    if not comments_ranked:
        comments = comments.order_by("-created_at", "-pk")
    hits = []
    if text is not None and text_total:
        rows = text.select_related("version__work", "paragraph", "revision")[:window]
        hits += [_text_hit(entry, terms) for entry in rows]
    if comments is not None and comment_total:
        rows = comments.select_related("work", "paragraph", "version", "author__profile", "group")
        hits += [_comment_hit(comment, terms, comments_ranked) for comment in rows[:window]]
    # Stable: on equal ranks (always, without PostgreSQL) the text comes first.
    hits.sort(key=lambda hit: -hit.rank)
    shown = hits[offset:window]
    labels = passage_labels((hit.version_id, hit.paragraph_id) for hit in shown)
    for hit in shown:
        hit.label = labels.get((hit.version_id, hit.paragraph_id), hit.paragraph_key)
    return Results(shown, text_total, comment_total, comments_ranked)


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


def _ranked(
    rows: QuerySet | None, source: str, query: str, configs: list[str], order: tuple
) -> QuerySet | None:
    """``rows`` whose vector matches ``query`` as read in its own language, ranked. In one
    language the headline marks the matches; across several, each row's language chooses
    the reading it is matched and ranked by (one index scan per language), and the snippet
    is marked by ``highlight``."""
    if rows is None:
        return None
    wanted = {
        config: SearchQuery(query, search_type="websearch", config=config) for config in configs
    }
    rows = rows.annotate(vector=StoredVector(source))
    if len(configs) == 1:
        ((config, reading),) = wanted.items()
        # The text shown is the source without the two marker characters, so that only the
        # highlighter's own markers reach ``marked``.
        plain = Replace(Replace(F(source), Value(START), Value("")), Value(STOP), Value(""))
        return (
            rows.filter(vector=reading)
            .annotate(
                rank=SearchRank(F("vector"), reading),
                headline=SearchHeadline(
                    plain,
                    reading,
                    config=config,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                ),
            )
            .order_by("-rank", *order)
        )
    rows = rows.annotate(search_config=StoredConfig(source))
    matches = reduce(
        or_, (Q(search_config=config, vector=reading) for config, reading in wanted.items())
    )
    rank = Case(
        *(
            When(search_config=config, then=SearchRank(F("vector"), reading))
            for config, reading in wanted.items()
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return rows.filter(matches).annotate(rank=rank).order_by("-rank", *order)


def _matching(rows: QuerySet | None, source: str, terms: Terms, order: tuple) -> QuerySet | None:
    if rows is None:
        return None
    for clause in terms.wanted:
        rows = rows.filter(reduce(or_, (Q(**{f"{source}__icontains": t}) for t in clause)))
    for term in terms.unwanted:
        rows = rows.exclude(**{f"{source}__icontains": term})
    return rows.annotate(rank=Value(0.0, output_field=FloatField())).order_by(*order)


def _snippet(row, text: str, terms: Terms) -> SafeString:
    headline = getattr(row, "headline", None)
    return marked(headline if headline is not None else highlight(text, terms.marked))


def _text_hit(entry: VersionParagraph, terms: Terms) -> Hit:
    work = entry.version.work
    # The version's page, or its chapter's for a work in chapters.
    url = passage_reading_url(entry.version, entry.paragraph.key, current=False)
    return Hit(
        kind=TEXT,
        rank=float(entry.rank),
        snippet=_snippet(entry, entry.revision.text, terms),
        url=f"{url}#{entry.paragraph.key}",
        work=work,
        paragraph_key=entry.paragraph.key,
        version_number=entry.version.number,
        version_id=entry.version_id,
        paragraph_id=entry.paragraph_id,
    )


def _comment_hit(comment: Comment, terms: Terms, ranked: bool) -> Hit:
    return Hit(
        kind=COMMENTS,
        rank=float(comment.rank) if ranked else 0.0,
        snippet=_snippet(comment, comment.body, terms),
        url=f"{comment.get_absolute_url()}#c{comment.pk}",
        work=comment.work,
        paragraph_key=comment.paragraph.key,
        version_number=comment.version.number,
        comment=comment,
        version_id=comment.version_id,
        paragraph_id=comment.paragraph_id,
    )
