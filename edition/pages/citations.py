"""A paragraph's citation to download: CSL-JSON, BibTeX or RIS, naming the version cited
(``?version=N``, a published version that holds the paragraph; default the current one,
or the last that held it)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from edition.access import get_paragraph_for_user, get_version_for_user
from edition.citation_formats import FORMATS, paragraph_cited
from edition.models import VersionParagraph
from edition.numbering import number_in_version, passage_label
from edition.reading import paragraph_history


def citation_response(text: str, fmt: str, name: str) -> HttpResponse:
    content_type, suffix, _render = FORMATS[fmt]
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return response


def paragraph_cite(request: HttpRequest, slug: str, key: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    paragraph = get_paragraph_for_user(request.user, slug, key)
    number = request.GET.get("version")
    if number is not None:
        if not (number.isascii() and number.isdigit() and len(number) < 10):
            raise Http404("No such version.")
        version = get_version_for_user(request.user, slug, int(number))
        cited = (
            VersionParagraph.objects.select_related("revision")
            .filter(version=version, paragraph=paragraph)
            .first()
        )
        if cited is None:
            raise Http404("That version does not hold this paragraph.")
        cited.version = version
    else:
        history = paragraph_history(paragraph)
        if not history.entries:
            raise Http404("This paragraph is in no published version.")
        cited = history.current or history.entries[-1]
    item = cited_paragraph(request, paragraph, cited)
    return citation_response(FORMATS[fmt][2](item), fmt, item.id)


def cited_paragraph(request: HttpRequest, paragraph, cited: VersionParagraph, number=None):
    """The citation item of ``paragraph`` as ``cited`` (its entry in a version) has it;
    ``number`` its number there, when the caller knows it already."""
    work = paragraph.work
    version = cited.version
    if number is None:
        number = number_in_version(cited)
    url = request.build_absolute_uri(
        reverse(
            "edition:paragraph-in-version",
            kwargs={"slug": work.slug, "number": version.number, "key": paragraph.key},
        )
    )
    label = passage_label(cited.revision.kind, number, cited.revision.text)
    return paragraph_cited(work=work, version=version, key=paragraph.key, label=label, url=url)
