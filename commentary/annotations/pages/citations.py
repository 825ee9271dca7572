"""A comment's citation to download (CSL-JSON, BibTeX, RIS); the 404 of a missing comment
for one the reader may not see."""

from django.http import Http404, HttpRequest, HttpResponse

from commentary.access import get_comment_for_user
from commentary.annotations.citations import comment_cited
from edition.citation_formats import FORMATS
from edition.pages.citations import citation_response


def comment_cite(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    comment = get_comment_for_user(request.user, pk)
    if comment.is_deleted:
        raise Http404("No such comment.")
    item = comment_cited(comment, request.build_absolute_uri(comment.get_absolute_url()))
    return citation_response(FORMATS[fmt][2](item), fmt, item.id)
