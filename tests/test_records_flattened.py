"""Flattened measure tables (extractors.records.annex and its helpers) on a text written for these
tests, not taken from the corpus: other organisations, wording and deadlines than seed 000, one
band printed column by column (numbers, then names, then organisations, then indicators with
their deadlines) and one band whose rows' cells the OCR merged into single lines, each followed by
its progress block. It shows the cues are general: nothing here is in seed 000."""
from __future__ import annotations

from extractors.records.annex_columns import distribute, indicator_cells, org_cells
from extractors.records.progress import status_of
from extractors.records.annex_rows import read_row, split_names
from extractors.records.from_text import lines_to_records
from schemas import Document, Source
from schemas.records import Indicator

PLAN = """Rapport de suivi 2024 du Plan régional de mobilité durable

Annexe : suivi des mesures

1. Transport collectif

N°

1

2

Nom de la mesure

Bonifier la desserte des autobus interurbains
entre les villes moyennes de la région

Aménager des stationnements incitatifs près
des gares et des terminus

Responsable et partenaires

Ministère des Transports et de la Mobilité durable

Société de transport de l'Outaouais, MRC des Collines

Ville de Gatineau

Indicateurs, cibles et échéances

Nombre de liaisons quotidiennes ajoutées
Printemps 2025

Hausse de 15 % de l'achalandage des lignes régionales
31 décembre 2024

Ouverture de 3 stationnements incitatifs
2026

2. Mobilité active

Nom de la mesure Responsable et partenaires

Indicateurs, cibles et échéances

3 Prolonger le réseau cyclable régional vers MRC des Collines Tracé adopté par le conseil
les municipalités rurales Conseil régional de l'environnement Automne 2024

4 Sécuriser les abords des écoles primaires Ville de Gatineau Nombre de zones scolaires aménagées
Centres de services scolaires Juin 2025

État d'avancement au 31 décembre 2024

100 %
Trois nouvelles liaisons quotidiennes relient désormais les villes de la région ; l'achalandage a augmenté de 9 %.

45 %
Un premier stationnement incitatif a ouvert près de la gare de Buckingham.

État d'avancement au 31 décembre 2024

Mesure reportée : le tracé sera soumis au conseil en 2025.

30 %
Quatre zones scolaires sur douze ont été aménagées.
"""


def text_document(text: str) -> Document:
    from extractors.ingest.text import text_page

    page = text_page(1, text)
    return Document(source=Source(path="suivi.txt", sha256="0" * 64, kind="text", page_count=1), pages=[page],
                    status="success")


def measures():
    return {m.measure_id: m for m in lines_to_records(text_document(PLAN)).measures}


def test_flattened_plan_ids_themes_titles():
    found = measures()
    assert list(found) == ["1", "2", "3", "4"]
    assert found["1"].title == "Bonifier la desserte des autobus interurbains entre les villes moyennes de la région"
    assert found["2"].title == "Aménager des stationnements incitatifs près des gares et des terminus"
    assert found["3"].title == "Prolonger le réseau cyclable régional vers les municipalités rurales"
    assert found["4"].title == "Sécuriser les abords des écoles primaires"
    assert [found[k].theme for k in "1234"] == ["1. Transport collectif"] * 2 + ["2. Mobilité active"] * 2
    assert all(m.flagged for m in found.values())  # rebuilt from layout cues: for a human look


def test_flattened_plan_organisations():
    found = measures()
    # column by column: a lead printed apart from its partners gives two blocks for one row
    assert found["1"].lead == ["Ministère des Transports et de la Mobilité durable"]
    assert found["1"].collaborators == ["Société de transport de l'Outaouais", "MRC des Collines"]
    assert found["2"].lead == ["Ville de Gatineau"] and found["2"].collaborators == []
    # merged rows: the names cut out of the lines
    assert found["3"].lead == ["MRC des Collines"] and found["3"].collaborators == ["Conseil régional de l'environnement"]
    assert found["4"].lead == ["Ville de Gatineau"] and found["4"].collaborators == ["Centres de services scolaires"]


