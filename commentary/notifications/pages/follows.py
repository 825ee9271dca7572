"""The follow button's form: follow or stop following a work, a paragraph or a thread."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from commentary.models import MAX_COMMENT_ID
from commentary.notifications.follows import follow_create, follow_delete, resolve_place


class FollowForm(forms.Form):
    work = forms.SlugField(required=False)
    paragraph = forms.SlugField(required=False)
    thread = forms.IntegerField(required=False, min_value=1, max_value=MAX_COMMENT_ID)
    # "1" follows, "0" stops following (a checkbox's "0" would read as true).
    follow = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    next = forms.CharField(required=False)


@require_POST
@login_required
def follow_toggle(request: HttpRequest) -> HttpResponse:
    """Follows (``follow=1``) or stops following the place named; a place the reader may
    not see is a 404. With htmx, answers the button in its new state; else goes back."""
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    data = form.cleaned_data
    place = resolve_place(
        request.user, work=data["work"], paragraph=data["paragraph"], thread=data["thread"]
    )
    if data["follow"]:
        follow_create(user=request.user, **place.arguments())
    else:
        follow_delete(user=request.user, **place.arguments())
    back = data["next"]
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = place.work.get_absolute_url()
    if request.htmx:
        context = {
            "signed_in": True,
            "following": bool(data["follow"]),
            "next": back,
            **place.arguments(),
        }
        return render(request, "commentary/notifications/follow_button.html", context)
    return redirect(back)
