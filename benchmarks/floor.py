"""The floor for `svqm validate`: what reading and schema-checking a pack costs with nothing
else. ruamel's C loader, then one compiled validator (fastjsonschema) per kind built from
svqm's exported schemas; no rules, no line numbers, no cache, one process. (ruamel is
told the YAML version once instead of on every scalar, the one change svqm also makes.)

    python benchmarks/floor.py PACK [--level 3]

Prints the number of documents and how many the schemas refused. benchmarks/run.py --curve
times it beside `svqm validate` (target: validate <= 1.3x the floor at 50,000 outcomes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

DRAFT_7 = "http://json-schema.org/draft-07/schema#"


def schemas(level: int) -> dict[str, Any]:
    """One compiled validator per kind, from `svqm schema --write` (as editors get them)."""
    import tempfile

    import fastjsonschema

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "svqm_cli", "schema", "--write", folder, "--level", str(level)],
            check=True,
            capture_output=True,
        )
        for path in sorted(Path(folder).glob("*.json")):
            if path.stem == "document":
                continue
            schema = json.loads(path.read_text(encoding="utf-8"))
            # The bundle embeds each schema it refers to under $defs with its own $id:
            # references are answered from there, never fetched.
            embedded = {
                d["$id"]: {**d, "$schema": DRAFT_7}
                for d in schema.get("$defs", {}).values()
                if isinstance(d, dict) and "$id" in d
            }
            schema["$schema"] = DRAFT_7
            out[path.stem] = fastjsonschema.compile(
                schema, handlers={"https": embedded.__getitem__}, use_default=False
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("--level", type=int, default=3)
    args = parser.parse_args()
    from fastjsonschema import JsonSchemaValueException
    from ruamel.yaml import YAML
    from ruamel.yaml.resolver import VersionedResolver

    class Yaml12(VersionedResolver):  # type: ignore[misc]
        """ruamel asks the C parser for the YAML version on every scalar and catches an
        AttributeError each time (a third of its load time): say 1.2 once, as svqm does."""

        @property
        def processing_version(self) -> Any:
            return (1, 2)

    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = Yaml12
    # Dates stay text, as svqm keeps them (JSON Schema's `format: date` wants a string).
    yaml.constructor.add_constructor("tag:yaml.org,2002:timestamp", lambda _c, node: node.value)
    validators = schemas(args.level)
    documents = refused = 0
    for path in sorted(args.pack.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        documents += 1
        validate = validators.get(data.get("kind")) if isinstance(data, dict) else None
        if validate is None:
            refused += 1
            continue
        try:
            validate(data)
        except JsonSchemaValueException:
            refused += 1
    print(f"{documents} documents, {refused} refused by the schemas")


if __name__ == "__main__":
    main()
