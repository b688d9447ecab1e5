"""One checked, cached JSON Schema validator per schema file.

Packs, session files and learners' reports are each checked against a JSON Schema that ships
with onboard. Building a validator means importing jsonschema (about 0.1 s) and checking the
schema itself, so it is done once per schema, on first use, never at import time: the app's
first frame must not wait for it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any


@cache
def schema_validator(schema_path: Path) -> Any:
    """A Draft 2020-12 validator for the schema in ``schema_path`` (which must itself be valid)."""
    from jsonschema import Draft202012Validator  # costs ~0.1 s: imported on first validation

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
