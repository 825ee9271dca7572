"""htmx is written in its valid-HTML form everywhere: ``data-hx-get``, never ``hx-get``.

A bare ``hx-*`` attribute is not HTML, and the Nu HTML Checker counts each one as an error.
This catches one brought back by a merge or a new template before the browser tests run.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# An attribute: after whitespace or the quote that closed the previous value, before "=".
BARE_HTMX = re.compile(r"""(?<=[\s"'])hx-[\w:-]+\s*=""")
SOURCES = [
    *sorted((ROOT / "templates").rglob("*.html")),
    # Markup written in Python: the paragraph's toggle and a comment's actions.
    ROOT / "edition" / "rendering.py",
    ROOT / "commentary" / "pages" / "threads.py",
]


def bare_htmx_attributes(text: str) -> list[str]:
    lines = text.splitlines()
    return [
        f"{number}: {lines[number - 1].strip()[:120]}"
        for number in sorted({text.count("\n", 0, m.start()) + 1 for m in BARE_HTMX.finditer(text)})
    ]


def test_it_finds_a_bare_attribute_and_passes_the_data_form():
    assert bare_htmx_attributes('<form hx-post="/x/">')
    assert bare_htmx_attributes("<a href=\"/\"\n  hx-get='/y/'>")
    assert not bare_htmx_attributes('<form data-hx-post="/x/" class="hx-thing">')


def test_it_writes_no_bare_hx_attribute_in_any_template():
    found = {
        str(path.relative_to(ROOT)): hits
        for path in SOURCES
        if (hits := bare_htmx_attributes(path.read_text()))
    }
    assert not found, f"write data-hx-* instead: {found}"
