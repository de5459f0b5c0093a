"""Time svqm on a synthetic pack against check-jsonschema, and print figures and ratios.

    python benchmarks/run.py [--documents 500] [--outcomes 20] [--repeat 3]
    python benchmarks/run.py --curve [--sizes 1000,10000,50000] [--skip pdf@50000]  (curve.py)

Runs the installed `svqm` as users do: validate (cold cache, then warm), value, render to
HTML, export to xlsx and csv, and `svqm --help`; and check-jsonschema validating the same
documents against svqm's own schemas (schema checks only, no rules, no line numbers) as the
reference. Each figure is the median of --repeat runs; peak memory is the largest resident
set of any run.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

TARGETS = {
    "validate (cold cache)": "<= check-jsonschema",
    "validate (warm cache)": "<= check-jsonschema / 5",
    "value --uncertainty --format json": "< 3 s",
    "render --format html": "< 5 s",
    "export --format xlsx": "< 30 s",
    "svqm --help": "< 0.15 s",
}


def timed(
    command: list[str], env: dict[str, str], repeat: int, before: list[str] | None = None
) -> float:
    times = []
    for _ in range(repeat):
        if before:
            subprocess.run(before, check=True)
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode()[-500:]}")
    return statistics.median(times)


def main() -> None:
    import os

    if "--curve" in sys.argv[1:]:
        from curve import main as curve

        curve([a for a in sys.argv[1:] if a != "--curve"])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--outcomes", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    svqm = shutil.which("svqm")
    reference = shutil.which("check-jsonschema")
    if svqm is None:
        raise SystemExit("install svqm first: pip install -e '.[bench]'")
    work = Path(tempfile.mkdtemp(prefix="svqm-bench-"))
    pack, cache_dir = work / "pack", work / "cache"
    generate(pack, args.documents, args.outcomes)
    env = {**os.environ, "SVQM_CACHE_DIR": str(cache_dir), "NO_COLOR": "1"}
    clear = [sys.executable, "-c", f"import shutil; shutil.rmtree({str(cache_dir)!r}, True)"]
    rows: dict[str, float] = {}
    rows["validate (cold cache)"] = timed([svqm, "validate", str(pack)], env, args.repeat, clear)
    rows["validate (warm cache)"] = timed([svqm, "validate", str(pack)], env, args.repeat)
    rows["value --format json"] = timed(
        [svqm, "value", str(pack), "--format", "json"], env, args.repeat
    )
    rows["value --uncertainty --format json"] = timed(
        [svqm, "value", str(pack), "--uncertainty", "--format", "json"], env, args.repeat
    )
    rows["render --format html"] = timed(
        [svqm, "render", str(pack), "--output", str(work / "report.html")], env, args.repeat
    )
    rows["export --format xlsx"] = timed(
        [svqm, "export", str(pack), "--output", str(work / "values.xlsx")], env, args.repeat
    )
    rows["export --format csv"] = timed(
        [svqm, "export", str(pack), "--format", "csv", "--output", str(work / "csv")],
        env,
        args.repeat,
    )
    rows["svqm --help"] = timed([svqm, "--help"], env, max(args.repeat, 5))
    if reference:
        schemas = {}
        for kind in ("forecast", "evaluation"):
            schema = work / f"{kind}.schema.json"
            schema.write_text(
                subprocess.run(
                    [svqm, "schema", kind, "--level", "3"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            schemas[kind] = schema
        total = 0.0
        for kind, schema in schemas.items():
            files = sorted(str(p) for p in pack.glob(f"{kind}-*.yaml"))
            total += timed([reference, "--schemafile", str(schema), *files], env, args.repeat)
        rows["check-jsonschema (schema checks only)"] = total
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    outcomes = args.documents * args.outcomes
    print(
        f"svqm benchmark: {args.documents} impact maps x {args.outcomes} outcomes = "
        f"{outcomes:,} outcomes; median of {args.repeat} runs; {os.cpu_count()} cores"
    )
    base = rows.get("check-jsonschema (schema checks only)")
    for name, seconds in rows.items():
        ratio = f"{seconds / base:5.2f} x check-jsonschema" if base else ""
        target = TARGETS.get(name, "")
        print(
            f"  {name:<40} {seconds:7.2f} s  {ratio:<24} {('target ' + target) if target else ''}"
        )
    print(f"  {'peak memory (largest run)':<40} {peak_mb:7.0f} MB  target < 500 MB")
    if not base:
        print("  (install check-jsonschema for the reference: pip install -e '.[bench]')")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
