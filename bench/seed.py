"""Seed the benchmark database: the seed chapter with N comments from many readers.

Threads go up to the depth cap; one paragraph holds a single thread of 1,000 comments.
Rows are written with bulk_create, level by level, so 10,000 comments take seconds. Past
10,000, the rest are written by the database itself on PostgreSQL (one INSERT … SELECT
over generate_series: roots with three replies each, spread over the paragraphs and the
readers), so 1,000,000 comments take a minute or two; elsewhere by bulk_create.

The signed-in reader (``bench0``) writes one comment in 200, plus one: 5,001 of 1,000,000.
Most of them are not public: four in five are in two of the three reading groups they
belong to, one in a hundred is held for a moderator, the rest are published. The third
group, the seminar, is the layer the benchmark reads: its 300 comments by others and 10
of the reader's are the same whatever N, so that N is the only thing that changes.

Prints a JSON line with what the load step needs (paths, a signed-in session cookie).

Run as ``python -m bench.seed --comments 10000`` with DJANGO_SETTINGS_MODULE set.
"""

import argparse
import json
import random

import django

# Written by the database itself past this many comments (see the module's doc).
BULK_CREATED = 10_000
SEMINAR_COMMENTS = 300
READERS_SEMINAR_COMMENTS = 10
# On the seventh chapter of the 15-chapter book, whose page is measured beside the seed's.
BOOK_COMMENTS = 1_000


