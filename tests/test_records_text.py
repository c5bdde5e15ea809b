"""records_text.lines_to_records: measures, recommendations, announcements and survey tables read
from a Document's text, scored field by field against the golden files (`golden/`), plus small
French documents written here (not from the corpus) to show the cues are general."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from extractors.pipeline import file_to_document
from extractors.options import IngestOptions
from extractors.records.fields import quantity_phrases, trailing_orgs
from extractors.records.layout import split_columns, page_rows
from extractors.records.from_text import lines_to_records
from extractors.validation import compare_records
from schemas import Document, Line, Page, Source, Word
from tests.conftest import CORPUS, ROOT

GOLDEN = {"000": "000_annual_report.json", "001": "001_action_plan.json", "002": "002_integration_plan.json",
          "003": "003_press_releases.json", "004": "004_advice.json"}


def seed_path(prefix: str) -> Path:
    return next((CORPUS / "seeds").glob(f"{prefix}_*.txt"))


@lru_cache(maxsize=None)
def read(path: str, pages: str | None = None) -> Document:
    return file_to_document(path, IngestOptions(pages=pages, workers=1))


def score(path: Path | str, prefix: str, pages: str | None = None, kinds=None, only_pages=None) -> float:
    golden = json.loads((ROOT / "golden" / GOLDEN[prefix]).read_text(encoding="utf-8"))["records"]
    if only_pages is not None:  # a partial OCR run: score the records of the pages read
        golden = {kind: [r for r in golden[kind] if r["page"] in only_pages] for kind in golden}
    records = lines_to_records(read(str(path), pages)).model_dump()
    report = compare_records(golden, records, **({"kinds": kinds} if kinds else {}))
    return report.total.f1


# --- the corpus: every variant at the target -------------------------------------------------------

TARGET = 0.95
TEXT_VARIANTS = [("001", None), ("002", None), ("003", None), ("004", None)]
OTHER_VARIANTS = [("001", "001_page.html"), ("001", "001_plan.pdf"), ("002", "002_plan.pdf"),
                  ("003", "003_communiques.pdf"), ("004", "004_avis.pdf")]


@pytest.mark.parametrize("prefix", [p for p, _ in TEXT_VARIANTS])
def test_seed_text_variants_reach_target(prefix):
    assert score(seed_path(prefix), prefix) >= TARGET


@pytest.mark.parametrize("prefix,name", OTHER_VARIANTS)
def test_html_and_born_digital_variants_reach_target(prefix, name):
    assert score(CORPUS / name, prefix) >= TARGET


def test_interleaved_blocks_of_two_measures_are_shared_out():
    """Seed 002 prints two measures' ACTIONS / INDICATEURS lists together; each gets its own."""
    records = lines_to_records(read(str(seed_path("002"))))
    by_id = {m.measure_id: m for m in records.measures}
    assert [len(by_id[i].actions) for i in ("2.3", "2.4", "4.1", "4.2", "5.1", "5.2")] == [3, 3, 5, 4, 3, 1]
    assert [len(by_id[i].indicators) for i in ("2.3", "2.4", "4.1", "4.2", "5.1", "5.2")] == [2, 3, 3, 1, 3, 2]
    assert by_id["2.3"].theme.startswith("OBJECTIF 2 — ")
    # shared out by content: kept, with a lower confidence than a measure read from its own block
    assert by_id["2.3"].confidence < by_id["1.1"].confidence


def test_two_column_pdf_block_is_read_column_by_column():
    records = lines_to_records(read(str(CORPUS / "002_plan.pdf")))
    m = next(m for m in records.measures if m.measure_id == "2.4")
    assert [i.text for i in m.indicators][-1] == "Nombre de personnes ayant obtenu une reconnaissance complète d'équivalence à la suite de l'acquisition d'expérience"
    assert len(m.actions) == 3 and all(a.action_id is None and a.lead == [] for a in m.actions)


@pytest.mark.ocr
def test_scanned_plan_reaches_target():
    assert score(CORPUS / "001_plan_scan.pdf", "001") >= TARGET


@pytest.mark.ocr
def test_scanned_advice_recommendation_pages_reach_target():
    assert score(CORPUS / "004_avis_scan.pdf", "004", pages="11-13", kinds=["recommendations"], only_pages={11, 12, 13}) >= TARGET


# --- seed 000: the annex table comes out of the OCR dump with its columns interleaved ---------------

@pytest.mark.parametrize("path", [seed_path("000"), CORPUS / "000_restored.txt"], ids=["seed", "restored"])
def test_annual_report_dump_reaches_target(path):
    """The flattened annex (columns printed one after the other, or a row's cells merged into its
    lines, progress on the facing page) is rebuilt by `records_annex`: 0.973 on both variants.
    What stays out of reach: theme 3 is not printed in the dump (measures 9, 10), measure 4's part
    labels are not printed in it, and OCR doubled a word in measure 8's partners."""
    assert score(path, "000") >= TARGET


