"""What a reader typed into the search box, read the way ``websearch_to_tsquery`` reads it:
words, "quoted phrases", ``-word`` to leave out, ``or`` between alternatives.

PostgreSQL parses the query itself; this reading serves the fallback on other databases
(substring matching, see ``commentary.search.reads``) and the snippets there, which mark the
words the reader asked for.
"""

import re
from dataclasses import dataclass, field

# A quoted phrase (closed or left open at the end), or a run of anything else.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_QUERY_LENGTH = 200


@dataclass
class Terms:
    """``wanted``: clauses that must all match, each a list of alternatives (words or
    phrases, lower-case); ``unwanted``: words or phrases that must not."""

    wanted: list[list[str]] = field(default_factory=list)
    unwanted: list[str] = field(default_factory=list)

    @property
    def marked(self) -> list[str]:
        """Every word or phrase to mark in a snippet, longest first."""
        words = {term for clause in self.wanted for term in clause}
        return sorted(words, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.wanted)


def read_terms(query: str) -> Terms:
    terms = Terms()
    alternative = False
    for match in _TOKEN.finditer(query):
        negated, phrase, word = match.groups()
        if word is not None:
            negated = word.startswith("-") and len(word) > 1
            if negated:
                word = word[1:]
            if word.lower() == "or" and not negated:
                alternative = bool(terms.wanted)
                continue
            text = word.strip("\"'.,;:!?()[]{}").lower()
        else:
            text = " ".join(phrase.split()).lower()
        if not text:
            continue
        if negated:
            terms.unwanted.append(text)
        elif alternative:
            terms.wanted[-1].append(text)
        else:
            terms.wanted.append([text])
        alternative = False
    return terms
