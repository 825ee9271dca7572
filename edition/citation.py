"""Citation strings for a paragraph of the edition.

The format follows a Chicago note, in plain text so that it pastes anywhere:

    Samir Amin, “October 1917 Revolution: A Century Later,” Chapter One (Daraja Press, 2017),
    ¶ 5 [p7], version 1. Scholia edition, https://example.org/works/october-1917/p/p7/.

The paragraph number belongs to the cited version; the key in brackets is the stable identity
the URL resolves, so a citation stays checkable after a later version renumbers the text.
Whatever the work lacks (author, subtitle, publisher, year) is left out with its punctuation.
"""

from django.utils.translation import gettext as _

from edition.models import BlockKind
from edition.numbering import passage_label


def paragraph_citation(
    *,
    title: str,
    url: str,
    paragraph_key: str,
    author: str = "",
    subtitle: str = "",
    publisher: str = "",
    year: int | None = None,
    paragraph_number: int | None = None,
    version_number: int | None = None,
    heading: str = "",
) -> str:
    """Return the citation of one paragraph; a pure function of its arguments."""
    title, author, subtitle = title.strip(), author.strip(), subtitle.strip()
    imprint = ", ".join(part for part in (publisher.strip(), str(year or "")) if part)
    imprint = f" ({imprint})" if imprint else ""

    if subtitle:
        title_part, after_title = f"“{title}”", [f"{subtitle}{imprint}"]
    else:
        title_part, after_title = f"“{title}”{imprint}", []

    # A no-break space keeps the pilcrow with its number when the citation wraps.
    if paragraph_number is None and heading:
        # A heading takes no number: it is named by its words, as readers see it.
        after_title.append(f"{passage_label(BlockKind.HEADING, None, heading)} [{paragraph_key}]")
    elif paragraph_number is None:
        after_title.append(f"¶\N{NO-BREAK SPACE}{paragraph_key}")
    else:
        after_title.append(f"¶\N{NO-BREAK SPACE}{paragraph_number} [{paragraph_key}]")
    if version_number is not None:
        after_title.append(_("version %(number)s") % {"number": version_number})

    # Chicago moves the comma inside the closing quote, or drops it after a "?" or "!".
    if title_part.endswith("”"):
        title_part = title_part if title.endswith(("?", "!")) else f"{title_part[:-1]},”"
        citation = f"{title_part} {', '.join(after_title)}"
    else:
        citation = f"{title_part}, {', '.join(after_title)}"
    if author:
        citation = f"{author}, {citation}"
    return f"{citation}. {_('Scholia edition')}, {url}."
