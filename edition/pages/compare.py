"""The comparison of two versions of a work, and the picker that chooses them."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.site.caching import cache_for_anonymous
from edition.access import get_work_for_user
from edition.models import Version, Work
from edition.numbering import label_on, numbers_by_key, passage_label
from edition.pages.chapters import says_which_chapter_is_missing
from edition.parts import CHAPTER_PARAMETER, comparison_in_part, part_title
from edition.reading import comparison_rows, comparison_summary


@dataclass
class UnchangedRun:
    """Consecutive unchanged paragraphs, shown collapsed."""

    rows: list[dict] = field(default_factory=list)
    status: str = "unchanged-run"


class ComparePickForm(forms.Form):
    a = forms.TypedChoiceField(label=_("From version"), coerce=int)
    b = forms.TypedChoiceField(label=_("To version"), coerce=int)
    # The chapter compared, kept from the page the picker is on (none: the whole work).
    chapter = forms.SlugField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(number), str(number)) for number in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


def collapse_unchanged(rows: list[dict]) -> list[dict | UnchangedRun]:
    """The rows in order, consecutive unchanged ones gathered; each row with a diff gets it
    as ``diff_pairs``, the ``(op, text)`` pairs the diff template takes."""
    grouped: list[dict | UnchangedRun] = []
    for row in rows:
        if row.get("diff"):
            row["diff_pairs"] = [(part["op"], part["text"]) for part in row["diff"]]
        if row["status"] != "unchanged":
            grouped.append(row)
        elif grouped and isinstance(grouped[-1], UnchangedRun):
            grouped[-1].rows.append(row)
        else:
            grouped.append(UnchangedRun(rows=[row]))
    return grouped


def label_rows(rows: list[dict], version_a: Version, version_b: Version) -> None:
    """Name each row's passage as readers do (``label``: "¶ 12" in b, or in a when removed;
    a heading by its words), with ``label_a`` and ``label_b`` for a moved one,
    ``merged_label`` for the passage a removed one went into and ``split_label`` for the
    one a split one came from, as a numbered it; the keys stay in the anchors and links.
    One query."""
    numbers = numbers_by_key([version_a, version_b])

    def label(version: Version, key: str, kind: str, text: str) -> str:
        return passage_label(kind, numbers.get((version.pk, key)), text)

    texts_b = {row["key"]: (row["kind"], row["new_text"]) for row in rows if row["new_text"]}
    texts_a = {row["key"]: (row["kind"], row["old_text"]) for row in rows if row["old_text"]}
    for row in rows:
        key, kind = row["key"], row["kind"]
        if row["position_b"] is not None:
            row["label"] = label(version_b, key, kind, row["new_text"])
        else:
            row["label"] = label(version_a, key, kind, row["old_text"])
        if row["status"] == "moved":
            row["label_a"] = label(version_a, key, kind, row["old_text"])
            row["label_b"] = row["label"]
        merged = row.get("merged_into")
        if merged and merged in texts_b:
            row["merged_label"] = label(version_b, merged, *texts_b[merged])
        elif merged in texts_a:
            # Gone from b too (merged again since): named as a numbered it.
            row["merged_label"] = label_on(
                label(version_a, merged, *texts_a[merged]), version_a.number
            )
        elif merged:
            row["merged_label"] = _("another passage")
        origin = row.get("split_from")
        if origin:
            # As readers of a knew the whole paragraph, before a piece of it was split off.
            row["split_label"] = label(version_a, origin, *texts_a[origin])


def _readable_versions(request: HttpRequest, work: Work) -> list[Version]:
    """The versions ``request.user`` may read, oldest first: published ones, and drafts for
    staff."""
    return list(Version.objects.readable_by(request.user).filter(work=work).order_by("number"))


@cache_for_anonymous(params=(CHAPTER_PARAMETER,))
@says_which_chapter_is_missing
def compare(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    """Versions ``a`` and ``b`` of a work compared paragraph by paragraph, in a fixed number
    of queries whatever the length of the text or the number of versions; of one chapter
    only with ``?chapter=<slug>`` (``edition.parts.comparison_in_part``)."""
    work = get_work_for_user(request.user, slug)
    versions = _readable_versions(request, work)
    by_number = {version.number: version for version in versions}
    if a not in by_number or b not in by_number:
        raise Http404("No such version to compare.")
    version_a, version_b = by_number[a], by_number[b]
    rows = comparison_rows(version_a, version_b)
    chapter = request.GET.get(CHAPTER_PARAMETER)
    chapter_title = ""
    if chapter is not None:
        rows = comparison_in_part(rows, version_a, version_b, chapter)
        chapter_title = part_title(chapter, version_b, version_a)
    label_rows(rows, version_a, version_b)
    form = ComparePickForm(initial={"a": a, "b": b, "chapter": chapter}, numbers=list(by_number))
    context = {
        "work": work,
        "versions": versions,
        "version_a": version_a,
        "version_b": version_b,
        "groups": collapse_unchanged(rows),
        "summary": comparison_summary(rows),
        "form": form,
        "chapter_title": chapter_title,
    }
    return render(request, "edition/compare.html", context)


def compare_pick(request: HttpRequest, slug: str) -> HttpResponse:
    """The picker's GET form lands here and is sent on to the comparison's own address
    (with the chapter it was asked from, ``?chapter=``); without a choice (or with one that
    is not a version) it shows the picker alone."""
    work = get_work_for_user(request.user, slug)
    versions = _readable_versions(request, work)
    numbers = [version.number for version in versions]
    chose = bool({"a", "b"} & set(request.GET))
    form = ComparePickForm(request.GET if chose else None, numbers=numbers)
    if chose and form.is_valid():
        chosen = form.cleaned_data
        target = reverse(
            "edition:compare", kwargs={"slug": slug, "a": chosen["a"], "b": chosen["b"]}
        )
        if chosen["chapter"]:
            target = f"{target}?{urlencode({CHAPTER_PARAMETER: chosen['chapter']})}"
        return redirect(target)
    chapter = request.GET.get(CHAPTER_PARAMETER, "")
    if not chose:
        initial = {"chapter": chapter}
        if len(numbers) >= 2:
            initial |= {"a": numbers[-2], "b": numbers[-1]}
        form = ComparePickForm(initial=initial, numbers=numbers)
    context = {"work": work, "versions": versions, "form": form, "chapter": chapter}
    return render(request, "edition/compare.html", context, status=400 if form.errors else 200)
