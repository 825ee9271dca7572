"""A member's notifications page: newest first, grouped by day, each leading to what it
tells of (the comment in its thread, the passage, the new version); "Mark all as read".
Only the member's own, as the visibility rule lets them read now
(``Notification.objects.for_recipient``). A fixed number of queries however many."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commentary.notifications.entries import notification_entries
from commentary.notifications.models import Notification
from commentary.notifications.pages.decisions import MarkReadForm
from commentary.notifications.services import notifications_mark_read

PER_PAGE = 50


@never_cache
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_recipient(request.user).with_related()
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = notification_entries(page.object_list)
    response = render(
        request,
        "commentary/notifications/notification_list.html",
        {"page": page, "entries": page.object_list},
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Marks the reader's unread notifications read, up to the newest their page showed."""
    form = MarkReadForm(request.POST)
    if form.is_valid():
        notifications_mark_read(user=request.user, up_to=form.cleaned_data["up_to"])
        messages.success(request, _("Your notifications are marked as read."))
    else:
        messages.error(request, _("Nothing was marked as read: that was not a notification."))
    return redirect("notifications:list")
