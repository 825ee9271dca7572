"""The owner's page of a reading group: its settings, its invitation link (role, expiry,
on or off, a new code), its members (remove one, hand the group over) and a copy for a
new term.

The owner only: anybody else gets 404, members included. Each action is a POST to its own
address that calls one service of ``commentary.groups.services`` and returns to this page with a
message; a form the service refuses is shown again on it with the errors beside its
fields.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commentary.errors import CommentError
from commentary.groups.invitations import (
    group_invite_disable,
    group_invite_enable,
    group_invite_rotate,
)
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.pages.forms import (
    CopyForm,
    GroupForm,
    InvitationForm,
    TransferForm,
    last_valid_day,
)
from commentary.groups.pages.views import published_work_choices
from commentary.groups.reads import (
    get_group_for_owner,
    group_members,
    group_works,
    invitation_url,
)
from commentary.groups.services import group_copy, group_update, member_remove, ownership_transfer
from commentary.models import display_name_of


def _settings_page(request: HttpRequest, group: ReadingGroup, status: int = 200, **forms):
    """The settings page, with ``forms`` (bound, with errors) in place of fresh ones."""
    members = group_members(group)
    others = [
        (membership.user.get_username(), display_name_of(membership.user))
        for membership in members
        if membership.role != Membership.Role.OWNER
    ]
    work_slugs = [work.slug for work in group_works(group)]
    context = {
        "group": group,
        "members": members,
        "invitation_url": invitation_url(request, group),
        "invitation_open": group.invitation_open(),
        "settings_form": forms.get("settings_form")
        or GroupForm(
            initial=GroupForm.initial_for(group, work_slugs),
            work_choices=published_work_choices(),
        ),
        "invitation_form": forms.get("invitation_form")
        or InvitationForm(
            initial={
                "invite_role": group.invite_role,
                "valid_until": last_valid_day(group.invite_expires_at),
            }
        ),
        "transfer_form": forms.get("transfer_form") or TransferForm(member_choices=others),
        "copy_form": forms.get("copy_form") or CopyForm(),
    }
    return render(request, "commentary/groups/group_settings.html", context, status=status)


def _done(request: HttpRequest, group: ReadingGroup, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("groups:group-settings", slug=group.slug)


@never_cache
@login_required
def group_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner's page; a POST here changes the group's settings."""
    group = get_group_for_owner(request.user, slug)
    if request.method != "POST":
        return _settings_page(request, group)
    form = GroupForm(request.POST, work_choices=published_work_choices())
    if form.is_valid():
        settings = form.settings()
        works = settings.pop("works")
        try:
            group_update(group=group, by=request.user, works=works, **settings)
        except CommentError as error:
            form.add_service_error(error)
        else:
            return _done(request, group, _("The group's settings are saved."))
    return _settings_page(request, group, status=400, settings_form=form)


@require_POST
@login_required
def invitation_update(request: HttpRequest, slug: str) -> HttpResponse:
    """The invitation's role and last day."""
    group = get_group_for_owner(request.user, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            group_update(group=group, by=request.user, **form.settings())
        except CommentError as error:
            form.add_service_error(error)
        else:
            return _done(request, group, _("The invitation is saved."))
    return _settings_page(request, group, status=400, invitation_form=form)


@require_POST
@login_required
def invitation_rotate(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_owner(request.user, slug)
    group_invite_rotate(group=group, by=request.user)
    return _done(request, group, _("A new invitation link is ready; the old one no longer works."))


@require_POST
@login_required
def invitation_switch(request: HttpRequest, slug: str) -> HttpResponse:
    """Turn the invitation off (``enabled=0``) or on again with the same link."""
    group = get_group_for_owner(request.user, slug)
    if request.POST.get("enabled") == "1":
        group_invite_enable(group=group, by=request.user)
        return _done(request, group, _("The invitation link works again."))
    group_invite_disable(group=group, by=request.user)
    return _done(request, group, _("The invitation link is turned off."))


@require_POST
@login_required
def member_remove_page(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    group = get_group_for_owner(request.user, slug)
    person = get_object_or_404(get_user_model(), username=username)
    try:
        member_remove(group=group, by=request.user, user=person)
    except CommentError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("groups:group-settings", slug=group.slug)
    return _done(request, group, _("%(name)s is no longer in the group.") % {"name": username})


@require_POST
@login_required
def ownership_transfer_page(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_owner(request.user, slug)
    members = group_members(group)
    choices = [
        (membership.user.get_username(), display_name_of(membership.user))
        for membership in members
        if membership.role != Membership.Role.OWNER
    ]
    form = TransferForm(request.POST, member_choices=choices)
    if form.is_valid():
        heir = next(m.user for m in members if m.user.get_username() == form.cleaned_data["user"])
        try:
            ownership_transfer(group=group, by=request.user, to=heir)
        except CommentError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(name)s now owns the group; you stay on as a moderator.")
                % {"name": heir.get_username()},
            )
            return redirect(group)
    return _settings_page(request, group, status=400, transfer_form=form)


@require_POST
@login_required
def group_copy_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A copy for a new term, then its page."""
    group = get_group_for_owner(request.user, slug)
    form = CopyForm(request.POST)
    if form.is_valid():
        try:
            copy = group_copy(group=group, by=request.user, **form.cleaned_data)
        except CommentError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(name)s is ready, with the same works and settings and no members yet.")
                % {"name": copy.name},
            )
            return redirect(copy)
    return _settings_page(request, group, status=400, copy_form=form)
