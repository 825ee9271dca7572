"""People's pages: a public profile, and a signed-in user's own profile settings."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from commentary.accounts.models import Profile
from commentary.accounts.pages.comment_filters import ProfileCommentFilterForm
from commentary.accounts.profiles import profile_ensure, profile_update
from commentary.accounts.sections import own_sections
from commentary.anchors import version_wordings
from commentary.markdown import plain_excerpt
from commentary.models import Comment
from commentary.pages.forms import ProfileForm
from edition.numbering import passage_labels

COMMENTS_PER_PAGE = 50
EXCERPT_WORDS = 40


def _excerpt(comment: Comment) -> str:
    return plain_excerpt(comment.body_html, EXCERPT_WORDS)


def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    """A public profile and the live comments of that user which the viewer may see; on
    one's own, the decisions moderators took on one's comments."""
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
        .select_related("work__current_version", "paragraph", "version", "group")
        .order_by("-created_at", "-pk")
    )
    filters = ProfileCommentFilterForm(request.GET)
    comments = filters.filtered(comments)
    page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    # Each comment is placed on its work's current version, read once per work on the page
    # (and cached until the edition changes).
    labels = passage_labels((comment.version_id, comment.paragraph_id) for comment in page)
    wordings = {}
    for comment in page:
        comment.excerpt = _excerpt(comment)
        comment.passage_label = labels.get((comment.version_id, comment.paragraph_id), "")
        current = comment.work.current_version
        if current is not None and current.pk not in wordings:
            wordings[current.pk] = version_wordings(current)
        comment.anchor = wordings[current.pk].anchor_of(comment) if current else None
    is_self = person == request.user
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "person": person,
        "profile": profile,
        "page": page,
        "is_self": is_self,
        "filters": filters,
        "query": query.urlencode(),
    }
    if is_self:
        # What other wings show a member of their own (the decisions on their comments,
        # their sanctions): for oneself alone.
        context.update(own_sections(request))
    return render(request, "commentary/user_detail.html", context)


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
