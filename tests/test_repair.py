"""OCR-damage repair on real inputs: the seeds, the hand-corrected golden of seed 000, the dev set
of Tesseract output, the ICDAR post-OCR data and francais.gt.txt."""
from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from rapidfuzz.distance import Levenshtein

from tests.conftest import ICDAR_POSTOCR, ROOT, data_file, seed, shared_file
from extractors.errors import UnsupportedInput
from extractors.french.lexicon import load_lexicon
from extractors.repair.stage import repair_text
from extractors.repair.evaluate import accent_score, strip_accents, word_errors

sys.path.insert(0, str(ROOT / "bench"))
from repair_bench import GOLDEN_SEED_LINES, icdar_pair  # noqa: E402

GOLDEN = ROOT / "golden" / "000_first_pages.txt"
DEVSET = ROOT / "bench" / "devset"
ICDAR = ICDAR_POSTOCR


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def seed000(lexicon):
    text = seed("000").read_text(encoding="utf-8")
    return text, repair_text(text, lexicon)


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_clean_seeds_are_not_changed(prefix, lexicon):
    result = repair_text(seed(prefix).read_text(encoding="utf-8"), lexicon)
    assert result.repairs == []


def test_clean_pangram_with_every_diacritic_is_not_changed(lexicon):
    text = data_file("francais.gt.txt").read_text(encoding="utf-8")
    assert repair_text(text, lexicon).repairs == []


def test_golden_of_seed_000_accent_errors_cut_by_90_percent_without_harm(seed000):
    original, result = seed000
    gold = GOLDEN.read_text(encoding="utf-8")
    before = "\n".join(original.split("\n")[:GOLDEN_SEED_LINES])
    after = "\n".join(result.text.split("\n")[: gold.count("\n") + 1])
    score = accent_score(gold, before, after)
    assert score.errors_before >= 50  # the golden really is damaged
    assert score.reduction >= 0.9
    assert score.harmed == 0


def test_seed_000_issue_examples(seed000):
    _, result = seed000
    text = result.text
    for damaged in ("Péle", "Pdle", "Pble", "Poéle", "ministére", "accés", "ceuvre", "I'Office", "U'Immigration",
                    "dipléme", "problemes", "réglement", "MIF|", "OllIAQ", "ao(t", "l'Etat", " & ", "1° avril"):
        assert not re.search(rf"(?<!\w){re.escape(damaged)}(?!\w)", text), damaged
    for repaired in ("Pôle", "ministère", "accès", "œuvre", "l'Office", "l'Immigration", "diplôme", "problèmes",
                     "règlement", "MIFI", "OIIAQ", "août", "l'État", "1er avril", "interministériel\nconcerté",
                     "main-d’œuvre", "maladie à coronavirus"):
        assert repaired in text, repaired


@pytest.mark.parametrize("corpus", [True, False], ids=["corpus-scans", "typeset-pages"])
def test_english_model_dev_set_accent_errors_cut_by_90_percent(lexicon, corpus):
    before = after = harmed = 0
    for prefix in ("001", "002", "003", "004"):
        if corpus:
            gold, ocr_path = seed(prefix).read_text(encoding="utf-8"), DEVSET / "corpus" / f"{prefix}.eng.txt"
        else:
            gold, ocr_path = (DEVSET / f"{prefix}.gold.txt").read_text(encoding="utf-8"), DEVSET / f"{prefix}.eng.txt"
        ocr = ocr_path.read_text(encoding="utf-8")
        score = accent_score(gold, ocr, repair_text(ocr, lexicon).text)
        before, after, harmed = before + score.errors_before, after + score.errors_after, harmed + score.harmed
    assert before > 200
    assert 1 - after / before >= 0.9
    assert harmed <= 1


