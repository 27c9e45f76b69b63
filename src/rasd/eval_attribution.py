"""Score figures and their sources against the provenance gold set (docs/annotation.md).

The gold file (``tests/data/attribution/gold.jsonl``) holds, per document, a
reference to its text (a row of a shared dev file, or one of our examples, with
the text's sha256) and the figures as character offsets and labels. The text is
read at scoring time from the shared folder or the repository; a text whose
sha256 differs from the gold's is an error (the offsets would be meaningless).

A gold figure is **found** when a figure rasd extracted has a number span (else
its evidence span) overlapping the gold span; each extracted figure answers one
gold figure at most (pairs are taken best first: same value, then nearest
start), and a gold figure that restates a matched figure's claim (same kind, value and source) is found
through it, since rasd stores a repeated claim once. Over the found figures: **kind**, **bounds** (``approximate``: the best
value only; else low, best and high), **own voice** (gold source null, rasd's
null too) and **via** (same outlet, or both null). **Named source** is over
every gold figure whose source the text names, found or not (a missed figure
counts wrong), and **via named** over every gold figure with a ``via``.

``python -m rasd.eval_attribution agree A.jsonl B.jsonl`` compares two
annotations of the same documents (figure-match F1 and label agreement).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from .errors import RasdError

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
GOLD_PATH = ROOT / "tests" / "data" / "attribution" / "gold.jsonl"
HALVES = ("tuning", "check")
# words that do not name a source on their own: "the group" must not match "Syrian Observatory ... group"
_GENERIC = frozenset(
    "a an the of for in on and at group groups source sources media official officials monitor monitoring "
    "activists activist reports report agency news statement local state network center centre".split()
)


class AttributionGoldError(RasdError):
    """The gold file is malformed, or a document's text is missing or changed."""


# -- the gold file -------------------------------------------------------------------------------


def read_gold(path: Path) -> list[dict[str, Any]]:
    docs = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AttributionGoldError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        if not isinstance(rec, dict) or "doc" not in rec or "figures" not in rec:
            raise AttributionGoldError(f"{path}:{n}: a gold line needs 'doc' and 'figures'")
        docs.append(rec)
    return docs


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


_ROW_CACHE: dict[Path, list[dict[str, Any]]] = {}


def _row(path: Path, ref: dict[str, Any]) -> dict[str, Any]:
    if path not in _ROW_CACHE:
        _ROW_CACHE[path] = _rows(path)
    rows = _ROW_CACHE[path]
    if ref.get("row") is not None:
        return rows[int(ref["row"])]
    return next(r for r in rows if str(r.get(ref["key"])) == str(ref["id"]))


def document_input(ref: dict[str, Any], shared: Path = SHARED, root: Path = ROOT) -> Any:
    """The extraction input of one gold document, built as ``rasd eval`` builds it (the text the offsets index)."""
    from .evaluate import to_input
    from .extract.pipeline import Input

    base = shared if ref.get("root") == "shared" else root
    path = base / ref["file"]
    if not path.exists():
        raise AttributionGoldError(f"{path} not found: the gold document {ref['id']} needs it")
    if "fakes" in ref["file"]:
        inp = to_input(_row(path, ref), "fakes", int(ref["row"]))
    elif "airwars" in ref["file"]:
        inp = to_input(_row(path, ref), "airwars", int(ref["row"]))
    elif path.suffix == ".jsonl":
        row = _row(path, ref)
        inp = Input(text=row["text"], title=row.get("title"), publisher=row.get("publisher"), id=row["id"])
    else:
        inp = Input(text=path.read_text(encoding="utf-8"), id=path.name)
    digest = hashlib.sha256(inp.text.encode("utf-8")).hexdigest()
    if digest != ref["sha256"]:
        raise AttributionGoldError(f"the text of {ref['file']} {ref['id']} changed (sha256 {digest[:12]}… != {ref['sha256'][:12]}…)")
    return inp


# -- matching ------------------------------------------------------------------------------------


def _key(name: str) -> str:
    name = re.sub(r"[’']s\b", "", name.lower())
    return " ".join(w for w in re.findall(r"[\w.-]+", name) if w not in ("a", "an", "the"))


def _acronym(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in ("of", "for", "the", "and", "in", "on")]
    return "".join(w[0] for w in words).lower()


def names_match(predicted: str | None, gold: Sequence[str]) -> bool:
    """Does rasd's source name the gold source? Same words (without articles), an acronym of it, or a
    subset of its words that holds a word naming the source ("Observatory" for SOHR's full name)."""
    if not predicted or not gold:
        return False
    p = _key(predicted)
    pw = set(p.split())
    for g in gold:
        k = _key(g)
        if p == k or (len(p) >= 3 and " " not in p and p.replace(".", "") == _acronym(g)) or _acronym(predicted) == k:
            return True
        gw = set(k.split())
        small, big = (pw, gw) if len(pw) <= len(gw) else (gw, pw)
        if small and small <= big and small - _GENERIC:
            return True
    return False


