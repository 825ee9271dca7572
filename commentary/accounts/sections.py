"""Sections other wings add to a member's own profile page (the page is the accounts
wing's; what a section shows is its wing's). A wing registers a builder at start-up; the
page calls each for the signed-in member reading their own profile and hands the result
to its template under the section's name."""

from collections.abc import Callable

from django.http import HttpRequest

_own_sections: dict[str, Callable[[HttpRequest], object]] = {}


def register_own_section(name: str, build: Callable[[HttpRequest], object]) -> None:
    _own_sections[name] = build


def own_sections(request: HttpRequest) -> dict[str, object]:
    """Each registered section for the request's reader, reading their own profile."""
    return {name: build(request) for name, build in _own_sections.items()}


def section_names() -> list[str]:
    return list(_own_sections)