@pytest.mark.parametrize("path", [seed_path("000"), CORPUS / "000_restored.txt"], ids=["seed", "restored"])
def test_annual_report_dump_fields_by_layout(path):
    records = lines_to_records(read(str(path)))
    assert records.recommendations == [] and records.announcements == [] and records.tables == []
    by_id = {m.measure_id: m for m in records.measures}
    assert list(by_id) == [str(n) for n in range(1, 17)]
    assert all(m.flagged for m in records.measures)  # rebuilt from layout cues: for a human look
    # a row whose cells the OCR merged into its lines: name, lead, partners and indicator cut apart
    assert by_id["5"].title == "Reconnaissance des compétences de la main-d'œuvre (RCMO)"
    assert (by_id["5"].lead, by_id["5"].collaborators) == (["CPMT"], ["Comités sectoriels de main-d'œuvre"])
    assert [(i.text, i.target, i.deadline) for i in by_id["5"].indicators] == [
        ("275 personnes admises à la RCMO", "275 personnes", "En continu")]
    # the organisations column printed apart: a lead block, then its partners' block
    assert by_id["14"].lead == ["MSSS"] and by_id["14"].collaborators == ["MIFI", "MESS", "OBNL"]
    # four indicators under one heading for two rows, cut by the words they share
    assert [len(by_id[k].indicators) for k in ("1", "2")] == [1, 3]
    # the facing progress page, block by block
    assert [by_id[k].progress_percent for k in ("2", "5", "7", "11", "13")] == [None, 107, 50, None, 72]
    assert [p.label for p in by_id["1"].progress] == ["OPTMQ", "OIIAQ"]
    assert (by_id["6"].status, by_id["11"].status, by_id["5"].status) == ("not_done", "no_target", "exceeded")
    assert by_id["6"].status_text == "Cette mesure n'a pas été réalisée, un comité de concertation n'ayant pu être constitué."
    assert by_id["13"].status_text == "Pour l'année financière 2023-2024, 43 prêts ont été octroyés."


# --- documents written for these tests (general cues, not the corpus) ------------------------------

def text_document(text: str, name: str = "essai.txt") -> Document:
    from extractors.ingest.text import text_page

    page = text_page(1, text)
    return Document(source=Source(path=name, sha256="0" * 64, kind="text", page_count=1), pages=[page], status="success")


PLAN = """Stratégie régionale de mobilité durable 2024-2027

AXE 1 : Développer le transport collectif en région

Mesure 1.1 : Bonifier la desserte des autobus interurbains

Cette mesure vise à augmenter la fréquence des liaisons entre les villes moyennes.

Responsable : MTMD
Partenaires : municipalités régionales de comté, sociétés de transport
Échéance : Printemps 2025
Indicateur : Nombre de liaisons quotidiennes ajoutées
Cible : 40 liaisons quotidiennes

Mesure 1.2 : Soutenir le covoiturage organisé

Responsable : Secrétariat à la mobilité
Échéance : En continu
Indicateur : Nombre d'usagers inscrits

AXE 2 : Électrifier les parcs de véhicules

Mesure 2.1 : Remplacer les véhicules légers de l'État

Responsable : CGER
Indicateur : Proportion de véhicules électriques dans le parc gouvernemental
"""


def test_composed_plan_with_inline_fields():
    records = lines_to_records(text_document(PLAN))
    assert [m.measure_id for m in records.measures] == ["1.1", "1.2", "2.1"]
    first, second, third = records.measures
    assert first.theme == "AXE 1 : Développer le transport collectif en région"
    assert first.title == "Bonifier la desserte des autobus interurbains"
    assert first.lead == ["MTMD"] and first.collaborators == ["municipalités régionales de comté", "sociétés de transport"]
    assert first.deadline == "Printemps 2025"
    assert first.indicators[0].text == "Nombre de liaisons quotidiennes ajoutées"
    assert first.indicators[0].target == "40 liaisons quotidiennes"
    assert first.description.startswith("Cette mesure vise")
    assert second.deadline == "En continu" and second.parent_id == "1"
    assert third.theme.startswith("AXE 2") and third.lead == ["CGER"]
    assert records.recommendations == [] and records.announcements == [] and records.tables == []


RELEASE = """Communiqué

Transport collectif : Québec appuie quatre nouvelles lignes
Sherbrooke, le 1er mars 2023 — Le ministre des Transports, M. Alain Tremblay, annonce une aide de 2,3 millions de dollars qui permettra à 12 municipalités d'offrir quelque 1 200 places de plus. Le projet, lancé en 2021, durera deux ans.
« Ce projet répond aux besoins des familles », a déclaré le ministre Tremblay.
"""


def test_composed_press_release():
    (announcement,) = lines_to_records(text_document(RELEASE)).announcements
    assert announcement.date == "2023-03-01" and announcement.place == "Sherbrooke"
    assert announcement.title == "Transport collectif : Québec appuie quatre nouvelles lignes"
    assert announcement.ministers == ["Alain Tremblay"]
    assert announcement.amount_text == "2,3 millions de dollars" and announcement.amount_dollars == 2_300_000
    assert [(c.value, c.text) for c in announcement.counts] == [(12, "12 municipalités"), (1200, "1 200 places de plus")]


