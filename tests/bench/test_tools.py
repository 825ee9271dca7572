"""The benchmark's tools, with no load: refusing the Python client, reading wrk's output,
HAProxy's configuration, and goals that name the targets the benchmark measures."""

import pytest

from bench.__main__ import refuse_python_client, review_seconds
from bench.load import WHY_NOT_PYTHON, parse_wrk
from bench.serve import haproxy_config
from bench.targets import (
    GOALS,
    LIVE,
    REVIEW,
    SEARCH,
    SEARCH_COMMON,
    SEARCH_RARE,
    balanced_targets,
    behind_haproxy,
    review_target,
    targets,
)

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8000/works/october-1917/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    77.61ms   20.12ms 137.70ms   70.00%
  Latency Distribution
     50%   77.60ms
     75%   88.01ms
     90%  101.31ms
     99%    1.38s
  399 requests in 2.00s, 59.42MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    199.12
Transfer/sec:     29.66MB
"""

SEEDED = {
    "session_cookie": "sessionid=abc",
    "token": "t0ken",
    "thread_root": 312,
    "thread_path": "/comments/312/",
    "reading_path": "/works/october-1917/",
    "book_chapter_path": "/works/october-1917-book/chapter-seven/",
    "group": "bench-seminar",
}


def test_without_wrk_the_benchmark_refuses_and_says_why():
    with pytest.raises(SystemExit) as refused:
        refuse_python_client(python_client=False, wrk=False)
    message = str(refused.value)
    assert "apt-get install wrk" in message
    assert "--python-client" in message
    assert WHY_NOT_PYTHON in message


def test_the_python_client_only_when_asked_and_then_it_says_why_its_figures_are_off():
    assert WHY_NOT_PYTHON in refuse_python_client(python_client=True, wrk=False)
    assert WHY_NOT_PYTHON in refuse_python_client(python_client=True, wrk=True)
    assert refuse_python_client(python_client=False, wrk=True) == ""
    assert "halves the bare view's rate" in WHY_NOT_PYTHON


def test_wrk_output_gives_the_rate_percentiles_in_ms_and_the_errors():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == 199.12
    assert result.p50_ms == pytest.approx(77.6)
    assert result.p99_ms == pytest.approx(1380.0)
    assert result.errors == 3 + 4
    assert result.requests == 399
    assert result.tool == "wrk"
    clean = WRK_OUTPUT.replace("     50%   77.60ms", "     50%  950.00us")
    clean = "\n".join(line for line in clean.splitlines() if "errors" not in line.lower())
    clean = clean.replace("  Non-2xx or 3xx responses: 4\n", "")
    result = parse_wrk(clean)
    assert result.p50_ms == pytest.approx(0.95)
    assert result.errors == 0


def test_haproxy_spreads_over_each_app_server_as_many_requests_as_it_has_workers():
    one = haproxy_config(18000, [18001], workers=2)
    assert "bind 127.0.0.1:18000" in one
    assert one.count("    server app") == 1
    assert "server app1 127.0.0.1:18001 maxconn 2" in one
    two = haproxy_config(18000, [18001, 18002], workers=3)
    assert two.count("    server app") == 2
    assert "server app1 127.0.0.1:18001 maxconn 3" in two
    assert "server app2 127.0.0.1:18002 maxconn 3" in two
    assert "balance roundrobin" in two


def test_every_goal_names_a_target_the_benchmark_measures():
    measured = {target.name for target in targets(SEEDED)}
    review = review_target({"review_path": "/works/x/v/2/review/", "session_cookie": "s=1"})
    searches = (SEARCH, SEARCH_RARE, SEARCH_COMMON)
    measured |= {LIVE, review.name}
    measured |= {name.format(reader=r) for name in searches for r in ("anonymous", "signed in")}
    assert set(GOALS) <= measured
    assert review.name == REVIEW
    assert review.path == "works/x/v/2/review/"
    assert review.headers == {"Cookie": "s=1"}


def test_through_haproxy_the_reading_page_anonymous_and_signed_in():
    balanced = balanced_targets(SEEDED)
    assert [target.name for target in balanced] == [
        "reading page, anonymous",
        "reading page, signed in",
    ]
    assert balanced[1].headers == {"Cookie": "sessionid=abc"}
    assert behind_haproxy("reading page, anonymous", 1) == (
        "reading page, anonymous, HAProxy, one app server"
    )
    assert behind_haproxy("reading page, anonymous", 2).endswith("HAProxy, 2 app servers")


def test_the_review_page_is_loaded_long_enough_for_about_ten_answers_at_most_two_minutes():
    assert review_seconds(2, one_answer=1.0, workers=2) == 5.0
    assert review_seconds(10, one_answer=1.0, workers=2) == 10
    assert review_seconds(2, one_answer=8.0, workers=2) == 40.0
    assert review_seconds(2, one_answer=60.0, workers=2) == 120.0
