"""People's pages: a public profile, and a signed-in user's profile and API token settings."""

import html

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commentary import tokens
from commentary.accounts import profile_ensure, profile_update
from commentary.models import Comment, Profile
from commentary.tokens import ApiToken

COMMENTS_PER_PAGE = 50
EXCERPT_WORDS = 40
# The raw key of a token just created waits here for the one page that shows it.
_NEW_TOKEN_SESSION_KEY = "commentary:new-api-token"


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=gettext_lazy("Display name"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("Shown with your comments instead of your username."),
    )
    affiliation = forms.CharField(label=gettext_lazy("Affiliation"), max_length=120, required=False)
    bio = forms.CharField(
        label=gettext_lazy("About you"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("What the token is for, e.g. “reading group export script”."),
    )


def _excerpt(comment: Comment) -> str:
    # From the sanitised HTML, so that Markdown syntax does not show in the excerpt.
    text = html.unescape(strip_tags(comment.body_html))
    return Truncator(" ".join(text.split())).words(EXCERPT_WORDS)


def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    """A public profile and the live comments of that user which the viewer may see."""
    User = get_user_model()
    person = get_object_or_404(User, **{User.USERNAME_FIELD: username, "is_active": True})
    try:
        profile = person.profile
    except Profile.DoesNotExist:
        profile = None
    comments = (
        Comment.objects.visible_to(request.user)
        .live()
        .filter(author=person)
        .select_related("work", "paragraph")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    for comment in page:
        comment.excerpt = _excerpt(comment)
    return render(
        request,
        "commentary/user_detail.html",
        {"person": person, "profile": profile, "page": page, "is_self": person == request.user},
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = profile_ensure(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile_update(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect("people:user-detail", username=request.user.get_username())
    else:
        form = ProfileForm(
            initial={
                "display_name": profile.display_name,
                "affiliation": profile.affiliation,
                "bio": profile.bio,
            }
        )
    return render(request, "commentary/profile_form.html", {"form": form})


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens, and the form that creates one (POST here)."""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, raw_key = tokens.token_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                form.add_error("name", error.message_dict.get("name", error.messages))
            else:
                request.session[_NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "key": raw_key}
                return redirect("people:token-created")
    else:
        form = TokenForm()
    api_tokens = ApiToken.objects.filter(user=request.user)
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
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("people:token-list")