def _value(low: int | None, best: int | None, high: int | None) -> int | None:
    return best if best is not None else (low if low is not None else high)


def _span(fig: Any) -> tuple[int, int] | None:
    span = fig.number or fig.evidence
    return (span.start, span.end) if span is not None else None


def _repeats(g: dict[str, Any], p: Any) -> bool:
    """Is ``g`` the claim ``p`` states (same kind, value and source)? rasd stores a repeated claim once."""
    names = [g["attributed_to"], *g.get("alt", [])] if g["attributed_to"] else []
    same_source = names_match(p.attributed_to, names) if names else p.attributed_to is None
    return bool(p.kind == g["kind"] and _value(g["low"], g["best"], g["high"]) in (p.low, p.best, p.high) and same_source)


def match(gold: Sequence[dict[str, Any]], predicted: Sequence[Any], repeats: bool = True) -> dict[int, Any]:
    """Gold index -> the extracted figure that answers it (one each, best pairs first). With ``repeats``, a gold
    figure left over that restates the claim of a matched figure (same kind, value and source) is found through it:
    rasd merges a repeated claim into its first mention."""
    pairs = []
    for gi, g in enumerate(gold):
        gv = _value(g["low"], g["best"], g["high"])
        for pi, p in enumerate(predicted):
            span = _span(p)
            if span is None or span[0] >= g["end"] or span[1] <= g["start"]:
                continue
            same = gv is not None and gv in (p.low, p.best, p.high)
            pairs.append((not same, abs(span[0] - g["start"]), gi, pi))
    out: dict[int, Any] = {}
    used: set[int] = set()
    for _, _, gi, pi in sorted(pairs):
        if gi not in out and pi not in used:
            out[gi] = predicted[pi]
            used.add(pi)
    if repeats:
        for gi, g in enumerate(gold):
            if gi not in out:
                first = next((p for p in out.values() if _repeats(g, p)), None)
                if first is not None:
                    out[gi] = first
    return out


def bounds_right(g: dict[str, Any], p: Any) -> bool:
    if g["qualifier"] == "approximate":
        return bool(p.best == g["best"])
    return bool((p.low, p.best, p.high) == (g["low"], g["best"], g["high"]))


# -- scores --------------------------------------------------------------------------------------


@dataclass
class Counts:
    """Numerators and denominators of one half."""

    n: dict[str, list[int]] = field(default_factory=dict)

    def add(self, name: str, ok: bool) -> None:
        right, total = self.n.setdefault(name, [0, 0])
        self.n[name] = [right + int(ok), total + 1]

    def scores(self) -> dict[str, float | None]:
        return {k: (round(r / t, 3) if t else None) for k, (r, t) in self.n.items()}


METRICS = ("found", "precision", "kind", "bounds", "named_source", "own_voice", "via", "via_named")


def score_document(counts: Counts, gold: Sequence[dict[str, Any]], predicted: Sequence[Any]) -> None:
    for name in METRICS:
        counts.n.setdefault(name, [0, 0])
    found = match(gold, predicted)
    for gi, g in enumerate(gold):
        p = found.get(gi)
        counts.add("found", p is not None)
        names = [g["attributed_to"], *g.get("alt", [])] if g["attributed_to"] else []
        if names:
            counts.add("named_source", p is not None and names_match(p.attributed_to, names))
        if g.get("via"):
            counts.add("via_named", p is not None and names_match(p.via, [g["via"]]))
        if p is None:
            continue
        counts.add("kind", p.kind == g["kind"])
        counts.add("bounds", bounds_right(g, p))
        if not names:
            counts.add("own_voice", p.attributed_to is None)
        counts.add("via", names_match(p.via, [g["via"]]) if g.get("via") else p.via is None)
    answering = {id(p) for p in found.values()}
    for p in predicted:
        counts.add("precision", id(p) in answering)


def evaluate(gold_path: Path = GOLD_PATH, shared: Path = SHARED, root: Path = ROOT) -> dict[str, dict[str, Any]]:
    """Scores per half (and ``all``), with each half's document and figure counts."""
    from .extract.pipeline import extract_inputs

    docs = read_gold(gold_path)
    inputs = [document_input(d["doc"], shared, root) for d in docs]
    counts = {h: Counts() for h in (*HALVES, "all")}
    for d, (_, ex) in zip(docs, extract_inputs(inputs)):
        for h in (d["half"], "all"):
            score_document(counts[h], d["figures"], ex.figures)
    out = {}
    for h, c in counts.items():
        members = [d for d in docs if h in (d["half"], "all")]
        out[h] = {"documents": len(members), "figures": sum(len(d["figures"]) for d in members), "scores": c.scores()}
    return out


