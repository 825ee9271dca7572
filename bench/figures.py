"""What the benchmark makes of its measurements, with no load of its own: each figure's ratio
to its baseline of the same run, whether it meets its goal (``bench.targets.GOALS``),
whether its p99 is at most three times its p50, whether its figure with many comments is
within 10% of its figure with few, the table printed at the end and the JSON written by
``--json``."""

from bench.targets import BARE_API, BARE_HTML, GOALS

BASELINES = {"html": BARE_HTML, "api": BARE_API}
P99_OVER_P50 = 3.0  # issue 20: p99 <= 3 x p50
LARGE_WITHIN = 0.10  # issue 20: every figure at 1M within 10% of 10k


def figure(
    name: str,
    comments: int,
    result: dict,
    *,
    kind: str | None = None,
    path: str | None = None,
    **extra,
) -> dict:
    """One measurement as the JSON holds it: ``result`` is a ``bench.load.Result``'s fields
    (requests_per_second, p50_ms, p99_ms, errors, tool) or, measured in-process, p50_ms and
    p99_ms alone; ``kind`` names its baseline ("html", "api"), None for a baseline or a
    figure with none."""
    return {
        "target": name,
        "comments": comments,
        "path": path,
        "baseline": BASELINES.get(kind),
        **result,
        **extra,
    }


