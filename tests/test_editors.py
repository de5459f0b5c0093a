"""The schemas `svqm schema --write` gives editors, in the real clients: yaml-language-server
(the engine of VS Code's YAML extension, versions 1.25 and 2.0) driven over stdio as an
editor drives it, and Ajv 2020 in strict mode. Both install from npm into a cache folder
outside the repository; without node and npm the tests are skipped with the reason."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from svqm_cli.base.vocabulary import KINDS
from svqm_cli.checking.schema_export import schema_text
from svqm_cli.checking.schemas import validator_for
from svqm_cli.reading.yaml_io import load_file
from tests.conftest import EXAMPLES, INVALID, NPM_CACHE, ROOT, Run, npm_package
from tests.lsp import LanguageServer

SERVERS = {"1.25": "yaml-language-server@1.25.0", "2.0": "yaml-language-server@2.0.0"}

BROKEN = """\
kind: pledges
pledges:
  - id: Local Jobs
    theme: economic
    titel: Local jobs
    commitment: Hire locally.
    targets:
      - measure: local hires
        quantity: ten
        unit: person
        due: 2023-06-30
    sdgs: [3, 18]
  - id: second-one
    theme: economic
    title: Second
    targets: []
"""


def _server_command(version: str) -> list[str]:
    """yaml-language-server VERSION, installed under its own alias in the npm cache."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed (Debian: apt-get install nodejs npm)")
    alias = f"yaml-language-server-{version}"
    folder = npm_package(alias, f"{alias}@npm:{SERVERS[version]}")
    return ["node", str(folder / "bin" / "yaml-language-server"), "--stdio"]


def _schemas(run: Run, folder: Path, level: int) -> Path:
    out = folder / ".svqm" / "schemas"
    assert run("schema", "--write", out, "--level", str(level)).returncode == 0
    return out


@pytest.fixture(params=sorted(SERVERS))
def server_version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _server(version: str, root: Path, schemas: dict[str, list[str]]) -> LanguageServer:
    settings = {
        "yaml": {
            "validate": True,
            "completion": True,
            "hover": True,
            "schemaStore": {"enable": False},
            "schemas": schemas,
        }
    }
    return LanguageServer(_server_command(version), root, settings)


@pytest.fixture
def level4_pack(tmp_path: Path) -> Path:
    example = next(p for p in EXAMPLES if p.name.startswith("level-4-"))
    pack = tmp_path / "pack"
    shutil.copytree(example, pack)
    return pack


