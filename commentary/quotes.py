"""Quoted phrases: W3C TextQuoteSelector (exact, prefix, suffix) plus TextPositionSelector
(start, end), checked against the wording the comment's author saw."""

from dataclasses import dataclass

CONTEXT_CHARS = 32
# Words shown around each place a repeated phrase stands, for a reader to choose among them.
OCCURRENCE_CONTEXT_CHARS = 40


class QuoteError(ValueError):
    pass


@dataclass(frozen=True)
class Occurrence:
    """One place a phrase stands in a wording, with a few words either side (cut at a
    word, "…" where cut) to tell it from the others."""

    start: int
    end: int
    before: str
    after: str


class QuoteAmbiguous(QuoteError):
    """The phrase appears more than once and nothing says which place is meant."""

    def __init__(self, message: str, occurrences: list[Occurrence]) -> None:
        super().__init__(message)
        self.occurrences = occurrences


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


def _words_before(text: str, at: int) -> str:
    begin = at - OCCURRENCE_CONTEXT_CHARS
    if begin <= 0:
        return text[:at]
    before = text[begin:at]
    if not text[begin - 1].isspace():
        before = before.split(" ", 1)[-1] if " " in before else before
    return "…" + before.lstrip()


def _words_after(text: str, at: int) -> str:
    end = at + OCCURRENCE_CONTEXT_CHARS
    if end >= len(text):
        return text[at:]
    after = text[at:end]
    if not text[end].isspace():
        after = after.rsplit(" ", 1)[0] if " " in after else after
    return after.rstrip() + "…"


def occurrence_at(text: str, start: int, end: int) -> Occurrence:
    return Occurrence(start, end, _words_before(text, start), _words_after(text, end))


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
            raise QuoteAmbiguous(
                "The quoted phrase appears more than once; give its start and end, "
                "or a prefix or suffix.",
                [occurrence_at(text, at, at + len(exact)) for at in candidates],
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