def format_table(result: dict[str, dict[str, Any]]) -> str:
    halves = list(result)
    lines = [f"{'':<14}" + "".join(f"{h:>10}" for h in halves)]
    lines.append(f"{'documents':<14}" + "".join(f"{result[h]['documents']:>10}" for h in halves))
    lines.append(f"{'figures':<14}" + "".join(f"{result[h]['figures']:>10}" for h in halves))
    for m in METRICS:
        cells = [result[h]["scores"].get(m) for h in halves]
        lines.append(f"{m:<14}" + "".join(f"{c:>10.3f}" if c is not None else f"{'-':>10}" for c in cells))
    return "\n".join(lines)


def eval_command(gold: Path, fmt: str) -> None:
    """``rasd eval --attribution GOLD``."""
    result = evaluate(gold)
    click.echo(json.dumps(result, indent=2) if fmt == "json" else format_table(result))


# -- agreement between two annotations -----------------------------------------------------------


def _doc_key(rec: dict[str, Any]) -> tuple[str, str]:
    return (rec["doc"]["file"], str(rec["doc"]["id"]))


@dataclass
class _Fig:
    """A gold figure seen as an extracted one, so that ``match`` pairs two annotations."""

    g: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        if name in ("number", "evidence"):
            return _SpanView(self.g["start"], self.g["end"])
        return self.g[name]


@dataclass
class _SpanView:
    start: int
    end: int


def agreement(a: Iterable[dict[str, Any]], b: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Figure-match F1 and label agreement (kind, bounds, source, via) on the documents both files hold."""
    bdocs = {_doc_key(r): r for r in b}
    both = [(r, bdocs[_doc_key(r)]) for r in a if _doc_key(r) in bdocs]
    counts = Counts()
    na = nb = matched = 0
    for ra, rb in both:
        fa, fb = ra["figures"], rb["figures"]
        pairs = match(fa, [_Fig(g) for g in fb], repeats=False)
        na, nb, matched = na + len(fa), nb + len(fb), matched + len(pairs)
        for gi, p in pairs.items():
            g = fa[gi]
            counts.add("kind", g["kind"] == p.kind)
            counts.add("bounds", (g["low"], g["best"], g["high"]) == (p.low, p.best, p.high))
            sa = [g["attributed_to"], *g.get("alt", [])] if g["attributed_to"] else []
            sb = [p.attributed_to, *p.g.get("alt", [])] if p.attributed_to else []
            counts.add("source", (not sa and not sb) or any(names_match(x, sa) for x in sb))
            counts.add("via", (not g.get("via") and not p.g.get("via")) or names_match(p.g.get("via"), [g["via"]] if g.get("via") else []))
    f1 = 2 * matched / (na + nb) if na + nb else None
    return {"documents": len(both), "figures_a": na, "figures_b": nb, "matched": matched,
            "figure_f1": round(f1, 3) if f1 is not None else None, "labels": counts.scores()}


@click.group()
def cli() -> None:
    """The provenance gold set: score rasd against it, or compare two annotations."""


@cli.command("score")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=GOLD_PATH)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def _score(gold: Path, fmt: str) -> None:
    eval_command(gold, fmt)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def pin(gold: Path = GOLD_PATH, baseline: Path | None = None, shared: Path = SHARED) -> dict[str, Any]:
    """Write the per-half scores as floors under the ``attribution`` key of tests/eval_baseline.json."""
    baseline = baseline or ROOT / "tests" / "eval_baseline.json"
    doc = json.loads(baseline.read_text(encoding="utf-8")) if baseline.exists() else {}
    result = evaluate(gold, shared)
    doc["attribution"] = {
        "file": str(Path(gold).resolve().relative_to(ROOT)) if Path(gold).resolve().is_relative_to(ROOT) else str(gold),
        "sha256": sha256_file(gold),
        "tolerance": 0.005,
        "scores": {h: result[h]["scores"] for h in HALVES},
    }
    baseline.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return doc["attribution"]


@cli.command("pin")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=GOLD_PATH)
def _pin(gold: Path) -> None:
    """Pin the gold set's per-half scores as the gate's floors (tests/eval_baseline.json, key attribution)."""
    click.echo(json.dumps(pin(gold), indent=2))


@cli.command("agree")
@click.argument("first", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("second", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--second-pass-only/--all", default=True, help="Only the documents marked second_pass in FIRST.")
def _agree(first: Path, second: Path, second_pass_only: bool) -> None:
    """Agreement between two annotation files of the same documents."""
    a = [r for r in read_gold(first) if r.get("second_pass") or not second_pass_only]
    click.echo(json.dumps(agreement(a, read_gold(second)), indent=2))


if __name__ == "__main__":
    cli()
