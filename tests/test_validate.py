"""bilan validate: field-by-field scores against a golden file."""
import json

from extractors.validation import compare_records
from tests.conftest import run_bilan

GOLD = {
    "measures": [
        {"measure_id": "1", "theme": "0. Mesures transversales", "title": "Mettre sur pied une cellule d'intervention agile",
         "lead": ["Office des professions du Québec"], "collaborators": ["Tous les partenaires du Pôle interpellés"],
         "indicators": [{"text": "Mise en place de la cellule", "target": None, "deadline": "Automne 2019"}],
         "progress_percent": 100.0, "status_text": "Réalisée"},
        {"measure_id": "2", "title": "Actualiser le diagnostic sur le parcours d'admission des PFE",
         "lead": ["Office des professions du Québec"], "collaborators": ["CIQ", "BCI", "MES", "MEQ", "MIFI"],
         "indicators": [{"text": "Diagnostic actualisé", "deadline": "2021"}, {"text": "Rapport publié", "deadline": "2022"}]},
    ],
    "announcements": [{"date": "2012-03-01", "title": "Québec investit 15,5 M$", "amount_text": "15,5 M$", "amount_dollars": 15500000}],
}


def test_identical_records_score_one():
    report = compare_records(GOLD, GOLD)
    assert report.total.f1 == 1.0 and not report.differences
    assert report.records == {"measures": (2, 2, 2), "announcements": (1, 1, 1)}


def test_each_kind_of_mistake_costs_its_items():
    pred = json.loads(json.dumps(GOLD))
    pred["measures"][1]["collaborators"] = ["CIQ", "BCI", "MES", "MEQ", "Office"]  # one wrong partner
    pred["measures"][1]["indicators"].pop()  # one indicator (text + deadline) missed
    pred["measures"][0]["progress_percent"] = 10.0  # numbers are exact
    pred["announcements"][0]["amount_dollars"] = 15.5
    pred["measures"].append({"measure_id": "9", "title": "Mesure inventée"})  # spurious record
    report = compare_records(GOLD, pred)
    fields = report.fields
    assert (fields["measures.collaborators"].tp, fields["measures.collaborators"].gold) == (5, 6)
    assert (fields["measures.indicators.text"].tp, fields["measures.indicators.text"].gold) == (2, 3)
    assert fields["measures.progress_percent"].tp == 0
    assert fields["announcements.amount_dollars"].tp == 0
    assert fields["measures.title"].pred == 3 and fields["measures.title"].tp == 2
    assert 0.7 < report.total.f1 < 0.95


def test_records_pair_by_title_when_unnumbered():
    gold = {"measures": [{"title": "Informer les PFE des conditions d'admission"}, {"title": "Soutenir les ordres"}]}
    pred = {"measures": [{"title": "Soutenir les ordres professionnels"}, {"title": "Informer les PFE des conditions d’admission"}]}
    report = compare_records(gold, pred)
    assert report.records["measures"] == (2, 2, 2)
    assert report.fields["measures.title"].tp == 1  # "Soutenir les ordres" vs "... professionnels" is not the same title


def test_cli_thresholds_and_json(tmp_path):
    golden = tmp_path / "golden.json"
    golden.write_text(json.dumps({"document": "x", "records": GOLD}), encoding="utf-8")
    same = tmp_path / "out.json"
    same.write_text(json.dumps({"records": GOLD}), encoding="utf-8")
    ok = run_bilan("validate", same, "--golden", golden, "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["f1"] == 1.0
    worse = json.loads(json.dumps(GOLD))
    worse["measures"].pop()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"records": worse}), encoding="utf-8")
    result = run_bilan("validate", bad, "--golden", golden)
    assert result.returncode == 14
    assert "measures.collaborators" in result.stdout and "below --min-f1 0.95" in result.stdout
    missing = run_bilan("validate", tmp_path / "absent.json", "--golden", golden)
    assert missing.returncode == 3 and "no such file" in missing.stderr
