"""Triage decisions on every page of every PDF we have, and the damage measure on the seeds."""
from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.conftest import CORPUS, DATA, REAL_PDFS, committed, seed as seed_path
from extractors.options import IngestOptions
from extractors.ingest.triage import (
    DAMAGED_SHARE_THRESHOLD,
    confirm_scans_with_damaged_text,
    damaged_share,
    decide,
    is_damaged,
    page_text,
    triage_page,
)


REAL_BORN_DIGITAL = {
    "2023-06-20-PV.pdf",
    "RGL-1310-Identification-Maple-Leaf-adoption.pdf",
    "zonage_crlf.pdf",
    "fr_olap.pdf",
    "issue-71-duplicate-chars-2.pdf",
}
REAL_SCANS = {"francais.pdf", "skew.pdf", "c02-22.pdf"}


def corpus_variants() -> dict[str, str]:
    """file name -> variant (born-digital, scanned, legacy-ocr, ...) from corpus/manifest.json."""
    manifest = CORPUS / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    entries = data.get("files", data) if isinstance(data, dict) else data
    variants = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and "path" in entry and "variant" in entry:
            variants[Path(entry["path"]).name] = entry["variant"]
    return variants


def expected_decision(path: Path) -> str | None:
    """What auto triage must decide for every page of this file, from what we know it is."""
    name = path.name
    if path.parent in (REAL_PDFS, DATA):
        if name in REAL_BORN_DIGITAL:
            return "text-layer"
        if name in REAL_SCANS:
            return "ocr"
        return None
    variant = corpus_variants().get(name)
    if name == "000_legacy_ocr.pdf" or variant == "legacy-ocr":
        return "ocr"  # a text layer is there, but it is English-model OCR of French
    if name.endswith("_scan.pdf") or variant == "scanned":
        return "ocr"
    if variant in (None, "born-digital"):
        return "text-layer"  # born digital: must never be OCR'd under auto
    return None


def known_pdfs() -> list:
    """Every PDF of the repository whose decision we know; the real scans found only in the
    shared datasets (skew.pdf, c02-22.pdf) as `shared` tests."""
    committed_pdfs = sorted(DATA.glob("*.pdf")) + sorted(CORPUS.glob("*.pdf"))
    here = {p.name for p in committed_pdfs}
    shared = [pytest.param(p, marks=pytest.mark.shared, id=p.name)
              for p in sorted(REAL_PDFS.glob("*.pdf")) if p.name not in here and expected_decision(p) is not None]
    return [pytest.param(p, id=p.name) for p in committed_pdfs if expected_decision(p) is not None] + shared


def seed(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def triage_all(path: Path, options: IngestOptions):
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        pytest.skip(f"{path.name} does not open without a password or is not a PDF: {e}")
    with pdf:
        triages = []
        for index in range(len(pdf)):
            page = pdf[index]
            triages.append(triage_page(page, options, page_text(page)))
            page.close()
    return confirm_scans_with_damaged_text(triages, options)


# --- damaged_share -------------------------------------------------------------------------------


def test_seed_000_english_model_ocr_scores_above_threshold():
    tokens, share = damaged_share(seed("000"))
    assert tokens > 1000
    assert share > DAMAGED_SHARE_THRESHOLD, share
    assert share > 1.3 * DAMAGED_SHARE_THRESHOLD, "too close to the threshold to be robust"


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_clean_french_seeds_score_near_zero(prefix):
    tokens, share = damaged_share(seed(prefix))
    assert tokens > 500
    assert share < DAMAGED_SHARE_THRESHOLD / 4, share


@pytest.mark.parametrize(
    "token",
    ["ministére", "Matiére", "septiéme", "Péle", "Pdle", "ceuvre", "main-d'ceuvre", "I'Office", "|'état",
     "U'Immigration", "'Education", "l'lmmigration", "d’'un", "l'accés", "ao(t", "(cid:12)", "MIF|",
     "'OIIAQ", "'accueil", "['accés", "financieres", "prét", "d'intérét,", "déja"],
)
def test_damage_patterns_catch_english_model_misreadings(token):
    assert is_damaged(token)


@pytest.mark.parametrize(
    "token",
    ["ministère", "matière", "l'Office", "œuvre", "L'État", "candidat(e)s", "max(q)", "COVID-19", "1er",
     "Mme", "Ndiaye", "Psychologie", "Stratégie", "août", "accès", "intégrés", "créée", "«", "M$",
     "financières", "prêt", "d'intérêt,", "déjà", "hier", "Pierre", "aujourd'hui", "l'«"],
)
def test_damage_patterns_leave_clean_french_alone(token):
    assert not is_damaged(token)


def test_lone_ampersand_between_lowercase_words_is_damage():
    assert damaged_share("la maladie & coronavirus")[1] > 0
    assert damaged_share("Ernst & Young")[1] == 0


# --- decide (no PDF needed) ----------------------------------------------------------------------

CLEAN = "Le ministère de l'Immigration présente son plan d'action. " * 10
DAMAGED = "Le ministére de I'Immigration présente le Péle et la matiére. " * 10


def test_decide_rules():
    auto, never, always = IngestOptions(ocr="auto"), IngestOptions(ocr="never"), IngestOptions(ocr="always")
    assert decide(CLEAN, 0.0, auto).decision == "text-layer"
    assert decide(CLEAN, 1.0, auto).decision == "text-layer"  # good OCR layer over a scan is kept
    assert decide(DAMAGED, 1.0, auto).decision == "ocr"
    assert decide(DAMAGED, 0.02, auto).decision == "text-layer"  # born digital: never OCR'd
    assert decide("", 1.0, auto).decision == "ocr"
    assert decide("", 0.0, auto).decision == "empty"
    assert decide("", 1.0, never).decision == "empty"
    assert decide(DAMAGED, 1.0, never).decision == "text-layer"
    assert decide(CLEAN, 0.0, always).decision == "ocr"
    assert "English model" in decide(DAMAGED, 1.0, auto).reason


# --- every page of every known PDF ---------------------------------------------------------------


@pytest.mark.parametrize("path", known_pdfs())
def test_auto_triage_of_every_page(path):
    expected = expected_decision(path)
    triages = triage_all(path, IngestOptions(ocr="auto"))
    assert triages
    wrong = [(n, t.decision, t.reason) for n, t in enumerate(triages, 1) if t.decision != expected]
    # A scan may hold a blank page; that one is "empty" rather than "ocr", but never "text-layer".
    if expected == "ocr":
        wrong = [w for w in wrong if w[1] != "empty"]
    assert not wrong, wrong


@pytest.mark.parametrize("path", known_pdfs())
def test_never_triage_of_every_page(path):
    triages = triage_all(path, IngestOptions(ocr="never"))
    assert all(t.decision != "ocr" for t in triages)
    for t in triages:
        assert t.decision == ("text-layer" if t.text_chars else "empty"), t.reason


def test_legacy_ocr_layer_is_distrusted_under_auto_and_used_under_never():
    path = committed(CORPUS / "000_legacy_ocr.pdf")
    auto = triage_all(path, IngestOptions(ocr="auto"))
    never = triage_all(path, IngestOptions(ocr="never"))
    assert all(t.decision == "ocr" for t in auto), [t.reason for t in auto]
    assert all(t.decision == "text-layer" for t in never if t.text_chars)
    assert all("English model" in t.reason for t in auto)
    assert sum(t.text_chars for t in auto) > 1000


def test_corpus_is_there():
    assert list(CORPUS.glob("*_scan.pdf")) and (CORPUS / "000_report.pdf").exists()
