"""The site's stylesheets, served as one file so that a page waits for one download.

The sources stay separate under static/css/ (each says what it styles); ``BundleFinder``
concatenates them, in cascade order, into var/bundles/, written again whenever a source changed.
It is a staticfiles finder, so `runserver`, the tests and WhiteNoise find the bundle in
development, and `collectstatic` collects it (hashed and compressed) for production, like
any other static file. No build step: a stylesheet added to static/css/ goes in BUNDLES
(a test says so).
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

SITE_STYLESHEET = "css/scholia.css"

# Order is the cascade's: the site's base, then what one kind of page adds.
BUNDLES = {
    SITE_STYLESHEET: (
        "css/site.css",
        "css/forms.css",
        "css/discussion.css",
        "css/layers.css",
        "css/anchors.css",
        "css/flags.css",
        "css/passages.css",
        "css/passages_removed.css",
        "css/chapters.css",
        "css/versions.css",
        "css/moderation.css",
        "css/groups.css",
        "css/accounts.css",
        "css/search.css",
        "css/reading_order.css",
        "css/notifications.css",
    ),
}


def bundle_root() -> Path:
    return Path(settings.BASE_DIR) / "var" / "bundles"


def build(name: str) -> Path:
    """The bundle ``name`` on disk, written again whenever its sources say otherwise.

    Comparing contents (some 65 KB) rather than times stays right whatever a checkout,
    a merge or a test does to the sources' times.
    """
    target = bundle_root() / name
    parts = []
    for source in BUNDLES[name]:
        path = Path(finders.find(source))
        parts.append(f"/* {source} */\n{path.read_text(encoding='utf-8')}")
    text = "\n".join(parts)
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: a process reading the bundle never sees half of it.
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
    ) as out:
        out.write(text)
    os.replace(out.name, target)
    return target


class BundleFinder(BaseFinder):
    """Finds the bundles in BUNDLES, building them first."""

    def check(self, **kwargs) -> list:
        return []

    def find(self, path, find_all=False, **kwargs):
        if path not in BUNDLES:
            return [] if find_all else None
        found = str(build(path))
        return [found] if find_all else found

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=bundle_root())
        for name in BUNDLES:
            build(name)
            yield name, storage
