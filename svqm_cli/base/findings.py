"""Findings as data: severity, location, the finding itself, and the table of codes.

Codes are stable forever: never renumber or reuse one. A retired code stays in the table
with ``retired=True``. The README's table of codes is generated from ``CODES`` (see docs.py)
and a test keeps the two in sync.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Literal


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


# What a pointer aims at: the value, the key that holds it (unknown or duplicate keys),
# or the mapping that lacks something (missing keys point at its first line).
Target = Literal["value", "key"]


@dataclass(frozen=True)
class Location:
    file: str  # relative to the pack root, with forward slashes
    line: int  # 1-based; 0 when unknown (e.g. the file has no readable text)
    column: int  # 1-based; 0 when unknown
    pointer: str  # RFC 6901 JSON pointer into the document ("" is the whole document)


@dataclass(frozen=True)
class CodeInfo:
    code: str
    title: str
    severity: Severity
    summary: str  # one line: what the check is about
    hint: str  # the default way to fix it
    overridable: bool = True
    retired: bool = False


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    hint: str
    location: Location
    target: Target = field(default="value", compare=False)

    def to_dict(self) -> dict[str, object]:
        """The shape every machine format starts from (spec §4 plus ``hint``)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "pointer": self.location.pointer,
            "message": self.message,
            "hint": self.hint,
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)

    def with_location(self, line: int, column: int) -> Finding:
        return replace(self, location=replace(self.location, line=line, column=column))


E, W = Severity.ERROR, Severity.WARNING

