"""A chapter and its revision as an editor imports them: version 1, and a version 2 that
splits a paragraph, merges one into the next, moves one up and removes one. Importing
records what version 2 did (its ParagraphChange rows), as in real use.

Version 1 (keys as the import gives them):  Version 2:
  p1 heading                                  p1
  p2 A                                        p7 F (moved up)
  p3 B + SHORT                                p2 A
  p4 C                                        p3 B, then p9 SHORT (split off p3)
  p5 D                                        p5 C + D (p4 merged into p5)
  p6 E                                        p6 E
  p7 F                                        (p8 G removed)
  p8 G
"""

from edition.importer import Block
from edition.models import Version, Work
from edition.services import version_import, version_publish

HEADING = "Soviet leaders facing the challenge of history"
A = "Lenin, along with the Bolshevik leaders, shaped the history of the October revolution."
B = "With the benefit of hindsight, I will indicate here the limitations of their analyses."
SHORT = "Then Stalin did too, in his own way and for his own reasons."
C = "Nevertheless, Lenin quickly learned the necessary historical lesson of the peasants."
D = "The imperialist West could not tolerate the very existence of the Soviet Union at all."
E = "Between the two world wars Stalin tried desperately to ally the Western democracies."
F = "Thermidor, the Restoration: toward a second wave of revolutionary advances in Europe?"
G = "What to outward appearances was an autocracy masked another reality altogether here."


def para(text: str) -> Block:
    return Block("paragraph", None, text)


def first_text() -> list[Block]:
    return [Block("heading", 2, HEADING), para(A), para(B + " " + SHORT), para(C)]


def original() -> list[Block]:
    return [*first_text(), para(D), para(E), para(F), para(G)]


def revised() -> list[Block]:
    # B's paragraph split in two, C merged into D, F moved up, G removed.
    return [
        Block("heading", 2, HEADING),
        para(F),
        para(A),
        para(B),
        para(SHORT),
        para(C + " " + D),
        para(E),
    ]


def publish(work: Work, blocks: list[Block]) -> Version:
    return version_publish(version=version_import(work=work, blocks=blocks).version)
