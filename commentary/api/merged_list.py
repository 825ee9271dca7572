"""The first page of the comment list for a signed-in reader: the public part kept once for
everybody, the reader's own part merged in.

What a reader sees is exactly the public comments plus the comments they see beyond them
(``CommentQuerySet.visible_beyond_public``: their own held ones, their groups', ...), two
sets with nothing in common. The list's filters judge each comment alone and its orders
are total (the last field is the id), so the first n comments of the reader's list are the
first n of the merge of the first n of each set. A public comment's reply count for the
reader is everybody's count plus the replies to it the reader sees beyond the public ones.

The public part and the reader's page are kept in the default cache under the generations
of the text and the discussion (``config.site.caching``), which every write to what a list
shows bumps:

- the public part (the first page_size + 1 public comments, each as the JSON it renders
  to, with what orders it) by address alone: scheme, host, path, query and format. It is
  what an anonymous reader is shown, the same for every reader.
- the reader's page (the JSON body of their first page: the public part merged with their
  part, their first page_size + 1 comments beyond the public ones, each public comment
  counting the replies beyond the public ones they see to it) by address and reader:
  their id, whether they are active, staff or superuser, and their roles
  (``reader_description``: groups, a token's limits), as a conditional request's ETag
  names them. No reader's page is ever read under another reader's key, and a change of
  roles (a member who leaves a group, a token limited to fewer groups) is another key at
  the next request. A hit is served as kept, without reading the public part; a miss
  reads their part in one small query (two with replies to count) and merges it with the
  public part, kept or read.

Only first pages (no cursor) in JSON, for readers who moderate nothing (a moderator's part
is every held comment), filtered by names of things (not by instants or tags) are served
so; any other request is the view's to answer. A page that shows no comment is first
checked as the view checks it (a made-up work, version, paragraph or author answers 400),
and one filtered by a group that shows none is answered but not kept (a group's slug cannot
be told real: one you are not in gives none, like one that does not exist), so that
made-up values keep nothing. A page with a comment proves every name it was filtered by
real.
"""

import hashlib
from operator import itemgetter
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse
from django_filters.utils import translate_validation
from rest_framework.request import Request

from commentary.api.conditional import SHOWN
from commentary.api.filters import CommentFilter
from commentary.api.listing import comment_queryset, listed_data, listed_rows
from commentary.models import Comment
from commentary.roles import reader_description, reader_roles
from config.api.pagination import CursorPagination
from config.site.caching import PAGE_TIMEOUT, keep_together, kept_together, site_origin

# The query parameters of a page served here: the filters that name things, the order and
# the page size, and the format. A filter by an instant or a tag, a status (moderators'),
# or a cursor is the view's to answer.
PARAMETERS = frozenset(
    {
        *(
            name
            for name in CommentFilter.base_filters
            if name not in {"created_after", "created_before", "modified_after", "tag", "status"}
        ),
        CursorPagination.page_size_query_param,
        "format",
    }
)
# How long a reader's page is kept at most: for the requests of a burst. A change to what
# it shows makes it stale at once (the generations), whatever this says.
READER_PAGE_SECONDS = 120


# A comment of a page is kept as a dict (a plain type: reading a page back from the cache
# builds no object per comment in Python): its ``pk``, ``modified_at`` and ``position``
# (None outside reading order), what the list's orders sort by; its ``reply_count`` as
# everybody sees it; and ``json``, the bytes it renders to in the list.
Listed = dict

# A reader's part: ``listed``, their comments beyond the public ones (as Listed), and
# ``more_replies``, by public comment of the page, how many replies beyond the public ones
# they see to it (only those with any).
ReaderPart = dict


class _Merged(list):
    """A page's comments, already in order, as the cursor pagination takes a queryset."""

    def order_by(self, *_fields) -> "_Merged":
        return self


def _served_here(request: Request) -> bool:
    user = request.user
    renderer = getattr(request, "accepted_renderer", None)
    return (
        settings.SCHOLIA_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and user.is_authenticated
        and getattr(renderer, "format", None) == "json"
        and "indent" not in (request.accepted_media_type or "")
        and all(name in PARAMETERS for name in request.query_params)
        # Pages carry absolute URLs: one asked for at a stray host is the view's.
        and site_origin() in ("", f"{request.scheme}://{request.get_host()}")
        and not reader_roles(user).moderates
    )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _reader(user) -> str:
    flags = f"{int(user.is_active)}{int(user.is_staff)}{int(user.is_superuser)}"
    return "\n".join([str(user.pk), flags, reader_description(user)])