def _documents(pack: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(pack.rglob("*.yaml")):
        if "drafts" in path.parts:
            continue
        data = load_file(path, path.name).data
        assert isinstance(data, dict)
        yield str(data["kind"]), path


def test_every_kind_schema_loads_and_accepts_the_examples(
    run: Run, server_version: str, level4_pack: Path
) -> None:
    """Each per-kind schema (the modeline route) resolves every $ref in the editor."""
    schemas = _schemas(run, level4_pack, 4)
    documents = list(_documents(level4_pack))
    assert len({kind for kind, _ in documents}) >= 8
    mapping = {str(schemas / f"{kind}.json"): [] for kind, _ in documents}
    for kind, path in documents:
        mapping[str(schemas / f"{kind}.json")].append(str(path.relative_to(level4_pack)))
    server = _server(server_version, level4_pack, mapping)
    try:
        for kind, path in documents:
            uri = server.open(path)
            problems = [d["message"] for d in server.wait_diagnostics(uri)]
            assert problems == [], (kind, path.name, problems)
    finally:
        server.close()


def test_document_schema_finds_what_svqm_finds_at_the_same_places(
    run: Run, server_version: str, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES[0], pack)
    (pack / "broken.yaml").write_text(BROKEN)
    schemas = _schemas(run, pack, 1)
    result = run("validate", pack, "--format", "json")
    expected = {
        (f["line"], f["column"])
        for f in json.loads(result.stdout)["findings"]
        if f["file"] == "broken.yaml" and f["code"].startswith("SV1")
    }
    assert len(expected) == 7
    server = _server(server_version, pack, {str(schemas / "document.json"): ["*.yaml"]})
    try:
        uri = server.open(pack / "broken.yaml")
        diagnostics = server.wait_diagnostics(uri)
        got = {
            (d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1)
            for d in diagnostics
        }
        assert got == expected, [d["message"] for d in diagnostics]
        assert not any("cannot be resolved" in d["message"] for d in diagnostics)
        # Completion inside a pledge offers the pledge's keys, with their titles.
        labels = server.completion(uri, 4, 4)
        assert {"title", "owner", "stakeholders", "progress"} <= set(labels), labels
    finally:
        server.close()


def test_modeline_written_by_svqm_new_works_from_a_subfolder(
    run: Run, server_version: str, tmp_path: Path
) -> None:
    """`svqm init` writes the schemas and `svqm new` a modeline whose path is relative to
    the file's own folder, as yaml-language-server reads it; completion needs no set-up."""
    pack = tmp_path / "pack"
    assert run("init", pack, "--level", "2").returncode == 0
    (pack / "maps").mkdir()
    target = pack / "maps" / "outreach.yaml"
    made = run("new", "forecast", pack, "--id", "outreach", "--file", target)
    assert made.returncode == 0, made.stderr
    first = target.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../.svqm/schemas/forecast.json"
    server = _server(server_version, pack, {})
    try:
        uri = server.open(target)
        assert server.wait_diagnostics(uri) == []
        broken = pack / "maps" / "broken.yaml"
        broken.write_text(target.read_text().replace("duration: 1", "duration: many", 1))
        uri = server.open(broken)
        messages = [d["message"] for d in server.wait_diagnostics(uri)]
        assert messages == ['Incorrect type. Expected "integer".'], messages
        # The same line written from the pack's root (./.svqm/...) loads nothing here.
        wrong = pack / "maps" / "wrong.yaml"
        wrong.write_text(broken.read_text().replace("$schema=../.svqm", "$schema=./.svqm", 1))
        uri = server.open(wrong)
        messages = [d["message"] for d in server.wait_diagnostics(uri)]
        assert messages != ['Incorrect type. Expected "integer".'], messages
    finally:
        server.close()


# ------------------------------------------------------------------------------------
# Ajv 2020, strict mode

AJV_SCRIPT = r"""
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const fs = require("fs"), path = require("path");
const dir = process.argv[1];
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const load = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
const problems = [];
for (const f of files) {
  const ajv = new Ajv2020({strict: true, allErrors: true});
  addFormats(ajv);
  try { ajv.compile(load(f)); } catch (e) { problems.push(f + ": " + e.message); }
}
const one = new Ajv2020({strict: true});
addFormats(one);
try {
  for (const f of files) one.addSchema(load(f));
  for (const f of files) one.getSchema(load(f)["$id"]);
} catch (e) { problems.push("one instance: " + e.message); }
console.log(JSON.stringify({files: files.length, problems}));
"""


def _ajv(node: str, folder: Path) -> dict[str, Any]:
    npm_package("ajv")
    npm_package("ajv-formats")
    result = subprocess.run(
        [node, "-e", AJV_SCRIPT, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"NODE_PATH": str(NPM_CACHE / "node_modules"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_ajv_strict_compiles_every_written_schema(
    run: Run, node: str, tmp_path: Path, level: int
) -> None:
    answer = _ajv(node, _schemas(run, tmp_path, level))
    assert answer == {"files": len(KINDS) + 1, "problems": []}


def test_ajv_strict_rejects_svqm_annotations(node: str, tmp_path: Path) -> None:
    """The check above can fail: a schema with an x- keyword is refused by strict Ajv."""
    (tmp_path / "x.json").write_text(
        json.dumps({"$id": "https://example.org/x.json", "type": "string", "x-hint": "h"})
    )
    problems = _ajv(node, tmp_path)["problems"]
    assert problems and all('unknown keyword: "x-hint"' in p for p in problems)


# ------------------------------------------------------------------------------------
# The written schemas mean what svqm's own do


def _all_documents() -> Iterator[tuple[str, Any, int]]:
    for pack in [*EXAMPLES, *INVALID]:
        for path in sorted(pack.rglob("*.y*ml")):
            loaded = load_file(path, path.name)
            data = loaded.data
            if isinstance(data, dict) and data.get("kind") in KINDS and not loaded.findings:
                for level in (1, 2, 3, 4):
                    yield str(data["kind"]), data, level


def test_written_schemas_accept_and_refuse_what_svqm_does() -> None:
    bundles: dict[tuple[str, int], Any] = {}
    compared = 0
    for kind, data, level in _all_documents():
        key = (kind, level)
        if key not in bundles:
            bundles[key] = Draft202012Validator(
                json.loads(schema_text(None, level)),
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
        ours = validator_for(kind, level).is_valid(data)
        assert bundles[key].is_valid(data) == ours, (kind, level)
        compared += 1
    assert compared > 100


def test_written_schemas_name_the_file_of_every_ref_and_carry_no_x_keywords() -> None:
    def walk(node: Any, in_names: bool = False) -> Iterator[tuple[str, Any]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if not in_names:
                    yield key, value
                yield from walk(value, key in ("properties", "patternProperties", "$defs"))
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for kind in (None, *KINDS):
        bundle = json.loads(schema_text(kind, 4))
        assert bundle["$id"].endswith(f"/bundle/level-4/{kind or 'document'}.json")
        assert not [k for k, _ in walk(bundle) if k.startswith("x-")], kind
        for name, embedded in bundle["$defs"].items():
            if name.startswith("svqm:"):
                refs = [v for k, v in walk(embedded) if k == "$ref"]
                assert not [r for r in refs if r.startswith("#")], (kind, name)


def _readme_settings() -> dict[str, Any]:
    readme = (ROOT / "README.md").read_text()
    (block,) = [b for b in re.findall(r"```json\n(.*?)```", readme, re.S) if "yaml.schemas" in b]
    settings: dict[str, Any] = json.loads(block)
    return settings


def test_readme_settings_check_the_pack_and_nothing_else(
    run: Run, server_version: str, tmp_path: Path
) -> None:
    """The README's .vscode/settings.json: the pack's documents get the schema; ignored
    drafts and other YAML of the repository (mkdocs.yml) do not."""
    ((schema, globs),) = _readme_settings()["yaml.schemas"].items()
    pack = tmp_path / "packs" / "trust"
    shutil.copytree(EXAMPLES[0], pack)
    _schemas(run, pack, 1)
    assert (tmp_path / schema).is_file()
    bad = "kind: pledges\npledges: 5\n"
    (pack / "drafts").mkdir()
    (pack / "drafts" / "old.yaml").write_text(bad)
    (pack / "new.yaml").write_text(bad)
    (tmp_path / "mkdocs.yml").write_text("site_name: Our docs\nnav: 5\n")
    server = _server(server_version, tmp_path, {schema: globs})
    try:
        seen = {}
        for path in (pack / "new.yaml", pack / "drafts" / "old.yaml", tmp_path / "mkdocs.yml"):
            uri = server.open(path)
            seen[path.name] = [d["message"] for d in server.wait_diagnostics(uri)]
        assert seen == {
            "new.yaml": ['Incorrect type. Expected "array".'],
            "old.yaml": [],
            "mkdocs.yml": [],
        }
    finally:
        server.close()


def test_readme_describes_the_tested_editor_set_up() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "yaml-language-server 1.25 and 2.0" in readme
    assert '"**/*.yaml"' not in readme
    assert "# yaml-language-server: $schema=.svqm/schemas/pledges.json" in readme
