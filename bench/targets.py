"""What the benchmark loads: each target's name, path, headers and baseline, from what
``bench.seed`` printed, and what issue 20 asks of it (``GOALS``). ``bench`` loads them over
HTTP; ``bench.profile`` runs them in one process to count their queries and profile them."""

from typing import NamedTuple


class Target(NamedTuple):
    name: str
    path: str  # without the leading "/"
    headers: dict
    kind: str | None  # the baseline of its ratio: "html" (bare Django), "api" (bare DRF)
    body: dict | None = None  # a POST of this JSON ("{serial}" differs at each request)


POSTING = "posting through the API, token"
BARE_HTML = "bare Django view, 50 KB HTML"
BARE_API = "bare DRF view, small JSON"
READING_ANONYMOUS = "reading page, anonymous"
READING_SIGNED_IN = "reading page, signed in"
# A browser asks for pages compressed (gzip); wrk, unless told, does not.
BROWSER_ASKS = {"Accept-Encoding": "gzip, deflate, br"}
# Measured while open discussions poll (``bench.live``), behind HAProxy as in production.
LIVE = "reading page, signed in, 200 open discussions polling"
REVIEW = "5,000-paragraph draft's review page, staff"
SEARCH = "search, one word in 200 comments, {reader}"
SEARCH_RARE = "search, a word in 1 of 5,000 comments, {reader}"
SEARCH_COMMON = "search, a word in a quarter of the comments, {reader}"


class Goal(NamedTuple):
    """What issue 20 asks of a target: ``measure`` is "ratio" (to its baseline, at least
    ``limit``), "p50_ms" (at most ``limit`` ms) or "slowdown" (of the same page with nothing
    else running, at most ``limit``, a share)."""

    measure: str
    limit: float

    def __str__(self) -> str:
        if self.measure == "ratio":
            return f"ratio >= {self.limit:g}"
        if self.measure == "p50_ms":
            return f"p50 <= {self.limit:g} ms"
        return f"slowdown <= {self.limit:.0%}"


# Issue 20's targets, at 10,000 and at 1,000,000 comments alike; issue 15's for the pollers.
GOALS = {
    READING_ANONYMOUS: Goal("ratio", 0.60),
    READING_SIGNED_IN: Goal("ratio", 0.25),
    "reading page, signed in, group layer": Goal("ratio", 0.20),
    "1,000-comment thread page, signed in": Goal("ratio", 0.045),
    "API comment list, token": Goal("ratio", 0.30),
    "API thread of 1,000, token": Goal("ratio", 0.05),
    POSTING: Goal("ratio", 0.085),
    SEARCH.format(reader="anonymous"): Goal("p50_ms", 50),
    SEARCH.format(reader="signed in"): Goal("p50_ms", 50),
    SEARCH_RARE.format(reader="anonymous"): Goal("p50_ms", 50),
    SEARCH_RARE.format(reader="signed in"): Goal("p50_ms", 50),
    LIVE: Goal("slowdown", 0.05),
}


def behind_haproxy(name: str, servers: int) -> str:
    """The name of a target measured through HAProxy in front of ``servers`` app servers."""
    return f"{name}, HAProxy, {'one app server' if servers == 1 else f'{servers} app servers'}"


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
        Target(BARE_HTML, "bench/bare/", {}, None),
        Target(BARE_API, "bench/bare-drf/", {}, None),
        Target(READING_ANONYMOUS, reading, {}, "html"),
        Target(READING_SIGNED_IN, reading, signed_in, "html"),
        Target("reading page, signed in, group layer", reading + layer, signed_in, "html"),
        Target(f"{READING_ANONYMOUS}, gzip as browsers ask", reading, BROWSER_ASKS, "html"),
        Target(
            f"{READING_SIGNED_IN}, gzip as browsers ask",
            reading,
            {**signed_in, **BROWSER_ASKS},
            "html",
        ),
        Target(
            "reading page, signed in, group layer, gzip as browsers ask",
            reading + layer,
            {**signed_in, **BROWSER_ASKS},
            "html",
        ),
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


def balanced_targets(seeded: dict) -> list[Target]:
    """What is measured through HAProxy too (with one app server, then two): the reading
    page, anonymous and signed in."""
    return [
        target
        for target in targets(seeded)
        if target.name in (READING_ANONYMOUS, READING_SIGNED_IN)
    ]


def review_target(drafted: dict) -> Target:
    """The review page of a draft of 5,000 paragraphs, as its editor (staff) opens it, from
    what ``bench.drafts --leave-draft`` printed."""
    return Target(REVIEW, drafted["review_path"][1:], {"Cookie": drafted["session_cookie"]}, "html")
