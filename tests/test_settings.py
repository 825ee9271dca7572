"""The settings module as an operator meets it: environment in, a safe configuration out."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "scholia.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "SCHOLIA_SITE_URL": "https://scholia.example.org",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest; check --deploy
    # rightly refuses it, and no deployment sets it.
    # REDIS_URL is the suite's own when it runs on Redis; a test that wants one says so.
    unset = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "REDIS_URL",
        "REDIS_COUNTERS_URL",
    }
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_in_production_without_allowed_hosts():
    env = {**PRODUCTION, "ALLOWED_HOSTS": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_it_passes_the_deployment_checklist_without_a_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "no issues" in result.stdout


def test_it_runs_on_sqlite_in_development_with_no_environment():
    result = run_manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, "
        "settings.DATABASES['default']['ENGINE'])",
        env={"DATABASE_URL": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_it_sends_mail_through_the_smtp_server_the_environment_names():
    env = {**PRODUCTION, "EMAIL_PORT": "2525", "EMAIL_HOST_USER": "scholia"}
    result = run_manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.core.mail import get_connection; c = get_connection(); "
        "print(type(c).__module__, c.host, c.port, c.username, c.use_tls)",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp",
        "smtp.example.org",
        "2525",
        "scholia",
        "True",
    ]


def test_it_shares_the_cache_generations_between_processes_with_no_environment():
    """A version published from the command line reaches a server already running."""
    development = {"DATABASE_URL": "", "REDIS_URL": ""}
    read = "from config.site import caching; print(caching.generation(caching.TEXT))"
    bump = "from config.site import caching; caching.bump(caching.TEXT); " + read.split("; ")[1]
    before = run_manage("shell", "--verbosity", "0", "-c", read, env=development)
    assert before.returncode == 0, before.stderr
    after = run_manage("shell", "--verbosity", "0", "-c", bump, env=development)
    assert after.returncode == 0, after.stderr
    assert int(after.stdout) == int(before.stdout) + 1


def test_it_warns_when_counters_share_a_redis_server_with_pages():
    env = {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/1"}
    shared = run_manage("check", "--deploy", env=env)
    assert "scholia.W001" in shared.stderr
    logical = run_manage(
        "check", "--deploy", env={**env, "REDIS_COUNTERS_URL": "redis://127.0.0.1:6379/2"}
    )
    assert "scholia.W001" in logical.stderr
    apart = run_manage(
        "check", "--deploy", env={**env, "REDIS_COUNTERS_URL": "redis://counters.internal:6379"}
    )
    assert "scholia.W001" not in apart.stderr, apart.stderr


def test_it_warns_when_mail_would_link_to_whatever_host_a_request_names():
    result = run_manage("check", "--deploy", env={**PRODUCTION, "SCHOLIA_SITE_URL": ""})
    assert "scholia.W002" in result.stderr
