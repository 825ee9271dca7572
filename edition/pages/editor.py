"""The editor's pages: upload a revision of a work, review the draft it makes, correct it,
then publish or discard it.

Editors are staff (``edition.drafts.can_edit_drafts``); everyone else gets a 404 on every
one of these pages, the same answer as for a work that does not exist. Every change is a
POST with its CSRF token and goes through a service; a form with errors re-renders the page
it came from with the errors in place, and a change that can no longer be made (the draft
was published or discarded by someone else meanwhile) comes back as a message on the page.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from edition.access import get_version_for_editor, get_work_for_editor
from edition.alignment import UNCHANGED
from edition.drafts import (
    DraftChanged,
    DraftError,
    DraftReview,
    draft_note_set,
    draft_paragraph_edit,
    draft_paragraph_link,
    draft_paragraph_separate,
    draft_review,
)
from edition.models import Version
from edition.numbering import label_across, label_on, numbers_by_key, passage_label
from edition.pages.editor_forms import (
    DiscardForm,
    LinkForm,
    NoteForm,
    PublishForm,
    RevisionUploadForm,
    WordingForm,
)
from edition.pages.import_doubts import doubt_groups, doubts_forget, doubts_keep
from edition.parts import review_parts
from edition.services import version_discard, version_import, version_publish


def revision_upload(request: HttpRequest, slug: str) -> HttpResponse:
    work = get_work_for_editor(request.user, slug)
    form = RevisionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = version_import(
                work=work,
                blocks=form.cleaned_data["blocks"],
                created_by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            version = outcome.version
            if not outcome.created:
                messages.info(
                    request,
                    _("Version %(number)s already has exactly this text; nothing was changed.")
                    % {"number": version.number},
                )
            doubts_keep(version, form.cleaned_data["unsure"])
            if version.is_published:
                return redirect(version)
            return redirect(_review_url(version))
    drafts = Version.objects.drafts().filter(work=work).order_by("-number")
    status = 400 if form.errors else 200
    context = {"work": work, "form": form, "drafts": drafts}
    return render(request, "edition/editor_upload.html", context, status=status)


def draft_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    if version.is_published:
        return redirect(version)
    review = draft_review(version)
    # A long review links each row to its corrections (?correct=<key>), shown open.
    key = request.GET.get("correct", "")
    return _render_review(request, review, correcting=key if key in _keys(review) else None)


@require_POST
def draft_note(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_review(request, draft_review(version), note_form=form)
    return _correct(request, version, draft_note_set, note=form.cleaned_data["note"])


@require_POST
def draft_separate(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    return _correct(request, version, draft_paragraph_separate, key=key)


@require_POST
def draft_link(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    review = draft_review(version)
    form = LinkForm(request.POST, prefix=f"link-{key}", choices=_link_choices(review))
    if not form.is_valid():
        return _render_review(request, review, bound={key: {"link": form}})
    return _correct(
        request, version, draft_paragraph_link, key=key, target_key=form.cleaned_data["target"]
    )


@require_POST
def draft_wording(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    form = WordingForm(request.POST, prefix=f"wording-{key}")
    if not form.is_valid():
        return _render_review(request, draft_review(version), bound={key: {"wording": form}})
    return _correct(request, version, draft_paragraph_edit, key=key, **form.cleaned_data)


def _draft_gone(request: HttpRequest, slug: str, number: int, what: str) -> HttpResponse | None:
    """For an editor acting on a version that is no longer there (another editor discarded
    the draft a moment before this request was read): the upload page, saying so, rather
    than a 404. Anyone else, and an unknown work, still get the 404."""
    work = get_work_for_editor(request.user, slug)
    if Version.objects.filter(work=work, number=number).exists():
        return None
    reason = _("There is no such draft: someone else may have discarded it meanwhile.")
    messages.error(request, f"{what % {'number': number}} {reason}")
    return redirect("edition:revision-upload", slug=slug)


@require_POST
def draft_publish(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    gone = _draft_gone(request, slug, number, _("Version %(number)s could not be published."))
    if gone is not None:
        return gone
    version = get_version_for_editor(request.user, slug, number)
    form = PublishForm(request.POST)
    try:
        version_publish(
            version=version,
            published_by=request.user,
            expected_checksum=form.cleaned_data["checksum"] if form.is_valid() else "",
        )
    except DraftChanged:
        # Another editor uploaded or corrected the draft since this one's page was drawn:
        # they review the draft as it now is before publishing it.
        messages.error(
            request,
            _(
                "Version %(number)s was not published: the draft changed since you opened "
                "this page (a new upload or a correction). Here is the draft as it is now; "
                "review it, then publish again."
            )
            % {"number": version.number},
        )
        return _render_review(request, draft_review(Version.objects.get(pk=version.pk)), status=409)
    except Version.DoesNotExist:  # discarded meanwhile
        return _refused(request, version, _("Version %(number)s could not be published."))
    except ValidationError as error:
        return _refused(request, version, _("Version %(number)s could not be published."), error)
    doubts_forget(version)
    messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
    return redirect(version)


@require_POST
def draft_discard_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    gone = _draft_gone(request, slug, number, _("Version %(number)s could not be discarded."))
    if gone is not None:
        return gone
    version = get_version_for_editor(request.user, slug, number)
    form = DiscardForm(request.POST)
    if not form.is_valid():
        return _render_review(request, draft_review(version), discard_form=form)
    try:
        version_discard(version=version)
    except ValidationError as error:
        return _refused(request, version, _("Version %(number)s could not be discarded."), error)
    messages.success(
        request, _("The draft of version %(number)s is discarded.") % {"number": version.number}
    )
    return redirect("edition:revision-upload", slug=slug)


def _correct(request: HttpRequest, version: Version, service, **arguments) -> HttpResponse:
    try:
        service(version=version, **arguments)
    except DraftError as error:
        messages.error(request, " ".join(error.messages))
        return _back(version)
    messages.success(request, _("The draft is corrected."))
    return HttpResponseRedirect(_review_url(version) + _anchor(arguments.get("key")))


def _refused(
    request: HttpRequest, version: Version, what: str, error: ValidationError | None = None
) -> HttpResponse:
    """Explain why a publication or discard did not happen, once the other editor's change
    is visible: the version is published or gone; otherwise the service's own reason."""
    what = what % {"number": version.number}
    current = Version.objects.filter(pk=version.pk).select_related("published_by").first()
    if current is None:
        reason = _("Someone else discarded this draft meanwhile.")
    elif current.is_published:
        who = current.published_by.get_username() if current.published_by else _("someone else")
        reason = _("It was published by %(who)s meanwhile.") % {"who": who}
    else:
        reason = " ".join(error.messages) if error is not None else ""
    messages.error(request, f"{what} {reason}".strip())
    return _back(version)


