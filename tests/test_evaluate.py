"""`rasd eval`: format detection and the metric functions on tiny hand-made gold rows."""

from __future__ import annotations

import datetime as dt

import pytest

from rasd import evaluate
from rasd.errors import EvalError
from rasd.model import Actor, DocumentInfo, Event, Extraction, Figure, Period, Place


@pytest.mark.parametrize(
    "row, fmt",
    [
        ({"article_content": "x", "cause_of_death": "shelling", "actor": "unknown"}, "fakes"),
        ({"NOTES": "x", "EVENT_TYPE": "Remote violence", "ACTOR1": "y"}, "acled"),
        ({"text": "x", "strike_type": "Airstrike", "belligerent": "Turkish Military"}, "airwars"),
    ],
)
def test_detect_format(row: dict, fmt: str) -> None:
    assert evaluate.detect_format(row) == fmt


def test_unknown_format_says_what_it_expected() -> None:
    with pytest.raises(EvalError, match="FA-KES, ACLED or Airwars"):
        evaluate.detect_format({"foo": 1})


def _ex(sub: str, place: Place | None = None, figures: list[Figure] | None = None, actor1: str | None = None,
        date: str | None = None) -> Extraction:
    from rasd.model import SUB_EVENT_TO_TYPE

    figs = figures or []
    ev = Event(SUB_EVENT_TO_TYPE[sub], sub, main=True, place=place, figures=list(range(len(figs))),
               actors=[Actor(actor1, role="actor1")] if actor1 else [], date=Period(date, date, "day") if date else None)
    return Extraction(id="x", document=DocumentInfo(), events=[ev], figures=figs)


@pytest.mark.parametrize(
    "sub, old",
    [
        ("Armed clash", "Battle-No change of territory"),
        ("Government regains territory", "Battle-Government regains territory"),
        ("Non-state actor overtakes territory", "Battle-Non-state actor overtakes territory"),
        ("Air/drone strike", "Remote violence"),
        ("Remote explosive/landmine/IED", "Remote violence"),
        ("Attack", "Violence against civilians"),
        ("Abduction/forced disappearance", "Violence against civilians"),
        ("Arrests", "Strategic development"),
        ("Non-violent transfer of territory", "Non-violent transfer of territory"),
        ("Headquarters or base established", "Headquarters or base established"),
        ("Peaceful protest", "Riots/Protests"),
        ("Mob violence", "Riots/Protests"),
        ("Excessive force against protesters", "Violence against civilians"),
    ],
)
def test_acled_2016_mapping(sub: str, old: str | None) -> None:
    assert evaluate.acled_type(evaluate.main_event(_ex(sub))) == old


SARAQIB = Place("Saraqib", lat=35.864, lon=36.806, admin1="Idlib", country="SY", precision="point")


def test_acled_row_scores() -> None:
    row = {"NOTES": "n", "EVENT_TYPE": "Remote violence", "GEO_PRECISION": "1", "LATITUDE": "35.90", "LONGITUDE": "36.80",
           "ADMIN1": "Idlib", "EVENT_DATE": "04/02/2020", "FATALITIES": "5"}
    ex = _ex("Air/drone strike", SARAQIB, [Figure("killed", "civilians", best=3), Figure("killed", "fighters", best=2)], date="2020-02-04")
    rep = evaluate.score_rows([row], "acled", [(None, ex)])
    assert rep.scores() == {"event_type": 1.0, "event_type_violent": 1.0, "event_type6": 1.0, "place_10km": 1.0, "admin1": 1.0,
                            "date": 1.0, "fatalities": 1.0}


