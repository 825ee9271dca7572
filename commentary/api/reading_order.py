"""``GET /api/v1/comments/?work=…&ordering=reading``: the comment list in the order of the
text, as ``/works/<slug>/comments/`` shows it — paragraph by paragraph as the version
orders them (``version``, else the work's current one), then oldest first on each.

Kept apart from the other orderings of the list so that each is one small piece: the
filter calls ``reading_ordered`` and the view pages the rows with
``ReadingCursorPagination``. Its cursor holds the last row's place (paragraph position,
creation time, id), so a page costs the same however deep it is and a comment written
meanwhile never makes a page repeat or skip one. Comments on passages the version does not
hold are not in this order (the reading page lists them under the text).
"""

import base64
import binascii
from collections import OrderedDict
from datetime import datetime
from urllib.parse import parse_qs, urlencode

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from commentary.models import MAX_COMMENT_ID
from config.api.pagination import CursorPagination
from edition.models import Version

READING = "reading"
ORDERING_CHOICES = [(READING, READING)]
ORDERING_SCHEMA = {
    "type": "string",
    "enum": [READING],
    "description": (
        "`reading`: in the order of the text — paragraph by paragraph as the version "
        "(`version`, else the current one) orders them, oldest first on each; needs `work`. "
        "Comments on passages that version does not hold are left out. Any other value "
        "answers 400. Without it, newest first."
    ),
}
_ORDER = ("position", "created_at", "pk")


def reading_ordered(queryset: QuerySet, *, work_slug: str | None, version_number: int | None):
    """``queryset`` in reading order on the version asked for (the current one if none),
    each row annotated with ``position``; a ValidationError without a work."""
    if not work_slug:
        raise ValidationError({"ordering": [_("The reading order needs the work too.")]})
    versions = Version.objects.published().filter(work__slug=work_slug)
    if version_number:
        version = versions.filter(number=version_number).first()
    else:
        version = versions.filter(pk=F("work__current_version")).first()
    if version is None:
        return queryset.none()
    return queryset.in_reading_order(version)


class ReadingCursorPagination(CursorPagination):
    """Pages of rows in reading order (dicts from ``values()``, with ``position``): the
    cursor is the last (or, going back, the first) row's place. Page sizes as the list's."""

    def paginate_queryset(self, queryset, request: Request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        place, backwards = self._read_cursor(request)
        if place is not None:
            position, created_at, pk = place
            after = (
                Q(position__gt=position)
                | Q(position=position, created_at__gt=created_at)
                | Q(position=position, created_at=created_at, pk__gt=pk)
            )
            before = (
                Q(position__lt=position)
                | Q(position=position, created_at__lt=created_at)
                | Q(position=position, created_at=created_at, pk__lt=pk)
            )
            queryset = queryset.filter(before if backwards else after)
        if backwards:
            queryset = queryset.order_by(*(f"-{name}" for name in _ORDER))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        self.rows = rows
        # Going forward, a page after a cursor has one before it; going back, one after.
        self.has_next = more if not backwards else place is not None
        self.has_previous = place is not None if not backwards else more
        return rows

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.rows:
            return None
        return self._link(self.rows[-1], backwards=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous or not self.rows:
            return None
        return self._link(self.rows[0], backwards=True)

    def get_paginated_response(self, data) -> Response:
        return Response(
            OrderedDict(
                [
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def _link(self, row: dict, *, backwards: bool) -> str:
        place = f"{row['position']}|{row['created_at'].isoformat()}|{row['pk']}"
        token = urlencode({"p": place, **({"r": "1"} if backwards else {})})
        encoded = base64.b64encode(token.encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def _read_cursor(self, request: Request) -> tuple[tuple | None, bool]:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None, False
        invalid = ValidationError({self.cursor_query_param: [_("Not a cursor this API gave out.")]})
        try:
            token = parse_qs(base64.b64decode(raw.encode("ascii"), validate=True).decode("ascii"))
            position, created_at, pk = token["p"][0].split("|")
            place = (int(position), datetime.fromisoformat(created_at), int(pk))
            backwards = token.get("r", ["0"])[0] == "1"
        except (binascii.Error, UnicodeError, ValueError, KeyError) as error:
            raise invalid from error
        if not 0 <= place[0] <= MAX_COMMENT_ID or not 0 < place[2] <= MAX_COMMENT_ID:
            raise invalid
        if place[1].tzinfo is None:
            raise invalid
        return place, backwards
