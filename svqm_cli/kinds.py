"""The document kinds of format version 1 (spec §1). No imports: the CLI reads this at
start-up to offer choices without loading the core."""

KINDS = (
    "pack",
    "pledges",
    "stakeholders",
    "proxies",
    "forecast",
    "evaluation",
    "framework",
    "case-study",
    "procurement",
)
