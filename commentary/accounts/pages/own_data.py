"""A member's own data page (download it all) and the page that deletes their account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from commentary.accounts.deletion import account_delete, owned_groups
from commentary.accounts.export import export_request, inline_limit
from commentary.accounts.models import MemberExport
from commentary.accounts.pages.forms import AccountDeleteForm

_FILES = {
    "json": ("json", "application/json; charset=utf-8"),
    "md": ("markdown", "text/markdown; charset=utf-8"),
}


@never_cache
@login_required
def own_data(request: HttpRequest) -> HttpResponse:
    """The member's exports, newest first; POST asks for a new one."""
    if request.method == "POST":
        export = export_request(user=request.user)
        if export.is_ready:
            messages.success(request, _("Your data is ready to download."))
        else:
            messages.info(
                request,
                _("Your data is being prepared. Come back to this page in a few minutes."),
            )
        return redirect("accounts:own-data")
    exports = MemberExport.objects.filter(user=request.user).defer("json", "markdown")[:10]
    return render(
        request,
        "commentary/accounts/own_data.html",
        {"exports": exports, "inline_limit": inline_limit()},
    )


@never_cache
@login_required
def own_data_file(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    if extension not in _FILES:
        raise Http404
    export = get_object_or_404(MemberExport, pk=pk, user=request.user)
    if not export.is_ready:
        raise Http404
    field, content_type = _FILES[extension]
    response = HttpResponse(getattr(export, field), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="scholia-data-{pk}.{extension}"'
    return response


@never_cache
@login_required
def own_account_delete(request: HttpRequest) -> HttpResponse:
    """The form; once confirmed, the account is deleted and its session ended."""
    groups = owned_groups(request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and not groups and form.is_valid():
        try:
            account_delete(user=request.user, keep_comments=form.cleaned_data["keep_comments"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for reading with us."))
            return redirect("/")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "commentary/accounts/account_delete.html",
        {"form": form, "owned_groups": groups},
        status=status,
    )
