"""A member's moderation page: their record, comments in moderation, sanctions and events,
and the forms that suspend, ban, reinstate and decide on trust.

The site's moderators see the public discussion and act on the site (sanctions that apply
everywhere, trust). A reading group's owner and moderators see, for each of their groups
the member belongs to, that group's sanctions and act in it only. Anybody else, and a
leader of no group the member is in, gets 404, as for an address that does not exist.

Every action goes through the service the API calls (``commentary.moderation.sanctions``,
``commentary.moderation.trust``), so each writes the same one ModerationEvent; a refusal is shown
beside the form (400), a success redirects back with a message. No JavaScript needed.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commentary.errors import CommentError
from commentary.groups.models import ReadingGroup
from commentary.models import display_name_of
from commentary.moderation.member_records import (
    groups_led_with,
    member_events,
    member_record,
    member_sanctions,
    recent_comments_in_moderation,
    sanctions_in_force,
)
from commentary.moderation.models import Sanction
from commentary.moderation.moderators import is_moderator
from commentary.moderation.pages.member_forms import (
    BanForm,
    ReinstateForm,
    SuspendForm,
    TrustForm,
    a_week_from_now,
)
from commentary.moderation.sanctions import (
    group_sanction_refusal,
    site_sanction_refusal,
    user_ban,
    user_reinstate,
    user_suspend,
)
from commentary.moderation.trust import is_new_member, member_trust_set, trust_override
from edition.numbering import passage_labels

SITE = "site"
SANCTION_ACTIONS = {
    "suspend": (SuspendForm, user_suspend),
    "ban": (BanForm, user_ban),
    "reinstate": (ReinstateForm, user_reinstate),
}


@dataclass
class Scope:
    """Where the viewer may sanction the member: the site, or one group they lead."""

    group: ReadingGroup | None
    sanction: Sanction | None
    refusal: str
    forms: dict[str, Form] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.group.slug if self.group is not None else SITE


def _member(username: str):
    User = get_user_model()
    return get_object_or_404(User.objects.select_related("profile"), username=username)


def _action_form(form_class, key: str, action: str, data=None) -> Form:
    initial = {"until": a_week_from_now()} if form_class is SuspendForm else None
    return form_class(data, initial=initial, auto_id=f"{key}-{action}-%s")


def _scopes(viewer, member) -> list[Scope]:
    """The viewer's scopes on ``member``, with the sanction in force in each; none for a
    viewer who may see nothing of them."""
    groups = groups_led_with(viewer, member)
    site = is_moderator(viewer)
    if not site and not groups:
        return []
    in_force = sanctions_in_force(viewer, member)
    scopes = []
    if site:
        refusal = site_sanction_refusal(moderator=viewer, user=member)
        scopes.append(Scope(group=None, sanction=in_force.get(None), refusal=refusal))
    for group in groups:
        refusal = group_sanction_refusal(moderator=viewer, user=member, group=group, member=True)
        scopes.append(Scope(group=group, sanction=in_force.get(group.pk), refusal=refusal))
    for scope in scopes:
        for action, (form_class, _service) in SANCTION_ACTIONS.items():
            scope.forms[action] = _action_form(form_class, scope.key, action)
    return scopes


def _context(viewer, member, scopes: list[Scope], trust_form: TrustForm | None = None) -> dict:
    site = scopes[0].group is None
    comments = recent_comments_in_moderation(viewer, member)
    labels = passage_labels((comment.version_id, comment.paragraph_id) for comment in comments)
    for comment in comments:
        comment.passage_label = labels.get((comment.version_id, comment.paragraph_id), "")
    context = {
        "member": member,
        "display_name": display_name_of(member),
        "scopes": scopes,
        "record": member_record(viewer, member),
        "comments": comments,
        "sanctions": member_sanctions(viewer, member),
        "events": member_events(viewer, member),
        "log_url": f"{reverse('moderation:log')}?user={member.get_username()}",
        "site": site,
    }
    if site:
        context["trust"] = {
            "override": trust_override(member),
            "new_member": is_new_member(member),
            "moderator": is_moderator(member),
        }
        context["trust_form"] = trust_form or TrustForm(auto_id="trust-%s")
    return context


def _scopes_or_404(request: HttpRequest, member) -> list[Scope]:
    scopes = _scopes(request.user, member)
    if not scopes:
        raise Http404
    return scopes


@never_cache
def member_detail(request: HttpRequest, username: str) -> HttpResponse:
    """The member's page for the site's moderators and their groups' leaders."""
    member = _member(username)
    scopes = _scopes_or_404(request, member)
    return render(
        request, "commentary/moderation_member.html", _context(request.user, member, scopes)
    )