@pytest.mark.parametrize(
    "sub, gold, scores",
    [
        # a riot coded 2016 Riots/Protests: right in both taxonomies; not a violent row
        ("Mob violence", "Riots/Protests", {"event_type": 1.0, "event_type6": 1.0}),
        ("Peaceful protest", "Riots/Protests", {"event_type": 1.0, "event_type6": 1.0}),
        # a peaceful handover is a strategic development of its own 2016 type; an arrest only shares the current type
        ("Arrests", "Non-violent transfer of territory", {"event_type": 0.0, "event_type6": 1.0}),
        # a grenade thrown at no armed actor: violence against civilians in 2016, a grenade (remote violence) now
        ("Grenade", "Violence against civilians", {"event_type": 1.0, "event_type_violent": 1.0, "event_type6": 1.0}),
        ("Grenade", "Remote violence", {"event_type": 0.0, "event_type_violent": 0.0, "event_type6": 1.0}),
        # an air strike for a battle: wrong everywhere, and scored among the violent rows
        ("Air/drone strike", "Battle-No change of territory", {"event_type": 0.0, "event_type_violent": 0.0, "event_type6": 0.0}),
        # territory taken by the state: a battle, but not the 2016 type
        ("Government regains territory", "Battle-No change of territory", {"event_type": 0.0, "event_type_violent": 0.0, "event_type6": 1.0}),
    ],
)
def test_acled_event_type_scores_all_nine_types(sub: str, gold: str, scores: dict) -> None:
    row = {"NOTES": "n", "EVENT_TYPE": gold, "EVENT_DATE": "04/02/2016"}
    rep = evaluate.score_rows([row], "acled", [(None, _ex(sub))])
    assert {k: v for k, v in rep.scores().items() if k.startswith("event_type")} == scores


def test_acled_actor1_by_normalised_name_and_country_groups() -> None:
    rows = [
        {"NOTES": "n", "EVENT_TYPE": "Battle-No change of territory", "ACTOR1": "Military Forces of Somalia (2012-)", "COUNTRY": "Somalia"},
        {"NOTES": "n", "EVENT_TYPE": "Violence against civilians", "ACTOR1": "Unidentified Armed Group (Kenya)", "COUNTRY": "Kenya"},
        {"NOTES": "n", "EVENT_TYPE": "Violence against civilians", "ACTOR1": "Al Shabaab", "COUNTRY": "Kenya"},
    ]
    exs = [_ex("Armed clash", actor1="Military Forces of Somalia"), _ex("Attack"), _ex("Attack", actor1="al-Shabaab")]
    rep = evaluate.score_rows(rows, "acled", [(None, ex) for ex in exs], by="country")
    assert rep.fields["actor1"].correct == 2 and rep.fields["actor1"].answerable == 3
    assert {k: g.rows for k, g in rep.groups.items()} == {"Somalia": 1, "Kenya": 2}
    assert rep.groups["Kenya"].scores()["actor1"] == 0.5
    table = evaluate.format_table(rep)
    assert table.splitlines()[2].startswith("Kenya") and table.splitlines()[-1].startswith("all")


def test_fakes_row_scores() -> None:
    row = {"article_content": "t", "cause_of_death": "shelling", "actor": "syrian government or russian troops",
           "location": "idlib", "date": "2/4/20", "nb_civilians": "7"}
    ex = _ex("Shelling/artillery/missile attack", SARAQIB, [Figure("killed", "civilians", best=6)],
             actor1="Military Forces of Syria (2000-)", date="2020-02-04")
    rep = evaluate.score_rows([row], "fakes", [(None, ex)])
    assert rep.scores() == {"governorate": 1.0, "date": 1.0, "civilians_killed": 0.0, "actor": 1.0, "cause": 1.0}


def test_airwars_row_scores() -> None:
    row = {"text": "t", "strike_type": "Airstrike and/or Artillery", "belligerent": "Turkish Military, YPG", "region": "Idlib",
           "latitude": 35.0, "longitude": 40.0, "civilians_killed_min": 1, "civilians_killed_max": 3,
           "civilians_injured_min": None, "civilians_injured_max": None}
    ex = _ex("Shelling/artillery/missile attack", SARAQIB, [Figure("killed", "civilians", best=2)], actor1="Military Forces of Turkey (2002-)")
    rep = evaluate.score_rows([row], "airwars", [(None, ex)])
    assert rep.scores() == {"governorate": 1.0, "place_10km": 0.0, "strike_type": 1.0, "civilians_killed": 1.0,
                            "civilians_injured": 1.0, "belligerent": 1.0}


@pytest.mark.parametrize(
    "value, low, high, ok",
    [(2, 1, 3, True), (None, None, None, True), (0, None, None, True), (4, 1, 3, False), (None, 1, 2, False), (5, 5, None, True)],
)
def test_in_range_reads_missing_as_zero(value: int | None, low: int | None, high: int | None, ok: bool) -> None:
    assert evaluate.in_range(value, low, high) is ok


@pytest.mark.parametrize(
    "period, gold, ok",
    [
        (Period("2020-02-04", "2020-02-04", "day"), dt.date(2020, 2, 4), True),
        (Period("2020-02-01", "2020-02-07", "week"), dt.date(2020, 2, 1), False),
        (None, dt.date(2020, 2, 4), False),
    ],
)
def test_same_day(period: Period | None, gold: dt.date, ok: bool) -> None:
    assert evaluate.same_day(period, gold) is ok


