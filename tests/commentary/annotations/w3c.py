"""The W3C Web Annotation model's MUSTs, as the Working Group's test suite states them
(JSON-schema assertions in ``../shared/conformance/web-annotation-tests/``), plus by hand
what its schemas do not check: times in UTC written with ``Z``, a TextPositionSelector that
selects exactly its TextQuoteSelector's ``exact``, a reply whose target is its parent's IRI.

The suite is read from beside the repository (or ``SCHOLIA_CONFORMANCE_DIR``); without it
the tests that need it are skipped with a reason, unless ``SCHOLIA_REQUIRE_CONFORMANCE=1``
(CI) makes that a failure.
"""

import json
import os
import re
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

REPOSITORY = Path(__file__).resolve().parents[3]
UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def suite_folder() -> Path:
    configured = os.environ.get("SCHOLIA_CONFORMANCE_DIR")
    base = Path(configured) if configured else REPOSITORY.parent / "shared" / "conformance"
    return base / "web-annotation-tests"


def require_suite() -> Path:
    folder = suite_folder()
    if not (folder / "definitions").is_dir():
        message = (
            f"The W3C Web Annotation tests are not at {folder}: put a checkout of "
            "github.com/w3c/web-annotation-tests in ../shared/conformance/ beside the "
            "repository, or name its parent in SCHOLIA_CONFORMANCE_DIR."
        )
        if os.environ.get("SCHOLIA_REQUIRE_CONFORMANCE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return folder


@cache
def _assertions(test_file: str) -> tuple[tuple[str, Draft4Validator], ...]:
    folder = suite_folder()
    resources = []
    for path in sorted((folder / "definitions").glob("*.json")):
        schema = json.loads(path.read_text())
        resources.append((schema.get("id", path.name), Resource(schema, specification=DRAFT4)))
    registry = Registry().with_resources(resources)
    listed = json.loads((folder / test_file).read_text())["assertions"]
    validators = []
    for name in listed:
        schema = json.loads((folder / name).read_text())
        validators.append(
            (
                name,
                Draft4Validator(
                    schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
                ),
            )
        )
    return tuple(validators)


def _failures(document: dict, test_file: str) -> list[str]:
    require_suite()
    failed = []
    for name, validator in _assertions(test_file):
        errors = list(validator.iter_errors(document))
        if errors:
            failed.append(f"{name}: {errors[0].message[:200]}")
    return failed


def schema_failures(annotation: dict) -> list[str]:
    """The suite's annotationMusts assertions ``annotation`` fails, by name."""
    return _failures(annotation, "annotations/annotationMusts.test")


def collection_failures(collection: dict) -> list[str]:
    return _failures(collection, "collections/collectionMusts.test")


def page_failures(page: dict) -> list[str]:
    return _failures(page, "collections/pages/pageMusts.test")


def hand_failures(annotation: dict, *, text_of=None, parent_iri: str | None = None) -> list[str]:
    """What the schemas miss. ``text_of(source IRI, state)`` gives the wording a target's
    selectors count in; ``parent_iri`` the IRI a reply must target."""
    failed = []
    for key in ("created", "modified"):
        if key in annotation and not UTC_Z.match(annotation[key]):
            failed.append(f"{key} is not UTC ending in Z: {annotation[key]!r}")
    target = annotation.get("target")
    if annotation.get("motivation") == "replying" or parent_iri is not None:
        if target != parent_iri:
            failed.append(f"a reply targets {target!r}, not its parent {parent_iri!r}")
        return failed
    if isinstance(target, dict) and target.get("selector"):
        selectors = {selector["type"]: selector for selector in target["selector"]}
        quote = selectors.get("TextQuoteSelector")
        position = selectors.get("TextPositionSelector")
        if quote is None or position is None:
            failed.append("a quote needs both a TextQuoteSelector and a TextPositionSelector")
        elif text_of is not None:
            text = text_of(target["source"], target.get("state"))
            selected = text[position["start"] : position["end"]]
            if selected != quote["exact"]:
                failed.append(f"positions select {selected!r}, not {quote['exact']!r}")
            if not text[: position["start"]].endswith(quote.get("prefix", "")):
                failed.append("the prefix does not stand before the quote")
            if not text[position["end"] :].startswith(quote.get("suffix", "")):
                failed.append("the suffix does not stand after the quote")
    return failed
