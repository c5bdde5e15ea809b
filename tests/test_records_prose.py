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


def test_seed_004_recommendation_items_and_statistics():
    """Issue 12's target: every recommendation item and statistic of seed 004's golden (F1 >= 0.95),
    from the born-digital PDF (the seed text dump is scored by tests/test_golden_variants.py)."""
    import json

    from extractors.pipeline import file_to_document
    from extractors.validation import compare_records
    from tests.conftest import CORPUS, ROOT

    golden = json.loads((ROOT / "golden" / "004_advice.json").read_text(encoding="utf-8"))["records"]
    records = file_to_document(CORPUS / "004_avis.pdf").records.model_dump(mode="json")
    for kind in ("recommendations", "statistics"):
        report = compare_records(golden, records, [kind])
        assert report.total.f1 >= 0.95, kind
    assert sum(len(r["items"]) for r in records["recommendations"]) == 35


STATS = """Bilan du programme

Au total, 412 personnes ont suivi la formation en 2023, soit 18 % de plus qu'en 2022. Parmi les participants, 64 % ont
trouvé un emploi dans les six mois et 22 % d'entre eux travaillent dans leur domaine. La cible est de 75 % d'ici 2026.
Le budget prévu est de 2,5 M$. Voir la page 12 et l'article 70 de la loi. Les groupes 1 à 6 ont été consultés le 3 mars
2023.
"""


def test_statistics_report_results_not_plans_dates_or_references():
    stats = lines_to_records(text_document(STATS)).statistics
    assert [(s.value, s.unit, s.subject) for s in stats] == [
        (412, "personnes", None), (18, "%", None), (64, "%", "participants"), (22, "%", "participants")]
    assert stats[2].statement == ("Parmi les participants, 64 % ont trouvé un emploi dans les six mois et 22 % d'entre "
                                  "eux travaillent dans leur domaine.")


PRIORITIES = """Plan d'action gouvernemental 2024-2028

1. Accès aux soins

1.1 Améliorer l'accès aux soins de première ligne

Le gouvernement poursuivra l'ouverture de cliniques dans les régions où l'attente est la plus longue.

Action prioritaire : Ouvrir dix cliniques d'infirmières praticiennes spécialisées.

1.1.1 Contexte

Les régions éloignées comptent moins de médecins de famille par habitant.

1.1.2 Moyens

Des ententes seront conclues avec les établissements.

Indicateurs :

- Nombre de cliniques ouvertes
- Délai moyen d'obtention d'un rendez-vous

Responsable : Ministère de la Santé

1.2 Réduire l'attente en chirurgie

Le réseau ouvrira des salles d'opération le soir.

Action prioritaire : Prolonger les heures d'ouverture des blocs opératoires.

1.2.1 Contexte

Les listes d'attente se sont allongées pendant la pandémie.

Indicateurs :

- Nombre de chirurgies en attente depuis plus d'un an

Responsable : Ministère de la Santé
"""


def test_prose_plan_measures_at_the_level_that_carries_them():
    """Numbered sections with an 'Action prioritaire' and their indicators are the measures; the
    x.y.z sub-headings inside them are not."""
    measures = lines_to_records(text_document(PRIORITIES, "plan.txt")).measures
    assert [(m.measure_id, m.title) for m in measures] == [
        ("1.1", "Améliorer l'accès aux soins de première ligne"), ("1.2", "Réduire l'attente en chirurgie")]
    first = measures[0]
    assert [a.text for a in first.actions] == ["Ouvrir dix cliniques d'infirmières praticiennes spécialisées."]
    assert [i.text for i in first.indicators] == ["Nombre de cliniques ouvertes", "Délai moyen d'obtention d'un rendez-vous"]
    assert first.lead == ["Ministère de la Santé"]
    assert {m.theme for m in measures} == {"1. Accès aux soins"}
