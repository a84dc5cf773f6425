#!/usr/bin/env python3
"""Validate a BOM that `weightlint bom` wrote.

Usage:
    validate_bom.py cyclonedx FILE
    validate_bom.py spdx FILE

CycloneDX is checked with cyclonedx-python-lib's strict JSON validator (CycloneDX 1.6).
SPDX is checked with `jsonschema` against the SPDX 3.0.1 JSON schema, found at
$WEIGHTLINT_SPDX_SCHEMA, else ../shared/schemas/spdx-3.0.1.schema.json beside the
repository, else tests/schemas/spdx-3.0.1.schema.json in it. The schema cannot see
references, so SPDX documents are also checked for unique spdxIds and for Relationship,
Annotation and collection references that point at elements of the document.

Needs: pip install cyclonedx-python-lib jsonschema
Exit status: 0 valid, 1 invalid (errors on stderr), 2 usage or setup problem.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPDX_SCHEMA_CANDIDATES = [
    REPO.parent / "shared" / "schemas" / "spdx-3.0.1.schema.json",
    REPO / "tests" / "schemas" / "spdx-3.0.1.schema.json",
]


def fail_setup(message: str) -> int:
    print(f"validate_bom: {message}", file=sys.stderr)
    return 2


def where(path) -> str:
    return "/" + "/".join(str(p) for p in path)


def validate_cyclonedx(text: str) -> list[str]:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    out = []
    for e in errors or []:
        inner = getattr(e, "data", None)
        if inner is not None and hasattr(inner, "message"):
            out.append(f"{where(inner.absolute_path)}: {inner.message}")
        else:
            out.append(str(e))
    return out


def spdx_schema_path() -> Path | None:
    env = os.environ.get("WEIGHTLINT_SPDX_SCHEMA")
    if env:
        return Path(env)
    return next((p for p in SPDX_SCHEMA_CANDIDATES if p.is_file()), None)


def spdx_references(doc: dict) -> list[str]:
    """What the schema cannot check: identifiers are unique and references resolve."""
    graph = doc.get("@graph", [])
    out = []
    ids = {}
    for i, obj in enumerate(graph):
        key = obj.get("spdxId") or obj.get("@id")
        if key is None:
            out.append(f"/@graph/{i}: no spdxId or @id")
        elif key in ids:
            out.append(f"/@graph/{i}: {key} is also /@graph/{ids[key]}")
        else:
            ids[key] = i

    def check(i: int, field: str, value) -> None:
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v not in ids:
                out.append(f"/@graph/{i}/{field}: {v} is not an element of the document")

    for i, obj in enumerate(graph):
        for field in ("from", "to", "subject", "rootElement", "element", "dataLicense",
                      "creationInfo", "createdBy", "createdUsing"):
            if field in obj:
                check(i, field, obj[field])
    return out


def short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[:limit] + " …"


def spdx_item_errors(schema: dict, cls, doc: dict) -> list[str]:
    """Each @graph object against the class its `type` names: precise messages where the
    whole-document check only says that no branch of a oneOf matched."""
    defs = schema.get("$defs", {})
    out = []
    graph = doc.get("@graph")
    if not isinstance(graph, list):
        return out
    for i, obj in enumerate(graph):
        kind = obj.get("type") if isinstance(obj, dict) else None
        if not isinstance(kind, str) or kind not in defs:
            out.append(f"/@graph/{i}: unknown or missing type {kind!r}")
            continue
        sub = {"$schema": schema.get("$schema"), "$defs": defs,
               "$ref": f"#/$defs/{kind}", "unevaluatedProperties": False}
        v = cls(sub, format_checker=cls.FORMAT_CHECKER)
        errors = sorted(v.iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))
        # A failing branch leaves its properties "unevaluated": noise beside the real cause.
        real = [e for e in errors if e.validator != "unevaluatedProperties"]
        for e in real or errors:
            path = "/".join(str(p) for p in e.absolute_path)
            out.append(f"/@graph/{i}{'/' + path if path else ''} ({kind}): {short(e.message)}")
    return out


def validate_spdx(text: str) -> list[str]:
    import jsonschema

    path = spdx_schema_path()
    if path is None or not path.is_file():
        raise FileNotFoundError(f"SPDX 3.0.1 schema not found (tried {path or SPDX_SCHEMA_CANDIDATES})")
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    doc = json.loads(text)
    out = []
    if not validator.is_valid(doc):
        out.extend(spdx_item_errors(schema, cls, doc))
        if not out:
            best = jsonschema.exceptions.best_match(validator.iter_errors(doc))
            out.append(f"{where(best.absolute_path)}: {short(best.message)}")
    out.extend(spdx_references(doc))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("cyclonedx", "spdx"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    kind, file = argv[1], Path(argv[2])
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as e:
        return fail_setup(f"cannot read {file}: {e}")
    try:
        json.loads(text)
    except json.JSONDecodeError as e:
        print(f"{file}: not JSON: {e}", file=sys.stderr)
        return 1
    try:
        errors = validate_cyclonedx(text) if kind == "cyclonedx" else validate_spdx(text)
    except ImportError as e:
        return fail_setup(f"{e}; pip install cyclonedx-python-lib jsonschema")
    except FileNotFoundError as e:
        return fail_setup(str(e))
    if errors:
        for e in errors:
            print(f"{file}: {e}", file=sys.stderr)
        print(f"{file}: INVALID {kind} ({len(errors)} error(s))", file=sys.stderr)
        return 1
    print(f"{file}: valid {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
