"""Flagging a comment from its thread: the form, in the slot under the comment (htmx) or as
a page, and its answer. ``moderation.flag_create`` decides what is refused (one's own
comment, a second flag, a suspended member, too many flags too fast); the refusal is shown
next to the form."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from commentary.access import get_comment_for_user
from commentary.errors import CommentError, CommentRateLimited
from commentary.models import Comment
from commentary.moderation.decisions import flag_create
from commentary.moderation.pages.forms import FlagForm
from commentary.pages.discussion import login_redirect
from commentary.pages.reading_links import discussion_url
from commentary.pages.threads import ThreadRenderer, viewer_for


def _flagged_message(comment: Comment) -> str:
    if comment.status == Comment.Status.HIDDEN:
        return _(
            "Thank you: the moderators will look at this comment. "
            "The comment is hidden until a moderator decides."
        )
    return _("Thank you: the moderators will look at this comment.")


@vary_on_headers("HX-Request")
def comment_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the flag form. POST: flag the comment, then the thanks in place (htmx) or the
    discussion again with a message."""
    if not request.user.is_authenticated:
        return login_redirect(request, reverse("moderation:comment-flag", args=[pk]))
    comment = get_comment_for_user(request.user, pk)
    form = FlagForm(request.POST or None, auto_id=f"flag-{comment.pk}-%s")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            flag_create(comment=comment, user=request.user, **form.cleaned_data)
        except CommentError as error:
            form.add_service_error(error)
            status = 429 if isinstance(error, CommentRateLimited) else 400
        else:
            comment.refresh_from_db(fields=["status"])
            message = _flagged_message(comment)
            if not request.htmx:
                messages.success(request, message)
                # A group's comment is flagged from the group's layer: back there.
                return redirect(discussion_url(comment.paragraph, group=comment.group))
            response = render(
                request,
                "commentary/comment_flag_done.html",
                {"comment": comment, "message": message},
            )
            payload = {"message": message, "focus": [f"flag-{comment.pk}-done"]}
            return trigger_client_event(response, "commentary:changed", payload, after="settle")
    elif request.method == "POST":
        status = 400
    context = {"comment": comment, "form": form, "inline": bool(request.htmx)}
    if request.htmx:
        return render(request, "commentary/comment_flag_form.html", context, status=status)
    renderer = ThreadRenderer(viewer=viewer_for(request.user, comment.work))
    context["comment_html"] = renderer.comment(comment)
    return render(request, "commentary/comment_flag.html", context, status=status)
