"""Quoted phrases: W3C TextQuoteSelector (exact, prefix, suffix) plus TextPositionSelector
(start, end), checked against the wording the comment's author saw."""

from dataclasses import dataclass

CONTEXT_CHARS = 32


class QuoteError(ValueError):
    pass


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
        }


def _occurrences(text: str, exact: str) -> list[int]:
    found, at = [], text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def quote_locate(text: str, selector: dict) -> Quote:
    """The quote as it stands in ``text``, or QuoteError saying why it does not.

    ``exact`` is required. ``start``/``end``, when given, must point at ``exact``. Without
    them, ``prefix``/``suffix`` choose among repeated occurrences; a phrase that appears
    more than once with nothing to tell the occurrences apart is refused.
    """
    exact = selector.get("exact") or ""
    if not isinstance(exact, str) or not exact.strip():
        raise QuoteError("A quote needs the exact phrase.")
    start, end = selector.get("start"), selector.get("end")
    prefix = selector.get("prefix") or ""
    suffix = selector.get("suffix") or ""
    if start is not None or end is not None:
        if not isinstance(start, int) or not isinstance(end, int):
            raise QuoteError("A quote's start and end must be given together, as numbers.")
        if not (0 <= start < end <= len(text)) or text[start:end] != exact:
            raise QuoteError("The quoted phrase is not at that place in the paragraph.")
    else:
        candidates = [
            at
            for at in _occurrences(text, exact)
            if text[:at].endswith(prefix) and text[at + len(exact) :].startswith(suffix)
        ]
        if not candidates:
            raise QuoteError("The quoted phrase is not in the paragraph.")
        if len(candidates) > 1:
            raise QuoteError(
                "The quoted phrase appears more than once; give its start and end, "
                "or a prefix or suffix."
            )
        start = candidates[0]
        end = start + len(exact)
    return Quote(
        exact=exact,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )
