"""Gold readers and scores: ``rasd eval GOLD.jsonl [--format table|json]``.

Three gold formats are read (``detect_format`` tells them apart by their keys):
FA-KES (``article_content``), ACLED (``NOTES`` + ``EVENT_TYPE``) and Airwars
(``text`` + ``strike_type``). rasd extracts every row's text in one batch and each
field is scored as ``../shared/data/BASELINE.md`` defines it, so that numbers are
comparable with the naive peer there: accuracy = correct / answerable rows, a
missing value counts as wrong.

What rasd's answer is, per field:

* place: the ``main`` event's place, else the document's main place;
  governorate/admin1 equality and the 10 km radius use ``rasd.geo.measure`` when
  present (admin1 canonicalisation), else the plain functions below;
* date: the main event's period; exact when it is one day equal to the gold day;
* counts: the main incident's toll, ``rasd.extract.tolls.main_toll`` (civilians,
  people or unnamed victims, never fighters; parts and repeats counted once, a
  corrected toll taking over); for ACLED the same toll with fighters counted
  (ACLED counts everyone killed); Airwars reads a missing count (gold or rasd's)
  as 0, as BASELINE.md does;
* event type: the main event's sub-event type mapped to ACLED 2016's classes
  (``ACLED_2016``), to FA-KES causes (``FAKES_CAUSE``) or compared with Airwars'
  strike types (``AIRWARS_STRIKE``);
* actors: the main event's actor1 mapped to FA-KES' seven classes or Airwars'
  belligerents by normalised name (no actor1: FA-KES ``unknown``).

``python -m rasd.evaluate --pin`` scores the three dev files and the check file (``CHECK_FILES``) and writes the floors
of the quality gate (``tests/eval_baseline.json``); lowering a floor needs
``--lower`` (or ``RASD_LOWER_FLOORS=1``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import logging
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from .errors import EvalError
from .eval_acled import ACLED_2016 as ACLED_2016
from .eval_acled import ACLED_2016_BY_TYPE as ACLED_2016_BY_TYPE
from .eval_acled import acled_type as acled_type
from .eval_acled import group_key, score_actor1, score_admin2, score_types
from .extract.context import Context
from .model import Event, Extraction, Figure, Place

LOGGER = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
BASELINE_PATH = ROOT / "tests" / "eval_baseline.json"
DEV_FILES = {
    "fakes": "fakes_syria_2011_2015.jsonl",
    "acled": "acled_north_africa_sudan_2016_jan_feb.jsonl",
    "airwars": "airwars_syria_2021_2022_excl_idlib.jsonl",
}
# the check file: never tuned on. The shipped event model trains on it (``train_events``), so its gate scores
# are the pipeline's with each country's rows typed by a model trained without that country.
CHECK_FILES = {"check": "check/acled_africa_other_2016_jan_may.jsonl"}
CHECK_CV: dict[str, Any] = {"folds": 5, "group": "country"}
WITHIN_KM = 10.0

# FA-KES' cause of death from the main event's sub-event type. A clash states no means of
# death, and FA-KES' coders mostly answer "unknown" there (dev: 16 unknown, 12 shooting), so
# no clash type is mapped; captives killed after an abduction are executions.
FAKES_CAUSE = {
    "Air/drone strike": "shelling",
    "Shelling/artillery/missile attack": "shelling",
    "Remote explosive/landmine/IED": "explosion",
    "Suicide bomb": "explosion",
    "Grenade": "explosion",
    "Chemical weapon": "chemical and toxic gases",
    "Attack": "shooting",
    "Abduction/forced disappearance": "execution",
}
AIRWARS_STRIKE = {
    "Airstrike": {"Air/drone strike"},
    "Drone Strike": {"Air/drone strike"},
    "Artillery": {"Shelling/artillery/missile attack"},
    "Airstrike and/or Artillery": {"Air/drone strike", "Shelling/artillery/missile attack"},
    "Counter-Terrorism Action (Ground)": {"Armed clash", "Attack", "Arrests", "Abduction/forced disappearance"},
}
# normalised actor name -> FA-KES class / Airwars belligerent
FAKES_ACTOR = {
    "Military Forces of Syria (2000-)": "syrian government or russian troops",
    "Military Forces of Russia (2000-)": "syrian government or russian troops",
    "Military Forces of Iran (1989-)": "syrian government or russian troops",
    "Hezbollah": "syrian government or russian troops",
    "Islamic State (Syria)": "the organization of the islamic state in iraq and the levant - isis",
    "Islamic State": "the organization of the islamic state in iraq and the levant - isis",
    "US-led Coalition": "international coalition forces",
    "Military Forces of the United States": "international coalition forces",
    "Military Forces of Turkey (2002-)": "armed opposition groups",
    "Syrian National Army": "armed opposition groups",
    "Free Syrian Army": "armed opposition groups",
    "Hayat Tahrir al-Sham": "al-nusra front",
    "Jabhat al-Nusra": "al-nusra front",
    "Syrian Democratic Forces": "self administration forces",
    "YPG: People's Protection Units": "self administration forces",
    "Asayish": "self administration forces",
}
AIRWARS_BELLIGERENT = {
    "Military Forces of Turkey (2002-)": "Turkish Military",
    "Syrian National Army": "Turkish Military",
    "Military Forces of Israel": "Israeli Military",
    "US-led Coalition": "U.S.-led Coalition",
    "Military Forces of the United States": "U.S.-led Coalition",
    "Military Forces of Russia (2000-)": "Russian Military",
    "YPG: People's Protection Units": "YPG",
    "Syrian Democratic Forces": "Syrian Democratic Forces",
    "Asayish": "Kurdish Forces",
    "Military Forces of Syria (2000-)": "Syrian Regime",
}
CIVILIAN_WHO = ("civilians", "civilian", "children", "women")
GENERAL_WHO = (None, "people", "persons")


# -- reading -------------------------------------------------------------------------------------


def read_gold(path: Path) -> list[dict[str, Any]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalError(f"{path}: cannot read the gold file ({exc.strerror})") from None
    rows = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise EvalError(f"{path}:{n}: not JSON ({exc.msg}); a gold file has one JSON object a line") from None
    if not rows:
        raise EvalError(f"{path}: no rows")
    return rows


def detect_format(row: dict[str, Any]) -> str:
    """``fakes``, ``acled`` or ``airwars`` from a row's keys."""
    if "article_content" in row and "cause_of_death" in row:
        return "fakes"
    if "NOTES" in row and "EVENT_TYPE" in row:
        return "acled"
    if "text" in row and "strike_type" in row:
        return "airwars"
    raise EvalError(f"unknown gold format (keys: {', '.join(sorted(row)[:8])}); expected FA-KES, ACLED or Airwars rows")


def _day(value: str | None, formats: Sequence[str]) -> dt.date | None:
    for fmt in formats:
        try:
            return dt.datetime.strptime((value or "").strip(), fmt).date()
        except ValueError:
            continue
    return None


def acled_published(row: dict[str, Any]) -> dt.date | None:
    """The Sunday ending the week of ACLED's event date (ACLED's weekly coding cycle)."""
    day = _day(row.get("EVENT_DATE"), ("%d/%m/%Y",))
    return day + dt.timedelta(days=6 - day.weekday()) if day else None


def to_input(row: dict[str, Any], fmt: str, index: int) -> Any:
    from .extract.pipeline import Input

    if fmt == "fakes":
        return Input(text=row.get("article_content") or "", title=row.get("article_title"), id=str(index))
    if fmt == "acled":
        return Input(text=row.get("NOTES") or "", published=acled_published(row), id=str(index))
    published = _day(row.get("publication_date"), ("%Y-%m-%d",))
    return Input(text=row.get("text") or "", title=row.get("page_title"), publisher=row.get("publisher"), published=published, id=str(index))


# -- what rasd answers ---------------------------------------------------------------------------


def main_event(ex: Extraction) -> Event | None:
    return next((e for e in ex.events if e.main), ex.events[0] if ex.events else None)


def answer_place(ctx: Context | None, ex: Extraction) -> Place | None:
    ev = main_event(ex)
    if ev is not None and ev.place is not None:
        return ev.place
    if ctx is None:
        return None
    from .extract import event_index

    return event_index.main_place(ctx)


def _value(f: Figure) -> int | None:
    return f.best if f.best is not None else f.low


def answer_count(ex: Extraction, kind: str, civilians: bool = True) -> int | None:
    """The main incident's toll of ``kind`` (civilians when ``civilians``): ``rasd.extract.tolls.main_toll``."""
    from .extract import tolls

    return tolls.toll_value(ex, kind, civilians)


def answer_fatalities(ex: Extraction) -> int | None:
    """ACLED's fatalities: the main incident's toll of everyone killed, fighters included."""
    return answer_count(ex, "killed", civilians=False)


def actor1_names(ex: Extraction) -> list[str]:
    ev = main_event(ex)
    return [a.name for a in ev.actors if a.role == "actor1"] if ev else []


# -- comparison helpers --------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _norm(name: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in name.lower()).split()
    return " ".join(w for w in words if w not in ("al", "el", "ad", "ar", "as", "governorate", "province", "muhafazat"))


def same_admin1(predicted: str | None, gold: str | None) -> bool:
    """Admin1 equality: ``rasd.geo.measure.same_admin1`` when present, else equal after folding case and articles."""
    try:
        from .geo import measure

        return bool(measure.same_admin1(predicted, gold))
    except ImportError:
        pass
    if not predicted or not gold:
        return False
    return _norm(predicted).replace(" ", "") == _norm(gold).replace(" ", "")


def within_km(place: Place | None, lat: Any, lon: Any, km: float = WITHIN_KM) -> bool:
    if place is None or place.lat is None or place.lon is None:
        return False
    return haversine_km(place.lat, place.lon, float(lat), float(lon)) <= km


def same_day(period: Any, gold: dt.date | None) -> bool:
    if period is None or gold is None or not period.start:
        return False
    return period.start == gold.isoformat() and (period.end in (None, period.start))


def in_range(value: int | None, low: Any, high: Any) -> bool:
    """Airwars' rule: a missing range and a missing answer both read as 0."""
    v = value or 0
    lo = int(low) if low is not None else 0
    hi = int(high) if high is not None else lo
    return lo <= v <= max(lo, hi)


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


# -- scoring ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    answerable: int = 0
    correct: int = 0

    def add(self, ok: bool) -> None:
        self.answerable += 1
        self.correct += bool(ok)

    @property
    def accuracy(self) -> float | None:
        return round(self.correct / self.answerable, 3) if self.answerable else None


@dataclass
class Report:
    format: str
    rows: int
    fields: dict[str, Tally] = field(default_factory=dict)
    groups: dict[str, Report] = field(default_factory=dict)  # ``--by``: one report per group

    def tally(self, name: str) -> Tally:
        return self.fields.setdefault(name, Tally())

    def scores(self) -> dict[str, float | None]:
        return {k: t.accuracy for k, t in self.fields.items()}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": self.format,
            "rows": self.rows,
            "fields": {k: {"answerable": t.answerable, "correct": t.correct, "accuracy": t.accuracy} for k, t in self.fields.items()},
        }
        if self.groups:
            out["groups"] = {k: g.to_dict() for k, g in sorted(self.groups.items())}
        return out


def score_fakes(rep: Report, row: dict[str, Any], ctx: Context | None, ex: Extraction) -> None:
    place = answer_place(ctx, ex)
    rep.tally("governorate").add(same_admin1(place.admin1 if place else None, row.get("location")))
    ev = main_event(ex)
    rep.tally("date").add(same_day(ev.date if ev else None, _day(row.get("date"), ("%m/%d/%y",))))
    gold = _int(row.get("nb_civilians"))
    if gold:
        rep.tally("civilians_killed").add(answer_count(ex, "killed") == gold)
    classes = [FAKES_ACTOR[n] for n in actor1_names(ex) if n in FAKES_ACTOR]
    rep.tally("actor").add((classes[0] if classes else "unknown") == row.get("actor"))
    cause = FAKES_CAUSE.get(ev.sub_event_type, "unknown") if ev else "unknown"
    if cause in ("shooting", "unknown") and ev is not None and ev.evidence is not None and _EXECUTION.search(ev.evidence.text):
        cause = "execution"
    rep.tally("cause").add(cause == row.get("cause_of_death"))


# FA-KES' "execution" has no ACLED sub-event type of its own (it is an Attack): the evidence's words decide
_EXECUTION = re.compile(r"\bexecut|\bbehead|\bsummarily\b|\bfiring squad|\bcrucif", re.I)


