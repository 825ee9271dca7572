"""The reading groups' pages for their members: the list of one's groups, founding a
group, a group's page, joining through an invitation link and leaving.

A group's page shows its works, recent discussion and members to its members only. To
anybody else the group does not exist (404), unless its owner made it discoverable: then
its name and description, and nothing else. Writes go through ``commentary.groups.services``, the
services the API calls.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commentary.errors import CommentError
from commentary.groups.invitations import group_join
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.pages.forms import GroupForm
from commentary.groups.reads import (
    discoverable_card,
    get_group_for_member,
    group_members,
    group_works,
    invitation_group,
    member_groups,
    recent_discussion,
)
from commentary.groups.services import group_create, group_leave
from commentary.models import Comment
from commentary.permissions import allowed
from edition.models import Work
from edition.numbering import passage_labels


def published_work_choices() -> list[tuple[str, str]]:
    return list(Work.objects.published().order_by("title", "slug").values_list("slug", "title"))


@never_cache
@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    """The reader's groups, and the discoverable groups they are not in."""
    mine = member_groups(request.user)
    discoverable = ReadingGroup.objects.discoverable().exclude(
        pk__in=[row.group.pk for row in mine]
    )
    return render(
        request,
        "commentary/groups/group_list.html",
        {"groups": mine, "discoverable": discoverable.only("slug", "name", "description")},
    )


@never_cache
@login_required
def group_new(request: HttpRequest) -> HttpResponse:
    """Found a group, owned by the reader; then its page."""
    choices = published_work_choices()
    form = GroupForm(request.POST or None, work_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_create(owner=request.user, **form.settings())
        except CommentError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Your group is ready. Invite its members with the link in its settings."),
            )
            return redirect(group)
    return render(request, "commentary/groups/group_new.html", {"form": form})


def reading_links(works: list[Work], group: ReadingGroup) -> list[tuple[Work, str]]:
    """Each work with the address of its reading page showing the group's layer."""
    return [
        (work, f"{reverse('edition:work-detail', kwargs={'slug': work.slug})}?group={group.slug}")
        for work in works
    ]


@never_cache
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The group for its members; a discoverable group's card for anybody else; else 404.
    Its leaders also get the number of its comments awaiting their decision (``waiting``)."""
    try:
        group = get_group_for_member(request.user, slug)
    except Http404:
        card = discoverable_card(slug)
        if card is None:
            raise
        return render(request, "commentary/groups/group_card.html", {"group": card})
    leads = allowed(request.user, "group.lead", group)
    waiting = None
    if leads:
        waiting = (
            Comment.objects.moderated_by(request.user).in_layer(group).awaiting_moderation().count()
        )
    recent = recent_discussion(group, request.user)
    labels = passage_labels((comment.version_id, comment.paragraph_id) for comment in recent)
    for comment in recent:
        comment.passage_label = labels.get((comment.version_id, comment.paragraph_id), "")
    return render(
        request,
        "commentary/groups/group_detail.html",
        {
            "group": group,
            "is_owner": allowed(request.user, "group.change", group),
            "leads": leads,
            "waiting": waiting,
            "works": reading_links(group_works(group), group),
            "recent": recent,
            "members": group_members(group),
        },
    )


@never_cache
def group_join_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The invitation link. A code that does not work answers 404 with a page saying so,
    whoever asks; a working one asks a signed-out visitor to sign in first, then offers a
    "Join" button (POST)."""
    group = invitation_group(slug, code)
    if group is None:
        return render(request, "commentary/groups/invitation_gone.html", status=404)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if Membership.objects.filter(group=group, user_id=request.user.pk).exists():
        messages.info(request, _("You are already in this group."))
        return redirect(group)
    if request.method == "POST":
        try:
            group_join(user=request.user, code=code, slug=slug)
        except CommentError:
            return render(request, "commentary/groups/invitation_gone.html", status=404)
        messages.success(request, _("Welcome to %(name)s.") % {"name": group.name})
        return redirect(group)
    return render(request, "commentary/groups/group_join.html", {"group": group})


@require_POST
@login_required
def group_leave_page(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_member(request.user, slug)
    try:
        group_leave(group=group, user=request.user)
    except CommentError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(group)
    messages.success(request, _("You left %(name)s.") % {"name": group.name})
    return redirect("groups:group-list")
