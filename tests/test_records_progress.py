"""Progress as printed (the commentary) and as a category (extractors.records.progress)."""
from extractors.records.progress import cell_commentary, label_category, status_of


def cell(*paragraphs):
    """Paragraphs of lines of (word, bold) pairs, as the table reader gives a cell."""
    return [[[(w, None) for w in line.split()] for line in paragraph] for paragraph in paragraphs]


def test_cell_label_parts_and_commentary():
    label, text = cell_commentary(cell(
        ["100 % — Réalisée", "Des défis d'accès ont été portés à l'attention", "du comité."],
        ["OPTMQ : 100 %", "Un groupe de travail a été mis sur pied.", "• Une formation a été mise en", "place.",
         "• Le cégep a accueilli la première cohorte."]))
    assert label == "Réalisée"
    assert text == ("Des défis d'accès ont été portés à l'attention du comité.\n"
                    "Un groupe de travail a été mis sur pied.\n"
                    "Une formation a été mise en place.\n"
                    "Le cégep a accueilli la première cohorte.")


def test_cell_with_a_label_only_or_a_sentence_only():
    assert cell_commentary(cell(["En cours"])) == ("En cours", None)
    assert cell_commentary(cell(["Les travaux se poursuivent avec les partenaires régionaux."])) == (
        None, "Les travaux se poursuivent avec les partenaires régionaux.")


def test_label_vocabulary():
    assert [label_category(t) for t in ("Réalisée", "Partiellement réalisée", "Non réalisée", "Cible dépassée",
                                        "En cours", "Aucune cible en 2023-2024", "Reportée", "Terminé",
                                        "Atteinte", "Non débuté", "Trois liaisons ont été ajoutées")] == [
        "done", "partly_done", "not_done", "exceeded", "ongoing", "no_target", "not_done", "done", "done",
        "not_done", None]
    # a label wins over the percentage; a commentary's opening sentence over the percentage
    assert status_of("Partiellement réalisée", 100, None) == ("partly_done", False)
    assert status_of(None, 100, "Mesure non réalisée. Les discussions ont cessé.") == ("not_done", True)
