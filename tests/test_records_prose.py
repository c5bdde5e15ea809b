"""Records written as prose (issue 12), on short texts composed for these tests (other wording
than the corpus): recommendations as paragraphs, statistics in sentences. The real documents are
scored against their goldens in tests/test_golden_real.py."""
from __future__ import annotations

from extractors.records.from_text import lines_to_records
from schemas import Document, Source


def text_document(text: str, name: str = "avis.txt") -> Document:
    from extractors.ingest.text import text_page

    page = text_page(1, text)
    return Document(source=Source(path=name, sha256="0" * 64, kind="text", page_count=1), pages=[page],
                    status="success")


SECTION = """Rapport du groupe de travail sur la mobilité

Le groupe de travail a rencontré les municipalités de la région. La Commission recommande depuis 2019 l'usage du vélo.

Recommandations pour améliorer le transport collectif

Le groupe de travail recommande d'allonger les heures de service des autobus en soirée.

Il est aussi souhaitable que les horaires soient publiés en format ouvert, pour :

- les applications de trajet;
- les sites des municipalités.

Autres constats

Les usagers sont satisfaits des chauffeurs.
"""


def test_unnumbered_section_paragraphs_and_bullets_are_items():
    (rec,) = lines_to_records(text_document(SECTION)).recommendations
    assert rec.id is None and rec.title == "Recommandations pour améliorer le transport collectif"
    assert rec.items == [
        "Le groupe de travail recommande d'allonger les heures de service des autobus en soirée.",
        "Il est aussi souhaitable que les horaires soient publiés en format ouvert, pour :",
        "les applications de trajet;", "les sites des municipalités."]
    # "La Commission recommande depuis 2019 l'usage du vélo": a thing someone else recommends, no record


PARAGRAPHS = """Avis du Conseil sur l'accueil des étudiants étrangers

Le Conseil a entendu douze organismes au cours de l'automne. Le Conseil publie cet avis à la demande du ministre.

Le Conseil constate que les délais de traitement se sont allongés. Nous recommandons au ministère de publier
chaque trimestre les délais de traitement des demandes. Cette publication rendrait compte des progrès.

Il est recommandé de confier l'accueil aux établissements d'enseignement.

Les étudiants interrogés jugent l'accueil satisfaisant.
"""


def test_recommending_paragraphs_outside_sections():
    recs = lines_to_records(text_document(PARAGRAPHS)).recommendations
    assert [(r.title, r.items) for r in recs] == [
        ("Nous recommandons au ministère de publier chaque trimestre les délais de traitement des demandes.",
         ["Nous recommandons au ministère de publier chaque trimestre les délais de traitement des demandes. "
          "Cette publication rendrait compte des progrès."]),
        ("Il est recommandé de confier l'accueil aux établissements d'enseignement.",
         ["Il est recommandé de confier l'accueil aux établissements d'enseignement."])]
