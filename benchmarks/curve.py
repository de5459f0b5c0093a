"""The cost curve: every command at 1,000, 10,000 and 50,000 outcomes, with time and peak
memory, the ratios to check-jsonschema and to the floor (benchmarks/floor.py), and each
target of issue 16 met or missed.

    python benchmarks/run.py --curve [--sizes 1000,10000,50000] [--skip pdf@50000,docx@50000]
                                     [--repeat N] [--flagged-every 4]

Each pack has impact maps of 20 outcomes; every --flagged-every-th map has an SROI ratio
above 10:1, so validate has warnings to locate. Each figure is the median of the repeats
(3 up to 10,000 outcomes, 1 above: said in the output), the commands taking turns, so that
a busy machine slows them alike; peak memory is the largest resident set of the command's
process and its workers (os.wait4). The machine's load is printed: read the ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

OUTCOMES_PER_MAP = 20
FLOOR = Path(__file__).resolve().parent / "floor.py"
RENDERS = ("html", "md", "pdf", "docx")


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak resident megabytes of one run of COMMAND (and its children)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=out, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 1):
            out.seek(0)
            tail = out.read().decode("utf-8", "replace")[-800:]
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{tail}")
    return seconds, usage.ru_maxrss / 1024


def commands(svqm: str, pack: Path, work: Path) -> dict[str, list[str]]:
    out = {
        "validate (empty cache)": [svqm, "validate", str(pack)],
        "validate (warm cache)": [svqm, "validate", str(pack)],
        "value --format json": [svqm, "value", str(pack), "--format", "json"],
        "value --uncertainty": [svqm, "value", str(pack), "--uncertainty", "--format", "json"],
    }
    for fmt in RENDERS:
        out[f"render --format {fmt}"] = [
            svqm, "render", str(pack), "--format", fmt, "--output", str(work / f"report.{fmt}"),
        ]  # fmt: skip
    out["export --format xlsx"] = [svqm, "export", str(pack), "--output", str(work / "v.xlsx")]
    out["floor (benchmarks/floor.py)"] = [sys.executable, str(FLOOR), str(pack)]
    return out


def reference(svqm: str, pack: Path, work: Path, env: dict[str, str]) -> list[list[str]] | None:
    """check-jsonschema on every document of the pack, one run per kind, with svqm's
    exported schemas (schema checks only: no rules, no line numbers)."""
    tool = shutil.which("check-jsonschema")
    if tool is None:
        return None
    runs = []
    for kind in ("pack", "pledges", "stakeholders", "proxies", "forecast", "evaluation"):
        files = sorted(str(p) for p in pack.glob("*.yaml") if _kind_of(p) == kind)
        if not files:
            continue
        schema = work / f"{kind}.schema.json"
        text = subprocess.run(
            [svqm, "schema", kind, "--level", "3"], capture_output=True, text=True, env=env
        ).stdout
        schema.write_text(text, encoding="utf-8")
        runs.append([tool, "--schemafile", str(schema), *files])
    return runs


def _kind_of(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        return handle.readline().partition(":")[2].strip()


def run_size(size: int, args: argparse.Namespace, svqm: str, root: Path) -> dict[str, tuple]:
    pack, work, cache = root / f"pack-{size}", root / f"out-{size}", root / f"cache-{size}"
    work.mkdir(parents=True, exist_ok=True)
    generate(pack, max(1, size // OUTCOMES_PER_MAP), OUTCOMES_PER_MAP, 4, args.flagged_every)
    env = {**os.environ, "SVQM_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env.pop("SVQM_NO_CACHE", None)
    todo = {
        name: command
        for name, command in commands(svqm, pack, work).items()
        if f"{name.split()[-1]}@{size}" not in args.skip
    }
    repeat = args.repeat or (3 if size <= 10_000 else 1)
    times: dict[str, list[float]] = {name: [] for name in todo}
    peaks: dict[str, float] = dict.fromkeys(todo, 0.0)
    ref = reference(svqm, pack, work, env)
    if ref:
        times["check-jsonschema"], peaks["check-jsonschema"] = [], 0.0
    for _ in range(repeat):
        for name, command in todo.items():
            if name == "validate (empty cache)":
                shutil.rmtree(cache, ignore_errors=True)
            seconds, peak = measure(command, env)
            times[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
        if ref:
            total = 0.0
            for command in ref:
                seconds, peak = measure(command, env)
                total += seconds
                peaks["check-jsonschema"] = max(peaks["check-jsonschema"], peak)
            times["check-jsonschema"].append(total)
    skipped = sorted(s for s in args.skip if s.endswith(f"@{size}"))
    return {
        "repeat": (repeat,),
        "skipped": tuple(skipped),
        **{name: (statistics.median(t), peaks[name]) for name, t in times.items()},
    }


def startup(svqm: str, example: Path, env: dict[str, str], rounds: int = 10) -> dict[str, float]:
    """`svqm --version`, `--help` and validate of the smallest example, against
    `python -c pass`, taking turns."""
    runs = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "svqm --version": [svqm, "--version"],
        "svqm --help": [svqm, "--help"],
        "svqm validate (smallest example)": [svqm, "validate", str(example)],
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, command in runs.items():
            times[name].append(measure(command, env)[0])
    return {name: statistics.median(t) for name, t in times.items()}


def verdict(value: float, limit: float) -> str:
    return "met" if value <= limit else f"MISSED by {value / limit - 1:.0%}"


def report(results: dict[int, dict[str, tuple]], start: dict[str, float]) -> list[str]:
    lines: list[str] = []
    sizes = sorted(results)
    names = [n for n in results[sizes[0]] if n not in ("repeat", "skipped")]
    for size in sizes[1:]:
        names += [n for n in results[size] if n not in names and n not in ("repeat", "skipped")]
    header = "| command | " + " | ".join(f"{s:,} outcomes" for s in sizes)
    lines.append(header + " | 50k/10k time |")
    lines.append("|---" * (len(sizes) + 2) + "|")
    for name in names:
        cells = []
        for size in sizes:
            got = results[size].get(name)
            cells.append(f"{got[0]:.2f} s, {got[1]:.0f} MB" if got else "skipped")
        growth = ""
        big, mid = results.get(50_000, {}).get(name), results.get(10_000, {}).get(name)
        if big and mid:
            growth = f"{big[0] / mid[0]:.2f} ({verdict(big[0] / mid[0], 5.5)})"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {growth} |")
    lines.append("")
    for size in sizes:
        r = results[size]
        lines.append(
            f"{size:,} outcomes: median of {r['repeat'][0]} run(s)"
            + (f"; skipped {', '.join(r['skipped'])}" if r["skipped"] else "")
        )
    lines.append("")
    lines += targets(results)
    base = start["python -c pass"]
    lines.append("")
    for name, seconds in start.items():
        lines.append(f"{name}: {seconds:.3f} s ({seconds / base:.1f}x python -c pass)")
    lines.append(
        f"target svqm --version <= 3x python -c pass: {verdict(start['svqm --version'] / base, 3)}"
    )
    return lines


def targets(results: dict[int, dict[str, tuple]]) -> list[str]:
    out = []
    ten, fifty = results.get(10_000), results.get(50_000)
    if ten:
        for name, limit in (
            ("render --format pdf", 10.0),
            ("render --format docx", 5.0),
            ("export --format xlsx", 5.0),
            ("value --uncertainty", 3.0),  # issue 14
        ):
            if name in ten:
                out.append(f"10k {name} < {limit:.0f} s: {ten[name][0]:.1f} s, "
                           f"{verdict(ten[name][0], limit)}")  # fmt: skip
        validate = ten["validate (empty cache)"][0]
        for fmt in ("html", "md"):
            name = f"render --format {fmt}"
            if name in ten:
                ratio = ten[name][0] / validate
                out.append(f"10k {name} < 2x validate: {ratio:.2f}x, {verdict(ratio, 2)}")
    if fifty:
        validate = fifty["validate (empty cache)"][0]
        for name, limit in (("check-jsonschema", 0.5), ("floor (benchmarks/floor.py)", 1.3)):
            if name in fifty:
                ratio = validate / fifty[name][0]
                out.append(
                    f"50k validate <= {limit}x {name}: {ratio:.2f}x, {verdict(ratio, limit)}"
                )
        for name, (_, peak) in ((n, v) for n, v in fifty.items() if n not in ("repeat", "skipped")):
            if not name.startswith(("check-jsonschema", "floor")):
                out.append(f"50k {name} peak memory < 400 MB: {peak:.0f} MB, {verdict(peak, 400)}")
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--skip", default="", help="commands to leave out, e.g. pdf@50000")
    parser.add_argument("--repeat", type=int, default=0, help="default: 3 up to 10k, else 1")
    parser.add_argument("--flagged-every", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the generated packs")
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    svqm = shutil.which("svqm")
    if svqm is None:
        raise SystemExit("install svqm first: pip install -e '.[bench]'")
    root = Path(tempfile.mkdtemp(prefix="svqm-curve-"))
    env = {**os.environ, "NO_COLOR": "1", "SVQM_CACHE_DIR": str(root / "cache-start")}
    example = Path(__file__).resolve().parents[1] / "examples" / "level-1-luton-sexual-health"
    load_before = os.getloadavg()
    results = {}
    for size in sorted(int(s) for s in args.sizes.split(",")):
        results[size] = run_size(size, args, svqm, root)
        print(f"... {size:,} outcomes done", file=sys.stderr)
    start = startup(svqm, example, env)
    load_after = os.getloadavg()
    print(
        f"svqm cost curve: {os.cpu_count()} cores; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (a busy machine: read the ratios)"
    )
    print("\n".join(report(results, start)))
    if args.keep:
        print(f"packs kept in {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