ADVICE = """1. Introduction

Le conseil a consulté ses membres au printemps.

2. Nos recommandations

2.1 Simplifier l'accès aux services

Le conseil recommande :

- d'offrir un guichet unique;
- de publier les délais de traitement.

2.2 Mieux former le personnel

Aucune liste ici, seulement un paragraphe.

Répartition des répondants selon la région\t\t
Région\t%
Montréal\t48 %
Capitale-Nationale\t21 %
Autres régions\t31 %
"""


def test_composed_advice_recommendations_and_table():
    records = lines_to_records(text_document(ADVICE))
    assert [(r.id, r.title, r.items) for r in records.recommendations] == [
        ("2.1", "Simplifier l'accès aux services",
         ["Le conseil recommande :", "d'offrir un guichet unique;", "de publier les délais de traitement."]),
        ("2.2", "Mieux former le personnel", ["Aucune liste ici, seulement un paragraphe."])]
    (table,) = records.tables
    assert table.title == "Répartition des répondants selon la région"
    assert [(r.label, r.value, r.unit, r.column) for r in table.rows] == [
        ("Montréal", 48, "%", None), ("Capitale-Nationale", 21, "%", None), ("Autres régions", 31, "%", None)]
    assert records.measures == []


SURVEY_PAGE = """<html><head><title>Sondage</title></head><body>
<h1>Résultats du sondage 2022</h1>
<p>Satisfaction des usagers selon le service</p>
<table><tr><th>Service</th><th>2021</th><th>2022</th></tr>
<tr><td>Accueil</td><td>72 %</td><td>80 %</td></tr>
<tr><td>Francisation</td><td>65 %</td><td>70,5 %</td></tr></table>
<h2>Recommandations</h2>
<h3>1. Améliorer l'accueil</h3><ul><li>Former le personnel;</li><li>Réduire l'attente.</li></ul>
<h3>2. Mieux informer</h3><p>Un paragraphe.</p>
</body></html>"""


def test_composed_web_page_table_and_recommendations(tmp_path):
    page = tmp_path / "sondage.html"
    page.write_text(SURVEY_PAGE, encoding="utf-8")
    records = lines_to_records(file_to_document(page))
    (table,) = records.tables
    assert table.title == "Satisfaction des usagers selon le service"
    assert [(r.label, r.column, r.value, r.unit) for r in table.rows] == [
        ("Accueil", "2021", 72, "%"), ("Accueil", "2022", 80, "%"),
        ("Francisation", "2021", 65, "%"), ("Francisation", "2022", 70.5, "%")]
    assert [(r.id, r.items) for r in records.recommendations] == [
        ("1", ["Former le personnel;", "Réduire l'attente."]), ("2", ["Un paragraphe."])]
    assert records.measures == [] and records.announcements == []


REPORT = """1. Contexte

Le rapport présente les travaux de l'année.

- Trois rencontres ont eu lieu (MIFI).
- Un sondage a été mené.

2. Résultats

Les résultats sont encourageants.
"""


def test_numbered_chapters_are_not_measures():
    assert lines_to_records(text_document(REPORT)).measures == []


# --- helpers ---------------------------------------------------------------------------------------

def test_trailing_parenthesis_names_the_leads():
    assert trailing_orgs("Revoir le programme (MIFI);") == ("Revoir le programme", ["MIFI"])
    assert trailing_orgs("Offrir un soutien (MES et MEQ).") == ("Offrir un soutien", ["MES", "MEQ"])
    assert trailing_orgs("Dresser une liste (en collaboration avec Emploi-Québec)")[1] == []


def test_quantities_leave_out_dates_money_and_percentages():
    text = "Le 4 juillet 2012, 15,5 M$ iront à 51 organismes partenaires, soit plus de 90 % des demandes, en 2011-2012."
    assert [(v, t) for v, t, _ in quantity_phrases(text)] == [(51, "51 organismes partenaires")]


def test_two_columns_split_at_the_gutter():
    words, lines = [], []
    rows = [("ACTIONS", "INDICATEURS"), ("• Former les agents", "• Nombre d'agents formés"),
            ("• Publier un guide", "• Nombre de guides diffusés"), ("pratique", "")]
    for k, (left, right) in enumerate(rows):
        first = len(words)
        x = 70.0
        for text in left.split():
            words.append(Word(text=text, bbox=(x, 100 + 14 * k, x + 6 * len(text), 110 + 14 * k), origin="text-layer"))
            x += 6 * len(text) + 4
        x = 330.0
        for text in right.split():
            words.append(Word(text=text, bbox=(x, 100 + 14 * k, x + 6 * len(text), 110 + 14 * k), origin="text-layer"))
            x += 6 * len(text) + 4
        lines.append(Line(text=f"{left} {right}".strip(), word_ids=list(range(first, len(words)))))
    page = Page(number=1, width=612, height=792, origin="text-layer", words=words, lines=lines)
    ordered = split_columns(page_rows(page), 612)
    assert [r.text for r in ordered] == ["ACTIONS", "• Former les agents", "• Publier un guide", "pratique",
                                         "INDICATEURS", "• Nombre d'agents formés", "• Nombre de guides diffusés"]
