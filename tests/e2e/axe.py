"""axe-core in the browser tests: the WCAG 2.2 A and AA rules, target size among them.

The axe-core script ships inside the axe-playwright-python package and is evaluated in the
page by Playwright (past the page's CSP, as any test script is): nothing is fetched at run
time.
"""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    # On whatever the tags say: 24 px targets are what phone readers need.
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}

_axe = Axe()


def axe_violations(page) -> list[dict]:
    """The violations axe finds on ``page`` as it is now."""
    results = _axe.run(page, options=OPTIONS).response
    checked = {
        rule["id"]
        for kind in ("passes", "violations", "incomplete", "inapplicable")
        for rule in results[kind]
    }
    assert "target-size" in checked and "color-contrast" in checked, "axe did not run its rules"
    return results["violations"]


def describe(violations: list[dict], limit: int = 5) -> str:
    """One line per rule (rule, impact, summary), then the first few targets it failed."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"{violation['id']} ({violation['impact']}) on {len(nodes)}: {violation['help']}"
        )
        for node in nodes[:limit]:
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"  {', '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """No WCAG 2.2 AA violation on ``page``, as axe-core sees it."""
    violations = axe_violations(page)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"
