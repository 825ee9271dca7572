"""Seed the benchmark database: the seed chapter with N comments from many readers.

Threads go up to the depth cap; one paragraph holds a single thread of 1,000 comments.
Rows are written with bulk_create, level by level, so 10,000 comments take seconds.
Prints a JSON line with what the load step needs (paths, a signed-in session cookie).

Run as ``python -m bench.seed --comments 10000`` with DJANGO_SETTINGS_MODULE set.
"""

import argparse
import json
import random

import django


def seed(total: int, thread_size: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.urls import reverse

    from commentary.markdown import render_markdown
    from commentary.models import Comment
    from commentary.tokens import token_create
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

    def make(entry, parent, n):
        index = n % len(bodies)
        return Comment(
            work=work,
            paragraph=entry.paragraph,
            revision=entry.revision,
            version=version,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author=readers[n % len(readers)],
            body=bodies[index],
            body_html=rendered[index],
        )

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
    remaining = total - made
    roots = Comment.objects.bulk_create(
        [make(rng.choice(others), None, made + n) for n in range(remaining // 3)]
    )
    made += len(roots)
    level = roots
    while made < total and level:
        batch = []
        for parent in level:
            if parent.depth >= max_depth or made >= total:
                continue
            for _ in range(rng.choice((0, 1, 1, 2))):
                if made >= total:
                    break
                batch.append(make(entry_of[parent.paragraph_id], parent, made))
                made += 1
        level = Comment.objects.bulk_create(batch) if batch else []
        if not level and made < total:
            level = Comment.objects.bulk_create(
                [make(rng.choice(others), None, made + n) for n in range(total - made)]
            )
            made = total

    # Fresh statistics, as autovacuum would have them on a live site.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    _, token = token_create(user=readers[0], name="bench")
    session = SessionStore()
    session["_auth_user_id"] = str(readers[0].pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = readers[0].get_session_auth_hash()
    session.create()

    return {
        "comments": Comment.objects.filter(work=work).count(),
        "thread_root": root.pk,
        "thread_size": Comment.objects.in_thread(root.pk).count(),
        "reading_path": reverse("edition:work-detail", kwargs={"slug": work.slug}),
        "thread_path": root.get_absolute_url(),
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "token": token,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--thread-size", type=int, default=1_000)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(seed(args.comments, args.thread_size)))


if __name__ == "__main__":
    main()