def seed(total: int, thread_size: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.urls import reverse

    from commentary.accounts.tokens import token_create
    from commentary.groups.models import Membership
    from commentary.groups.services import group_create
    from commentary.markdown import render_markdown
    from commentary.models import Comment
    from edition.models import VersionParagraph
    from edition.seed import seed_import

    work = seed_import()
    version = work.current_version
    entries = list(
        VersionParagraph.objects.filter(version=version)
        .exclude(revision__kind="heading")
        .select_related("paragraph", "revision")
        .order_by("position")
    )
    User = get_user_model()
    readers = []
    for n in range(200):
        user, _ = User.objects.get_or_create(
            username=f"bench{n}", defaults={"email": f"bench{n}@example.org"}
        )
        readers.append(user)

    rng = random.Random(1917)
    max_depth = settings.SCHOLIA_COMMENT_MAX_DEPTH
    bodies = [
        "I read this *differently*: the argument rests on [the periphery](https://example.org).",
        "A short note.\n\n> quoting the text\n\nand a reply to it.",
        "Agreed — see also the section on the peasantry.",
        "Is this **really** what Lenin meant? The date matters here.",
    ]
    rendered = [render_markdown(body) for body in bodies]

    Comment.objects.filter(work=work).delete()
    reader, writers = readers[0], readers[1:]

    def make(entry, parent, n, author=None, **fields):
        index = n % len(bodies)
        return Comment(
            work=work,
            paragraph=entry.paragraph,
            revision=entry.revision,
            version=version,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author=author or writers[n % len(writers)],
            body=bodies[index],
            body_html=rendered[index],
            **fields,
        )

    # The reader's three reading groups, all reading the work: the seminar (the layer the
    # benchmark reads, led by bench1, with 30 members) and two more that hold most of what
    # the reader writes.
    seminar, *elsewhere = (
        group_create(owner=owner, name=name, works=[work.slug])
        for owner, name in (
            (readers[1], "Bench seminar"),
            (readers[2], "Bench reading circle"),
            (readers[3], "Bench study group"),
        )
    )
    Membership.objects.bulk_create(
        [Membership(group=seminar, user=member) for member in [reader, *readers[4:31]]]
        + [Membership(group=group, user=reader) for group in elsewhere]
    )
    seminar_members = [readers[1], *readers[4:31]]
    Comment.objects.bulk_create(
        [
            make(entries[n % len(entries)], None, n, seminar_members[n % 28], group=seminar)
            for n in range(SEMINAR_COMMENTS)
        ]
        + [
            make(entries[(7 * n) % len(entries)], None, n, reader, group=seminar)
            for n in range(READERS_SEMINAR_COMMENTS)
        ]
    )

    # The reader's own comments: one in 200, plus one, those in the seminar included.
    own = max(1, total // 200 + 1 - READERS_SEMINAR_COMMENTS)
    held, published = max(1, own // 100), own // 5
    statuses = [Comment.Status.PENDING] * held + [Comment.Status.PUBLISHED] * (own - held)
    Comment.objects.bulk_create(
        make(
            entries[n % len(entries)],
            None,
            n,
            reader,
            status=status,
            group=None if n < held + published else elsewhere[n % 2],
        )
        for n, status in enumerate(statuses)
    )
    total -= own + SEMINAR_COMMENTS + READERS_SEMINAR_COMMENTS
    bulk_created = min(total, BULK_CREATED)

    big_entry = entries[len(entries) // 3]
    others = [entry for entry in entries if entry is not big_entry]
    entry_of = {entry.paragraph_id: entry for entry in entries}

    # The big thread: one root, then replies attached to random earlier comments of the
    # thread that are still below the depth cap.
    made = 0
    root = Comment.objects.bulk_create([make(big_entry, None, made)])[0]
    made += 1
    thread = [root]
    while len(thread) < thread_size:
        batch = []
        open_parents = [c for c in thread if c.depth < max_depth]
        for _ in range(min(100, thread_size - len(thread))):
            batch.append(make(big_entry, rng.choice(open_parents), made))
            made += 1
        thread.extend(Comment.objects.bulk_create(batch))

    # The rest: roots spread over the other paragraphs, then replies level by level.
    remaining = bulk_created - made
    roots = Comment.objects.bulk_create(
        [make(rng.choice(others), None, made + n) for n in range(remaining // 3)]
    )
    made += len(roots)
    level = roots
    while made < bulk_created and level:
        batch = []
        for parent in level:
            if parent.depth >= max_depth or made >= bulk_created:
                continue
            for _ in range(rng.choice((0, 1, 1, 2))):
                if made >= bulk_created:
                    break
                batch.append(make(entry_of[parent.paragraph_id], parent, made))
                made += 1
        level = Comment.objects.bulk_create(batch) if batch else []
        if not level and made < bulk_created:
            level = Comment.objects.bulk_create(
                [make(rng.choice(others), None, made + n) for n in range(bulk_created - made)]
            )
            made = bulk_created
    if made < total:
        many = many_comments_sql if connection.vendor == "postgresql" else many_comments_orm
        many(total - made, work=work, entries=others, authors=writers, make=make)

    # Fresh statistics and visibility maps, as autovacuum would have them on a live site
    # (and so that it does not start on the new rows in the middle of a measurement).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    book_chapter_path = seed_book(writers, make_comment=make, book_comments=BOOK_COMMENTS)

    # It posts too (the last target): a token that may write.
    _, token = token_create(user=reader, name="bench", scopes=["read", "write"])
    session = SessionStore()
    session["_auth_user_id"] = str(reader.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = reader.get_session_auth_hash()
    session.create()

    return {
        "comments": Comment.objects.filter(work=work).count(),
        "readers_comments": Comment.objects.filter(author=reader).count(),
        "readers_public_comments": Comment.objects.filter(
            author=reader, group__isnull=True, status=Comment.Status.PUBLISHED
        ).count(),
        "group": seminar.slug,
        "thread_root": root.pk,
        "thread_size": Comment.objects.in_thread(root.pk).count(),
        "reading_path": reverse("edition:work-detail", kwargs={"slug": work.slug}),
        "thread_path": root.get_absolute_url(),
        "book_chapter_path": book_chapter_path,
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "token": token,
    }


def seed_book(writers: list, *, make_comment, book_comments: int) -> str:
    """The seed made a book of 15 chapters (``edition.seed.book_import``), with
    ``book_comments`` comments on its seventh chapter; the path of that chapter's page."""
    from commentary.models import Comment
    from edition.models import VersionParagraph
    from edition.parts import version_parts
    from edition.reading import version_rows
    from edition.seed import book_import

    book = book_import()
    version = book.current_version
    chapter = version_parts(version).parts[6]
    keys = [row.key for row in version_rows(version)[chapter.start : chapter.end]]
    entries = list(
        VersionParagraph.objects.filter(version=version, paragraph__key__in=keys)
        .exclude(revision__kind="heading")
        .select_related("paragraph", "revision")
        .order_by("position")
    )
    comments = []
    for n in range(book_comments):
        comment = make_comment(entries[n % len(entries)], None, n, writers[n % len(writers)])
        comment.work, comment.version = book, version
        comments.append(comment)
    Comment.objects.bulk_create(comments)
    return f"{book.get_absolute_url()}{chapter.slug}/"


def many_comments_sql(count: int, *, work, entries: list, authors: list, make) -> None:
    """``count`` published public comments written by PostgreSQL in one statement: a root
    and three replies to it, on one paragraph, round the paragraphs and the authors."""
    from django.db import connection

    from commentary.models import Comment

    table = Comment._meta.db_table
    first = (Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    sample = [make(entries[0], None, n) for n in range(4)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (id, work_id, version_id, paragraph_id, revision_id, parent_id,
                root_id, group_id, depth, author_id, body, body_html, quote_exact,
                quote_prefix, quote_suffix, status, created_at, modified_at)
            SELECT %(first)s + n, %(work)s, %(version)s, (%(paragraphs)s::bigint[])[k],
                (%(revisions)s::bigint[])[k],
                CASE WHEN n %% 4 = 0 THEN NULL ELSE %(first)s + n - n %% 4 END,
                CASE WHEN n %% 4 = 0 THEN NULL ELSE %(first)s + n - n %% 4 END,
                NULL, CASE WHEN n %% 4 = 0 THEN 0 ELSE 1 END,
                (%(authors)s::int[])[n %% %(author_count)s + 1],
                (%(bodies)s::text[])[n %% 4 + 1], (%(rendered)s::text[])[n %% 4 + 1],
                '', '', '', 'published',
                now() - make_interval(secs => %(count)s - n),
                now() - make_interval(secs => %(count)s - n)
            FROM (
                SELECT n, (n / 4) %% %(paragraph_count)s + 1 AS k
                FROM generate_series(0, %(count)s - 1) AS n
            ) AS numbered
            """,
            {
                "first": first,
                "work": work.pk,
                "version": work.current_version_id,
                "paragraphs": [entry.paragraph_id for entry in entries],
                "revisions": [entry.revision_id for entry in entries],
                "paragraph_count": len(entries),
                "authors": [author.pk for author in authors],
                "author_count": len(authors),
                "bodies": [comment.body for comment in sample],
                "rendered": [comment.body_html for comment in sample],
                "count": count,
            },
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


def many_comments_orm(count: int, *, work, entries: list, authors: list, make) -> None:
    """As ``many_comments_sql``, by bulk_create: roots only, in batches."""
    from commentary.models import Comment

    for start in range(0, count, 5_000):
        numbers = range(start, min(count, start + 5_000))
        Comment.objects.bulk_create(make(entries[n % len(entries)], None, n) for n in numbers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--thread-size", type=int, default=1_000)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(seed(args.comments, args.thread_size)))


if __name__ == "__main__":
    main()
