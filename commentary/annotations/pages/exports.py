"""Downloads of a version with its discussion: TEI P5, Markdown, and EPUB where pandoc is
installed. ``?version=N`` chooses a published version (default: the current one);
``?group=<slug>`` a reading group's discussion instead of the public one, for its members
only (anybody else gets the 404 of a group that does not exist)."""

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
    group = None
    if request.GET.get("group"):
        group = get_group_for_member(request.user, request.GET["group"])
    return export_of(version, request.user, group)


def _download(content, content_type: str, export: Export, suffix: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    layer = f"-{export.group.slug}" if export.group else ""
    name = f"{export.version.work.slug}-v{export.version.number}{layer}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def tei_export(request: HttpRequest, slug: str) -> HttpResponse:
    export = _export(request, slug)
    document = tei_document(export, Origin.of(request))
    return _download(document, "application/tei+xml; charset=utf-8", export, "xml")


def markdown_export(request: HttpRequest, slug: str) -> HttpResponse:
    export = _export(request, slug)
    document = markdown_document(export, request.build_absolute_uri(request.path))
    return _download(document, "text/markdown; charset=utf-8", export, "md")


def pandoc_path() -> str | None:
    return shutil.which("pandoc")


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
        title = f"--metadata=title:{export.version.work.title}"
        subprocess.run([pandoc, str(source), "-o", str(book), title], check=True, timeout=60)
        content = book.read_bytes()
    return _download(content, "application/epub+zip", export, "epub")