def _member_url(member, key: str) -> str:
    url = reverse("moderation:member", kwargs={"username": member.get_username()})
    return f"{url}#scope-{key}"


def _done_message(action: str, member, scope: Scope, sanction: Sanction) -> str:
    name = member.get_username()
    group = scope.group.name if scope.group is not None else ""
    if action == "reinstate":
        if group:
            return _("%(member)s may write in %(group)s again.") % {"member": name, "group": group}
        return _("%(member)s is reinstated.") % {"member": name}
    if action == "ban":
        if group:
            return _("%(member)s is banned from writing in %(group)s.") % {
                "member": name,
                "group": group,
            }
        return _("%(member)s is banned.") % {"member": name}
    until = date_format(timezone.localtime(sanction.until), "DATETIME_FORMAT")
    if group:
        return _("%(member)s is suspended from writing in %(group)s until %(until)s.") % {
            "member": name,
            "group": group,
            "until": until,
        }
    return _("%(member)s is suspended until %(until)s.") % {"member": name, "until": until}


def _refused(request: HttpRequest, member, scopes, trust_form=None) -> HttpResponse:
    context = _context(request.user, member, scopes, trust_form)
    return render(request, "commentary/moderation_member.html", context, status=400)


@require_POST
def member_sanction(request: HttpRequest, username: str, action: str) -> HttpResponse:
    """Suspend, ban or reinstate, on the site or (``group``, a slug) in a group the viewer
    leads; a scope the viewer does not hold is 404."""
    if action not in SANCTION_ACTIONS:
        raise Http404
    member = _member(username)
    scopes = _scopes_or_404(request, member)
    key = request.POST.get("group") or SITE
    scope = next((scope for scope in scopes if scope.key == key), None)
    if scope is None:
        raise Http404
    form_class, service = SANCTION_ACTIONS[action]
    form = _action_form(form_class, scope.key, action, request.POST)
    scope.forms[action] = form
    if form.is_valid():
        try:
            sanction = service(
                user=member, moderator=request.user, group=scope.group, **form.cleaned_data
            )
        except CommentError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _done_message(action, member, scope, sanction))
            return redirect(_member_url(member, scope.key))
    return _refused(request, member, scopes)


@require_POST
def member_trust(request: HttpRequest, username: str) -> HttpResponse:
    """Grant trust, remove it, or hand it back to the automatic rule: site moderators."""
    if not is_moderator(request.user):
        raise Http404
    member = _member(username)
    scopes = _scopes_or_404(request, member)
    form = TrustForm(request.POST, auto_id="trust-%s")
    if form.is_valid():
        try:
            member_trust_set(
                user=member,
                moderator=request.user,
                trusted=form.trusted(),
                reason=form.cleaned_data["reason"],
            )
        except CommentError as error:
            form.add_service_error(error)
        else:
            label = dict(form.fields["trust"].choices)[form.cleaned_data["trust"]]
            messages.success(
                request,
                _("%(member)s — %(state)s.") % {"member": member.get_username(), "state": label},
            )
            return redirect(_member_url(member, "trust"))
    return _refused(request, member, scopes, trust_form=form)
