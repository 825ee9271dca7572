"""The discussion's cache generation: bumped by every write that can change what a page
shows, so cached anonymous pages (keyed by it, see edition.caching) go stale at once on every
server that shares the cache."""

from edition.caching import bump_generation

GENERATION_KEY = "commentary:generation"


def discussion_changed() -> None:
    bump_generation(GENERATION_KEY)
