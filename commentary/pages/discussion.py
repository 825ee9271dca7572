"""The discussion in the page: a paragraph's threads, writing, and a comment's own pages.

With htmx (``request.htmx``) the views answer with fragments that are swapped in place and
an ``HX-Trigger-After-Settle`` event, ``commentary:changed``, that tells discussion.js what
to announce and where to move focus. Without JavaScript every form posts and redirects to
the comment's permalink (PRG). Bad input re-renders the form with its errors and status 400.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget, trigger_client_event

from commentary import services
from commentary.access import (
    get_comment_for_author,
    get_comment_for_page,
    get_comment_for_user,
    paragraph_comment_counts,
)
from commentary.anchors import (
    PARAGRAPH_REMOVED,
    VersionWordings,
    version_wordings,
)
from commentary.layers import ReaderLayers, layer_query, reader_layers, with_query
from commentary.markdown import plain_excerpt
from commentary.models import Comment
from commentary.pages.anchor_notes import compare_url
from commentary.pages.forms import BodyForm, CommentForm
from commentary.pages.reading_links import discussion_url, reading_page_url
from commentary.pages.shared_threads import shared_thread_of
from commentary.pages.threads import (
    ThreadRenderer,
    form_layers,
    group_threads_for,
    login_url_for,
    paragraph_discussion_context,
    thread_of,
    viewer_for,
)
from commentary.policy import write_policy
from commentary.tags import tags_of
from commentary.targets import resolve_comment_target
from commentary.threads import keeps_a_tombstone
from config.site.caching import TEXT, remembered
from edition.models import Paragraph, Version, VersionParagraph
from edition.numbering import label_across, passage_labels
from edition.rendering import count_labels

# A page description of about 160 characters, as search results show.
DESCRIPTION_WORDS = 25


def get_discussed_paragraph(
    slug: str, key: str, version_number: int | None = None
) -> tuple[Paragraph, VersionParagraph | None]:
    """A paragraph of a published version, and its entry in the version on screen.

    The entry (with its revision and version) is that of ``version_number`` if given and
    published, else of the current version; None when the paragraph is not in it. A
    paragraph that is in no published version is a 404, as on the paragraph page.
    """
    paragraph = get_object_or_404(
        Paragraph.objects.published().select_related("work__current_version"),
        work__slug=slug,
        key=key,
    )
    published = VersionParagraph.objects.published().filter(paragraph=paragraph)
    if version_number is None:
        on_screen = published.filter(version_id=paragraph.work.current_version_id)
    else:
        on_screen = published.filter(version__number=version_number)
    return paragraph, on_screen.select_related("revision", "version").first()


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def login_redirect(request: HttpRequest, next_url: str) -> HttpResponse:
    """Writing needs an account: to the login page, and back to ``next_url`` after it."""
    if request.htmx:
        return HttpResponseClientRedirect(
            login_url_for(request.htmx.current_url_abs_path or next_url)
        )
    return HttpResponseRedirect(login_url_for(next_url))


def _announce(
    request: HttpRequest, response: HttpResponse, comment: Comment, message: str, focus: list
) -> HttpResponse:
    """The event discussion.js acts on once the swap has settled: announce ``message``,
    focus the first element of ``focus`` (ids) that is on the page, update the margin (in
    the layer the request reads in, the group's count beside the public one)."""
    key = comment.paragraph.key
    paragraph_id = comment.paragraph_id
    version = _version_on_screen(request, comment)
    count = paragraph_comment_counts(request.user, [paragraph_id], version).get(paragraph_id, 0)
    layers = reader_layers(request, comment.work)
    layer_count = (
        layers.counts([paragraph_id], version).get(paragraph_id, 0) if layers.group else None
    )
    labels = count_labels(count, layer_count, layers.name)
    payload = {
        "message": message,
        "focus": [*focus, f"discussion-title-{key}"],
        "paragraph": key,
        "count": count,
        "countLabel": labels.visible,
    }
    if layer_count is not None:
        payload.update(layerCount=layer_count, layerLabel=labels.layer, countName=labels.spoken)
    return trigger_client_event(response, "commentary:changed", payload, after="settle")


def _version_on_screen(request: HttpRequest, comment: Comment) -> Version | None:
    """The version the reader has on screen: the one the request names (``?version=N``),
    else the current one; read once per request."""
    memo = request.__dict__.setdefault("_version_on_screen", {})
    if comment.work_id not in memo:
        number = _number(request.GET.get("version"))
        versions = Version.objects.published().filter(work_id=comment.work_id)
        if number is None:
            version = versions.filter(pk=comment.work.current_version_id).first()
        else:
            version = versions.filter(number=number).first()
        memo[comment.work_id] = version
    return memo[comment.work_id]


def _wordings_on_screen(request: HttpRequest, comment: Comment) -> VersionWordings | None:
    """The wordings of the version the reader has on screen (``_version_on_screen``)."""
    version = _version_on_screen(request, comment)
    return version_wordings(version) if version is not None else None


def _written(request: HttpRequest, comment: Comment, message: str, focus: list) -> HttpResponse:
    """After a reply, an edit or a delete: the comment's thread again, in place (htmx), or
    its permalink (PRG)."""
    if not request.htmx:
        return redirect(f"{comment.get_absolute_url()}#c{comment.pk}")
    keep = None if comment.is_deleted else comment.pk
    root_id, thread_html = thread_of(
        request.user,
        comment,
        target=keep,
        wordings=_wordings_on_screen(request, comment),
        layer=reader_layers(request, comment.work).group,
    )
    response = HttpResponse(thread_html)
    retarget(response, f"#thread-{root_id}")
    reswap(response, "outerHTML")
    return _announce(request, response, comment, message, focus)


def _posted_message(comment: Comment) -> str:
    if comment.status != Comment.Status.PENDING:
        return _("Your comment was posted.")
    if comment.group_id is None and write_policy().held_as_new(comment.author):
        return _(
            "Your comment was posted. A moderator reads a new member’s first comments: "
            "others will see it once a moderator approves it."
        )
    return _("Your comment was posted. It will appear to others once a moderator approves it.")


@vary_on_headers("HX-Request")
def paragraph_discussion(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The paragraph's threads and a comment form: the fragment opened beside the text."""
    paragraph, entry = get_discussed_paragraph(slug, key, _number(request.GET.get("version")))
    if not request.htmx:
        return redirect(f"{paragraph.get_absolute_url()}#discussion")
    is_current = entry is not None and entry.version_id == paragraph.work.current_version_id
    context = paragraph_discussion_context(
        request, paragraph=paragraph, entry=entry, is_current=is_current
    )
    return render(request, "commentary/paragraph_discussion.html", context)


@require_POST
def comment_create(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A new comment on the paragraph; in a reading group's layer (``?group=``), in the
    group unless the form chose the public discussion."""
    paragraph, entry = get_discussed_paragraph(slug, key)
    if not request.user.is_authenticated:
        return login_redirect(request, f"{paragraph.get_absolute_url()}#discussion")
    layers = reader_layers(request, paragraph.work)
    form = CommentForm(
        request.POST,
        auto_id=f"{key}-%s",
        group=layers.group,
        held_as_new=write_policy().held_as_new(request.user),
    )
    status = 400
    if form.is_valid():
        group = form.chosen_group()
        try:
            target = resolve_comment_target(
                request.user,
                work=slug,
                paragraph=key,
                version=form.cleaned_data["version"],
                quote=form.quote_selector(),
                group=group.slug if group is not None else None,
            )
            comment = services.comment_create(
                author=request.user,
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                **target.arguments(),
            )
        except services.CommentError as error:
            form.add_service_error(error)
            if isinstance(error, services.CommentRateLimited):
                status = 429
        else:
            return _created(request, comment, layers)
    context = {
        "form": form,
        "paragraph": paragraph,
        "work": paragraph.work,
        **_form_layers(layers, paragraph, entry),
    }
    if request.htmx:
        context["inline"] = True
        return render(request, "commentary/paragraph_discussion_form.html", context, status=status)
    context["entry"] = entry
    return render(request, "commentary/comment_create.html", context, status=status)


def _form_layers(layers: ReaderLayers, paragraph, entry) -> dict:
    """The form's layers, beside the text of the version on screen (``entry``'s)."""
    version = entry.version if entry is not None else None
    page_url = reading_page_url(paragraph, version)
    return form_layers(layers, page_url, discussion=paragraph.key, anchor=paragraph.key)


def _created(request: HttpRequest, comment: Comment, layers: ReaderLayers) -> HttpResponse:
    """A new thread appended to the paragraph's list, and a fresh form in place of the
    one just sent (out of band). Written in a reading group, the group's section is
    rendered again instead: in a "post first" group the first comment opens the others'.

    Without JavaScript: the comment's permalink; posted from a group's layer, the reading
    page in that layer with the discussion open at the comment, where the group's threads
    are."""
    paragraph = comment.paragraph
    paragraph.work = comment.work
    message = _posted_message(comment)
    if not request.htmx:
        # Said on the page it leads to, where everybody sees it (not only screen readers).
        messages.success(request, message)
        if layers.group is None:
            # The permalink shows it just above the thread: in view with the comment.
            return redirect(f"{comment.get_absolute_url()}#said")
        return redirect(
            discussion_url(paragraph, comment.version, layers.group, anchor=f"c{comment.pk}")
        )
    fresh = CommentForm(
        initial={}
        if comment.version_id == comment.work.current_version_id
        else {"version": comment.version.number},
        auto_id=f"{paragraph.key}-%s",
        group=layers.group,
        held_as_new=write_policy().held_as_new(request.user),
    )
    form_html = render_to_string(
        "commentary/paragraph_discussion_form.html",
        {
            "form": fresh,
            "paragraph": paragraph,
            "work": comment.work,
            "inline": True,
            "oob": True,
            # Shown with the fresh form: the announcement alone reaches screen readers only.
            "posted_note": message,
            **_form_layers(layers, paragraph, None),
        },
        request=request,
    )
    if comment.group_id is not None and comment.group_id == getattr(layers.group, "pk", None):
        _layers, group_threads = group_threads_for(
            request,
            comment,
            target=comment.pk,
            version=_version_on_screen(request, comment),
        )
        section_html = render_to_string(
            "commentary/paragraph_discussion_group.html",
            {"paragraph": paragraph, "group_threads": group_threads},
            request=request,
        )
        response = HttpResponse(section_html + form_html)
        retarget(response, f"#group-discussion-{paragraph.key}")
        reswap(response, "outerHTML")
    else:
        root_id, thread_html = thread_of(
            request.user, comment, target=comment.pk, layer=layers.group
        )
        response = HttpResponse(thread_html + form_html)
        retarget(response, f"#threads-{paragraph.key}")
        reswap(response, "beforeend")
    return _announce(request, response, comment, message, [f"c{comment.pk}"])


def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The permalink: the paragraph as the author saw it and the whole thread, opened at
    the comment, each comment saying how it stands on the current version."""
    comment = get_comment_for_page(request.user, pk)
    comment.paragraph.work = comment.work
    current, passage_label = _permalink_passage(comment)
    wordings = version_wordings(current) if current is not None else None
    root_id, thread_html = shared_thread_of(
        request.user, comment, target=comment.pk, wordings=wordings
    )
    anchor = wordings.anchor_of(comment) if wordings is not None else None
    context = {
        "comment": comment,
        "work": comment.work,
        "paragraph": comment.paragraph,
        "passage": marked_passage(comment),
        "passage_label": passage_label,
        "anchor": anchor,
        "wording_changed": anchor is not None and anchor.wording_changed,
        "passage_removed": anchor is not None and anchor.state == PARAGRAPH_REMOVED,
        "compare_url": compare_url(
            comment.work.slug, comment.version.number, current.number, comment.paragraph.key
        )
        if current is not None
        else None,
        "thread_html": mark_safe(_THREAD_SLOT),
        "root_id": root_id,
        # For the page's description: its first words, without Markdown.
        "excerpt": plain_excerpt(comment.body_html, DESCRIPTION_WORDS),
    }
    page = render_to_string("commentary/comment_detail.html", context, request)
    return HttpResponse(_with_thread(page, thread_html))


# Where the permalink's page takes its thread: the template renders around this slot (an
# HTML comment, which escaped text never makes) and the thread goes in once, at the end,
# instead of being copied by every template node around it (a 1,000-comment thread is a
# megabyte: the copies took more time than the rest of the page).
_THREAD_SLOT = "<!--thread-->"


def _with_thread(page: str, thread_html: str | bytes) -> bytes:
    """The permalink's ``page`` with its thread in the slot, encoded (the thread may come
    encoded already: ``shared_threads``)."""
    before, slot, after = page.partition(_THREAD_SLOT)
    if not slot:
        raise ValueError("The permalink's template has no place for its thread.")
    if isinstance(thread_html, str):
        thread_html = thread_html.encode()
    return b"".join((before.encode(), thread_html, after.encode()))


def _permalink_passage(comment: Comment) -> tuple[Version | None, str]:
    """The current version of the comment's work, and the label of its passage there and
    in the version it was written on (``comment_passage_label``): the text's alone, so
    kept in the cache until the edition changes, one read of it instead of two queries."""
    current_id = comment.work.current_version_id

    def read() -> tuple[Version | None, str]:
        current = Version.objects.filter(pk=current_id).first()
        return current, comment_passage_label(comment, current)

    name = (
        f"permalink-passage:{comment.version_id}:{comment.paragraph_id}:{current_id}:"
        f"{get_language()}"
    )
    return remembered(name, (TEXT,), read)


def comment_passage_label(comment: Comment, current: Version | None = None) -> str:
    """What readers call the passage in the version the comment was written on ("¶ 4"),
    and in ``current`` when it is numbered otherwise there: "¶ 37 on v1, now ¶ 41"."""
    then = (comment.version_id, comment.paragraph_id)
    now = (current.pk, comment.paragraph_id) if current is not None else then
    labels = passage_labels([then, now])
    return label_across(labels.get(then, ""), comment.version.number, labels.get(now))


def marked_passage(comment: Comment) -> SafeString:
    """The wording the author saw, with the phrase they quoted in a ``<mark>``."""
    text = comment.revision.text
    start, end = comment.quote_start, comment.quote_end
    if start is None or comment.is_deleted or text[start:end] != comment.quote_exact:
        return escape(text)
    return mark_safe(
        f"{escape(text[:start])}<mark>{escape(text[start:end])}</mark>{escape(text[end:])}"
    )


def _single(request: HttpRequest, comment: Comment) -> SafeString:
    """A comment above the form that answers or changes it."""
    renderer = ThreadRenderer(viewer=viewer_for(request.user, comment.work))
    return renderer.comment(comment)


@vary_on_headers("HX-Request")
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the reply form (a fragment under the comment, or a page). POST: reply."""
    if not request.user.is_authenticated:
        return login_redirect(request, reverse("commentary:comment-reply", args=[pk]))
    parent = get_comment_for_user(request.user, pk)
    if request.method == "POST":
        form = BodyForm(request.POST, auto_id=f"reply-{parent.pk}-%s")
        if form.is_valid():
            try:
                # The version the reader has on screen, when it is not the current one.
                target = resolve_comment_target(
                    request.user, parent=parent.pk, version=_number(request.GET.get("version"))
                )
                reply = services.comment_create(
                    author=request.user,
                    body=form.cleaned_data["body"],
                    tags=form.cleaned_data["tags"],
                    **target.arguments(),
                )
            except services.CommentError as error:
                form.add_service_error(error)
                if isinstance(error, services.CommentRateLimited):
                    return _form_response(request, "comment_reply", parent, form, status=429)
            else:
                return _written(request, reply, _posted_message(reply), [f"c{reply.pk}"])
    else:
        form = BodyForm(auto_id=f"reply-{parent.pk}-%s")
    return _form_response(request, "comment_reply", parent, form)


@vary_on_headers("HX-Request")
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the edit form. POST: replace the body, keeping the earlier one. Author only."""
    if not request.user.is_authenticated:
        return login_redirect(request, reverse("commentary:comment-edit", args=[pk]))
    comment = get_comment_for_author(request.user, pk)
    if request.method == "POST":
        form = BodyForm(request.POST, auto_id=f"edit-{comment.pk}-%s")
        if form.is_valid():
            try:
                comment = services.comment_edit(
                    comment=comment,
                    editor=request.user,
                    body=form.cleaned_data["body"],
                    tags=form.cleaned_data["tags"],
                )
            except services.CommentError as error:
                form.add_service_error(error)
                if isinstance(error, services.CommentRateLimited):
                    return _form_response(request, "comment_edit", comment, form, status=429)
            else:
                comment = get_comment_for_user(request.user, comment.pk)
                return _written(
                    request, comment, _("Your comment was updated."), [f"c{comment.pk}"]
                )
    else:
        tags = " ".join(tags_of([comment.pk]).get(comment.pk, []))
        form = BodyForm(
            initial={"body": comment.body, "tags": tags}, auto_id=f"edit-{comment.pk}-%s"
        )
    return _form_response(request, "comment_edit", comment, form)


@vary_on_headers("HX-Request")
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: ask to confirm. POST: leave a tombstone; the replies stay. Author only."""
    if not request.user.is_authenticated:
        return login_redirect(request, reverse("commentary:comment-delete", args=[pk]))
    comment = get_comment_for_author(request.user, pk)
    if request.method == "POST":
        deleted = services.comment_delete(comment=comment, by=request.user)
        comment.deleted_at = deleted.deleted_at
        focus = [f"c{comment.pk}"] + ([f"c{comment.parent_id}"] if comment.parent_id else [])
        return _written(request, comment, _("Your comment was deleted."), focus)
    extra = {"keeps_a_tombstone": keeps_a_tombstone(comment)}
    return _form_response(request, "comment_delete", comment, None, extra=extra)


def _form_response(
    request: HttpRequest,
    page: str,
    comment: Comment,
    form,
    status: int | None = None,
    extra: dict | None = None,
) -> HttpResponse:
    """The form as a fragment for its slot under the comment (htmx) or as a page; 400 when
    it comes back with errors (or the ``status`` given). ``extra``: more for the template."""
    if status is None:
        status = 400 if form is not None and form.errors else 200
    context = {"comment": comment, "form": form, "inline": bool(request.htmx), **(extra or {})}
    version = _number(request.GET.get("version"))
    group = reader_layers(request, comment.work).group
    # The form keeps the version on screen (a reply records it) and the layer read in.
    context["version_query"] = with_query("", layer_query(group, version=version))
    context["form_query"] = with_query("", layer_query(group))
    if request.htmx:
        return render(request, f"commentary/{page}_form.html", context, status=status)
    context["comment_html"] = _single(request, comment)
    return render(request, f"commentary/{page}.html", context, status=status)


def comment_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every earlier body of a comment, oldest first, then the current one."""
    comment = get_comment_for_user(request.user, pk)
    revisions = [] if comment.is_deleted else list(comment.revisions.all())
    context = {
        "comment": comment,
        "revisions": revisions,
        "passage_label": comment_passage_label(comment),
    }
    return render(request, "commentary/comment_history.html", context)
