"""An image in a comment's Markdown: no image is ever loaded, and no stray "!" and link are
left in its place; the reader sees the words the author gave for it."""

import pytest

from commentary.markdown import render_markdown


def test_it_shows_an_images_alt_text_in_its_place():
    html = render_markdown("See ![a map of *Petrograd*](https://example.org/map.png) here.")

    assert html == "<p>See a map of Petrograd here.</p>"


@pytest.mark.parametrize(
    "body",
    [
        "![](https://example.org/tracker.gif)",
        '![x](https://example.org/a.png "title")',
        "![x][ref]\n\n[ref]: https://example.org/a.png",
    ],
    ids=["no-alt", "with-title", "reference"],
)
def test_it_never_lets_an_image_or_its_address_through(body):
    html = render_markdown(body)

    assert "<img" not in html
    assert "example.org" not in html
    assert "!" not in html


def test_it_escapes_the_alt_text():
    assert render_markdown("![<script>alert(1)</script>](x.png)") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
