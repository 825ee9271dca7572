"""The decisions on a member's comments, on their own profile: the list, and "Mark all as
read". Nobody else sees any of it (``Notification.objects.for_recipient``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import BigIntegerField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commentary.accounts.sections import register_own_section
from commentary.notifications.entries import notification_entries
from commentary.notifications.models import Kind, Notification
from commentary.notifications.services import notifications_mark_read

DECISIONS_PER_PAGE = 20
PAGE_PARAM = "decisions"


def decisions_page(request: HttpRequest) -> Page:
    """A page of the signed-in reader's notifications, newest first, as entries (comment,
    passage label, excerpt, decision): three queries whatever their number."""
    notifications = (
        Notification.objects.for_recipient(request.user).filter(kind=Kind.DECISION).with_related()
    )
    page = Paginator(notifications, DECISIONS_PER_PAGE).get_page(request.GET.get(PAGE_PARAM))
    page.object_list = notification_entries(page.object_list)
    return page


class MarkReadForm(forms.Form):
    up_to = forms.IntegerField(
        min_value=1,
        max_value=BigIntegerField.MAX_BIGINT,
        required=False,
        error_messages={"invalid": gettext_lazy("Not a notification.")},
    )


@require_POST
@login_required
def decisions_read(request: HttpRequest) -> HttpResponse:
    """Marks the reader's unread decisions read, up to the newest their page showed."""
    form = MarkReadForm(request.POST)
    if form.is_valid():
        notifications_mark_read(
            user=request.user, up_to=form.cleaned_data["up_to"], kind=Kind.DECISION
        )
        messages.success(request, _("The decisions on your comments are marked as read."))
    else:
        messages.error(request, _("Nothing was marked as read: that was not a notification."))
    profile = reverse("people:user-detail", kwargs={"username": request.user.get_username()})
    return redirect(f"{profile}#decisions")


def listen() -> None:
    """Show the decisions on a member's own profile (``CommentaryConfig.ready``)."""
    register_own_section("decisions", decisions_page)
