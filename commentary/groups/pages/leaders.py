"""The leader's view of a reading group: participation per member (a table and its CSV)
and all the group's comments in reading order, filtered.

For the group's owner and moderators only; anybody else, members included, gets 404.
"""

import csv
import io
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from commentary.groups.models import Membership
from commentary.groups.pages.forms import GroupCommentFilterForm
from commentary.groups.reads import (
    find_passage,
    get_group_for_leader,
    group_comments,
    group_works,
    label_comments,
    passages_of,
)
from commentary.groups.services import Participation, participation
from commentary.models import display_name_of
from edition.models import Version

COMMENTS_PER_PAGE = 50
# Sort keys of the participation table: (attribute, biggest first).
SORTS = {
    "name": ("display_name", False),
    "comments": ("comments", True),
    "replies_given": ("replies_given", True),
    "replies_received": ("replies_received", True),
    "paragraphs": ("paragraphs", True),
    "last_activity": ("last_activity", True),
}
ROLE_ORDER = {Membership.Role.OWNER: 0, Membership.Role.MODERATOR: 1, Membership.Role.MEMBER: 2}
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def sorted_participation(rows: list[Participation], sort: str) -> list[Participation]:
    """By ``sort`` (SORTS), ties by name; by default leaders first, then by name."""
    by_name = sorted(rows, key=lambda row: (row.display_name.casefold(), row.username))
    if sort not in SORTS:
        return sorted(by_name, key=lambda row: ROLE_ORDER.get(row.role, 3))
    attribute, biggest_first = SORTS[sort]
    if attribute == "display_name":
        return by_name
    present = [row for row in by_name if getattr(row, attribute) is not None]
    absent = [row for row in by_name if getattr(row, attribute) is None]
    return sorted(present, key=lambda row: getattr(row, attribute), reverse=biggest_first) + absent


def safe_cell(value):
    """A cell a spreadsheet shows as text: one that would start a formula gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def participation_csv(rows: Iterable[Participation]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(Participation.CSV_HEADER)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row.csv_row()])
    return out.getvalue()


@never_cache
@login_required
def participation_page(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_leader(request.user, slug)
    sort = request.GET.get("sort", "")
    rows = sorted_participation(participation(group), sort)
    columns = [
        ("name", _("Member")),
        ("comments", _("Comments")),
        ("replies_given", _("Replies given")),
        ("replies_received", _("Replies received")),
        ("paragraphs", _("Paragraphs discussed")),
        ("last_activity", _("Last activity")),
    ]
    return render(
        request,
        "commentary/groups/group_participation.html",
        {"group": group, "rows": rows, "columns": columns, "sort": sort if sort in SORTS else ""},
    )


@never_cache
@login_required
def participation_download(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_leader(request.user, slug)
    rows = sorted_participation(participation(group), "name")
    response = HttpResponse(participation_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{group.slug}-participation.csv"'
    return response


@never_cache
@login_required
def group_comment_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's comments on one of its works in reading order, filtered and paginated,
    in a fixed number of queries whatever their number."""
    group = get_group_for_leader(request.user, slug)
    works = group_works(group)
    work = next(
        (w for w in works if w.slug == request.GET.get("work")), works[0] if works else None
    )
    members = Membership.objects.filter(group=group).select_related("user__profile")
    member_choices = sorted(
        ((m.user.get_username(), display_name_of(m.user)) for m in members),
        key=lambda pair: pair[1].casefold(),
    )
    versions = (
        list(
            Version.objects.published()
            .filter(work=work)
            .order_by("number")
            .values_list("number", flat=True)
        )
        if work
        else []
    )
    form = GroupCommentFilterForm(
        request.GET or None,
        work_choices=[(w.slug, w.title) for w in works],
        member_choices=member_choices,
        version_choices=versions,
    )
    passages = passages_of(work.current_version if work else None)
    data = form.cleaned_data if form.is_valid() else {}
    bounds = {}
    for field in ("first", "last"):
        if data.get(field):
            bounds[field] = find_passage(passages, data[field])
            if bounds[field] is None:
                form.add_error(field, _("No passage is called that in the current version."))
    if form.errors:
        data = {}
        bounds = {}
    page = None
    if work is not None:
        comments = group_comments(
            group,
            request.user,
            work,
            passages=passages,
            author=data.get("member") or "",
            first=bounds.get("first"),
            last=bounds.get("last"),
            since=data.get("since"),
            until=data.get("until"),
            written_on=data.get("written_on"),
        )
        page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
        label_comments(page, passages)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "commentary/groups/group_comments.html",
        {
            "group": group,
            "work": work,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "several_works": len(works) > 1,
        },
    )
