"""What 1,000 new comments on one chapter of the 15-chapter book leave in the pages' cache.

Each comment is posted through the service (its events expire the chapter's cached page,
as a reader's post does), then an anonymous reader asks for the chapter's page and for the
page of another chapter from the running server, so that the cache holds what readers
would have made it hold. Prints a JSON line: the number of pages' keys in the cache and
the bytes Redis holds for them (MEMORY USAGE of each), before and after, and how often
the other chapter's page was served from the cache.

Run as ``python -m bench.book BASE_URL CHAPTER_PATH`` with DJANGO_SETTINGS_MODULE, and
REDIS_URL and CACHE_KEY_PREFIX set as for the server.
"""

import json
import os
import sys
import urllib.request

import django

COMMENTS = 1_000


def pages_memory() -> tuple[int, int]:
    """(keys, bytes) of the pages' cache under this run's prefix."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    prefix = os.environ["CACHE_KEY_PREFIX"]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    return len(keys), sum(client.memory_usage(key) or 0 for key in keys)


def main() -> None:
    base, chapter_path = sys.argv[1].rstrip("/"), sys.argv[2]
    django.setup()
    from django.contrib.auth import get_user_model

    from commentary.services import comment_create
    from edition.models import Work
    from edition.parts import version_parts
    from edition.reading import version_rows

    slug = chapter_path.strip("/").split("/")[1]
    work = Work.objects.select_related("current_version").get(slug=slug)
    version = work.current_version
    parts = version_parts(version)
    chapter = parts.by_slug(chapter_path.strip("/").split("/")[-1])
    other = parts.parts[0 if chapter.number != 1 else 1]
    other_path = f"{work.get_absolute_url()}{other.slug}/"
    rows = [row for row in version_rows(version)[chapter.start : chapter.end] if row.number]
    paragraphs = {p.pk: p for p in work.paragraphs.filter(pk__in=[r.paragraph_id for r in rows])}
    authors = list(get_user_model().objects.filter(username__startswith="bench")[:50])

    def read(path: str) -> str:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
            return response.headers.get("X-Page-Cache", "")

    read(chapter_path), read(other_path)
    before = pages_memory()
    other_hits = 0
    for n in range(COMMENTS):
        row = rows[n % len(rows)]
        comment_create(
            author=authors[n % len(authors)],
            paragraph=paragraphs[row.paragraph_id],
            body=f"Comment {n} on the chapter.",
        )
        read(chapter_path)
        other_hits += read(other_path) == "hit"
    after = pages_memory()
    print(
        json.dumps(
            {
                "comments": COMMENTS,
                "keys_before": before[0],
                "bytes_before": before[1],
                "keys_after": after[0],
                "bytes_after": after[1],
                "other_chapter_hits": other_hits,
            }
        )
    )


if __name__ == "__main__":
    main()