def _back(version: Version) -> HttpResponse:
    current = Version.objects.filter(pk=version.pk).first()
    if current is None:
        return redirect("edition:revision-upload", slug=version.work.slug)
    if current.is_published:
        return redirect(current)
    return redirect(_review_url(version))


def _review_url(version: Version) -> str:
    return reverse(
        "edition:draft-detail", kwargs={"slug": version.work.slug, "number": version.number}
    )


def _anchor(key: str | None) -> str:
    return f"#row-{key}" if key else ""


def _keys(review: DraftReview) -> set[str]:
    return {row.key for row in review.rows}


def _review_labels(review: DraftReview) -> tuple[dict[str, str], dict[str, str]]:
    """Each row's passage named as readers number it, never by its key: "¶ 4" in the draft,
    "¶ 2 on v1, now ¶ 4" when the published version numbered it otherwise, "¶ 3 on v1"
    for one the draft no longer holds; and, apart, the passages the published version holds
    as its readers know them ("¶ 37", a heading's words: what a split piece came from).
    One query."""
    before = review.compared_with
    numbers = numbers_by_key([version for version in (before, review.draft) if version])
    labels, published = {}, {}
    for row in review.rows:
        now = then = None
        if row.position_new is not None:
            now = passage_label(row.kind, numbers.get((review.draft.pk, row.key)), row.new_text)
        if before is not None and row.position_old is not None:
            then = passage_label(row.kind, numbers.get((before.pk, row.key)), row.old_text)
            published[row.key] = then
        if then is None:
            labels[row.key] = now or row.key
        elif now is None:
            labels[row.key] = label_on(then, before.number)
        else:
            labels[row.key] = label_across(then, before.number, now)
    return labels, published


