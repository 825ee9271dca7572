"""The chapter page's script keeps a signed-in reader's place here (``edition.places``)."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST

from edition.access import get_work_for_user
from edition.places import NotAPassage, place_keep


@require_POST
def place_keep_view(request: HttpRequest, slug: str) -> HttpResponse:
    """POST ``key``: the passage the signed-in reader is at in the work's current version.
    204 when kept (or the same as before); 400 for a key that names no passage of it; 404
    for anybody not signed in, as for a work they may not read. CSRF-checked, as every
    form."""
    if not request.user.is_authenticated:
        return HttpResponse(status=404)
    work = get_work_for_user(request.user, slug)
    key = request.POST.get("key", "")
    if not key or len(key) > 40:
        return HttpResponseBadRequest("Say which passage: key=p12.", content_type="text/plain")
    try:
        place_keep(user=request.user, work=work, key=key)
    except NotAPassage:
        return HttpResponseBadRequest(
            "That passage is not in the current version of this work.", content_type="text/plain"
        )
    return HttpResponse(status=204)