def first_page(request: Request, view) -> HttpResponse | None:
    """The page the comment list ``view`` answers this request with, from the kept parts
    (their queries on a miss); None when it is not one served here (see the module doc)."""
    if not _served_here(request):
        return None
    query = urlencode(sorted(request.query_params.lists()), doseq=True)
    address = _digest(request.scheme, request.get_host(), request.path, query, "json")
    public_key = f"api-list-public:{address}"
    reader_key = f"api-list-reader-page:{_digest(address, _reader(request.user))}"
    body, generations = _kept(reader_key)
    if body is None:  # the public part is read only to make the reader's page
        public, _generations = _kept(public_key)
        filterset = _filters(request)
        public_read = _public_part(request, view, filterset) if public is None else public
        own = _reader_part(request, view, filterset, public_read)
        shows_nothing = not public_read and not own["listed"]
        if shows_nothing:
            filterset.refuse_unknown_names()  # as the view does: 400 for a made-up name
        body = _body(request, view, public_read, own)
        if not (shows_nothing and "group" in request.query_params):
            if public is None:
                keep_together({public_key: public_read}, generations, PAGE_TIMEOUT)
            keep_together({reader_key: body}, generations, READER_PAGE_SECONDS)
    return HttpResponse(body, content_type=request.accepted_renderer.media_type)


def _kept(key: str) -> tuple[object, list[int] | None]:
    """What is kept under ``key`` for the generations of what a list shows (None if
    nothing), and those generations (None when they cannot be read: keep nothing then)."""
    held, generations = kept_together([key], SHOWN)
    return held.get(key), generations


def _filters(request: Request) -> CommentFilter:
    """The list's filters, validated (400 as the view answers); they filter the public
    comments, and ``filter_queryset`` any others."""
    filterset = CommentFilter(request.query_params, comment_queryset(None).live(), request=request)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset


def _listed(request: Request, view, filterset: CommentFilter, comments) -> list[Listed]:
    """The first page_size + 1 of ``comments`` (from ``comment_queryset``, filtered) in the
    list's order, as kept; one query."""
    paginator = view.paginator
    size = paginator.get_page_size(request)
    ordering = paginator.get_ordering(request, None, view)
    reading = filterset.form.cleaned_data.get("ordering") == "reading"
    rows = list(
        listed_rows(comments, *(("position",) if reading else ())).order_by(*ordering)[: size + 1]
    )
    render = request.accepted_renderer.render
    return [
        {
            "pk": row["pk"],
            "modified_at": row["modified_at"],
            "position": row.get("position"),
            "reply_count": row["reply_count"],
            "json": render(shown, "application/json"),
        }
        for row, shown in zip(rows, listed_data(request, rows, filterset.shown_on), strict=True)
    ]


def _public_part(request: Request, view, filterset: CommentFilter) -> list[Listed]:
    """What everybody is shown first; one query."""
    return _listed(request, view, filterset, filterset.qs)


def _reader_part(
    request: Request, view, filterset: CommentFilter, public: list[Listed]
) -> ReaderPart:
    """The reader's part beside ``public``: one query, and one more to count their replies
    to the public comments when there are any."""
    user = request.user
    beyond = Comment.objects.visible_beyond_public(user)
    # The page's ids first, in a subquery, then their rows: a member's part holds every
    # comment of their groups, and joining each of them before the limit cost PostgreSQL
    # 100 ms at 1,000,000 comments (the ids alone come from the indexes).
    paginator = view.paginator
    first = (
        filterset.filter_queryset(beyond.live())
        .order_by(*paginator.get_ordering(request, None, view))
        .values("pk")[: paginator.get_page_size(request) + 1]
    )
    page = filterset.filter_queryset(comment_queryset(user, beyond.filter(pk__in=first)).live())
    mine = _listed(request, view, filterset, page)
    more_replies = {}
    if public:
        more_replies = dict(
            beyond.live()
            .filter(parent_id__in=[item["pk"] for item in public])
            .order_by()
            .values_list("parent_id")
            .annotate(count=Count("pk"))
        )
    return {"listed": mine, "more_replies": more_replies}


def _body(request: Request, view, public: list[Listed], own: ReaderPart) -> bytes:
    """The JSON body of the reader's first page, from the public part and theirs."""
    paginator = view.paginator
    ordering = paginator.get_ordering(request, None, view)
    fields = [field.lstrip("-") for field in ordering]
    newest_first = ordering[0].startswith("-")  # every field of an order runs the same way
    merged = sorted([*public, *own["listed"]], key=itemgetter(*fields), reverse=newest_first)
    page = paginator.paginate_queryset(
        _Merged(merged[: paginator.get_page_size(request) + 1]), request, view
    )
    render = request.accepted_renderer.render
    more_replies = own["more_replies"]  # by public comment: the reader's own never appear
    shown = []
    for item in page:
        more = more_replies.get(item["pk"])
        if more:
            data = orjson.loads(item["json"])
            data["reply_count"] = item["reply_count"] + more
            shown.append(render(data, "application/json"))
        else:
            shown.append(item["json"])
    return b"".join(
        [
            b'{"next":',
            orjson.dumps(paginator.get_next_link()),
            b',"previous":',
            orjson.dumps(paginator.get_previous_link()),
            b',"results":[',
            b",".join(shown),
            b"]}",
        ]
    )
