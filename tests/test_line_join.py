"""A hyphen at a line end: a word cut in two, or a compound broken at its hyphen (extractors.french.line_join)."""
import pytest

from extractors.french.line_join import join_wrapped


@pytest.mark.parametrize("left, right, joined", [
    ("la reconnaissance des com-", "pétences des personnes", "la reconnaissance des compétences des personnes"),
    ("dans le cadre de l'implanta-", "tion d'un processus", "dans le cadre de l'implantation d'un processus"),
    ("un comptoir libre-", "service pour les PFE", "un comptoir libre-service pour les PFE"),
    ("la pénurie de main-", "d'œuvre qualifiée", "la pénurie de main-d'œuvre qualifiée"),
    ("CERAC Marie-", "Victorin, MES", "CERAC Marie-Victorin, MES"),
    ("le savoir-", "faire des ordres", "le savoir-faire des ordres"),
    ("Mesures 2019-", "2024", "Mesures 2019- 2024"),  # not a word: lines joined by a space
    ("Nom de la mesure", "M/O en charge", "Nom de la mesure M/O en charge"),
    ("", "seule ligne", "seule ligne"),
])
def test_hyphens_at_line_ends(left, right, joined):
    assert join_wrapped(left, right) == joined


def test_unknown_words_keep_their_hyphen():
    """Neither "zorglu" nor "zorglu-bidule" is French: leave the hyphen as printed."""
    assert join_wrapped("le projet zorglu-", "bidule est lancé") == "le projet zorglu-bidule est lancé"
