"""What the benchmark loads: each target's name, path, headers and baseline, from what
``bench.seed`` printed. ``bench`` loads them over HTTP; ``bench.profile`` runs them in one
process to count their queries and profile them."""

from typing import NamedTuple


class Target(NamedTuple):
    name: str
    path: str  # without the leading "/"
    headers: dict
    kind: str | None  # the baseline of its ratio: "html" (bare Django), "api" (bare DRF)
    body: dict | None = None  # a POST of this JSON ("{serial}" differs at each request)


POSTING = "posting through the API, token"


def targets(seeded: dict) -> list[Target]:
    signed_in = {"Cookie": seeded["session_cookie"]}
    token = {"Authorization": f"Bearer {seeded['token']}"}
    root = seeded["thread_root"]
    reading = seeded["reading_path"][1:]
    book_chapter = seeded["book_chapter_path"][1:]
    book_title = book_chapter.rstrip("/").rsplit("/", 1)[0] + "/"
    comments = "api/v1/comments/?work=october-1917"
    layer = f"?group={seeded['group']}"
    posted = {"work": "october-1917", "paragraph": "p5", "body": "Benchmarked {serial}."}
    return [
        Target("bare Django view, 50 KB HTML", "bench/bare/", {}, None),
        Target("bare DRF view, small JSON", "bench/bare-drf/", {}, None),
        Target("reading page, anonymous", reading, {}, "html"),
        Target("reading page, signed in", reading, signed_in, "html"),
        Target("reading page, signed in, group layer", reading + layer, signed_in, "html"),
        Target("book of 15 chapters, a chapter, anonymous", book_chapter, {}, "html"),
        Target("book of 15 chapters, a chapter, signed in", book_chapter, signed_in, "html"),
        # The title page: its contents count each chapter's comments for the reader.
        Target("book of 15 chapters, title page, anonymous", book_title, {}, "html"),
        Target("book of 15 chapters, title page, signed in", book_title, signed_in, "html"),
        Target("1,000-comment thread page, anonymous", seeded["thread_path"][1:], {}, "html"),
        Target(
            "1,000-comment thread page, signed in", seeded["thread_path"][1:], signed_in, "html"
        ),
        Target("API comment list, anonymous", comments, {}, "api"),
        Target("API comment list, token", comments, token, "api"),
        Target("API comment list, token, ?group=", f"{comments}&{layer[1:]}", token, "api"),
        Target("API thread of 1,000, anonymous", f"api/v1/comments/{root}/thread/", {}, "api"),
        Target("API thread of 1,000, token", f"api/v1/comments/{root}/thread/", token, "api"),
        # Last: what it writes changes no other target's figures.
        Target(POSTING, "api/v1/comments/", token, "api", posted),
    ]