def test_french_model_dev_set_is_not_harmed(lexicon):
    for prefix in ("001", "002", "003", "004"):
        for gold, ocr_path in ((seed(prefix).read_text(encoding="utf-8"), DEVSET / "corpus" / f"{prefix}.fra.txt"),
                               ((DEVSET / f"{prefix}.gold.txt").read_text(encoding="utf-8"), DEVSET / f"{prefix}.fra.txt")):
            ocr = ocr_path.read_text(encoding="utf-8")
            score = accent_score(gold, ocr, repair_text(ocr, lexicon).text)
            assert score.harmed == 0
            assert score.errors_after <= score.errors_before


@pytest.mark.shared
def test_icdar_cer_never_rises_and_few_tokens_change(lexicon):
    files = sorted(p for p in shared_file(ICDAR).rglob("*.txt"))
    assert files, f"no .txt under {ICDAR}"
    sample = files[::8]  # every 8th document of each collection: ~85 documents, a few seconds
    tokens = changed = 0
    for path in sample:
        pair = icdar_pair(path)
        if pair is None:
            continue
        ocr, gold = pair
        result = repair_text(ocr, lexicon)
        assert Levenshtein.distance(result.text, gold) <= Levenshtein.distance(ocr, gold), path.name
        tokens += len(ocr.split())
        changed += len(result.repairs)
    assert tokens > 10_000
    assert changed / tokens <= 0.005


def test_decomposed_accents_and_ligatures_are_normalised_and_explained(seed000):
    original, expected = seed000
    decomposed = unicodedata.normalize("NFD", original).replace("fi", "ﬁ", 5)
    result = repair_text(decomposed)
    assert result.text == expected.text
    lines = decomposed.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for repair in result.repairs:
        offset = starts[repair.line - 1] + repair.column
        assert decomposed[offset : offset + len(repair.before)] == repair.before


def test_every_explanation_points_at_its_before_in_the_original(seed000):
    original, result = seed000
    lines = original.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    assert len(result.repairs) > 200
    rules = set()
    for repair in result.repairs:
        offset = starts[repair.line - 1] + repair.column
        assert original[offset : offset + len(repair.before)] == repair.before
        assert 0 < repair.score <= 1
        rules.add(repair.rule)
    assert {"accent", "glyph", "elision", "hyphen-join", "acronym", "context-a"} <= rules


def test_hyphen_joins_keep_every_other_line_break(seed000):
    original, result = seed000
    assert result.text.count("\n") == original.count("\n")
    joins = [r for r in result.repairs if r.rule.startswith("hyphen-join")]
    assert joins
    out_lines = result.text.split("\n")
    for join in joins:
        assert join.before.count("\n") == 1 and join.after.endswith("\n")
        # the joined word ends the first line
        assert out_lines[join.line - 1].endswith(join.after.rstrip("\n"))


def test_hyphen_join_only_when_the_joined_word_is_valid(lexicon):
    text = "Les ministères ont défini un plan d'action interminis-\ntériel et des porte-\nparole, puis des abc-\nxyz."
    result = repair_text(text, lexicon)
    assert result.text.split("\n")[0].endswith("interministériel")
    assert "abc-\nxyz." in result.text
    assert "porte-\nparole," in result.text  # a compound's own hyphen is not guessed away


def test_acronyms_numbers_urls_and_emails_are_never_changed(seed000, lexicon):
    original, _ = seed000
    extra = ("\nÉcrire a info@opq.gouv.qc.ca ou voir https://www.opq.gouv.qc.ca/acces-aux-professions/ et "
             "www.mifi.gouv.qc.ca/problemes; 15,5 M$ le 2019-03-31, 1° de l'article 16, COVID-19, C-26, a. 16.24; "
             "le MEQ, la CPMT, le CIQ, RAMQ, OPTMQ et ARM.\n")
    result = repair_text(original + extra, lexicon)
    tail = result.text[result.text.rindex("Écrire") :]
    for kept in ("info@opq.gouv.qc.ca", "https://www.opq.gouv.qc.ca/acces-aux-professions/", "www.mifi.gouv.qc.ca/problemes",
                 "15,5 M$", "2019-03-31", "1° de l'article", "COVID-19", "C-26", "a. 16.24", "MEQ", "CPMT", "CIQ",
                 "RAMQ", "OPTMQ", "ARM"):
        assert kept in tail, kept
    for repair in result.repairs:
        assert not re.search(r"\d|@|://|www\.", repair.before) or repair.rule == "ordinal"