def score_acled(rep: Report, row: dict[str, Any], ctx: Context | None, ex: Extraction) -> None:
    ev = main_event(ex)
    score_types(rep.tally, ev, row.get("EVENT_TYPE") or "")
    place = answer_place(ctx, ex)
    if row.get("GEO_PRECISION") == "1" and row.get("LATITUDE"):
        rep.tally("place_10km").add(within_km(place, row["LATITUDE"], row["LONGITUDE"]))
    if row.get("ADMIN1"):
        rep.tally("admin1").add(same_admin1(place.admin1 if place else None, row["ADMIN1"]))
    if row.get("ADMIN2"):
        score_admin2(rep.tally, place, row["ADMIN2"])
    rep.tally("date").add(same_day(ev.date if ev else None, _day(row.get("EVENT_DATE"), ("%d/%m/%Y",))))
    gold = _int(row.get("FATALITIES"))
    if gold:
        rep.tally("fatalities").add(answer_fatalities(ex) == gold)
    score_actor1(rep.tally, actor1_names(ex), row.get("ACTOR1"))


def score_airwars(rep: Report, row: dict[str, Any], ctx: Context | None, ex: Extraction) -> None:
    place = answer_place(ctx, ex)
    gold_a1 = row.get("region") or row.get("governorate")
    if gold_a1:
        rep.tally("governorate").add(same_admin1(place.admin1 if place else None, gold_a1))
    if row.get("latitude") is not None and row.get("longitude") is not None:
        rep.tally("place_10km").add(within_km(place, row["latitude"], row["longitude"]))
    ev = main_event(ex)
    if row.get("strike_type"):
        allowed = set().union(*(AIRWARS_STRIKE.get(s.strip(), set()) for s in row["strike_type"].split(",")))
        rep.tally("strike_type").add(ev is not None and ev.sub_event_type in allowed)
    rep.tally("civilians_killed").add(in_range(answer_count(ex, "killed"), row.get("civilians_killed_min"), row.get("civilians_killed_max")))
    rep.tally("civilians_injured").add(in_range(answer_count(ex, "injured"), row.get("civilians_injured_min"), row.get("civilians_injured_max")))
    if row.get("belligerent"):
        gold = {b.strip() for b in row["belligerent"].split(",")}
        got = {AIRWARS_BELLIGERENT.get(n) for n in actor1_names(ex)}
        rep.tally("belligerent").add(bool(gold & got))


SCORERS: dict[str, Callable[[Report, dict[str, Any], Context | None, Extraction], None]] = {
    "fakes": score_fakes,
    "acled": score_acled,
    "airwars": score_airwars,
}


def score_rows(rows: Sequence[dict[str, Any]], fmt: str, results: Iterable[tuple[Context | None, Extraction]], by: str | None = None) -> Report:
    """Score extraction results (one per gold row, in order) against the gold rows; ``by`` ("country") also
    scores each group of rows on its own."""
    rep = Report(fmt, len(rows))
    for row, (ctx, ex) in zip(rows, results):
        SCORERS[fmt](rep, row, ctx, ex)
        if by:
            sub = rep.groups.setdefault(group_key(fmt, row, by), Report(fmt, 0))
            sub.rows += 1
            SCORERS[fmt](sub, row, ctx, ex)
    return rep


def evaluate_file(path: Path, limit: int | None = None, folds: int | None = None, by: str | None = None, group: str | None = None) -> Report:
    """Detect the gold format, extract every row's text in one batch, score every field (per ``by`` group too).

    With ``folds``, the event-type model that extracts each row never saw it, nor (``group="country"``) any
    row of its country (see ``cross_validated``)."""
    from .extract.pipeline import extract_inputs

    rows = read_gold(path)[:limit] if limit else read_gold(path)
    fmt = detect_format(rows[0])
    inputs = [to_input(row, fmt, i) for i, row in enumerate(rows)]
    if folds:
        return score_rows(rows, fmt, cross_validated(path, rows, fmt, inputs, folds, group), by)
    return score_rows(rows, fmt, extract_inputs(inputs), by)


