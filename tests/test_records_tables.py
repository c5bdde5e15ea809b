"""Measures from tables (extractors.records.from_tables reading the grids of extractors.tables): field
helpers, column roles, the corpus annex (born-digital and scanned), and two municipal plans the
reader was not written for (tests/plans/make_unseen_plans.py), born-digital and scanned. OCR tests
read at most 8 pages."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import CORPUS, ROOT
from extractors.pipeline import file_to_document
from extractors.tables.roles import header_roles
from extractors.records.measure_fields import (
    indicators_of,
    is_deadline,
    lead_and_partners,
    organisations,
    progress_of,
    split_id,
    target_of,
)
from extractors.options import IngestOptions
from extractors.records.from_tables import tables_to_measures
from extractors.tables.stage import document_to_tables
from extractors.validation import compare_records, golden_for

PLANS = ROOT / "tests" / "plans"
GOLDEN = ROOT / "golden"


def lines(*texts: str, bold=None):
    return [[(w, bold) for w in t.split()] for t in texts]


def measures_of(document):
    return tables_to_measures(document, document_to_tables(document))


def f1(golden_path: Path, measures, pages=None) -> float:
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    # the variant's own golden values (the typeset copies of 000 print status labels: variant_overrides)
    source = measures[0].provenance.file if measures else ""
    gold = golden_for(golden, {"source": {"path": source}})
    records = [m for m in gold["measures"] if pages is None or m.get("page") in pages]
    report = compare_records({"measures": records}, {"measures": [m.model_dump() for m in measures]}, kinds=["measures"])
    return report.total.f1


# --- fields -----------------------------------------------------------------------------------


def test_organisations_split_as_printed():
    assert [t for t, _ in organisations(lines("Office des professions", "du Québec", "CIQ, BCI, Fédération des",
                                              "cégeps, MES, MEQ, MIFI,", "ordres concernés"))] == [
        "Office des professions du Québec", "CIQ", "BCI", "Fédération des cégeps", "MES", "MEQ", "MIFI", "ordres concernés"]
    # "et" joins two names, not a complement; a parenthesis stays with its name
    assert lead_and_partners(lines("BCI (et les", "établissements)", "Q2 et CIQ (ordres", "professionnels)")) == (
        ["BCI (et les établissements)"], ["Q2", "CIQ (ordres professionnels)"])
    assert lead_and_partners(lines("MSSS", "Office et ordres", "professionnels")) == (["MSSS"], ["Office", "ordres professionnels"])
    assert [t for t, _ in organisations(lines("Service des loisirs et de la culture, Transport adapté et collectif"))] == [
        "Service des loisirs et de la culture", "Transport adapté et collectif"]
    # a line the typesetter wrapped does not end a name; one broken on purpose does
    cell = lines("Conservation de la nature", "Canada, MRC de la Vallée")
    assert [t for t, _ in organisations(cell, soft=[True, False])] == ["Conservation de la nature Canada", "MRC de la Vallée"]
    assert [t for t, _ in organisations(cell, soft=[False, False])][0] == "Conservation de la nature"


def test_bold_lead_and_plain_partners():
    cell = [[("Ville", True), ("de", True), ("Sainte-Adèle", True), ("Comité", False), ("famille,", False), ("CISSS", False)]]
    assert lead_and_partners(cell) == (["Ville de Sainte-Adèle"], ["Comité famille", "CISSS"])
    # OCR leaves short words' weight unknown (None): they follow their neighbours
    cell = [[("Service", True), ("de", None), ("l'urbanisme", True)], [("Office", False), ("municipal", False)]]
    assert lead_and_partners(cell) == (["Service de l'urbanisme"], ["Office municipal"])


def test_labelled_partners_in_one_cell():
    assert lead_and_partners(lines("Responsable : Service des loisirs", "Partenaires : MRC, CISSS des", "Laurentides")) == (
        ["Service des loisirs"], ["MRC", "CISSS des Laurentides"])
    assert lead_and_partners(lines("Service des loisirs en collaboration avec la MRC et le CISSS")) == (
        ["Service des loisirs"], ["MRC", "CISSS"])


@pytest.mark.parametrize("text", ["En continu", "Décembre 2020", "2020-2021 (2 ans)", "31 mars 2022", "Été 2022", "2024",
                                  "T2 2025", "d'ici 2026", "Court terme", "Printemps 2026"])
def test_deadlines(text):
    assert is_deadline(text)


@pytest.mark.parametrize("text", ["Pistes d'action", "275 personnes", "Information à jour sur les sites Web"])
def test_not_deadlines(text):
    assert not is_deadline(text)


def test_indicators_take_the_date_printed_under_them():
    paragraphs = [lines("Augmentation de 20 % par année", "pour atteindre 2 115 participants", "en 2022", "31 mars 2022"),
                  lines("Outil de collecte de données", "Hiver 2023")]
    found = indicators_of(paragraphs, with_targets=True)
    assert [(i.text, i.target, i.deadline) for i in found] == [
        ("Augmentation de 20 % par année pour atteindre 2 115 participants en 2022", "2 115 participants", "31 mars 2022"),
        ("Outil de collecte de données", None, "Hiver 2023")]


@pytest.mark.parametrize("text, target", [
    ("275 personnes admises à la RCMO", "275 personnes"),
    ("Réalisation de deux projets en RAC", "deux projets"),
    ("Augmentation de 42 % de nouveaux participants à IPOP", "42 % de nouveaux participants"),
    ("Octroyer 60 garanties de prêt par année à des PFE qui éprouvent des difficultés", "60 garanties de prêt par année"),
    ("Information à jour sur les sites Web", None),
])
def test_targets(text, target):
    assert target_of(text) == target


def test_progress_status_and_parts():
    assert progress_of(lines("100 % — Réalisée", "Des défis d'accès ont été portés", "OPTMQ : 100 %", "texte", "OIIAQ : 100 %"))[:2] == (100.0, "Réalisée")
    assert len(progress_of(lines("100 % — Réalisée", "OPTMQ : 100 %", "OIIAQ : 100 %"))[2]) == 2
    assert progress_of(lines("En cours (70 %)", "Plantation printanière :", "100 %", "Plantation automnale :", "40 %")) == (
        70.0, "En cours", progress_of(lines("x", "Plantation printanière : 100 %", "Plantation automnale : 40 %"))[2])
    assert progress_of(lines("Aucune cible en 2023-2024", "Il n'y avait pas de cible pour PRIIME en 2023-2024, car la"))[:2] == (
        None, "Aucune cible en 2023-2024")
    bold_status = [[("72", True), ("%", None), ("—", None), ("Partiellement", True), ("réalisée", True)], [("Pour", False)]]
    assert progress_of(bold_status)[:2] == (72.0, "Partiellement réalisée")


def test_ids():
    assert split_id("1.2 Mettre en place un comité") == ("1.2", "Mettre en place un comité")
    assert split_id("2024 Mettre") == (None, "2024 Mettre")


@pytest.mark.parametrize("heading, role", [
    ("N°", "id"), ("No", "id"), ("Nom de la mesure", "title"), ("Actions", "title"), ("Axes", "group"),
    ("M/O en charge et M/O collaborateurs", "lead_partners"), ("Responsables et partenaires", "lead_partners"),
    ("Porteur", "lead"), ("Collaborateurs", "partners"), ("Indicateurs / cibles / échéances", "indicators"),
    ("Indicateur de suivi", "indicators"), ("Échéancier", "deadline"), ("Échéance", "deadline"), ("Ressources", "resources"),
    ("Budget", "resources"), ("État d'avancement au 31 mars 2024", "status"), ("Statut", "status"),
    ("% de réalisation", "progress"), ("Réalisé (oui/non)", "status"), ("Actions réalisées", "title"),
    ("Année de réalisation", "deadline"),
    ("Fchéancier", "deadline"),  # one letter misread by OCR
    ("É CHEANCIER", "deadline"),  # small capitals split by the text layer, accent lost
    ("Échéan-\ncier", "deadline"),  # hyphenated over two header lines
    ("Ressources nécessaires", "resources"), ("Axes stratégiques / Objectifs spécifiques", "title"),
    ("Commentaires", "comment"), ("Cibles", "targets"),
])
def test_header_roles(heading, role):
    assert header_roles(heading)[0][0] == role


def test_rules_found_in_a_skewed_page_image():
    """A table grid drawn at 1° with text between its rules: the rules come back, level, and the
    text (capitals included) does not pass for rules."""
    import math

    from PIL import Image, ImageDraw

    from extractors.ocr.rulings import rulings_in_image
    from extractors.tables.geometry import merge_rules

    image = Image.new("L", (2400, 1200), 250)
    draw = ImageDraw.Draw(image)
    for y in (200, 400, 600, 800):
        draw.line([(200, y), (2200, y)], fill=60, width=3)
    for x in (200, 900, 2200):
        draw.line([(x, 200), (x, 800)], fill=60, width=3)
    for y in (260, 460, 660):
        draw.text((240, y), "AMENAGEMENT DU TERRITOIRE ET MILIEU DE VIE " * 3, fill=20)
    angle = 1.0
    skewed = image.rotate(-angle, fillcolor=250)  # PIL turns counter-clockwise
    rules = rulings_in_image(np.asarray(skewed), 300.0, math.radians(angle))
    hs, vs = merge_rules(rules, horizontal=True), merge_rules(rules, horizontal=False)
    assert len(hs) == 4 and len(vs) == 3
    gaps = [b.pos - a.pos for a, b in zip(hs, hs[1:])]
    assert all(abs(g - 200 * 72 / 300) < 1.5 for g in gaps)


def test_a_rule_drawn_double_is_one_rule():
    from extractors.tables.stage import merge_double_rules
    from schemas.table import Ruling

    rules = [Ruling(x0=10, top=100.0, x1=300, bottom=100.5), Ruling(x0=12, top=101.5, x1=298, bottom=102.0),
             Ruling(x0=10, top=200.0, x1=300, bottom=200.5),  # another row's rule
             Ruling(x0=150, top=101.0, x1=150.5, bottom=300),  # a column's, across them
             Ruling(x0=10, top=103.0, x1=60, bottom=103.5)]  # close, but along a sixth of their length
    merged = merge_double_rules(rules)
    assert len(merged) == 4
    double = merged[0]
    assert (double.x0, double.x1) == (10, 300) and (double.top + double.bottom) / 2 == pytest.approx(101.0)
    assert merged[1].top == 103.0 and merged[2].top == 200.0 and not merged[3].horizontal


# --- born-digital documents ----------------------------------------------------------------------


def test_corpus_annex_born_digital():
    measures = measures_of(file_to_document(CORPUS / "000_report.pdf"))
    assert f1(GOLDEN / "000_annual_report.json", measures) >= 0.95
    first = measures[0]
    assert (first.measure_id, first.theme, first.lead) == ("1", "0. Mesures transversales", ["Office des professions du Québec"])
    assert [(p.label, p.percent) for p in first.progress] == [("OPTMQ", 100.0), ("OIIAQ", 100.0)]
    assert first.provenance.page == 8 and first.provenance.bbox is not None and not first.flagged
    # the table runs over pages 8-14: measure 16 starts on 13, its progress text goes on to 14
    assert [m.provenance.page for m in measures].count(13) == 1 and len(measures) == 16


@pytest.mark.parametrize("name", ["plan_sainte_adele", "plan_val_des_cedres"])
def test_unseen_plans_born_digital(name):
    measures = measures_of(file_to_document(PLANS / f"{name}.pdf"))
    assert f1(PLANS / f"{name}.golden.json", measures) >= 0.9


def test_unseen_plan_structure():
    measures = measures_of(file_to_document(PLANS / "plan_sainte_adele.pdf"))
    by_title = {m.title: m for m in measures}
    m = by_title["Mettre en place un service de navette vers les cliniques médicales"]
    assert m.theme == "AXE 3 – SANTÉ, SÉCURITÉ ET SERVICES DE PROXIMITÉ" and m.group == "Faciliter l'accès aux services"
    assert m.lead == ["Direction générale"] and m.collaborators == ["Transport adapté et collectif des Laurentides", "CISSS des Laurentides"]
    assert (m.deadline, m.resources, m.measure_id) == ("2026", "60 000 $", None)
    assert {x.provenance.page for x in measures} == {1, 2, 3}  # over three pages, header repeated


def test_no_measures_where_there_is_no_measure_table():
    for name in ("004_avis.pdf", "003_communiques.pdf"):
        assert measures_of(file_to_document(CORPUS / name)) == []


def test_generator_is_deterministic(tmp_path):
    spec = importlib.util.spec_from_file_location("make_unseen_plans", PLANS / "make_unseen_plans.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for made in sorted(tmp_path.iterdir()):
        digest = hashlib.sha256(made.read_bytes()).hexdigest()
        assert digest == hashlib.sha256((PLANS / made.name).read_bytes()).hexdigest(), made.name


# --- scans (OCR) --------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def scanned(path: str, pages: str | None = None):
    return file_to_document(path, IngestOptions(pages=pages, workers=2))


@pytest.mark.ocr
def test_corpus_annex_scanned():
    """Pages 8-10 of the scan: measures 1-7, three theme bars, the table running over pages."""
    measures = measures_of(scanned(str(CORPUS / "000_report_scan.pdf"), "8-10"))
    assert f1(GOLDEN / "000_annual_report.json", measures, pages={8, 9, 10}) >= 0.95
    assert [m.measure_id for m in measures] == ["1", "2", "3", "4", "5", "6", "7"]


@pytest.mark.ocr
@pytest.mark.parametrize("name", ["plan_sainte_adele", "plan_val_des_cedres"])
def test_unseen_plans_scanned(name):
    measures = measures_of(scanned(str(PLANS / f"{name}_scan.pdf")))
    assert f1(PLANS / f"{name}.golden.json", measures) >= 0.9


@pytest.mark.ocr
def test_ocr_bold_estimate_on_the_annex_scan():
    """Bold from stroke width (extractors.ocr.bold.estimate_bold) against the born-digital twin's fonts."""
    import pypdfium2 as pdfium

    from extractors.ingest.text_layer import page_words

    document = scanned(str(CORPUS / "000_report_scan.pdf"), "8-10")
    tp = fp = fn = 0
    with pdfium.PdfDocument(str(CORPUS / "000_report.pdf")) as pdf:
        for page in document.pages:
            truth = page_words(pdf[page.number - 1])
            for word, bold in zip(page.words, _matched_weights(page.words, truth)):
                if bold is None or sum(ch.isalnum() for ch in word.text) < 3:
                    continue
                tp += bool(bold and word.bold)
                fp += bool(not bold and word.bold)
                fn += bool(bold and not word.bold)
    assert tp / (tp + fp) >= 0.97 and tp / (tp + fn) >= 0.85


