"""One stylesheet per page: the site's stylesheets are served concatenated, in the order the
cascade needs, and every page links that one file."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from config.stylesheets import BUNDLES, SITE_STYLESHEET
from tests.commentary.builders import make_work

ROOT = Path(__file__).resolve().parent.parent
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
# Swagger UI's own page keeps its own stylesheet.
OUTSIDE_THE_BUNDLE = {"css/api-docs.css"}


def test_every_stylesheet_of_the_site_is_in_the_bundle():
    sources = {f"css/{path.name}" for path in (ROOT / "static" / "css").glob("*.css")}
    assert set(BUNDLES[SITE_STYLESHEET]) == sources - OUTSIDE_THE_BUNDLE


def test_the_bundle_is_its_sources_in_order():
    bundle = Path(finders.find(SITE_STYLESHEET)).read_text()
    offsets = []
    for source in BUNDLES[SITE_STYLESHEET]:
        text = (ROOT / "static" / source).read_text()
        assert text in bundle, source
        offsets.append(bundle.index(text))
    assert offsets == sorted(offsets)


def test_it_rebuilds_the_bundle_when_a_source_changes(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    settings.STATICFILES_DIRS = [tmp_path / "static"]
    (tmp_path / "static" / "css").mkdir(parents=True)
    for name in BUNDLES[SITE_STYLESHEET]:
        (tmp_path / "static" / name).write_text("")
    source = tmp_path / "static" / "css" / "forms.css"
    source.write_text(".a { color: red; }\n")
    first = Path(finders.find(SITE_STYLESHEET)).read_text()
    source.write_text(".a { color: blue; }\n")
    second = Path(finders.find(SITE_STYLESHEET)).read_text()
    assert "red" in first and "blue" in second
    assert finders.find(SITE_STYLESHEET).startswith(str(tmp_path))


def test_collectstatic_collects_the_bundle(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / SITE_STYLESHEET).read_text() == Path(
        finders.find(SITE_STYLESHEET)
    ).read_text()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/works/october-1917/",
        "/works/october-1917/?discussion=p3",
        "/works/october-1917/p/p3/",
        "/accounts/login/",
        "/works/no-such-work/",
    ],
)
def test_a_page_links_one_stylesheet(url):
    make_work()
    html = Client().get(url).content.decode()
    assert STYLESHEET_LINK.findall(html) == [f"/static/{SITE_STYLESHEET}"]
