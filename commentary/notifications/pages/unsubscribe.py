"""The address in every mail's ``List-Unsubscribe`` (RFC 8058): a GET shows what it will
do and a button; a POST does it, with no session and no CSRF token (a mail client's
one-click POST of ``List-Unsubscribe=One-Click``, or the button), and answers 200."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from commentary.notifications.models import Kind
from commentary.notifications.unsubscribe import EVERY_KIND, read_token, unsubscribe


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    named = read_token(token)
    user = None
    if named is not None:
        user = get_user_model().objects.filter(pk=named[0], is_active=True).first()
    if user is None:
        return render(
            request, "commentary/notifications/unsubscribe.html", {"invalid": True}, status=400
        )
    kind = named[1]
    context = {
        "kind_label": None if kind == EVERY_KIND else Kind(kind).label,
        "done": request.method == "POST",
    }
    if request.method == "POST":
        unsubscribe(user=user, kind=kind)
    response = render(request, "commentary/notifications/unsubscribe.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
