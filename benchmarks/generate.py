"""Write a synthetic Level 3 pack: DOCUMENTS impact maps (half forecasts, half evaluations)
of OUTCOMES outcomes each, with pledges, stakeholders, proxies and evidence. One outcome in
RANGED_EVERY gives a range for its quantity and its proxy value, for `value --uncertainty`
(with the defaults, 2,500 outcomes and 5,000 ranged inputs, drawn 10,000 times each).

    python benchmarks/generate.py OUT_DIR [--documents 500] [--outcomes 20] [--ranged-every 4]

The figures are arbitrary but valid, so every command runs on the whole pack.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PACK = """kind: pack
svqm: 1
organisation: {{name: Benchmark NHS Group, type: nhs-trust}}
award:
  level: 3
  scheme: core
  period: {{start: 2024-04-01, end: 2025-03-31}}
"""


def generate(
    out: Path, documents: int, outcomes: int, ranged_every: int = 4, flagged_every: int = 0
) -> None:
    """Write the pack; with FLAGGED_EVERY = n, every n-th impact map has inputs so small
    that its SROI ratio is above 10:1, so validate has rule findings (SV403) to locate."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "evidence").mkdir(exist_ok=True)
    (out / "evidence" / "records.csv").write_text("date,count\n2025-03-31,1\n")
    (out / "svqm.yaml").write_text(PACK.format())
    themes = ["economic", "health-and-wellbeing", "environment", "social-and-community"]
    (out / "pledges.yaml").write_text(
        "kind: pledges\npledges:\n"
        + "".join(
            f"  - {{id: pledge-{i}, theme: {themes[i % 4]}, title: Pledge {i}, commitment: Do it., "
            f"targets: [{{measure: things, quantity: {10 + i}, unit: thing, due: 2025-03-31}}], "
            f"progress: [{{measure: things, actual: {8 + i}, as_of: 2025-03-31, "
            f"evidence: [evidence/records.csv]}}], "
            f"sdgs: [{3 + i % 10}], marmot: [{1 + i % 8}]}}\n"
            for i in range(8)
        )
    )
    (out / "stakeholders.yaml").write_text(
        "kind: stakeholders\nstakeholders:\n"
        + "".join(
            f"  - {{id: group-{i}, name: Group {i}, engagement: {{method: survey, sample_size: 40, "
            f"date: 2025-02-01}}}}\n"
            for i in range(10)
        )
    )
    (out / "proxies.yaml").write_text(
        "kind: proxies\nproxies:\n"
        + "".join(
            f"  - {{id: proxy-{i}, description: Proxy {i}, value: {100 + 37 * i}.50, unit: person, "
            f"source: Benchmark source {i}, year: 2024}}\n"
            for i in range(12)
        )
    )
    for d in range(documents):
        kind = "forecast" if d % 2 == 0 else "evaluation"
        lines = [
            f"kind: {kind}\nid: map-{d}\nscope: {{name: Service {d}, type: service}}\n"
            f"period: {{start: 2024-04-01, end: 2025-03-31}}\n"
        ]
        if kind == "evaluation":
            lines.append(f"forecast: map-{d - 1}\n")
            lines.append(  # materiality shown (SV441): what was considered and left out
                "excluded_outcomes:\n  - {description: Neighbours feel safer, "
                "reason: Raised by 2 of 40 people asked}\n"
            )
        flagged = flagged_every and d % flagged_every == 0
        inputs = 100 + d if flagged else 120000 + 97 * d
        lines.append(
            f"inputs:\n  - {{stakeholder: group-0, description: Staff, "
            f"value: {inputs}}}\noutcomes:\n"
        )
        for o in range(outcomes):
            extra = ""
            if kind == "evaluation":
                extra = (
                    f", forecast_outcome: o-{d - 1}-{o}, evidence: [evidence/records.csv], "
                    f"method: Records"
                )
            quantity = 50 + (o * 7) % 90
            if ranged_every and o % ranged_every == 0:
                extra += (
                    f", range: {{quantity: [{quantity - 10}, {quantity + 15}], proxy: [0.8, 1.2]}}"
                )
            lines.append(
                f"  - {{id: o-{d}-{o}, pledge: pledge-{o % 8}, stakeholder: group-{o % 10}, "
                f"description: Outcome {o}, indicator: Count, quantity: {quantity}, "
                f"proxy: proxy-{o % 12}, duration: {1 + o % 4}, deadweight: 0.2, "
                f"attribution: 0.15, drop_off: 0.3, basis: {{deadweight: Follow-up survey, "
                f"attribution: Partners' share, drop_off: Two-year follow-up}}{extra}}}\n"
            )
        (out / f"{kind}-{d:04d}.yaml").write_text("".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--outcomes", type=int, default=20)
    parser.add_argument("--ranged-every", type=int, default=4)
    parser.add_argument(
        "--flagged-every",
        type=int,
        default=0,
        help="every n-th impact map gets an SROI ratio above 10:1 (a warning); 0: none",
    )
    args = parser.parse_args()
    generate(args.out, args.documents, args.outcomes, args.ranged_every, args.flagged_every)
    print(f"wrote {args.documents} impact maps x {args.outcomes} outcomes to {args.out}")


if __name__ == "__main__":
    main()
