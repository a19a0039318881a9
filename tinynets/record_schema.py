"""The schema of ``results.json`` (``tinynets/results.schema.json``, JSON Schema 2020-12) and
the check of a record against it, on every write and every read (``tinynets.record``).

A build writes the record every time, and an author waits for that rebuild: so a write
remembers the digest of the last record it checked, and a record that differs from it only in
what every build or edit moves (the build time, the claims' line numbers) skips the full check
(and the import of jsonschema, together about 0.15 s of a one-second rebuild). Those moving
parts are checked on their own, every time.

>>> data = {"built": "2026-12-07T03:00:00Z", "posts": {"a": {"claims": [{"line": 12}]}}}
>>> moved = {"built": "2026-12-07T03:05:00Z", "posts": {"a": {"claims": [{"line": 14}]}}}
>>> digest(data) == digest(moved), moving_parts_valid(moved)
(True, True)
>>> moving_parts_valid({**moved, "posts": {"a": {"claims": [{"line": 0}]}}})
False
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


def digest(data: dict) -> str:
    """The schema's and the record's digest, without what every build or edit may move (the
    build time, the claims' line numbers: see ``json_text``)."""
    steady = {**data, "built": "", "posts": {
        slug: {**post, "claims": [{**claim, "line": 0} for claim in post.get("claims", ())]}
        for slug, post in data["posts"].items()}}
    return hashlib.sha256(schema_bytes() + json.dumps(steady).encode("utf-8")).hexdigest()


def moving_parts_valid(data: dict) -> bool:
    """What ``digest`` leaves out, checked as the schema would: the build time's pattern, and
    every claim's line a whole number from 1."""
    lines = [claim.get("line") for post in data["posts"].values()
             for claim in post.get("claims", ())]
    return (re.fullmatch(schema()["properties"]["built"]["pattern"], str(data["built"]))
            is not None
            and all(type(line) is int and line >= 1 for line in lines))


def remembered(checked: Path | None) -> str | None:
    """The digest a write kept in file ``checked`` (None when there is none, or no file)."""
    try:
        return checked.read_text("ascii") if checked is not None else None
    except (OSError, UnicodeDecodeError):
        return None


@lru_cache(maxsize=None)
def schema_bytes() -> bytes:
    """The schema file as it is (read once)."""
    return SCHEMA_PATH.read_bytes()


@lru_cache(maxsize=None)
def schema() -> dict:
    """The schema, as JSON data (read once)."""
    return json.loads(schema_bytes())


@lru_cache(maxsize=None)
def validator():
    from jsonschema import Draft202012Validator  # imported on first use: builds never need it

    return Draft202012Validator(schema())


def violation(data) -> str:
    """'' when ``data`` matches the schema, else the most relevant problem and its JSON path:
    "at $.posts['a'].nets['b']: 'fingerprint' is a required property (and 2 more problems)"."""
    from jsonschema.exceptions import best_match

    problems = list(validator().iter_errors(data))
    if not problems:
        return ""
    first = best_match(problems)
    message = first.message if len(first.message) <= 160 else first.message[:157] + "..."
    if first.validator == "oneOf" and "title" in first.schema:  # say what would have been valid
        message = f"{message}: expected {first.schema['title']}"
    more = len(problems) - 1
    return (f"at {first.json_path}: {message}"
            + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""))