def median_round(results: list[dict]) -> dict:
    """The round of middle rate among ``results`` (``bench.load.Result`` fields)."""
    ordered = sorted(results, key=lambda result: result["requests_per_second"])
    return ordered[len(ordered) // 2]


def paired(rounds: list[tuple[dict, dict]]) -> dict:
    """A target loaded right after its baseline in each round, as
    [(the target's result, the baseline's result)]: the round of middle ratio, its fields
    and ``ratio`` (the target's rate over the baseline's of the same round), every round's
    ratio in ``rounds_ratio`` and rate in ``rounds_requests_per_second``. A slow moment of
    the machine then falls on both halves of a ratio alike, rather than on one figure."""
    ratios = [
        result["requests_per_second"] / bare["requests_per_second"]
        if bare["requests_per_second"]
        else 0.0
        for result, bare in rounds
    ]
    middle = sorted(range(len(rounds)), key=lambda index: ratios[index])[len(rounds) // 2]
    result, bare = rounds[middle]
    return {
        **result,
        "ratio": ratios[middle],
        "baseline_requests_per_second": bare["requests_per_second"],
        "rounds_ratio": [round(ratio, 4) for ratio in ratios],
        "rounds_requests_per_second": [result["requests_per_second"] for result, _ in rounds],
    }


def with_ratios(figures: list[dict]) -> list[dict]:
    """Each figure with its rate over its baseline's, among the figures of the same number
    of comments (1.0 for a baseline itself; None without a baseline or a rate); a figure
    that has its ratio already (``paired``: to its baseline's rate of the same round) keeps
    it."""
    rates = {
        (item["target"], item["comments"]): item.get("requests_per_second")
        for item in figures
        if item["target"] in BASELINES.values()
    }
    out = []
    for item in figures:
        ratio = item.get("ratio")
        if ratio is None and item["target"] in BASELINES.values():
            ratio = 1.0
        elif ratio is None and item.get("baseline") and item.get("requests_per_second") is not None:
            bare = rates.get((item["baseline"], item["comments"]))
            ratio = item["requests_per_second"] / bare if bare else None
        out.append({**item, "ratio": ratio})
    return out


def meets(goal, item: dict) -> bool | None:
    """Whether ``item`` meets ``goal`` (None: no goal, or nothing to judge it by)."""
    if goal is None:
        return None
    value = item.get(goal.measure)
    if value is None:
        return None
    if goal.measure == "ratio":
        return value >= goal.limit
    return value <= goal.limit


def p99_steady(item: dict) -> bool | None:
    """Whether p99 <= 3 x p50 (None when either is missing)."""
    p50, p99 = item.get("p50_ms"), item.get("p99_ms")
    if not p50 or p99 is None:
        return None
    return p99 <= P99_OVER_P50 * p50


def compared(item: dict) -> tuple[str, float | None]:
    """What is compared between two numbers of comments: the ratio to the baseline when
    there is one, else the rate (a baseline's own), else the p50 (measured in-process)."""
    for key in ("ratio", "requests_per_second", "p50_ms"):
        if key == "ratio" and not item.get("baseline"):
            continue
        if item.get(key) is not None:
            return key, item[key]
    return "", None


def flagged(figures: list[dict]) -> list[dict]:
    """The figures with their ratios and flags: the goal, ``meets_goal``,
    ``p99_within_3x_p50`` and, for each figure with more comments than the fewest measured,
    ``change`` and ``within_10_percent`` of the same target's figure at the fewest."""
    figures = with_ratios(figures)
    fewest = min((item["comments"] for item in figures), default=0)
    small = {item["target"]: item for item in figures if item["comments"] == fewest}
    out = []
    for item in figures:
        goal = GOALS.get(item["target"])
        flags = {
            "goal": str(goal) if goal else None,
            "meets_goal": meets(goal, item),
            "p99_within_3x_p50": p99_steady(item),
        }
        first = small.get(item["target"])
        if item["comments"] != fewest and first is not None:
            key, value = compared(item)
            _key, before = compared(first)
            change = value / before - 1 if value is not None and before else None
            flags.update(
                compared=key,
                change=change,
                within_10_percent=None if change is None else abs(change) <= LARGE_WITHIN,
            )
        out.append({**item, **flags})
    return out


def summary(figures: list[dict]) -> list[dict]:
    """One row per target, in the order first measured: its figures at each number of
    comments and whether it meets every flag it has (``met``: goal at each size, p99, 1M
    within 10% of 10k)."""
    rows: dict[str, dict] = {}
    for item in figures:
        row = rows.setdefault(
            item["target"], {"target": item["target"], "goal": item.get("goal"), "at": {}}
        )
        row["at"][str(item["comments"])] = {
            key: item.get(key)
            for key in (
                "requests_per_second",
                "p50_ms",
                "p99_ms",
                "ratio",
                "errors",
                "requests",
                "queries",
                "slowdown",
                "meets_goal",
                "p99_within_3x_p50",
                "change",
                "within_10_percent",
            )
            if key in item
        }
    for row in rows.values():
        flags = [
            value
            for at in row["at"].values()
            for key in ("meets_goal", "p99_within_3x_p50", "within_10_percent")
            if (value := at.get(key)) is not None
        ]
        row["met"] = all(flags) if flags else None
    return list(rows.values())


def report(measured: list[dict], sizes: list[int], **about) -> dict:
    """What ``--json`` writes: ``about`` the run (command, time, machine, load settings…),
    the numbers of comments measured, a row per target (``summary``) and every figure with
    its ratio and flags (``flagged``)."""
    figures = flagged(measured)
    return {**about, "comments": sizes, "targets": summary(figures), "figures": figures}


def _mark(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "NO")


def _cell(at: dict | None) -> str:
    if not at:
        return f"{'':>8} {'':>6} {'':>7} {'':>7}"
    rate, ratio = at.get("requests_per_second"), at.get("ratio")
    return (
        (f"{rate:8.{1 if rate < 10 else 0}f} " if rate is not None else f"{'':>8} ")
        + (f"{ratio:6.3f} " if ratio is not None else f"{'':>6} ")
        + (f"{at.get('p50_ms') or 0:7.1f} {at.get('p99_ms') or 0:7.1f}")
    )


def table(rows: list[dict], sizes: list[int]) -> list[str]:
    """The lines of the final table: each target at each number of comments (req/s, ratio,
    p50 ms, p99 ms), its goal and its flags (goal met at every size, p99 <= 3 x p50 at every
    size, the largest within 10% of the smallest)."""
    head = "".join(f" {f'{size:,} comments':>31}" for size in sizes)
    sub = "".join(f" {'req/s':>8} {'ratio':>6} {'p50':>7} {'p99':>7}" for _ in sizes)
    lines = [
        f"{'target':58}{head} {'goal':>16} {'goal?':>5} {'p99?':>5} {'10%?':>5}",
        f"{'':58}{sub}",
    ]
    for row in rows:
        ats = [row["at"].get(str(size)) for size in sizes]
        present = [at for at in ats if at]

        def every(key: str, present=present) -> bool | None:
            values = [at.get(key) for at in present if at.get(key) is not None]
            return all(values) if values else None

        lines.append(
            f"{row['target'][:58]:58}"
            + "".join(f" {_cell(at)}" for at in ats)
            + f" {row.get('goal') or '':>16} {_mark(every('meets_goal')):>5}"
            f" {_mark(every('p99_within_3x_p50')):>5} {_mark(every('within_10_percent')):>5}"
        )
    return lines
