"""An open discussion hears of new comments without a reload: its live region polls this
view (htmx, every few seconds), which answers 304 while nothing changed for this reader.

What it counts is what the reader may read (``Comment.objects.visible_to``) on the
paragraph, in the layer on screen (the public discussion, or a reading group's with the
public one), written after the discussion was shown (``since``, a Unix time the template
wrote) by somebody else. The answer is the poller again, saying how many new comments
there are with a button that shows them (the discussion fetched again), and carrying its
ETag, which the next poll sends as If-None-Match. One query; never cached by a browser
or the page cache (``no-store``), so that an ETag is the reader's own.
"""

import hashlib
from datetime import UTC, datetime

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commentary.models import Comment
from commentary.pages.discussion import get_discussed_paragraph

POLL_SECONDS = 15


def _since(value: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


@require_GET
def discussion_live(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    paragraph, _entry = get_discussed_paragraph(slug, key)
    since = _since(request.GET.get("since"))
    if since is None:
        return HttpResponse("A since time (Unix seconds) is needed.", status=400)
    group_slug = request.GET.get("group") or ""
    layer = Q(group__isnull=True)
    if group_slug:
        layer |= Q(group__slug=group_slug)
    comments = (
        Comment.objects.visible_to(request.user)
        .live()
        .filter(layer, paragraph=paragraph, created_at__gt=since)
    )
    if request.user.is_authenticated:
        comments = comments.exclude(author_id=request.user.pk)
    state = comments.aggregate(count=Count("pk"), newest=Max("pk"))
    seen = f"{request.user.pk}:{group_slug}:{since.timestamp()}:{state['count']}:{state['newest']}"
    etag = '"' + hashlib.blake2s(seen.encode(), digest_size=12).hexdigest() + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = render(
            request,
            "commentary/discussion_live.html",
            {
                "paragraph": paragraph,
                "work": paragraph.work,
                "count": state["count"],
                "since": int(since.timestamp()),
                "group_slug": group_slug,
                "etag": etag,
                "standalone": request.GET.get("standalone") == "1",
                "poll_seconds": POLL_SECONDS,
            },
        )
    response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    response["Vary"] = "Cookie"
    return response
