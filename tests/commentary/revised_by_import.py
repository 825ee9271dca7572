"""A chapter revised through the import, as an editor revises it, with comments on v1.

Version 1 (keys as the import gives them):  Version 2:
  p1 heading                                  p1
  p2 A                                        p7 F (moved up)
  p3 B + SHORT                                p2 A
  p4 C                                        p3 B, then p9 SHORT (split off p3)
  p5 D                                        p5 C + D (p4 merged into p5)
  p6 E                                        p6 E
  p7 F                                        (p8 G removed)
  p8 G

``revised_by_import`` publishes both and writes a comment (or two) on each paragraph of
version 1; the import records what version 2 did (ParagraphChange), as in real use.
"""

from dataclasses import dataclass

from commentary.models import Comment
from edition.importer import Block
from edition.models import Version, Work
from edition.services import version_import, version_publish
from tests.commentary.builders import post

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


@dataclass
class RevisedByImport:
    work: Work
    v2: Version
    keys: dict[str, str]  # "a".."g": the key of each paragraph of version 1
    comments: dict[str, Comment]  # by body


def revised_by_import(alice, bob) -> RevisedByImport:
    work = Work.objects.create(slug="october-1917", title="October 1917 Revolution")
    publish(work, original())
    work.refresh_from_db()
    by_text = {
        text: key
        for key, text in work.current_version.entries.values_list(
            "paragraph__key", "revision__text"
        )
    }
    texts = {"a": A, "b": B + " " + SHORT, "c": C, "d": D, "e": E, "f": F, "g": G}
    keys = {name: by_text[text] for name, text in texts.items()}
    comments = [
        post(alice, work, keys["a"], "On Lenin."),
        post(alice, work, keys["b"], "On hindsight.", quote={"exact": "limitations of their"}),
        post(alice, work, keys["b"], "On Stalin.", quote={"exact": "his own reasons"}),
        post(alice, work, keys["c"], "On learning.", quote={"exact": "quickly learned"}),
        post(bob, work, keys["c"], "On the peasants."),
        post(alice, work, keys["d"], "On the West.", quote={"exact": "very existence"}),
        post(alice, work, keys["f"], "On Thermidor."),
        post(alice, work, keys["g"], "On autocracy.", quote={"exact": "autocracy"}),
    ]
    comments.append(post(bob, work, parent=comments[3], body="A reply on learning."))
    v2 = publish(work, revised())
    work.refresh_from_db()
    return RevisedByImport(work, v2, keys, {comment.body: comment for comment in comments})
