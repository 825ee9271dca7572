"""Aligning a long text costs work in proportion to its length: doubling the text at most
a little more than doubles the lines of Python the alignment runs (difflib's included),
whatever the shape of the revision. Counted, not timed, so a busy machine cannot fail it."""

import difflib
import sys
from dataclasses import dataclass

import pytest

from edition import alignment
from edition.alignment import align, summarize

COUNTED = {alignment.__file__, difflib.__file__}


@dataclass(frozen=True)
class Text:
    text: str

    @property
    def checksum(self) -> str:
        return f"sum:{self.text}"


def short(count: int, start: int = 0) -> list[Text]:
    return [Text(f"Short paragraph number {i} of the long draft.") for i in range(start, count)]


def chapter() -> list[Text]:
    return [
        Text(f"The chapter's paragraph {i}, on Lenin and the soviets ({i * 7}).")
        for i in range(110)
    ]


def few_old_many_new(n: int):
    return chapter(), short(n)


def every_third_edited(n: int):
    old = short(n)
    return old, [Text(t.text + " Edited.") if i % 3 == 0 else t for i, t in enumerate(old)]


def all_edited(n: int):
    old = short(n)
    return old, [Text(t.text + " Edited.") for t in old]


def every_other_replaced(n: int):
    old = short(n)
    return old, [t if i % 2 else Text(f"Another passage, {i}.") for i, t in enumerate(old)]


def one_word_throughout(n: int):
    return [Text("x")] * n, [Text("x")] * n


def lines_run(old, new) -> int:
    count = 0

    def tracer(frame, event, _arg):
        nonlocal count
        if frame.f_code.co_filename not in COUNTED:
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        align(old, new)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize(
    "shape",
    [few_old_many_new, every_third_edited, all_edited, every_other_replaced, one_word_throughout],
)
def test_doubling_the_text_about_doubles_the_work(shape):
    small, large = lines_run(*shape(1_500)), lines_run(*shape(3_000))

    assert large / small < 2.5, f"{shape.__name__}: {small:,} lines, then {large:,}"


def test_a_long_revision_still_finds_its_edits_and_unchanged_paragraphs():
    old, new = every_third_edited(3_000)

    counts = summarize(align(old, new))

    assert (counts["unchanged"], counts["edited"]) == (2_000, 1_000)
