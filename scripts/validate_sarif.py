#!/usr/bin/env python3
"""Validate a SARIF log the way GitHub code scanning will take it.

    scripts/validate_sarif.py FILE [--root DIR] [--schema SCHEMA]

Two passes:

1. the OASIS SARIF 2.1.0 JSON schema (tests/schemas/sarif-schema-2.1.0.json), with
   the `jsonschema` package;
2. what code scanning requires on top of the schema, or rejects at upload
   ("SARIF support for code scanning" and "SARIF results exceed limits" in GitHub's
   docs): `$schema` and `version` 2.1.0, a named `tool.driver` per run, rules with an
   `id` and the texts an alert shows, results with a `ruleId` that a rule defines,
   a `message.text`, a level in error|warning|note|none, at least one location whose
   `physicalLocation.artifactLocation.uri` is a repository-relative path (or a
   `file:` URI) and whose region, if any, has a `startLine`; and the hard limits
   (20 runs per file, 25,000 results and 25,000 rules per run, 1,000 locations per
   result, 20 tags per rule, 100 extensions per run, 10,000 thread-flow locations per
   result, 10 MB gzip-compressed).

With `--root DIR`, each relative artifact URI must also name a file under DIR, as
upload-sarif's fingerprinting expects when it reads the source.

Exit status: 0 valid, 1 invalid (every problem is printed), 2 usage error.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = REPO_ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"

LEVELS = {"error", "warning", "note", "none"}
MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_EXTENSIONS = 100
MAX_LOCATIONS = 1_000
MAX_TAGS = 20
MAX_THREAD_FLOW_LOCATIONS = 10_000
MAX_GZIP_BYTES = 10 * 1024 * 1024


def schema_errors(log: object, schema_path: Path) -> list[str]:
    try:
        import jsonschema
    except ImportError:
        return ["the `jsonschema` package is not installed (pip install jsonschema)"]
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    out = []
    for err in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path)):
        where = "/" + "/".join(str(p) for p in err.absolute_path)
        out.append(f"schema: {where}: {err.message}")
    return out


def text_of(obj: object) -> str | None:
    """The `text` of a message or multiformatMessageString, if it is a non-empty string."""
    if isinstance(obj, dict):
        text = obj.get("text")
        if isinstance(text, str) and text.strip():
            return text
    return None


class Checker:
    def __init__(self, root: Path | None):
        self.root = root
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def check_log(self, log: object) -> None:
        if not isinstance(log, dict):
            self.fail("/", "a SARIF log is a JSON object")
            return
        if log.get("version") != "2.1.0":
            self.fail("/version", f"code scanning takes SARIF 2.1.0 only, not {log.get('version')!r}")
        if not isinstance(log.get("$schema"), str) or not log["$schema"]:
            self.fail("/$schema", "missing: code scanning requires the URI of the SARIF 2.1.0 schema")
        runs = log.get("runs")
        if not isinstance(runs, list):
            self.fail("/runs", "missing: code scanning requires a runs array")
            return
        if len(runs) > MAX_RUNS:
            self.fail("/runs", f"{len(runs)} runs; code scanning rejects more than {MAX_RUNS} per file")
        for i, run in enumerate(runs):
            self.check_run(run, f"/runs/{i}")

    def check_run(self, run: object, where: str) -> None:
        if not isinstance(run, dict):
            self.fail(where, "a run is an object")
            return
        driver = (run.get("tool") or {}).get("driver")
        if not isinstance(driver, dict):
            self.fail(f"{where}/tool/driver", "missing: code scanning requires tool.driver")
            driver = {}
        name = driver.get("name")
        if not isinstance(name, str) or not name.strip():
            self.fail(f"{where}/tool/driver/name", "missing: code scanning requires the tool's name")
        rules = driver.get("rules") or []
        if len(rules) > MAX_RULES:
            self.fail(f"{where}/tool/driver/rules", f"{len(rules)} rules; the limit is {MAX_RULES} per run")
        extensions = (run.get("tool") or {}).get("extensions") or []
        if len(extensions) > MAX_EXTENSIONS:
            self.fail(f"{where}/tool/extensions", f"{len(extensions)} extensions; the limit is {MAX_EXTENSIONS}")

        rule_ids: list[str | None] = []
        seen: set[str] = set()
        for j, rule in enumerate(rules):
            rule_ids.append(self.check_rule(rule, f"{where}/tool/driver/rules/{j}", seen))

        results = run.get("results")
        if not isinstance(results, list):
            self.fail(f"{where}/results", "missing: code scanning requires a results array (empty is fine)")
            return
        if len(results) > MAX_RESULTS:
            self.fail(f"{where}/results", f"{len(results)} results; code scanning rejects more than {MAX_RESULTS} per run")
        base_ids = run.get("originalUriBaseIds") or {}
        for k, result in enumerate(results):
            self.check_result(result, f"{where}/results/{k}", rule_ids, seen, base_ids)

    def check_rule(self, rule: object, where: str, seen: set[str]) -> str | None:
        if not isinstance(rule, dict):
            self.fail(where, "a rule (reportingDescriptor) is an object")
            return None
        rid = rule.get("id")
        if not isinstance(rid, str) or not rid.strip():
            self.fail(f"{where}/id", "missing: every rule needs an id")
            rid = None
        elif rid in seen:
            self.fail(f"{where}/id", f"duplicate rule id {rid!r}")
        else:
            seen.add(rid)
        # The alert page shows these; GitHub's docs list them as required.
        for key in ("shortDescription", "fullDescription", "help"):
            if text_of(rule.get(key)) is None:
                self.fail(f"{where}/{key}/text", "missing: code scanning shows it on the alert")
        level = (rule.get("defaultConfiguration") or {}).get("level")
        if level is not None and level not in LEVELS:
            self.fail(f"{where}/defaultConfiguration/level", f"{level!r} is not one of {sorted(LEVELS)}")
        props = rule.get("properties") or {}
        tags = props.get("tags") or []
        if len(tags) > MAX_TAGS:
            self.fail(f"{where}/properties/tags", f"{len(tags)} tags; the limit is {MAX_TAGS} per rule")
        sev = props.get("security-severity")
        if sev is not None:
            try:
                ok = isinstance(sev, str) and 0.0 <= float(sev) <= 10.0 and math.isfinite(float(sev))
            except ValueError:
                ok = False
            if not ok:
                self.fail(f"{where}/properties/security-severity", f"{sev!r}: a number from 0.0 to 10.0, as a string")
        return rid

    def check_result(self, result, where, rule_ids, known, base_ids) -> None:
        if not isinstance(result, dict):
            self.fail(where, "a result is an object")
            return
        rid = result.get("ruleId")
        index = result.get("ruleIndex")
        if not isinstance(rid, str) or not rid:
            self.fail(f"{where}/ruleId", "missing: code scanning groups alerts by ruleId")
        elif known and rid not in known:
            self.fail(f"{where}/ruleId", f"{rid!r} is not a rule in tool.driver.rules")
        if index is not None:
            if not isinstance(index, int) or not 0 <= index < len(rule_ids):
                self.fail(f"{where}/ruleIndex", f"{index!r} is not an index into tool.driver.rules")
            elif rid is not None and rule_ids[index] != rid:
                self.fail(f"{where}/ruleIndex", f"rules[{index}] is {rule_ids[index]!r}, not {rid!r}")
        if text_of(result.get("message")) is None:
            self.fail(f"{where}/message/text", "missing: code scanning needs the fully formatted message text")
        level = result.get("level")
        if level is not None and level not in LEVELS:
            self.fail(f"{where}/level", f"{level!r} is not one of {sorted(LEVELS)}")
        locations = result.get("locations")
        if not isinstance(locations, list) or not locations:
            self.fail(f"{where}/locations", "missing: code scanning needs at least one location")
            locations = []
        if len(locations) > MAX_LOCATIONS:
            self.fail(f"{where}/locations", f"{len(locations)} locations; the limit is {MAX_LOCATIONS}")
        for n, loc in enumerate(locations):
            self.check_location(loc, f"{where}/locations/{n}", base_ids)
        for n, loc in enumerate(result.get("relatedLocations") or []):
            if isinstance(loc, dict) and "physicalLocation" in loc:
                self.check_location(loc, f"{where}/relatedLocations/{n}", base_ids)
        flows = 0
        for flow in result.get("codeFlows") or []:
            for thread in (flow or {}).get("threadFlows") or []:
                flows += len((thread or {}).get("locations") or [])
        if flows > MAX_THREAD_FLOW_LOCATIONS:
            self.fail(f"{where}/codeFlows", f"{flows} thread-flow locations; the limit is {MAX_THREAD_FLOW_LOCATIONS}")

    def check_location(self, loc, where, base_ids) -> None:
        phys = loc.get("physicalLocation") if isinstance(loc, dict) else None
        if not isinstance(phys, dict):
            self.fail(f"{where}/physicalLocation", "missing: code scanning places alerts by physical location")
            return
        art = phys.get("artifactLocation")
        uri = art.get("uri") if isinstance(art, dict) else None
        if not isinstance(uri, str) or not uri:
            self.fail(f"{where}/physicalLocation/artifactLocation/uri", "missing")
        else:
            self.check_uri(uri, art.get("uriBaseId"), base_ids, f"{where}/physicalLocation/artifactLocation/uri")
        region = phys.get("region")
        if region is not None:
            start = region.get("startLine") if isinstance(region, dict) else None
            if not isinstance(start, int) or start < 1:
                self.fail(f"{where}/physicalLocation/region/startLine",
                          "missing: code scanning reads line/column regions, not offsets")
            else:
                end = region.get("endLine", start)
                if isinstance(end, int) and end < start:
                    self.fail(f"{where}/physicalLocation/region/endLine", f"{end} is before startLine {start}")

    def check_uri(self, uri: str, base_id, base_ids, where: str) -> None:
        parts = urlsplit(uri)
        if "\\" in uri:
            self.fail(where, f"{uri!r}: use forward slashes in URIs")
        if parts.scheme and parts.scheme != "file":
            self.fail(where, f"{uri!r}: code scanning shows only repository paths (relative, or file: URIs)")
            return
        if parts.scheme == "file" or uri.startswith("/"):
            return  # absolute: upload-sarif makes it relative to the checkout
        if self.root is None:
            return
        base = self.root
        if base_id is not None:
            entry = base_ids.get(base_id) if isinstance(base_ids, dict) else None
            base_uri = (entry or {}).get("uri")
            if not isinstance(base_uri, str):
                return  # resolved by the consumer (e.g. %SRCROOT%): nothing to check here
            base_parts = urlsplit(base_uri)
            if base_parts.scheme not in ("", "file"):
                return
            base = Path(unquote(base_parts.path)) if base_parts.path.startswith("/") else self.root / unquote(base_parts.path)
        path = base / unquote(parts.path)
        if not path.is_file():
            self.fail(where, f"{uri!r}: no such file under {base}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA)
    parser.add_argument("--root", type=Path, help="check that relative artifact URIs name files under DIR")
    args = parser.parse_args(argv)

    try:
        raw = args.file.read_bytes()
    except OSError as e:
        print(f"validate_sarif: {args.file}: {e.strerror}", file=sys.stderr)
        return 2
    if not args.schema.is_file():
        print(f"validate_sarif: schema not found: {args.schema}", file=sys.stderr)
        return 2
    problems: list[str] = []
    if not raw.strip():
        print(f"{args.file}: empty: weightlint printed no SARIF", file=sys.stderr)
        return 1
    try:
        log = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        print(f"{args.file}: not UTF-8 JSON: {e}", file=sys.stderr)
        return 1
    compressed = len(gzip.compress(raw))
    if compressed > MAX_GZIP_BYTES:
        problems.append(f"/: {compressed} bytes gzip-compressed; code scanning rejects more than {MAX_GZIP_BYTES}")
    problems += schema_errors(log, args.schema)
    checker = Checker(args.root.resolve() if args.root else None)
    checker.check_log(log)
    problems += checker.problems

    if problems:
        for p in problems:
            print(f"{args.file}: {p}", file=sys.stderr)
        print(f"{args.file}: {len(problems)} problem(s): not accepted by code scanning", file=sys.stderr)
        return 1
    runs = log.get("runs") or []
    results = sum(len(r.get("results") or []) for r in runs)
    print(f"{args.file}: valid SARIF 2.1.0 for code scanning ({len(runs)} run(s), {results} result(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
