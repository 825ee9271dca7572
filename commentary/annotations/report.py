"""An import's report in words: what was imported, found again only fuzzily (with its
score), orphaned (with its quote), and skipped (with why)."""


def report_counts(report: dict) -> dict[str, int]:
    return {
        part: len(report.get(part, [])) for part in ("imported", "fuzzy", "orphaned", "skipped")
    }


def report_lines(report: dict) -> list[str]:
    counts = report_counts(report)
    lines = [
        f"Imported {counts['imported']} ({counts['fuzzy']} found again fuzzily), "
        f"orphaned {counts['orphaned']}, skipped {counts['skipped']}."
    ]
    lines += [f"fuzzy {f['source']}: {f['quote']!r} score {f['score']}" for f in report["fuzzy"]]
    lines += [f"orphaned {o['source']}: {o['quote']!r}" for o in report["orphaned"]]
    lines += [f"skipped {s['source']}: {s['reason']}" for s in report["skipped"]]
    return lines