def _matched_weights(words, truth):
    """Weight of the born-digital word under each OCR word (None when unmatched): the scan's
    rotation and shift are fitted on words that occur once on both pages."""
    def centre(w):
        return np.array([(w.bbox[0] + w.bbox[2]) / 2, (w.bbox[1] + w.bbox[3]) / 2])

    def unique(ws):
        seen = {}
        for i, w in enumerate(ws):
            seen.setdefault(w.text, []).append(i)
        return {t: v[0] for t, v in seen.items() if len(v) == 1 and len(t) >= 4}

    ua, ub = unique(words), unique(truth)
    common = [t for t in ua if t in ub]
    a = np.array([centre(words[ua[t]]) for t in common])
    b = np.array([centre(truth[ub[t]]) for t in common])
    u, _, vt = np.linalg.svd((a - a.mean(0)).T @ (b - b.mean(0)))
    rotation = (u @ vt).T
    shift = b.mean(0) - rotation @ a.mean(0)
    targets = np.array([centre(w) for w in truth])
    out = []
    for w in words:
        distances = np.hypot(*(targets - (rotation @ centre(w) + shift)).T)
        j = int(distances.argmin())
        out.append(truth[j].bold if distances[j] < 6 and truth[j].text[:3] == w.text[:3] else None)
    return out


def test_hierarchical_ids_damaged_by_ocr_are_mended_from_the_sequence():
    """OCR of the scanned TETE referential: colons and dashes for dots, and a dot lost ("1.23" after
    "1.2.2.4" is "1.2.3", its actions "1.2.3.1"... follow); an id that is next in the sequence stays."""
    from extractors.records.table_rows import mend_hierarchical

    assert mend_hierarchical("1:11", None) == "1.1.1"
    assert mend_hierarchical("11:25", "1.1.2.4") == "1.1.2.5"
    assert mend_hierarchical("1-12", "1.1.2.5") == "1.1.3"
    assert mend_hierarchical("1.23", "1.2.2.4") == "1.2.3"
    assert mend_hierarchical("1.23", "1.22") == "1.23"  # the 23rd of its level: read right
    assert mend_hierarchical("2.1", "1.2.2.4") == "2.1"  # no sibling has its digits: left as read
