"""The token page: a signed-in user's personal API tokens, created, shown once and revoked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commentary.accounts import tokens
from commentary.accounts.models import ApiToken
from commentary.accounts.pages.forms import TokenForm

# The raw key of a token just created waits here for the one page that shows it.
_NEW_TOKEN_SESSION_KEY = "commentary:new-api-token"


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens, and the form that creates one (POST here)."""
    if request.method == "POST":
        form = TokenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                token, raw_key = tokens.token_create(user=request.user, **form.service_arguments())
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else "name", messages)
            else:
                request.session[_NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "key": raw_key}
                return redirect("people:token-created")
    else:
        form = TokenForm(user=request.user)
    api_tokens = ApiToken.objects.filter(user=request.user).prefetch_related("groups")
    return render(request, "commentary/token_list.html", {"form": form, "tokens": api_tokens})


@never_cache
@login_required
def token_created(request: HttpRequest) -> HttpResponse:
    """Shows a new token's key once: the session forgets it as this page is rendered."""
    new = request.session.pop(_NEW_TOKEN_SESSION_KEY, None)
    token = ApiToken.objects.filter(user=request.user, pk=new["id"]).first() if new else None
    if token is None:
        return redirect("people:token-list")
    return render(request, "commentary/token_created.html", {"token": token, "raw_key": new["key"]})


@require_POST
@login_required
def token_revoke_all(request: HttpRequest) -> HttpResponse:
    count = tokens.tokens_revoke_all(user=request.user)
    messages.success(
        request,
        ngettext("%(count)d token was revoked.", "%(count)d tokens were revoked.", count)
        % {"count": count},
    )
    return redirect("people:token-list")


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("people:token-list")