_TABLE: list[CodeInfo] = [
    # --- SV0xx: reading the file (never overridable: the document could not be read) ---
    CodeInfo(
        "SV001",
        "YAML syntax error",
        E,
        "The file is not valid YAML.",
        "Look at the line shown and the one before it: a missing colon, an unclosed "
        "quote or bracket, or a wrong indent is the usual cause.",
        overridable=False,
    ),
    CodeInfo(
        "SV002",
        "Duplicate key",
        E,
        "A key appears twice in the same mapping.",
        "Keep one of the two entries; YAML would silently drop the first.",
        overridable=False,
    ),
    CodeInfo(
        "SV003",
        "Not UTF-8",
        E,
        "The file contains bytes that are not UTF-8 text.",
        "Save the file as UTF-8 (in Excel or Word choose 'UTF-8' when saving; in an "
        "editor use 'Save with encoding').",
        overridable=False,
    ),
    CodeInfo(
        "SV004",
        "Empty document",
        E,
        "The file holds no YAML content.",
        "Add content starting with a 'kind:' line, or delete the file, or list it under "
        "'ignore:' in svqm.yaml.",
        overridable=False,
    ),
    CodeInfo(
        "SV005",
        "Tab in indentation",
        E,
        "A line is indented with a tab character.",
        "YAML only allows spaces for indentation: replace the tab with spaces.",
        overridable=False,
    ),
    CodeInfo(
        "SV006",
        "Alias expansion too large",
        E,
        "YAML aliases expand into a very large or endless document.",
        "Write the values out instead of repeating anchors (&name) and aliases (*name).",
        overridable=False,
    ),
    CodeInfo(
        "SV007",
        "Missing kind",
        E,
        "The document does not say what kind it is.",
        "Start the file with a line such as 'kind: pledges'.",
        overridable=False,
    ),
    CodeInfo(
        "SV008",
        "Unknown kind",
        E,
        "The document's kind is not one svqm knows.",
        "Use one of: pack, pledges, stakeholders, proxies, forecast, evaluation, "
        "framework, case-study, procurement, commitments, measures.",
        overridable=False,
    ),
    CodeInfo(
        "SV009",
        "Unsupported format version",
        E,
        "The document is written for a format version this svqm does not read.",
        "Set 'svqm: 1', or install the svqm release that reads this version.",
        overridable=False,
    ),
    CodeInfo(
        "SV010",
        "More than one YAML document",
        E,
        "The file holds several YAML documents separated by '---'.",
        "Put each document in a file of its own.",
        overridable=False,
    ),
    CodeInfo(
        "SV011",
        "File too large",
        E,
        "The file is larger than svqm reads.",
        "Split the data across several files (one per service or per year).",
        overridable=False,
    ),
    CodeInfo(
        "SV012",
        "Nesting too deep",
        E,
        "Lists and mappings are nested too deeply.",
        "No svqm document needs more than a few levels: look for stray brackets or dashes.",
        overridable=False,
    ),
    CodeInfo(
        "SV013",
        "Document is not a mapping",
        E,
        "The top level of the document is a list or a single value.",
        "A document is a set of 'key: value' lines starting with 'kind:'.",
        overridable=False,
    ),
    CodeInfo(
        "SV014",
        "Not a finite number",
        E,
        "A value is NaN or infinity, which cannot be used in calculations.",
        "Write the actual figure, or remove the field if it is not known.",
        overridable=False,
    ),
    CodeInfo(
        "SV015",
        "Pack document in the wrong place",
        E,
        "svqm.yaml must be the one document of kind 'pack'.",
        "Give svqm.yaml 'kind: pack' and give every other file another kind.",
        overridable=False,
    ),
    CodeInfo(
        "SV016",
        "Unsupported YAML tag",
        E,
        "The file uses a YAML tag such as '!include'.",
        "Remove the tag: svqm reads plain YAML values only.",
        overridable=False,
    ),
    # --- SV1xx: the document's shape against the JSON Schema of its kind and level ---
    CodeInfo(
        "SV100",
        "Schema constraint",
        E,
        "A value breaks a rule of the document's schema.",
        "Compare the value with the field's description: 'svqm schema KIND'.",
        overridable=False,
    ),
    CodeInfo(
        "SV101",
        "Wrong type",
        E,
        "A value has the wrong type (text, number, list, ...).",
        "Write the value in the form the field expects.",
        overridable=False,
    ),
    CodeInfo(
        "SV102",
        "Missing field",
        E,
        "A required field is missing.",
        "Add the field to the mapping shown.",
        overridable=False,
    ),
    CodeInfo(
        "SV103",
        "Unknown field",
        E,
        "A field is not part of the format.",
        "Check the spelling; for your own notes start the key with 'x-'.",
        overridable=False,
    ),
    CodeInfo(
        "SV104",
        "Value not allowed",
        E,
        "A value is not one of the allowed choices.",
        "Use one of the listed values.",
        overridable=False,
    ),
    CodeInfo(
        "SV105",
        "Value out of range",
        E,
        "A number is below its minimum or above its maximum.",
        "Shares are written as 0..1 (25% is 0.25); SDGs are 1..17; Marmot principles 1..8.",
        overridable=False,
    ),
    CodeInfo(
        "SV106",
        "Badly formed value",
        E,
        "A value does not have the required form (an id, a date, a code).",
        "Ids are lower-case letters, digits and dashes; dates are YYYY-MM-DD.",
        overridable=False,
    ),
    CodeInfo(
        "SV107",
        "Wrong number of items",
        E,
        "A list is empty, too long, or repeats an item.",
        "Add the missing items or remove the repeated ones.",
        overridable=False,
    ),
    # --- SV2xx: rules across the pack ---
    CodeInfo(
        "SV201",
        "Duplicate id",
        E,
        "Two things in the pack have the same id.",
        "Ids must be unique across the whole pack: rename one of them.",
    ),
    CodeInfo(
        "SV202",
        "Unresolved reference",
        E,
        "A reference names an id that does not exist.",
        "Correct the id, or add the missing item to the pack.",
    ),
    CodeInfo(
        "SV203",
        "Evidence path leaves the pack",
        E,
        "An evidence path points outside the pack folder.",
        "Copy the file into the pack (for example under evidence/) and refer to it by "
        "its path relative to svqm.yaml.",
    ),
    CodeInfo(
        "SV204",
        "Evidence file missing",
        E,
        "A referenced evidence file does not exist.",
        "Add the file to the pack, or correct the path (paths are relative to the folder "
        "that holds svqm.yaml, and are case-sensitive).",
    ),
    CodeInfo(
        "SV205",
        "Target due outside the award period",
        E,
        "A pledge target's due date is outside the award period.",
        "Set 'due' to a date between award.period.start and award.period.end.",
    ),
    CodeInfo(
        "SV206",
        "Award period longer than 12 months",
        E,
        "The award period covers more than 12 months.",
        "Pledges are commitments for the next 12 months: end the period at most one "
        "year less a day after it starts.",
    ),
    CodeInfo(
        "SV207",
        "Period ends before it starts",
        E,
        "A period's end date is before its start.",
        "Swap or correct the dates.",
    ),
    CodeInfo(
        "SV208",
        "Progress for an unknown target",
        E,
        "A progress entry names a measure that none of the pledge's targets has.",
        "Use exactly the 'measure' text of one of the pledge's targets.",
    ),
    CodeInfo(
        "SV209",
        "Unknown rule in 'rules'",
        E,
        "svqm.yaml overrides the severity of a code that does not exist or cannot be changed.",
        "Use a code from the README's table; reading and schema codes (SV0xx, SV1xx) "
        "cannot be switched off.",
        overridable=False,
    ),
    # --- SV210-SV219: theory of change and assurance (spec §5.1, §5.2) ---
    CodeInfo(
        "SV210",
        "Outcome names an unknown output",
        E,
        "An outcome's 'output' is not the id of an output of the same impact map.",
        "Use the id of one of the impact map's 'outputs', or add that output there.",
    ),
    CodeInfo(
        "SV211",
        "Output names an unknown activity",
        E,
        "An output's 'activity' is not the id of an activity of the same impact map.",
        "Use the id of one of the impact map's 'activities', or add that activity there.",
    ),
    CodeInfo(
        "SV212",
        "Outcome chain names an unknown outcome",
        E,
        "An entry of an outcome's 'leads_to' is not the id of an outcome of the same impact map.",
        "Use the id of a later outcome of the same impact map, or remove the entry.",
    ),
    CodeInfo(
        "SV213",
        "Outcome chain goes round in a circle",
        E,
        "Outcomes lead to each other in a loop through 'leads_to', so the chain has no end.",
        "An outcome chain runs from earlier changes to later ones: remove the 'leads_to' "
        "entry that points back to an earlier outcome.",
    ),
    CodeInfo(
        "SV214",
        "Assurance scope names no impact map",
        E,
        "An assurance entry's 'scope' names an id that is not a forecast or evaluation of "
        "the pack.",
        "Use the id of a forecast or evaluation, or leave 'scope' out when the whole pack "
        "was checked.",
    ),
    # --- SV220-SV229: contract commitments and measure catalogues ---
    CodeInfo(
        "SV220",
        "Delivery outside the contract term",
        E,
        "A commitment's delivery period starts before or ends after the contract's term.",
        "Correct the period's dates, or the contract's 'term' if it was extended.",
    ),
    CodeInfo(
        "SV221",
        "Delivery periods overlap",
        E,
        "Two delivery periods of the same commitment share days, so a quantity could be "
        "counted twice.",
        "Give each period its own days (end one the day before the next starts), or "
        "merge the two entries into one.",
    ),
    CodeInfo(
        "SV222",
        "Measure code not in its catalogue",
        E,
        "A measure code is not in the pack's catalogue of its framework and version.",
        "Correct the code (codes are written exactly as the catalogue writes them), or add "
        "the measure to the 'measures' document of that framework.",
    ),
    CodeInfo(
        "SV223",
        "Unknown measures framework",
        E,
        "A measure names a framework that svqm does not know and no catalogue in the pack defines.",
        "Use toms, ppn0620, ppn002, hact, unit-cost-database or other, or add a 'measures' "
        "document whose framework has this id.",
    ),
    CodeInfo(
        "SV224",
        "Measure listed twice",
        E,
        "A catalogue lists the same code twice, or two catalogues cover the same framework "
        "and version.",
        "Keep one entry per code, and one catalogue per framework and version.",
    ),
    CodeInfo(
        "SV225",
        "Unknown catalogue theme",
        E,
        "A measure names a theme that its catalogue's 'themes' list does not have.",
        "Use the id of one of the catalogue's themes, or add the theme to 'themes'.",
    ),
    # --- SV23x: valuation: price years, WELLBYs and ranges (spec §5.7) ---
    CodeInfo(
        "SV230",
        "Price year missing from the deflator",
        E,
        "A proxy's price year, the WELLBY's year or the base year is not in the deflator's index.",
        "Add that year's index value to settings.deflator.index (from the same source), or "
        "correct the year.",
    ),
    CodeInfo(
        "SV231",
        "WELLBY proxy without a WELLBY value",
        E,
        "A proxy is given in WELLBYs but svqm.yaml has no settings.wellby to value them.",
        "Add 'wellby: {value: ..., year: ..., source: ...}' under settings in svqm.yaml "
        "(the HM Treasury Green Book gives a central value, with a low and a high).",
    ),
    CodeInfo(
        "SV232",
        "Range does not contain the central value",
        E,
        "A [low, high] range lies wholly above or below the value it is a range around.",
        "Make low at most, and high at least, the central value (for `proxy`, factors "
        "around 1, such as [0.8, 1.2]).",
    ),
    CodeInfo(
        "SV233",
        "Range low above high",
        E,
        "A range is written [high, low]: its first number is larger than its second.",
        "Write ranges as [low, high], the smaller number first.",
    ),
    # --- SV3xx: what each level and scheme needs ---
    CodeInfo(
        "SV301",
        "Required document missing",
        E,
        "The pack lacks a kind of document its level needs.",
        "Add a file of that kind ('svqm init --level N' in a new folder shows one).",
    ),
    CodeInfo(
        "SV302",
        "Too few pledges for the Health Award",
        E,
        "The SVQM Health Award asks for at least six pledges.",
        "Add pledges until there are at least six.",
    ),
    CodeInfo(
        "SV303",
        "Stakeholder engagement not recorded",
        E,
        "From Level 3 every stakeholder of a measured outcome needs recorded engagement.",
        "Add 'engagement: {method: ..., sample_size: ..., date: YYYY-MM-DD}' to the stakeholder.",
    ),
    # --- SV4xx: plausibility (warnings) ---
    CodeInfo(
        "SV401",
        "No impact adjustments",
        W,
        "Deadweight, displacement and attribution are all zero for an outcome.",
        "Consider what would have happened anyway and who else contributed; SROI's "
        "principle 'do not over-claim' expects these to be considered.",
    ),
    CodeInfo(
        "SV402",
        "Long duration without drop-off",
        W,
        "An outcome lasts more than 5 years with no drop-off.",
        "Set 'drop_off' to the share by which the outcome fades each year.",
    ),
    CodeInfo(
        "SV403",
        "SROI ratio above 10:1",
        W,
        "An impact map's SROI ratio is above £10 : £1.",
        "Check quantities, proxies and adjustments; assessors question ratios this high.",
    ),
    CodeInfo(
        "SV404",
        "Old proxy value",
        W,
        "A proxy's price year is more than 5 years before the award period starts.",
        "Update the value from a current source, or add settings.deflator and "
        "settings.base_year so svqm uprates it to the base year's prices.",
    ),
    CodeInfo(
        "SV405",
        "Impact map without inputs",
        W,
        "An impact map's inputs add up to zero, so it has no SROI ratio.",
        "Value what was invested (staff time, money, volunteers' time) under 'inputs'.",
    ),
    # --- SV420-SV429: contract commitments and measure catalogues (warnings) ---
    CodeInfo(
        "SV420",
        "Commitment unit differs from its proxy's",
        W,
        "A commitment is counted in one unit and its financial proxy values another, so "
        "the value committed and delivered may be wrong.",
        "Use a proxy whose unit is what the commitment counts, or correct one of the units.",
    ),
    CodeInfo(
        "SV421",
        "Unit differs from the catalogue's",
        W,
        "A commitment or proxy linked to a measure counts a different unit from the one "
        "the catalogue gives for that measure.",
        "Count in the catalogue's unit (for example FTE rather than people), or check that "
        "the measure code is the right one.",
    ),
    CodeInfo(
        "SV422",
        "No catalogue of this version",
        W,
        "The pack has catalogues of a framework but none of the version a measure names, "
        "so its code is not checked.",
        "Correct the version, or add a 'measures' document for that version.",
    ),
    CodeInfo(
        "SV430",
        "Proxies in different price years",
        W,
        "Proxy values from different price years are added without a deflator.",
        "Add settings.deflator (a price index by year, such as HM Treasury's GDP deflators) "
        "and settings.base_year, so svqm brings every proxy to one price year.",
    ),
    CodeInfo(
        "SV431",
        "Proxy without a price year",
        W,
        "The pack uprates proxies with a deflator, but this value has no 'year', so it is "
        "used as written.",
        "Add 'year:' (the year whose prices the value is in) so it can be uprated.",
    ),
    # --- SV440-SV449: what a submission shows (spec §5.1-5.3; warnings) ---
    CodeInfo(
        "SV440",
        "Adjustment without its basis",
        W,
        "From Level 3, a non-zero deadweight, displacement, attribution, drop-off or "
        "leakage has no entry under the outcome's 'basis' saying why it has that value.",
        "Add the reason under 'basis' with the same name, for example 'basis: {deadweight: "
        "20% found housing unaided in our 2023 follow-up}'.",
    ),
    CodeInfo(
        "SV441",
        "Materiality not shown",
        W,
        "From Level 3, an evaluation records neither a negative outcome nor an excluded "
        "outcome, so it does not show what was considered and left out.",
        "Add 'excluded_outcomes' (changes considered and left out, each with a reason), or "
        "an outcome with 'negative: true' if the service caused an unwanted change.",
    ),
    CodeInfo(
        "SV442",
        "Case study without consent",
        W,
        "A case study's 'consent' is not true, so reports withhold its narrative, quotes "
        "and images.",
        "Record the person's consent to publish and set 'consent: true', or keep the case "
        "study out of published reports.",
    ),
    CodeInfo(
        "SV443",
        "Target due without progress",
        W,
        "From Level 3, a pledge target is due by the end of the award period but no progress "
        "is recorded for it, so reports say 'no data'.",
        "Add a 'progress' entry for the target's measure ({measure, actual, as_of, "
        "evidence}), or record it with 'svqm import progress'.",
    ),
]

CODES: dict[str, CodeInfo] = {info.code: info for info in _TABLE}


def make(
    code: str,
    message: str,
    file: str,
    pointer: str,
    *,
    hint: str | None = None,
    target: Target = "value",
    line: int = 0,
    column: int = 0,
) -> Finding:
    """A finding with the code's default severity and hint."""
    info = CODES[code]
    return Finding(
        code=code,
        severity=info.severity,
        message=message,
        hint=info.hint if hint is None else hint,
        location=Location(file=file, line=line, column=column, pointer=pointer),
        target=target,
    )
