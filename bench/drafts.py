"""The editor's path on a long draft, timed: upload a revision of the seed chapter holding
5,000 short paragraphs and open its review, then discard it (best of ``--rounds``); publish
it, upload a revision of that long text (every seventh paragraph edited, every fiftieth gone,
one in a hundred new, ten moved) and open its review.

Requests go through the whole middleware stack with Django's test client, in one process,
with the production settings (DEBUG off) and the benchmark's database: the upload is the
form's POST (a pasted text), the review the page's GET. Prints a table (wall time, and the
CPU time of this process, which a busy machine disturbs less) and, last, a JSON line of the
figures.

With ``--leave-draft`` it uploads the revision of the long text once more and leaves it
as a draft, and the JSON line also holds the path of its review page and the editor's
session cookie, for ``bench`` to load that page over HTTP (``bench.targets.review_target``).

Run as ``python -m bench.drafts`` with DJANGO_SETTINGS_MODULE set, on a database with no
edition yet; ``python -m bench --drafts-only`` makes such a database and runs it.
"""

import argparse
import json
import time

import django


def _long_text(count: int) -> list[str]:
    return [f"Paragraph {n}: a short line of the long draft, number {n * 7}." for n in range(count)]


def _revised(paragraphs: list[str]) -> list[str]:
    revised = []
    for n, text in enumerate(paragraphs):
        if n % 50 == 49:
            continue
        if n % 7 == 3:
            text = text.replace("a short line", "one short line")
        if n % 100 == 10:
            revised.append(f"A new passage inserted before paragraph {n}.")
        revised.append(text)
    moved = revised[1000:1010]
    del revised[1000:1010]
    return revised[:3000] + moved + revised[3000:]


def measure(paragraphs: int, rounds: int, leave_draft: bool = False) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from edition.drafts import draft_checksum
    from edition.models import Version
    from edition.seed import seed_import

    work = seed_import()
    editor = get_user_model().objects.create_user("bench-editor", is_staff=True)
    client = Client()
    client.force_login(editor)
    revise = reverse("edition:revision-upload", args=[work.slug])

    def timed(method, url, data=None, expect=200):
        """(wall seconds, this process's CPU seconds), and the response."""
        started, cpu = time.perf_counter(), time.process_time()
        response = getattr(client, method)(url, data or {})
        elapsed = (time.perf_counter() - started, time.process_time() - cpu)
        if response.status_code != expect:
            raise SystemExit(f"{method.upper()} {url} answered {response.status_code}")
        return elapsed, response

    def upload_and_review(text: str):
        upload, response = timed("post", revise, {"pasted": text, "format": "text"}, 302)
        review, page = timed("get", response["Location"])
        draft = Version.objects.drafts().get(work=work)
        return upload, review, len(page.content), draft

    first = _long_text(paragraphs)
    results: dict[str, list[tuple[float, float]]] = {"upload": [], "review": [], "discard": []}
    for _ in range(rounds):
        upload, review, size, draft = upload_and_review("\n\n".join(first))
        discard, _ = timed(
            "post",
            reverse("edition:draft-discard", args=[work.slug, draft.number]),
            {"confirm": "on"},
            302,
        )
        for name, value in (("upload", upload), ("review", review), ("discard", discard)):
            results[name].append(value)
    first_size = size

    upload, review, size, draft = upload_and_review("\n\n".join(first))
    publish, _ = timed(
        "post",
        reverse("edition:draft-publish", args=[work.slug, draft.number]),
        {"checksum": draft_checksum(draft)},
        302,
    )
    second = _revised(first)
    results.update(revised_upload=[], revised_review=[])
    for _ in range(rounds):
        upload, review, revised_size, draft = upload_and_review("\n\n".join(second))
        results["revised_upload"].append(upload)
        results["revised_review"].append(review)
        client.post(
            reverse("edition:draft-discard", args=[work.slug, draft.number]), {"confirm": "on"}
        )
    best = {name: list(min(values)) for name, values in results.items()}
    left = {}
    if leave_draft:
        _upload, _review, _size, draft = upload_and_review("\n\n".join(second))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        left = {
            "review_path": reverse("edition:draft-detail", args=[work.slug, draft.number]),
            "session_cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}",
        }
    return {
        "paragraphs": paragraphs,
        "revised_paragraphs": len(second),
        "review_bytes": first_size,
        "revised_review_bytes": revised_size,
        "publish": list(publish),
        **best,
        **left,
    }


def report(figures: dict, rounds: int) -> None:
    n, m = figures["paragraphs"], figures["revised_paragraphs"]

    def both(*names: str) -> tuple[float, float]:
        return tuple(sum(figures[name][k] for name in names) for k in (0, 1))

    rows = [
        (f"upload {n:,} new paragraphs over the 110 of the chapter", both("upload")),
        (f"  its review page ({figures['review_bytes'] / 1e6:.1f} MB)", both("review")),
        ("  upload + review", both("upload", "review")),
        ("  discard", both("discard")),
        ("  publish", both("publish")),
        (f"upload a revision of it ({m:,} paragraphs, edits throughout)", both("revised_upload")),
        (
            f"  its review page ({figures['revised_review_bytes'] / 1e6:.1f} MB)",
            both("revised_review"),
        ),
        ("  upload + review", both("revised_upload", "revised_review")),
    ]
    print(f"the editor's path on a {n:,}-paragraph draft (best of {rounds})")
    print(f"{'step':62} {'wall s':>7} {'CPU s':>7}")
    for name, (wall, cpu) in rows:
        print(f"{name:62} {wall:7.2f} {cpu:7.2f}")
    print("CPU s: this process's (Django's) time, without the database's")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--leave-draft",
        action="store_true",
        help="leave the revision as a draft and print its review page's path and a session",
    )
    args = parser.parse_args()
    django.setup()
    figures = measure(args.paragraphs, args.rounds, args.leave_draft)
    report(figures, args.rounds)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
