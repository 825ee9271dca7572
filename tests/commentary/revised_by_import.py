"""The chapter of ``tests.edition.revision_texts`` revised through the import, with comments
written on version 1: ``revised_by_import`` publishes both versions and writes a comment
(or two) on each paragraph of version 1.
"""

from dataclasses import dataclass

from commentary.models import Comment
from edition.models import Version, Work
from tests.commentary.builders import post
from tests.edition.revision_texts import SHORT, A, B, C, D, E, F, G, original, publish, revised


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