def labelled_rows(path: Path, skip_countries: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """A gold file's rows as the event-type model's training texts (none when it is no gold file), leaving out
    the rows of ``skip_countries`` (ACLED's ``COUNTRY``)."""
    from .extract import train_events

    try:
        rows = read_gold(path)
        fmt = detect_format(rows[0])
    except EvalError:
        return []
    return [ex for row in rows if str(row.get("COUNTRY") or "") not in skip_countries for ex in train_events.row_examples(fmt, row)]


def training_files(path: Path) -> list[Path]:
    """The gold files that join a fold's training: the other files beside ``path`` and those of the data folder's
    ``check/`` (the folder above when ``path`` is in ``check/``): what ``train_events`` trains the shipped model on."""
    here = Path(path).parent
    data = here.parent if here.name == "check" else here
    found = sorted(data.glob("*.jsonl")) + sorted((data / "check").glob("*.jsonl"))
    return [p for p in found if p.resolve() != Path(path).resolve()]


def _fold_groups(rows: Sequence[dict[str, Any]], inputs: Sequence[Any], group: str | None) -> list[str]:
    if group is None:
        return [inp.text for inp in inputs]
    if group == "country":
        return [str(row.get("COUNTRY") or "?") for row in rows]
    raise EvalError(f"unknown cross-validation group {group!r}; expected: country")


def cross_validated(
    path: Path, rows: Sequence[dict[str, Any]], fmt: str, inputs: Sequence[Any], folds: int, group: str | None = None
) -> list[tuple[Context | None, Extraction]]:
    """Extract every row with an event-type model trained without it: the rows are split into ``folds`` folds
    (rows with the same text in the same fold; with ``group="country"``, whole countries), and each fold is
    extracted by a model fitted on rasd's written examples, the other gold files (``training_files``: the tuning
    files and the check file) and the other folds. With countries held out, no training row of another file
    from a held-out country is used either. Training never reads the held-out fold."""
    import tempfile

    from sklearn.model_selection import GroupKFold

    from .extract import event_model, train_events
    from .extract.pipeline import extract_inputs

    groups = _fold_groups(rows, inputs, group)
    folds = min(folds, len(set(groups)))
    if folds < 2:
        raise EvalError(f"{path}: cross-validation needs at least two distinct {'countries' if group else 'texts'}")
    others = training_files(path)
    results: list[Any] = [None] * len(rows)
    with tempfile.TemporaryDirectory(prefix="rasd-cv-") as tmp:
        for k, (train, test) in enumerate(GroupKFold(folds).split(rows, groups=groups)):
            held = frozenset(groups[i] for i in test) if group else frozenset()
            texts = {inputs[i].text for i in test}
            base = [ex for other in others for ex in labelled_rows(other, held) if ex[0] not in texts]
            pairs = train_events.EXAMPLES + base + [ex for i in train for ex in train_events.row_examples(fmt, rows[i])]
            vec, clf = train_events.fit([t for t, _ in pairs], [y for _, y in pairs])
            model = Path(tmp) / f"fold{k}.npz"
            event_model.save(model, vec, clf)
            with event_model.use(model):
                for i, result in zip(test, extract_inputs([inputs[i] for i in test])):
                    results[i] = result
    return results


def format_table(rep: Report) -> str:
    if rep.groups:
        return _format_groups(rep)
    lines = [f"{rep.format}: {rep.rows} rows", f"{'field':<20}{'answerable':>12}{'correct':>10}{'accuracy':>10}"]
    for name, t in rep.fields.items():
        acc = f"{t.accuracy:.3f}" if t.accuracy is not None else "-"
        lines.append(f"{name:<20}{t.answerable:>12}{t.correct:>10}{acc:>10}")
    return "\n".join(lines)


def _format_groups(rep: Report) -> str:
    """One line per group (largest first), the accuracy of every field; the whole file last."""
    names = list(rep.fields)
    width = max([len(g) for g in rep.groups] + [8]) + 2
    lines = [f"{rep.format}: {rep.rows} rows in {len(rep.groups)} groups", f"{'group':<{width}}{'rows':>6}" + "".join(f"{n[:12]:>13}" for n in names)]

    def line(label: str, r: Report) -> str:
        cells = [r.fields[n].accuracy if n in r.fields else None for n in names]
        return f"{label:<{width}}{r.rows:>6}" + "".join(f"{c:>13.3f}" if c is not None else f"{'-':>13}" for c in cells)

    for key, sub in sorted(rep.groups.items(), key=lambda kv: (-kv[1].rows, kv[0])):
        lines.append(line(key, sub))
    lines.append(line("all", rep))
    return "\n".join(lines)





# -- the quality gate ----------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def dev_scores(data_dir: Path, check: bool = True) -> dict[str, dict[str, Any]]:
    """Every dev file's scores and sha256, keyed by dataset name; with ``check``, the check file's too, scored as
    ``CHECK_CV`` says (countries held out of the event model's training) when it is present."""
    out = {}
    for name, filename in DEV_FILES.items():
        path = Path(data_dir) / filename
        out[name] = {"file": filename, "sha256": sha256_file(path), "scores": evaluate_file(path).scores()}
    for name, filename in CHECK_FILES.items() if check else ():
        path = Path(data_dir) / filename
        if path.exists():
            scores = evaluate_file(path, folds=CHECK_CV["folds"], group=str(CHECK_CV["group"])).scores()
            out[name] = {"file": filename, "sha256": sha256_file(path), "cross_validate": dict(CHECK_CV), "scores": scores}
    return out


def lowered(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Fields whose new score is below the pinned floor (same corpus hash only)."""
    out = []
    for name, entry in new.items():
        prev = old.get(name)
        if not prev or prev.get("sha256") != entry["sha256"]:
            continue
        for fld, floor in prev["scores"].items():
            score = entry["scores"].get(fld)
            if floor is not None and (score is None or score < floor):
                out.append(f"{name}.{fld}: {floor} -> {score}")
    return out


def pin(data_dir: Path, baseline: Path = BASELINE_PATH, allow_lower: bool = False) -> dict[str, Any]:
    """Score the dev files and write them as the gate's floors; refuses to lower a floor unless allowed."""
    new = dev_scores(data_dir)
    old = json.loads(baseline.read_text(encoding="utf-8")).get("datasets", {}) if baseline.exists() else {}
    drops = lowered(old, new)
    if drops and not (allow_lower or os.environ.get("RASD_LOWER_FLOORS") == "1"):
        raise EvalError("pinning would lower floors (" + "; ".join(drops) + "); pass --lower or set RASD_LOWER_FLOORS=1 to accept")
    kept = json.loads(baseline.read_text(encoding="utf-8")) if baseline.exists() else {}
    doc = {**kept, "tolerance": 0.005, "datasets": new}  # other keys (linking and attribution floors) stay
    baseline.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return doc


@click.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="Score only the first N rows.")
@click.option(
    "--cross-validate",
    "folds",
    type=int,
    default=None,
    metavar="K",
    help="Extract each row with an event-type model trained without it (K folds; the other gold files beside GOLD and in check/ join the training).",
)
@click.option("--group", type=click.Choice(["country"]), default=None, help="With --cross-validate: hold out whole countries (ACLED's COUNTRY).")
@click.option("--by", type=click.Choice(["country"]), default=None, help="Also score each country's rows on its own (a table per country).")
@click.option("--links", is_flag=True, help="Score linking instead (files with an incident key): pairwise P/R, B-cubed F1.")
@click.option("--attribution", is_flag=True, help="GOLD is a provenance gold set (tests/data/attribution/): score figures and their sources.")
def eval_command(gold: Path, fmt: str, limit: int | None, folds: int | None, group: str | None = None, by: str | None = None,
                 links: bool = False, attribution: bool = False) -> None:
    """Score rasd against a gold file (FA-KES, ACLED or Airwars JSONL): answerable / correct / accuracy per field."""
    if links:  # linking's scorer lives with linking
        from .link import score

        result = score.evaluate_links(gold, limit=limit)
        click.echo(score.to_json(result) if fmt == "json" else result.table())
        return
    if attribution:  # the provenance gold set: rasd.eval_attribution
        from . import eval_attribution

        return eval_attribution.eval_command(gold, fmt)
    if folds is not None and folds < 2:
        raise click.BadParameter("needs 2 folds or more", param_hint="--cross-validate")
    if group and not folds:
        raise click.BadParameter("needs --cross-validate K", param_hint="--group")
    rep = evaluate_file(gold, limit=limit, folds=folds, by=by, group=group)
    click.echo(json.dumps(rep.to_dict(), indent=2) if fmt == "json" else format_table(rep))


@click.command()
@click.option("--pin", "do_pin", is_flag=True, help="Write the dev scores as the quality gate's floors.")
@click.option("--lower", is_flag=True, help="Allow pinning a floor lower than the current one.")
@click.option("--no-check", is_flag=True, help="Score the three tuning files only (the check file takes minutes).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=ROOT.parent / "shared" / "data", show_default=False)
def main(do_pin: bool, lower: bool, no_check: bool, data: Path) -> None:
    """Score the three dev files and the check file (``--pin`` writes tests/eval_baseline.json)."""
    logging.basicConfig(level=logging.WARNING)
    if do_pin:
        doc = pin(data, allow_lower=lower)
        click.echo(json.dumps(doc, indent=2))
        return
    for name, entry in dev_scores(data, check=not no_check).items():
        click.echo(f"{name}: {json.dumps(entry['scores'])}")


if __name__ == "__main__":
    main()
