"""A short chapter revised twice, with a comment of alice's on each kind of change.

Version 1:            Version 2:                          Version 3:
  p1 heading            p1                                  p1
  p2 typo "chaptre"     p2 typo fixed                       p2 rewritten: the quote is lost
  p3 two sentences      p8 (moved up, unchanged)            p8
  p4 moves later        p3 first sentence (split) + p9 new  p3 + p6 merged into it, p9
  p5 merged into p6     p6 = p5 + p6 (p5 merged into p6)    (p6 merged into p3)
  p6                    p4 (moved, same wording)            (p4 removed)
  p7 removed            (p7 removed)
  p8 unchanged

The comments are written on version 1, through the service, each quoting a phrase.
"""

from dataclasses import dataclass

from commentary.models import Comment
from edition.models import Version, Work
from tests.commentary.builders import post
from tests.edition.builders import build_version, build_work, heading, para
from tests.edition.builders import merge as merge_on

TYPO = "The aim of this chaptre is certainly not to denigrate this first socialist project."
FIXED = "The aim of this chapter is certainly not to denigrate this first socialist project."
REWRITTEN = "This chapter does not set out to belittle the first socialist experiment."
LENIN = "Lenin, along with the Bolshevik leaders, shaped the history of the revolution."
STALIN = "Stalin later took another road."
HOWEVER = "However, neither is the objective of this study a nostalgic looking back."
NEVERTHELESS = "Nevertheless, Lenin quickly learned"
LESSON = "the necessary historical lesson."
THERMIDOR = "Thermidor, the Restoration: toward a second wave of revolutionary advances?"
AUTOCRACY = "What to outward appearances was an autocracy masked another reality."


@dataclass
class Revised:
    work: Work
    v1: Version
    v2: Version
    v3: Version | None
    comments: dict[str, Comment]


def write_version_1() -> Work:
    work = build_work()
    build_version(
        work,
        [
            heading("Chapter One"),
            para(TYPO),
            para(f"{LENIN} {STALIN}"),
            para(HOWEVER),
            para(NEVERTHELESS),
            para(LESSON),
            para(THERMIDOR),
            para(AUTOCRACY),
        ],
    )
    work.refresh_from_db()
    return work


def comment_on_version_1(author, work: Work) -> dict[str, Comment]:
    return {
        "typo": post(author, work, "p2", "On the aim.", quote={"exact": "this chaptre is"}),
        "kept": post(author, work, "p2", "On denigrating.", quote={"exact": "not to denigrate"}),
        "split": post(author, work, "p3", "On Lenin.", quote={"exact": "shaped the history"}),
        "split_away": post(author, work, "p3", "On Stalin.", quote={"exact": "another road"}),
        "moved": post(author, work, "p4", "On nostalgia."),
        "merged": post(author, work, "p5", "On learning.", quote={"exact": "quickly learned"}),
        "merged_into": post(author, work, "p6", "On the lesson."),
        "removed": post(author, work, "p7", "On Thermidor.", quote={"exact": "second wave"}),
        "unchanged": post(author, work, "p8", "On autocracy.", quote={"exact": "autocracy"}),
    }


def merge(work: Work, merged: str, into: str) -> None:
    merge_on(work.current_version, merged, into)


def write_version_2(work: Work) -> Version:
    version = build_version(
        work,
        [
            heading("Chapter One", key="p1"),
            para(FIXED, key="p2"),
            para(AUTOCRACY, key="p8"),
            para(LENIN, key="p3"),
            para(STALIN),  # p9
            para(f"{NEVERTHELESS} {LESSON}", key="p6"),
            para(HOWEVER, key="p4"),
        ],
    )
    merge(work, "p5", "p6")
    work.refresh_from_db()
    return version


def write_version_3(work: Work) -> Version:
    version = build_version(
        work,
        [
            heading("Chapter One", key="p1"),
            para(REWRITTEN, key="p2"),
            para(AUTOCRACY, key="p8"),
            para(f"{LENIN} {NEVERTHELESS} {LESSON}", key="p3"),
            para(STALIN, key="p9"),
        ],
    )
    merge(work, "p6", "p3")
    work.refresh_from_db()
    return version


def revised_chapter(author, *, versions: int = 2) -> Revised:
    work = write_version_1()
    v1 = work.current_version
    comments = comment_on_version_1(author, work)
    v2 = write_version_2(work)
    v3 = write_version_3(work) if versions >= 3 else None
    return Revised(work, v1, v2, v3, comments)
