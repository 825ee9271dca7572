"""The moderators' pages: the queue of held and flagged comments, decisions on them (one
at a time or in bulk) and the audit log.

The site's moderators (``moderators.is_moderator``) and the owners and moderators of
reading groups reach the queue, its decisions and the log, each seeing and deciding only
what ``Comment.objects.moderated_by`` gives them (a group's leaders, their groups'
comments); anybody else gets 404, as for an address that does not exist, and so does a
decision on a comment the viewer may not moderate. Every decision goes through
``moderation.comment_moderate`` (or ``comments_moderate``), the service the API and the
admin call, so each writes the same one ModerationEvent. With htmx a decision answers with
the item's outcome, swapped in place, and a ``commentary:changed`` event that
discussion.js announces; without JavaScript it redirects back to the queue with a message.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from commentary.access import get_comment_to_moderate
from commentary.errors import CommentError
from commentary.groups.models import ReadingGroup
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, comments_moderate
from commentary.moderation.models import ModerationEvent
from commentary.moderation.moderators import is_moderator
from commentary.moderation.pages.forms import (
    BulkDecisionForm,
    DecisionForm,
    EventFilterForm,
    QueueFilterForm,
)
from commentary.permissions import allowed
from edition.models import Work
from edition.numbering import passage_labels

QUEUE_PAGE_SIZE = 20
LOG_PAGE_SIZE = 50

OUTCOMES = {
    "approve": gettext_lazy("Approved: the comment by %(author)s is published."),
    "reject": gettext_lazy("Rejected: the comment by %(author)s stays unpublished."),
    "hide": gettext_lazy("Hidden: the comment by %(author)s is no longer shown."),
    "restore": gettext_lazy("Restored: the comment by %(author)s is shown again."),
    "keep": gettext_lazy("Kept: the flags on the comment by %(author)s are dismissed."),
}


def moderators_or_group_leaders(view: Callable) -> Callable:
    """For the site's moderators and the owners and moderators of reading groups, each
    reading what the one rule gives them; 404 for everybody else."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not allowed(user, "moderation.reach"):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, items, size: int) -> tuple[Page, str]:
    """The requested page of ``items``, and the query string of the other pages' links
    (the filters, without the page number)."""
    page = Paginator(items, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    """Held and flagged comments the viewer moderates, oldest first, each with its context,
    its reading group and decisions; filters by work, group (those the viewer leads), kind
    and reason."""
    user = request.user
    led = list(ReadingGroup.objects.led_by(user).order_by("name", "pk").values_list("slug", "name"))
    if not (led or is_moderator(user)):
        raise Http404
    works = Work.objects.readable_by(user).order_by("title").values_list("slug", "title")
    form = QueueFilterForm(request.GET or None, work_choices=list(works), group_choices=led)
    comments = form.filter(
        Comment.objects.moderated_by(user)
        .awaiting_moderation()
        .with_moderation_context()
        .select_related("group")
    )
    page, query = _page(request, comments, QUEUE_PAGE_SIZE)
    _label_passages(page.object_list, lambda comment: comment)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "here": request.get_full_path(),
        "bulk_form": BulkDecisionForm(),
    }
    return render(request, "commentary/moderation_queue.html", context)


def _back_to_queue(request: HttpRequest) -> str:
    """Where a decision without JavaScript returns: the queue page it was taken on."""
    target = request.POST.get("next", "")
    queue_url = reverse("moderation:queue")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith(queue_url) else queue_url


def _error_text(error: CommentError) -> str:
    return " ".join(error.messages)


@require_POST
@moderators_or_group_leaders
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """One decision on one comment the viewer moderates (404 for any other); "already
    decided" is said, never done twice."""
    comment = get_comment_to_moderate(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        decided, message = False, _("Choose a decision.")
    else:
        data = form.cleaned_data
        try:
            comment_moderate(
                comment=comment,
                moderator=request.user,
                action=data["action"],
                reason=data["reason"],
                expected_status=data["expected_status"] or None,
            )
        except CommentError as error:
            decided, message = False, _error_text(error)
        else:
            author = comment.author.get_username()
            decided, message = True, OUTCOMES[data["action"]] % {"author": author}
    if request.htmx:
        response = render(
            request,
            "commentary/moderation_queue_outcome.html",
            {"comment": comment, "message": message, "decided": decided},
        )
        payload = {"message": message, "focus": [f"queue-outcome-{comment.pk}"]}
        return trigger_client_event(response, "commentary:changed", payload, after="settle")
    (messages.success if decided else messages.error)(request, message)
    return redirect(_back_to_queue(request))


@require_POST
@moderators_or_group_leaders
def decide_many(request: HttpRequest) -> HttpResponse:
    """One decision on the comments ticked in the queue, or on every comment of the queue
    page it was on, each in its own transaction. If one of them is not the viewer's to
    moderate (or does not exist), the answer is 404 and nothing is decided."""
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_back_to_queue(request))
    ticked = set(form.cleaned_data["comments"])
    moderated = Comment.objects.moderated_by(request.user).filter(pk__in=ticked)
    comments = list(moderated.order_by("pk"))
    if len(comments) != len(ticked):
        raise Http404("No such comment.")
    # A comment that left the queue since the page was drawn (decided in place, or by
    # another moderator) was decided: a decision on the page never reaches it again.
    waiting = set(moderated.awaiting_moderation().values_list("pk", flat=True))
    result = comments_moderate(
        comments=[comment for comment in comments if comment.pk in waiting],
        moderator=request.user,
        action=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
    )
    result.already_decided += [comment for comment in comments if comment.pk not in waiting]
    if result.decided:
        count = len(result.decided)
        messages.success(
            request,
            ngettext("%(action)s: %(count)s comment.", "%(action)s: %(count)s comments.", count)
            % {"action": ModerationEvent.Action(form.cleaned_data["action"]).label, "count": count},
        )
    if result.already_decided:
        count = len(result.already_decided)
        messages.error(
            request,
            ngettext(
                "Already decided: %(count)s comment was left as it was.",
                "Already decided: %(count)s comments were left as they were.",
                count,
            )
            % {"count": count},
        )
    return redirect(_back_to_queue(request))


def _label_passages(items, comment_of: Callable) -> None:
    """Give each item's comment a ``passage_label`` ("¶ 12", as readers number the passage
    in the version its author read), in one query for the whole page."""
    comments = [comment_of(item) for item in items]
    comments = [comment for comment in comments if comment is not None]
    labels = passage_labels((comment.version_id, comment.paragraph_id) for comment in comments)
    for comment in comments:
        comment.passage_label = labels.get((comment.version_id, comment.paragraph_id), "")


@never_cache
@moderators_or_group_leaders
def log(request: HttpRequest) -> HttpResponse:
    """The audit log, newest first: the events the viewer may read
    (``ModerationEventQuerySet.visible_to``), so a reading group's stay with its leaders."""
    form = EventFilterForm(request.GET or None)
    events = ModerationEvent.objects.visible_to(request.user).with_related()
    events = form.filter(events.select_related("group").order_by("-pk"))
    page, query = _page(request, events, LOG_PAGE_SIZE)
    _label_passages(page.object_list, lambda event: event.comment)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "site": is_moderator(request.user),
    }
    return render(request, "commentary/moderation_log.html", context)
