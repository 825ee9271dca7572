"""Comment bodies: Markdown in, HTML that is safe to serve to every reader out."""

import re
from html.parser import HTMLParser

import pytest

from commentary.markdown import render_markdown

# A scheme as a browser reads it: tabs and newlines inside are dropped first.
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


class Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    return Elements(html).found


def live_scheme(href: str) -> str | None:
    match = SCHEME.match(re.sub(r"[\t\n\r]", "", href.strip()))
    return match.group(1).lower() if match else None


def test_it_renders_markdown():
    html = render_markdown("Some *emphasis*, **strength**, `code`,\n\n> a quote\n\n- a list")

    assert "<em>emphasis</em>" in html
    assert "<strong>strength</strong>" in html
    assert "<code>code</code>" in html
    assert "<blockquote>" in html
    assert "<li>a list</li>" in html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "```\n</code><script>alert(1)</script>\n```",
    ],
)
def test_it_never_lets_a_script_through(body):
    html = render_markdown(body)

    assert all(tag != "script" for tag, _attrs in elements(html))


@pytest.mark.parametrize(
    "body",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#x09;script:alert(1))",
        "[click](javascript&colon;alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
        '[click](https://example.org "x" onclick="alert(1)")',
    ],
)
def test_it_keeps_only_http_https_and_mailto_links(body):
    for tag, attrs in elements(render_markdown(body)):
        if tag == "a":
            assert live_scheme(attrs.get("href", "")) in {None, "http", "https", "mailto"}


@pytest.mark.parametrize(
    "body",
    [
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "<div onmouseover=alert(1)>hover</div>",
        '<p style="position:fixed">styled</p>',
    ],
)
def test_it_shows_raw_html_as_text(body):
    html = render_markdown(body)

    assert html.startswith("<p>&lt;")
    assert all(not name.startswith("on") for _tag, attrs in elements(html) for name in attrs)
    assert all("style" not in attrs for _tag, attrs in elements(html))


def test_it_renders_no_images():
    html = render_markdown("![a tracking pixel](https://tracker.example/p.gif)")

    assert all(tag != "img" for tag, _attrs in elements(html))


def test_it_renders_no_headings():
    assert render_markdown("# A heading") == "<p># A heading</p>"


@pytest.mark.parametrize(
    "body", ["[a site](https://example.org)", "<https://example.org>", "[me](mailto:a@b.org)"]
)
def test_it_marks_every_link_nofollow_ugc_noopener(body):
    links = [attrs for tag, attrs in elements(render_markdown(body)) if tag == "a"]

    assert links
    assert all(attrs["rel"] == "nofollow ugc noopener" for attrs in links)
