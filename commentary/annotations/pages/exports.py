"""Downloads of a version with its discussion: TEI P5, Markdown, and EPUB where pandoc is
installed. ``?version=N`` chooses a published version (default: the current one);
``?group=<slug>`` a reading group's discussion instead of the public one, for its members
only (anybody else gets the 404 of a group that does not exist); ``?chapter=<slug>`` one
chapter of a work divided into chapters (a chapter the version lacks: 404)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse

from commentary.annotations.exports import Export, export_of
from commentary.annotations.iris import Origin
from commentary.annotations.markdown_export import markdown_document
from commentary.annotations.tei import tei_document
from commentary.groups.reads import get_group_for_member
from edition.access import get_work_for_user
from edition.models import Version
from edition.pages.chapters import says_which_chapter_is_missing
from edition.parts import CHAPTER_PARAMETER, chosen_part


def _export(request: HttpRequest, slug: str) -> Export:
    work = get_work_for_user(request.user, slug)
    number = request.GET.get("version")
    versions = Version.objects.readable_by(None).filter(work=work)
    if number is None:
        version = work.current_version
    elif number.isascii() and number.isdigit() and len(number) < 10:
        version = versions.filter(number=int(number)).first()
    else:
        version = None
    if version is None or not version.is_published:
        raise Http404("No such version.")
    part = chosen_part(version, request.GET.get(CHAPTER_PARAMETER))
    group = None
    if request.GET.get("group"):
        group = get_group_for_member(request.user, request.GET["group"])
    return export_of(version, request.user, group, part)


def _download(content, content_type: str, export: Export, suffix: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    layer = f"-{export.group.slug}" if export.group else ""
    chapter = f"-{export.part.slug}" if export.part else ""
    name = f"{export.version.work.slug}-v{export.version.number}{chapter}{layer}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@says_which_chapter_is_missing
def tei_export(request: HttpRequest, slug: str) -> HttpResponse:
    export = _export(request, slug)
    document = tei_document(export, Origin.of(request))
    return _download(document, "application/tei+xml; charset=utf-8", export, "xml")


@says_which_chapter_is_missing
def markdown_export(request: HttpRequest, slug: str) -> HttpResponse:
    export = _export(request, slug)
    document = markdown_document(export, request.build_absolute_uri(request.path))
    return _download(document, "text/markdown; charset=utf-8", export, "md")


def export_title(export: Export) -> str:
    """The work's title, and the chapter's after it for a chapter's export."""
    work = export.version.work.title
    return f"{work}: {export.part.title}" if export.part else work


def pandoc_path() -> str | None:
    return shutil.which("pandoc")


@says_which_chapter_is_missing
def epub_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The Markdown export through pandoc; 404 where pandoc is not installed."""
    pandoc = pandoc_path()
    if pandoc is None:
        raise Http404("EPUB needs pandoc on the server.")
    export = _export(request, slug)
    document = markdown_document(export, request.build_absolute_uri(request.path))
    with tempfile.TemporaryDirectory() as folder:
        source, book = Path(folder) / "book.md", Path(folder) / "book.epub"
        source.write_text(document, encoding="utf-8")
        title = f"--metadata=title:{export_title(export)}"
        subprocess.run([pandoc, str(source), "-o", str(book), title], check=True, timeout=60)
        content = book.read_bytes()
    return _download(content, "application/epub+zip", export, "epub")