def test_flattened_plan_indicators():
    found = measures()
    # three indicators for two rows: the run is cut where the words of names and progress texts say
    assert [(i.text, i.deadline) for i in found["1"].indicators] == [
        ("Nombre de liaisons quotidiennes ajoutées", "Printemps 2025"),
        ("Hausse de 15 % de l'achalandage des lignes régionales", "31 décembre 2024")]
    assert [(i.text, i.target, i.deadline) for i in found["2"].indicators] == [
        ("Ouverture de 3 stationnements incitatifs", "3 stationnements", "2026")]
    assert [(i.text, i.deadline) for i in found["3"].indicators] == [("Tracé adopté par le conseil", "Automne 2024")]
    assert [(i.text, i.deadline) for i in found["4"].indicators] == [("Nombre de zones scolaires aménagées", "Juin 2025")]


def test_flattened_plan_progress():
    found = measures()
    assert [(found[k].progress_percent, found[k].status) for k in "1234"] == [
        (100, "done"), (45, "partly_done"), (None, "not_done"), (30, "partly_done")]
    assert all(found[k].status_inferred for k in "1234")  # the report prints no status label
    # the commentary as printed, whole
    assert found["2"].status_text == "Un premier stationnement incitatif a ouvert près de la gare de Buckingham."
    assert found["3"].status_text == "Mesure reportée : le tracé sera soumis au conseil en 2025."


# --- the helpers, one cue at a time -----------------------------------------------------------------

def test_names_split_at_commas_and_et_but_not_inside_a_name():
    assert split_names("Ministère de la Culture et des Communications, CISSS de Laval et Ville de Laval") == [
        "Ministère de la Culture et des Communications", "CISSS de Laval", "Ville de Laval"]


def test_merged_row_cells():
    cells = read_row(["Créer un guichet unique pour les Bureau de la mobilité Guichet en ligne ouvert",
                      "entreprises de transport Chambre de commerce, Été 2025",
                      "CISSS de Laval"], frozenset())
    assert " ".join(cells.title) == "Créer un guichet unique pour les entreprises de transport"
    assert cells.organisations() == ["Bureau de la mobilité", "Chambre de commerce", "CISSS de Laval"]
    assert [(i.text, i.deadline) for i in cells.indicator_records()] == [("Guichet en ligne ouvert", "Été 2025")]


def test_organisation_blocks_more_than_rows():
    blocks = [["Ville de Laval"], ["STL, CISSS de Laval"], ["Office municipal d'habitation"]]
    assert org_cells(blocks, 2) == [["Ville de Laval", "STL", "CISSS de Laval"], ["Office municipal d'habitation"]]


def test_indicator_column_drops_page_furniture_after_the_last_deadline():
    lines = [("Plan de déploiement adopté", True), ("Mars 2025", False), ("Rapport annuel 2024 — page 12", True)]
    assert [(i.text, i.deadline) for i in indicator_cells(lines)] == [("Plan de déploiement adopté", "Mars 2025")]


def test_indicators_distributed_by_shared_words():
    indicators = [Indicator(text=t) for t in ("Nombre d'arbres plantés", "Inventaire de la canopée réalisé",
                                              "Nombre de ruelles vertes aménagées")]
    runs = distribute(indicators, ["Planter des arbres et mesurer la canopée urbaine", "Aménager des ruelles vertes"],
                      ["Planter des arbres et mesurer la canopée urbaine", "Aménager des ruelles vertes"])
    assert [len(r) for r in runs] == [2, 1]


def test_status_derived_from_what_is_printed():
    assert status_of(None, 120, None) == ("exceeded", True)
    assert status_of(None, 100, None) == ("done", True)
    assert status_of(None, 0, None) == ("not_done", True)
    assert status_of("En cours", 80, None) == ("ongoing", False)  # a printed label wins over the percentage
    assert status_of("Non débuté", None, None) == ("not_done", False)
    assert status_of("Cible dépassée", 112, None) == ("exceeded", False)
    assert status_of(None, None, "Aucune cible n'était fixée pour 2024-2025. Les travaux se poursuivent.") == ("no_target", True)
    assert status_of(None, 60, "Cette mesure n'a pas été réalisée, faute de partenaires.") == ("not_done", True)
    assert status_of(None, None, "Trois liaisons ont été ajoutées.") == (None, False)  # nothing to go on
