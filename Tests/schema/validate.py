#!/usr/bin/env python3
"""Validates JSON, or each line of a JSON Lines file, against a schema in schemas/.

    python3 Tests/schema/validate.py [--lines] SCHEMA_NAME FILE_OR_-
    python3 Tests/schema/validate.py --check

SCHEMA_NAME is a file in schemas/, with or without ".schema.json" (e.g. entry-line, export).
Prints one line per failure, "line N: <path>: <message>" (N is 1 for a whole document), and
exits 1 on any failure, 0 otherwise; 2 for usage errors. Every run first checks that every
schema in the folder is a valid JSON Schema 2020-12 document (`--check` does only that).

Validation is JSON Schema 2020-12 (jsonschema's Draft202012Validator, format checking off,
$refs resolved through a referencing.Registry of every schema in the folder), with two
refinements so that the schemas mean what docs/FORMAT.md says:
  - `pattern` follows ECMA-262, where `$` matches only at the end of the string (Python's `re`
    also lets it match before a final newline);
  - `x-maxUtf8Bytes`, an extension keyword, limits a string's UTF-8 length in bytes (the
    format's limits are in bytes; `maxLength` counts characters).
For export documents, also the rules between members that JSON Schema cannot state
(docs/FORMAT.md 11.1 and 14.2): every verifierKeys item is a key of the export's origin, and the
checkpoint's origin and tree size lines are origin and proofTreeSize.
The input is read strictly: duplicate member names, NaN/Infinity and lone surrogates are
failures, as they are for claimledger. In --lines mode an empty line, or a last line without
its LF (a torn line), is a failure, except with import-line: the importer skips lines of only
spaces and tabs, drops a CR before the LF and accepts a last line without LF.
"""
import json
import re
import sys
from pathlib import Path

from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def ecma_pattern(validator, pattern, instance, schema):
    if not validator.is_type(instance, "string"):
        return
    match = re.search(pattern, instance)
    if match is None or (pattern.endswith("$") and not pattern.endswith("\\$") and match.end() != len(instance)):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def max_utf8_bytes(validator, limit, instance, schema):
    if validator.is_type(instance, "string"):
        size = len(instance.encode("utf-8", "surrogatepass"))
        if size > limit:
            yield ValidationError(f"is {size} UTF-8 bytes, limit {limit}")


Validator = validators.extend(Draft202012Validator, {"pattern": ecma_pattern, "x-maxUtf8Bytes": max_utf8_bytes})
# $refs into another schema document pick their validator class by its "$schema": make that this one.
validators.validates("draft2020-12")(Validator)


def load_schemas():
    """Every schema in the folder by file name, after checking it against the 2020-12 meta-schema."""
    schemas, problems = {}, []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
        except Exception as e:  # noqa: BLE001 - report any problem with any schema
            problems.append(f"schema {path.name}: {getattr(e, 'message', e)}")
            continue
        if not schema.get("$id", "").endswith("/" + path.name):
            problems.append(f"schema {path.name}: $id {schema.get('$id')!r} does not end with /{path.name}")
        schemas[path.name] = schema
    return schemas, problems


def strict_loads(text):
    def pairs(items):
        obj = {}
        for key, value in items:
            if key in obj:
                raise ValueError(f"duplicate member name {key!r}")
            obj[key] = value
        return obj

    def constant(name):
        raise ValueError(f"{name} is not JSON")

    value = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    check_surrogates(value)
    return value


def check_surrogates(value):
    strings = [value] if isinstance(value, str) else []
    if isinstance(value, dict):
        strings = list(value)
        for v in value.values():
            check_surrogates(v)
    elif isinstance(value, list):
        for v in value:
            check_surrogates(v)
    for s in strings:
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"lone surrogate in string {s[:40]!r}") from None


def path_of(error):
    out = "$"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def leaf_errors(error):
    """The most specific errors under an error (oneOf/anyOf/if-then keep theirs in `context`)."""
    if not error.context:
        return [error]
    return [leaf for sub in error.context for leaf in leaf_errors(sub)]


def failures(validator, value):
    for error in sorted(validator.iter_errors(value), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        for leaf in leaf_errors(error):
            yield f"{path_of(leaf)}: {leaf.message}"


def export_failures(value):
    """Rules of the export document that tie members together (docs/FORMAT.md 11.1, 14.2)."""
    if not isinstance(value, dict) or not isinstance(value.get("origin"), str):
        return
    origin = value["origin"]
    for i, key in enumerate(value.get("verifierKeys") or []):
        if isinstance(key, str) and key.split("+", 1)[0] != origin:
            yield f"$.verifierKeys[{i}]: key name {key.split('+', 1)[0]!r} is not the origin {origin!r}"
    note = value.get("checkpoint")
    if isinstance(note, str):
        lines = note.split("\n")
        if lines[0] != origin:
            yield f"$.checkpoint: origin line {lines[0]!r} is not the origin {origin!r}"
        if len(lines) < 2 or lines[1] != str(value.get("proofTreeSize")):
            yield f"$.checkpoint: tree size line is not proofTreeSize {value.get('proofTreeSize')!r}"


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    if flags - {"--lines", "--check", "--help"} or "--help" in flags or (len(args) != 2 and "--check" not in flags):
        print(__doc__.strip(), file=sys.stderr)
        return 0 if "--help" in flags else 2

    schemas, problems = load_schemas()
    for p in problems:
        print(p)
    if "--check" in flags:
        if not problems:
            print(f"{len(schemas)} schemas are valid JSON Schema 2020-12")
        return 1 if problems else 0
    if problems:
        return 1

    name = args[0] if args[0].endswith(".schema.json") else args[0] + ".schema.json"
    if name not in schemas:
        print(f"no schema {name} in {SCHEMAS} (have: {', '.join(sorted(schemas))})", file=sys.stderr)
        return 2
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values())
    validator = Validator(schemas[name], registry=registry)

    data = sys.stdin.buffer.read() if args[1] == "-" else Path(args[1]).read_bytes()
    is_import = name == "import-line.schema.json"
    if "--lines" in flags:
        items = data.split(b"\n")
        last = items.pop()
        if last:
            items.append(last)
    else:
        items = [data]

    bad = 0
    for number, raw in enumerate(items, start=1):
        problems = []
        if "--lines" in flags and is_import:
            raw = raw[:-1] if raw.endswith(b"\r") else raw
            if raw.strip(b" \t") == b"":
                continue
        if "--lines" in flags and not is_import and number == len(items) and not data.endswith(b"\n"):
            problems.append("$: last line has no LF (a torn line)")
        if "--lines" in flags and raw == b"":
            problems.append("$: empty line")
        else:
            try:
                value = strict_loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                problems.append(f"$: not strict JSON: {e}")
            else:
                problems.extend(failures(validator, value))
                if name == "export.schema.json":
                    problems.extend(export_failures(value))
        for p in problems:
            print(f"line {number}: {p}")
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