def _link_choices(
    review: DraftReview, labels: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    labels = labels if labels is not None else _review_labels(review)[0]
    return [
        (row.key, f"{labels[row.key]}: {_excerpt(row.old_text)}") for row in review.keys_to_link
    ]


def _excerpt(text: str | None, limit: int = 60) -> str:
    text = text or ""
    return text if len(text) <= limit else f"{text[:limit].rstrip()}…"


def _place_said(row, place_said: str, was_said: str) -> str:
    if row.position_new is None:
        return ""
    said = place_said % {"place": row.position_new}
    if row.position_old and row.position_old != row.position_new:
        said = f"{said} {was_said % {'place': row.position_old}}"
    return said


def _chapters_changed(review: DraftReview, chapter_of: dict) -> list[dict]:
    """Each chapter of the draft, in order, with how many of its rows change something:
    ``part`` and ``changed``. Empty for a draft not divided into chapters."""
    chapters: dict[int, dict] = {}
    for row in review.rows:
        part = chapter_of.get(row.key)
        if part is None:
            continue
        chapter = chapters.setdefault(part.number, {"part": part, "changed": 0})
        chapter["changed"] += row.status != UNCHANGED
    return [chapters[number] for number in sorted(chapters)]


def _render_review(
    request: HttpRequest,
    review: DraftReview,
    *,
    bound: dict[str, dict] | None = None,
    note_form: NoteForm | None = None,
    discard_form: DiscardForm | None = None,
    correcting: str | None = None,
    status: int | None = None,
) -> HttpResponse:
    """The review page. A review of up to ``SCHOLIA_REVIEW_INLINE_CORRECTIONS`` rows gives
    each row of the draft its correction forms; a longer one gives them only to the row
    being corrected (``correcting``, or one of ``bound``) and links the others to theirs, so
    that the page grows with the text and not with the text times its removed paragraphs.
    The forms of ``bound`` (by key, then "link" or "wording") are as submitted, with their
    errors, the others filled from the draft. The template receives ``work``, ``version``,
    ``review``, ``groups`` (each ``unchanged``, a run of unchanged rows shown folded, or
    not, and its ``items``: each ``row`` with its ``label`` (and ``merged_label`` for the
    passage it went into; ``split_label``, for a split-off one, the label of the paragraph
    it came from, as readers of the published version knew it), ``link_form`` and
    ``wording_form``, None for a row the draft does not hold or whose forms are not shown,
    ``correct_url`` the link to a row's forms when they are not, and ``open``),
    ``publish_form``, ``note_form``, ``discard_form`` and ``doubt_groups`` (what the import
    was unsure of, by kind). For a draft divided into chapters, ``chapters`` lists each with
    how many rows it changes, and the group that opens a chapter carries it as ``chapter``
    (a run of unchanged rows never crosses into the next chapter)."""
    bound = bound or {}
    inline = len(review.rows) <= settings.SCHOLIA_REVIEW_INLINE_CORRECTIONS
    labels, split_labels = _review_labels(review)
    choices = _link_choices(review, labels)
    review_url = _review_url(review.draft)
    rows = []
    # A long review's folded rows say their place and link to their corrections in words
    # translated once for the page, not once per row (a book has a thousand such rows).
    place_said, was_said = _("place %(place)s"), _("(was %(place)s)")
    correct_said = _("Correct %(passage)s")
    for row in review.rows:
        forms = bound.get(row.key, {})
        in_draft = row.position_new is not None
        shown = in_draft and (inline or bool(forms) or row.key == correcting)
        link_form = forms.get("link") or (
            LinkForm(prefix=f"link-{row.key}", choices=choices) if shown and choices else None
        )
        wording_form = forms.get("wording") or (
            WordingForm(
                prefix=f"wording-{row.key}",
                initial={"kind": row.kind, "level": row.level, "text": row.new_text},
            )
            if shown
            else None
        )
        rows.append(
            {
                "row": row,
                "label": labels[row.key],
                "merged_label": labels.get(row.merged_into, row.merged_into),
                "link_form": link_form,
                "wording_form": wording_form,
                "split_label": split_labels.get(row.split_from),
                "correct_url": (
                    f"{review_url}?correct={row.key}#row-{row.key}"
                    if in_draft and not shown
                    else None
                ),
                "open": bool(forms) or row.key == correcting,
                "place_said": _place_said(row, place_said, was_said),
                "correct_said": correct_said % {"passage": labels[row.key]},
            }
        )
    chapter_of = review_parts(review.rows)
    chapters = _chapters_changed(review, chapter_of)
    groups: list[dict] = []
    chapter = None
    for item in rows:
        # Unchanged paragraphs are folded away unless a correction to one is being shown;
        # a book's review opens each chapter with its title and how much it changes.
        unchanged = item["row"].status == UNCHANGED and not item["open"]
        starts = chapter_of.get(item["row"].key) is not chapter
        chapter = chapter_of.get(item["row"].key)
        if unchanged and groups and groups[-1]["unchanged"] and not starts:
            groups[-1]["items"].append(item)
        else:
            groups.append(
                {
                    "unchanged": unchanged,
                    "items": [item],
                    "chapter": chapters[chapter.number - 1] if starts and chapter else None,
                }
            )
    invalid = bool(bound) or note_form is not None or discard_form is not None
    version = review.draft
    doubts = doubt_groups(version)
    context = {
        "work": version.work,
        "version": version,
        "review": review,
        "groups": groups,
        "chapters": chapters,
        "publish_form": PublishForm(initial={"checksum": review.checksum}),
        "note_form": note_form or NoteForm(initial={"note": version.note}),
        "discard_form": discard_form or DiscardForm(),
        "doubt_groups": doubts,
        "doubt_count": sum(group.count for group in doubts),
    }
    if status is None:
        status = 400 if invalid else 200
    return render(request, "edition/editor_review.html", context, status=status)