def test_damaged_acronym_is_repaired_only_towards_a_known_one(lexicon):
    text = seed("000").read_text(encoding="utf-8")
    result = repair_text(text + "\nLe XYl| et le MIF| et le BClI.\n", lexicon)
    assert "Le XYl| et le MIFI et le BCI." in result.text


def test_ligature_not_in_moelleux_nor_typographic_oe(lexicon):
    text = seed("003").read_text(encoding="utf-8") + "\nUn gâteau moelleux et une oeuvre.\n"
    result = repair_text(text, lexicon)
    assert result.repairs == []


def test_french_model_false_accents(lexicon):
    text = seed("001").read_text(encoding="utf-8") + "\nIl faut plüs de temps pour là construction du bâtiment.\n"
    result = repair_text(text, lexicon)
    assert "Il faut plus de temps pour la construction du bâtiment." in result.text
    assert {r.before for r in result.repairs} == {"plüs", "là"}


def test_reaccentuation_of_stripped_clean_french(lexicon):
    errors = total = 0
    for prefix in ("001", "003"):
        gold = seed(prefix).read_text(encoding="utf-8")
        e, n = word_errors(gold, repair_text(strip_accents(gold), lexicon).text)
        errors, total = errors + e, total + n
    # bench/README.md: 1 error per 213 words on 001-004 (target: 1 per 200; Simard 1998: 1 per 130)
    assert total / errors >= 150


def test_lexicon_forms(lexicon):
    assert lexicon.is_valid("ministère") and not lexicon.is_valid("ministére")
    assert lexicon.is_valid("interministériel") and lexicon.is_valid("Québec") and lexicon.is_valid("moelleux")
    assert not lexicon.is_valid("québec") and not lexicon.is_valid("oeuvre")
    assert lexicon.zipf("à") > 7 and lexicon.zipf("ministère") > lexicon.zipf("ministre") - 1


# --- bad input ------------------------------------------------------------------------------------


def test_empty_input(lexicon):
    result = repair_text("", lexicon)
    assert result.text == "" and result.repairs == [] and "empty" in result.notes[0]
    assert repair_text("  \n\n", lexicon).text == "  \n\n"


def test_binary_input_is_refused(lexicon):
    with pytest.raises(UnsupportedInput):
        repair_text("PK\x03\x04\x00\x00binary", lexicon)


def test_other_language_is_left_alone(lexicon):
    text = "The committee reviewed the annual report and approved the budget for the next fiscal year without any changes to the plan.\n"
    result = repair_text(text, lexicon)
    assert result.text == text and result.repairs == []
    assert "does not look like French" in result.notes[0]


def test_very_long_line_gets_the_same_repairs_on_every_copy(lexicon):
    """A dump flattened to one line (issue 11): repaired word for word as its parts are. How long it
    takes is measured in bench/repair_bench.py (--long-line), linear in the length, not here."""
    one = " ".join(seed("000").read_text(encoding="utf-8").split()) + " "
    for text in (one, unicodedata.normalize("NFD", one)):  # NFD: every accent is an NFC edit too
        single = repair_text(text, lexicon)
        result = repair_text(text * 4, lexicon)
        assert "\n" not in result.text and "ministère" in result.text
        assert result.text == single.text * 4
        assert len(result.repairs) == 4 * len(single.repairs)
        for repair in result.repairs:
            assert (text * 4)[repair.column : repair.column + len(repair.before)] == repair.before