def test_acled_published_is_the_sunday_ending_the_week() -> None:
    assert evaluate.acled_published({"EVENT_DATE": "12/01/2016"}) == dt.date(2016, 1, 17)
    assert evaluate.acled_published({"EVENT_DATE": "17/01/2016"}) == dt.date(2016, 1, 17)


def test_within_km() -> None:
    assert evaluate.within_km(SARAQIB, 35.90, 36.80)
    assert not evaluate.within_km(SARAQIB, 36.2, 37.15)  # Aleppo, ~50 km
    assert not evaluate.within_km(None, 35.9, 36.8)


def test_lowered_floors_are_reported() -> None:
    old = {"acled": {"sha256": "a", "scores": {"event_type": 0.6, "date": 0.3}}}
    assert evaluate.lowered(old, {"acled": {"sha256": "a", "scores": {"event_type": 0.5, "date": 0.4}}}) == ["acled.event_type: 0.6 -> 0.5"]
    assert evaluate.lowered(old, {"acled": {"sha256": "b", "scores": {"event_type": 0.1}}}) == []  # another corpus: not comparable


def test_eval_command_on_a_tiny_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"GWNO": "625", "EVENT_DATE": "12/01/2016", "EVENT_TYPE": "Battle-No change of territory",
                                "NOTES": "Clashes between the Sudanese army and the SPLM-N in South Kordofan killed 4 soldiers.",
                                "FATALITIES": "4", "ADMIN1": "South Kordofan", "GEO_PRECISION": "2", "LATITUDE": "11", "LONGITUDE": "30"}) + "\n")
    result = CliRunner().invoke(evaluate.eval_command, [str(gold), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["format"] == "acled" and out["fields"]["event_type"]["answerable"] == 1
    assert out["fields"]["event_type"]["correct"] == 1


def _acled_row(note: str, old_type: str) -> dict:
    return {"GWNO": "620", "EVENT_DATE": "12/01/2016", "EVENT_TYPE": old_type, "NOTES": note, "FATALITIES": "0",
            "ADMIN1": "", "GEO_PRECISION": "2", "LATITUDE": "", "LONGITUDE": ""}


def test_cross_validation_never_trains_on_the_rows_it_scores(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from rasd.extract import event_model, train_events

    notes = [
        ("Clashes erupted between two militias in Sabratha.", "Battle-No change of territory"),
        ("Gunmen shot dead a judge in Derna.", "Violence against civilians"),
        ("Militants seized the checkpoint east of Sirte.", "Battle-Non-state actor overtakes territory"),
        ("The army recaptured the district of Benghazi.", "Battle-Government regains territory"),
        ("Clashes erupted between two militias in Sabratha.", "Battle-No change of territory"),  # the same note twice
        ("Unknown assailants killed a teacher in Tripoli.", "Violence against civilians"),
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(_acled_row(n, t)) + "\n" for n, t in notes), encoding="utf-8")
    beside = tmp_path / "other.jsonl"  # another gold file in the folder joins every fold's training
    beside.write_text(json.dumps(_acled_row("Protesters gathered in Tunis and clashed with police.", "Battle-No change of territory")) + "\n", encoding="utf-8")
    (tmp_path / "notes.jsonl").write_text('{"not": "a gold file"}\n', encoding="utf-8")  # skipped, not an error

    fits: list[list[str]] = []
    real_fit = train_events.fit

    def recording_fit(texts: list[str], labels: list[str], **kw):  # type: ignore[no-untyped-def]
        fits.append(list(texts))
        return real_fit(texts, labels, **kw)

    used: list[str] = []
    real_predict = event_model.predict

    def recording_predict(text: str):  # type: ignore[no-untyped-def]
        used.append(str(event_model.MODEL_PATH))
        return real_predict(text)

    monkeypatch.setattr(train_events, "fit", recording_fit)
    monkeypatch.setattr(event_model, "predict", recording_predict)
    monkeypatch.setenv("RASD_N_PROCESS", "1")
    shipped = event_model.MODEL_PATH
    rep = evaluate.evaluate_file(gold, folds=3)

    assert rep.fields["event_type"].answerable == len(notes)
    assert rep.fields["event_type_violent"].answerable == len(notes)
    assert len(fits) == 3  # 4 distinct notes in 3 folds: the repeated note stays in one fold
    seen_in_training = [sum(n in fit for fit in fits) for n, _ in notes]
    assert all(count == 2 for count in seen_in_training)  # each note trains the two folds it is not in
    assert all("Protesters gathered in Tunis" in " ".join(fit) for fit in fits)
    assert used and all(path != str(shipped) for path in used)  # the folds' models, never the shipped one
    assert event_model.MODEL_PATH == shipped


def test_cross_validation_needs_two_texts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(_acled_row("Clashes in Sirte.", "Battle-No change of territory")) + "\n", encoding="utf-8")
    with pytest.raises(EvalError, match="two distinct texts"):
        evaluate.evaluate_file(gold, folds=5)


def test_eval_refuses_one_fold(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    gold = tmp_path / "g.jsonl"
    gold.write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(evaluate.eval_command, [str(gold), "--cross-validate", "1"])
    assert result.exit_code == 2 and "2 folds or more" in result.output


def test_country_cross_validation_holds_out_whole_countries(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from rasd.extract import train_events

    notes = [
        ("Clashes erupted between two militias in Kismayo.", "Battle-No change of territory", "Somalia"),
        ("Gunmen shot dead a trader in Mogadishu.", "Violence against civilians", "Somalia"),
        ("Soldiers clashed with rebels near Bunia.", "Battle-No change of territory", "Democratic Republic of Congo"),
        ("Militiamen killed two farmers in Beni.", "Violence against civilians", "Democratic Republic of Congo"),
        ("Herders attacked a village in Benue, killing four.", "Violence against civilians", "Nigeria"),
        ("The army fought Boko Haram near Bama.", "Battle-No change of territory", "Nigeria"),
    ]
    (tmp_path / "check").mkdir()
    gold = tmp_path / "check" / "gold.jsonl"
    gold.write_text("".join(json.dumps({**_acled_row(n, t), "COUNTRY": c}) + "\n" for n, t, c in notes), encoding="utf-8")
    # a tuning file in the folder above joins training, except its rows of the countries held out
    (tmp_path / "tuning.jsonl").write_text(
        json.dumps({**_acled_row("Al-Shabaab fighters attacked an AMISOM base in Somalia.", "Battle-No change of territory"), "COUNTRY": "Somalia"}) + "\n"
        + json.dumps({**_acled_row("Gunmen killed a soldier in Darfur.", "Violence against civilians"), "COUNTRY": "Sudan"}) + "\n",
        encoding="utf-8",
    )
    fits: list[list[str]] = []
    real_fit = train_events.fit

    def recording_fit(texts: list[str], labels: list[str], **kw):  # type: ignore[no-untyped-def]
        fits.append(list(texts))
        return real_fit(texts, labels, **kw)

    monkeypatch.setattr(train_events, "fit", recording_fit)
    monkeypatch.setenv("RASD_N_PROCESS", "1")
    rep = evaluate.evaluate_file(gold, folds=3, group="country", by="country")
    assert len(fits) == 3 and set(rep.groups) == {"Somalia", "Democratic Republic of Congo", "Nigeria"}
    for fit in fits:
        joined = " ".join(fit)
        present = {c for n, _, c in notes if n in joined}
        assert len(present) == 2  # the other two countries train; the held-out one is absent entirely
        assert ("AMISOM" in joined) == ("Somalia" in present)
        assert "Darfur" in joined


def test_acled_admin2_is_scored_as_the_export_writes_it() -> None:
    maiduguri = Place("Maiduguri", lat=11.8464, lon=13.1603, admin1="Borno", country="NG", precision="point")
    rows = [{"NOTES": "n", "EVENT_TYPE": "Remote violence", "ADMIN1": "Borno", "ADMIN2": gold, "EVENT_DATE": "04/02/2016"}
            for gold in ("Maiduguri", "Jere", "Maiduguri")]
    places = [maiduguri, maiduguri, Place("Borno", lat=11.5, lon=13.0, admin1="Borno", country="NG", precision="admin1")]
    rep = evaluate.score_rows(rows, "acled", [(None, _ex("Air/drone strike", p)) for p in places])
    scores = rep.scores()
    assert scores["admin2"] == 0.333      # of every row ACLED gives one
    assert scores["admin2_given"] == 0.5  # of the rows rasd wrote one (none for a province)
