"""Real scanned French pages with hand transcriptions, for the OCR-language and repair benches.

The pages are the 51 of ../devdocs/scans/transcribed (beside the repository) (4 sources; README.md and source.md there):
typewritten pages of HTR-United/tapuscorpus (the reserved folder was never taken), printed books of
ksefil/NuBIS-OCR, the 1881 Imprimerie nationale report and a 1910 patent list (noisy transcription:
speed only). They are not in the repository (size, image licences); `BILAN_SCANS` points elsewhere.

Transcription conventions differ by source, so both the transcription and every text scored
against it go through the same `normalise()`:

* NFC; typographic apostrophes as `'`; `¬` (line-end hyphen in NuBIS and the 1881 report) as `-`;
* a word cut at a line end is joined (`atten-` / `dait`), in the transcription and the text alike;
* tapuscorpus marks: `_` before underlined words, `^` before superscripts, `~~~` for handwriting;
* a typewritten `I` standing for `1` next to a digit (`I9I3`) is `1`;
* accents on words in capitals are not scored: tapuscorpus writes capitals as the typewriter had
  them (`POINCARE`) and the 1881 report transcribes accented small capitals without accents
  (`PRESIDENT`), so either reading is the page's.
"""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SCANS = Path(os.environ.get("BILAN_SCANS") or Path(__file__).resolve().parent.parent.parent / "devdocs" / "scans" / "transcribed")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
# The Argus transcription is a partly corrected OCR (README: several slips per column): timed, not scored.
NOT_SCORED = ("argus_brevets1910",)


@dataclass(frozen=True)
class ScanPage:
    source: str  # folder: tapuscorpus, nubis, expo1878_imprimerie_nationale, argus_brevets1910
    name: str
    image: Path
    gold_path: Path

    @property
    def scored(self) -> bool:
        return self.source not in NOT_SCORED

    @property
    def gold(self) -> str:
        return self.gold_path.read_text(encoding="utf-8")


def pages(folder: Path = SCANS) -> list[ScanPage]:
    """Every page with an image and a transcription, sorted by source then name."""
    found = []
    for gold in sorted(folder.glob("*/*.gt.txt")):
        name = gold.name[: -len(".gt.txt")]
        images = [p for p in gold.parent.glob(name + ".*") if p.suffix.lower() in IMAGE_SUFFIXES]
        if images:
            found.append(ScanPage(gold.parent.name, name, images[0], gold))
    return found


def require(folder: Path = SCANS) -> list[ScanPage]:
    """The pages, or exit with a clear message (the scans are development material, not in the repo)."""
    found = pages(folder)
    if not found:
        print(f"no transcribed scans under {folder} (set BILAN_SCANS to the folder holding */*.gt.txt "
              "and their images; see bench/README.md)", file=sys.stderr)
        raise SystemExit(2)
    return found


APOSTROPHES = re.compile(r"[’‘ʼ`]")
HANDWRITTEN = re.compile(r"(?<!\S)~~~(?!\S)")
MARK_BEFORE_WORD = re.compile(r"(?<![^\s(«\"'])[_^]+")
LINE_END_HYPHEN = re.compile(r"(\w)-[ \t]*\n[ \t]*(?=[a-zàâäçéèêëîïôöùûüœ])")
TYPED_ONE = re.compile(r"I(?=[0-9])|(?<=[0-9])I")
CAPITAL_WORD = re.compile(r"\b[^\W\d_a-zß-ÿœ]{2,}\b")


def _unaccent(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def normalise(text: str) -> str:
    """The same conventions for a transcription and for a text read from its page (see above)."""
    text = unicodedata.normalize("NFC", text).replace("\r", "").replace("\f", "\n")
    text = APOSTROPHES.sub("'", text).replace("¬", "-")
    text = HANDWRITTEN.sub(" ", text)
    text = MARK_BEFORE_WORD.sub("", text)
    text = LINE_END_HYPHEN.sub(r"\1", text)
    while TYPED_ONE.search(text):
        text = TYPED_ONE.sub("1", text)
    return CAPITAL_WORD.sub(lambda m: _unaccent(m.group()), text)


# --- English control pages -------------------------------------------------------------------------
# French scans cannot tell whether detecting a page's language helps: every page is French. These
# are real English pages: the first page of 8 US and EU government PDFs of the ICDAR 2013 table set
# (../shared/datasets/icdar2013-tables), rendered at 300 dpi in grey; their transcription is their
# own born-digital text layer (pdftotext), exact by construction.
ICDAR2013 = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "icdar2013-tables"
ENGLISH_CONTROL = ("us-001", "us-005", "us-012", "us-020", "us-030", "eu-001", "eu-005", "eu-010")
ENGLISH_CACHE = Path(__file__).resolve().parent / ".cache" / "english"


def english_pages() -> list[ScanPage]:
    import subprocess

    found = []
    for name in ENGLISH_CONTROL:
        pdfs = sorted(ICDAR2013.glob(f"*/{name}.pdf"))
        if not pdfs:
            continue
        image, gold = ENGLISH_CACHE / f"{name}.png", ENGLISH_CACHE / f"{name}.gt.txt"
        if not image.exists() or not gold.exists():
            ENGLISH_CACHE.mkdir(parents=True, exist_ok=True)
            subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "300", "-gray", "-png", "-singlefile",
                            str(pdfs[0]), str(image.with_suffix(""))], check=True)
            subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdfs[0]), str(gold)], check=True,
                           capture_output=True)
        found.append(ScanPage("english-control", name, image, gold))
    return found
