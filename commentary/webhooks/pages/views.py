"""The webhooks settings page: a member's endpoints, registered, changed, tested, enabled
again and deleted, each with its delivery log; a secret is shown once, when made."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commentary.webhooks import services
from commentary.webhooks.deliveries import test_deliver
from commentary.webhooks.models import WebhookEndpoint
from commentary.webhooks.pages.forms import DeleteForm, RotateForm, WebhookForm

# A secret just made waits here for the one page that shows it.
_NEW_SECRET_SESSION_KEY = "commentary:new-webhook-secret"
LOG_PAGE_SIZE = 25


def _own(request: HttpRequest, pk: int) -> WebhookEndpoint:
    return get_object_or_404(
        WebhookEndpoint.objects.select_related("work", "group"), pk=pk, owner=request.user
    )


def _errors_to_form(form: WebhookForm, error: ValidationError) -> None:
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _show_secret(request: HttpRequest, endpoint: WebhookEndpoint) -> HttpResponse:
    request.session[_NEW_SECRET_SESSION_KEY] = {"id": endpoint.pk, "secret": endpoint.secret}
    return redirect("webhooks:secret")


@login_required
def endpoint_list(request: HttpRequest) -> HttpResponse:
    """The member's endpoints, and the form that registers one (POST here)."""
    if request.method == "POST":
        form = WebhookForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                endpoint = services.endpoint_create(owner=request.user, **form.service_arguments())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                return _show_secret(request, endpoint)
    else:
        form = WebhookForm(user=request.user)
    endpoints = WebhookEndpoint.objects.filter(owner=request.user).select_related("work", "group")
    return render(
        request, "commentary/webhooks/endpoint_list.html", {"form": form, "endpoints": endpoints}
    )


@login_required
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One endpoint: its settings (changed by POST here) and its delivery log."""
    endpoint = _own(request, pk)
    if request.method == "POST":
        form = WebhookForm(request.POST, user=request.user, endpoint=endpoint)
        if form.is_valid():
            try:
                services.endpoint_update(
                    endpoint=endpoint, by=request.user, **form.service_arguments()
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The endpoint was saved."))
                return redirect("webhooks:detail", pk=endpoint.pk)
    else:
        form = WebhookForm(user=request.user, endpoint=endpoint)
    return _detail_page(request, endpoint, form=form)


def _detail_page(
    request: HttpRequest,
    endpoint: WebhookEndpoint,
    *,
    form: WebhookForm | None = None,
    delete_form: DeleteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    log = Paginator(endpoint.deliveries.order_by("-pk"), LOG_PAGE_SIZE)
    page = log.get_page(request.GET.get("page"))
    return render(
        request,
        "commentary/webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "form": form or WebhookForm(user=request.user, endpoint=endpoint),
            "rotate_form": RotateForm(prefix="rotate"),
            "delete_form": delete_form or DeleteForm(prefix="delete"),
            "old_secret_signs": endpoint.old_secret_signs_at(timezone.now()),
            "deliveries": page,
        },
        status=status,
    )


@never_cache
@login_required
def secret_shown(request: HttpRequest) -> HttpResponse:
    """Shows a secret once: the session forgets it as this page is rendered."""
    new = request.session.pop(_NEW_SECRET_SESSION_KEY, None)
    endpoint = (
        WebhookEndpoint.objects.filter(owner=request.user, pk=new["id"]).first() if new else None
    )
    if endpoint is None:
        return redirect("webhooks:list")
    return render(
        request,
        "commentary/webhooks/secret.html",
        {"endpoint": endpoint, "secret": new["secret"]},
    )


@require_POST
@login_required
def endpoint_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _own(request, pk)
    form = RotateForm(request.POST, prefix="rotate")
    revoke_old = form.is_valid() and form.cleaned_data["revoke_old"]
    endpoint = services.endpoint_rotate_secret(endpoint=endpoint, revoke_old=revoke_old)
    return _show_secret(request, endpoint)


@require_POST
@login_required
def endpoint_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _own(request, pk)
    test_deliver(endpoint)
    messages.success(request, _("A test event was sent; its outcome is in the log below."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@require_POST
@login_required
def endpoint_enable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _own(request, pk)
    enabled = request.POST.get("enabled") == "1"
    services.endpoint_update(endpoint=endpoint, by=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("The endpoint is enabled again."))
    else:
        messages.success(request, _("The endpoint is disabled: nothing is sent to it."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@require_POST
@login_required
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _own(request, pk)
    form = DeleteForm(request.POST, prefix="delete")
    if not form.is_valid():
        return _detail_page(request, endpoint, delete_form=form, status=400)
    services.endpoint_delete(endpoint=endpoint)
    messages.success(
        request, _("The endpoint to %(url)s was deleted.") % {"url": endpoint.target_url}
    )
    return redirect("webhooks:list")
