"""Per-page decision for PDFs: read the text layer, OCR the page, or record it as empty.

Only pypdfium2 is used here (never pdfplumber): triage must stay cheap because it runs on every
page, and pdfium gives the character count, the image objects and the raw text in a few
milliseconds per page.

Four measurements feed the decision:

* `text_chars` – non-blank characters in the text layer (`page.get_textpage()`);
* `image_coverage` – share of the page area covered by image objects (a scan is one image
  covering ~100% of the page; logos and figures in born-digital pages cover a few percent);
* `damaged_share` – share of word tokens that look like French OCR'd with an English model
  (`ministére`, `ceuvre`, `I'Office`, ...): an invisible text layer left by a legacy OCR run is
  present but not trustworthy, so the page is OCR'd again;
* for text layers over scans only (where it can change the decision), the damage an *old* OCR
  layer leaves, counted with the French lexicon (extractors/ingest/layer_damage.py): accents
  stripped (`eleve`), words glued (`grandplaisirque`), digits for letters (`5ooo`, `i9i9`). It
  needs the lexicon (loaded once per process), so born-digital pages never pay for it.
"""
from __future__ import annotations

import re
from typing import Optional

from extractors.french.language import language_of
from extractors.ingest.layer_damage import KINDS, LayerDamage, measure_damage
from extractors.options import IngestOptions
from schemas import PageTriage

# A page with fewer non-blank characters than this has "no text layer" for our purposes: page
# numbers, a running header or a stray invisible space left by a scanner driver are not content.
MIN_TEXT_CHARS = 20

# A page whose images cover less than this share of its area is not a scan. Born-digital pages
# measured in ../shared/datasets/real-pdfs carry logos and figures covering 0-21% of the page
# (zonage_crlf.pdf: 0.21, fr_olap.pdf p10: 0.16); the scans there cover 100%.
MIN_SCAN_COVERAGE = 0.5

# Below this many checked tokens the damaged share is noise (one odd token on a title page would
# be 10%), so a page with fewer tokens is never called untrustworthy on that ground.
MIN_TOKENS_FOR_DAMAGE = 30

# Share of damaged tokens above which a text layer over a scan is not trusted. Measured with
# `python -m extractors.ingest.triage` (`measure()` below), whole files unless a page is named:
#   seed 000 (English-model OCR of a French report) ...... 4566 tokens, 0.0396
#     per 40-line chunk of it (with >= 30 tokens): 0.012-0.087
#   corpus/000_legacy_ocr.pdf, per page (>= 30 tokens) ... 0.016-0.071, median 0.044
#   seeds 001-004 (clean French) .......................... 0.0000
#   corpus born-digital PDFs and scans .................... 0.0000 on every page
#   real-pdfs born-digital, worst page: issue-71 p5 0.0069 (1 of 145 words, a real "excés"
#     typo in the book), fr_olap p6 0.0022 (maths), the others 0.0000
# 2% is ~3x the worst clean page and half of seed 000's share. Pages of a damaged layer that fall
# under it alone (legacy pages 9, 10, 13, 14 at 0.016-0.020: the annex table, where most cells
# are figures and acronyms) are caught by the document-level rule in
# confirm_scans_with_damaged_text (pooled share of the scanned pages: 0.041 for that file).
DAMAGED_SHARE_THRESHOLD = 0.02

# Old layers, by lexicon evidence (extractors/ingest/layer_damage.py), on French pages only.
# Measured with bench/triage_damage.py on every French page with >= 30 tokens of: real-pdfs,
# corpus/*.pdf, the real PDFs of devdocs/tables and devdocs/prose, ICDAR 2013, and the seeds per 40
# lines; and on the SIMULATED old layers of 51 real scans (bench/old_layers.py: real transcriptions,
# accents stripped, 1 space in 25 lost, digits damaged):
# * accents lost (stripped words / words needing an accent): clean French pages <= 0.094
#   (eig_opencollectivites p7: `difficulte`, `donnee` in a born-digital report), English-model OCR
#   <= 0.222 (seed 000 lines 321-360: it writes é); simulated old layers 1.0 on every page;
# * share of stripped + glued + digit tokens: clean French pages <= 0.016, seed 000 <= 0.033;
#   simulated old layers >= 0.043 (17b9_1886_2, a page with few accents).
# A layer is stripped when it lost at least half the accents it needs and 2% of its tokens show
# lexicon damage. Glue and digits alone: clean pages <= 0.014 (issue-71 p15, a real duplicated-
# character layer), so 5%.
ACCENTS_LOST_SHARE = 0.5
MIN_LEXICON_DAMAGE = 0.02
GLUED_OR_DIGITS_SHARE = 0.05

# --- Damage patterns --------------------------------------------------------------------------
# Each pattern is something an English OCR model writes for French, and which correct modern
# French spelling never contains, so clean pages score ~0.

LOWER = "a-zàâäçéèêëîïôöùûüÿœæ"
UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
LETTER = LOWER + UPPER
CONSONANT = "bcdfghjklmnpqrstvwxzç"
# Quotes and sentence punctuation around a token; brackets are kept (they are evidence).
TOKEN_EDGE_PUNCT = ".,;:!?»«\"“”"

# Elided article or pronoun in front of a word (l'accés, d'un, qu'une): the word rules look past it.
ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’](?=.)", re.IGNORECASE)

# Two-letter word starts that exist (Pdle does not): checked only for Capitalised words whose
# second letter is a consonant that rarely follows another at the start of a word.
VALID_ONSETS = {
    "cz", "dj", "dz", "gd", "gn", "kn", "mc", "mg", "mm", "ml", "ng", "ps", "pt", "pf",
    "sc", "sk", "sm", "sn", "sp", "st", "sv", "sz", "ts", "tz", "tc", "pn", "nd", "sj", "mb", "nk", "nz",
}
ODD_ONSET = re.compile(rf"^([BCDFGHJKLMNPQRSTVWXZ][bcdfgjkmnpqtvxz])[{LOWER}]+$")

WHOLE_WORD_PATTERNS = [
    # Grave-accent words whose final -ès became -és: accés, aprés, trés, progrés, succés.
    re.compile(r"^(?:acc|apr|aupr|tr|proc|progr|succ|exc|déc|congr|abc|expr)és$", re.IGNORECASE),
    # à lost its grave accent in a word that only exists with it.
    re.compile(r"^(?:déja|voila|au-dela)$", re.IGNORECASE),
    # œ read as "ce"/"c": sceur, cceur, vceu.
    re.compile(r"^(?:sceurs?|cceurs?|vceux?)$", re.IGNORECASE),
    # ao(t for août: a bracket wedged in a short word, not closed (math's max(q) is closed).
    re.compile(rf"^[{LOWER}]{{1,3}}[(\[{{][{LOWER}]{{1,3}}$"),
]

DAMAGED_TOKEN_PATTERNS = [
    # é + consonants + final e(s): ministére, matiére, septiéme, problémes, Péle, dipléme. In
    # correct modern French the vowel before a consonant + mute final e is è (or ê, ô).
    re.compile(rf"[éÉ][{CONSONANT}{CONSONANT.upper()}]+[eE][sS]?$"),
    # œ read as "ce": ceuvre, main-d'ceuvre, manceuvre.
    re.compile(r"ceuvr", re.IGNORECASE),
    # l' read as I', |', U' before a letter: I'Office, |'état, U'Immigration.
    re.compile(rf"^[(«\"]?[I|U]['’][{LETTER}]"),
    # l' lost its l or became [: de 'Office, de 'OIIAQ, de 'accueil, ['accés (an apostrophe
    # opening a word; French quotes with « », so clean text has none).
    re.compile(rf"^\[?['’][{LETTER}]"),
    # I of a capitalised word read as l after an elision: l'lmmigration, d'lnformation.
    re.compile(rf"['’]l[{CONSONANT.replace('l', '')}]"),
    # Doubled apostrophes: qu’'une, d’'un.
    re.compile(rf"[{LETTER}]['’]['’][{LETTER}]"),
    # Stray vertical bar: ma|son, MIF| (math's |cover(A)| and fi|S are left alone).
    re.compile(rf"[{LOWER}]\|[{LOWER}]|[{UPPER}]{{2}}\|$"),
    # è read without its accent before a final mute e: financiere, premiere, derniere.
    re.compile(r"[a-zç]ieres?$"),
    # ê read as é before a final t: prét, intérét, forét, arrét.
    re.compile(rf"[{LETTER}][éÉ]ts?$"),
    # Undecodable glyphs as printed by PDF extractors.
    re.compile(r"\(cid:\d+\)"),
    # 1/0 read for l/o inside a word: m1nistère, c0mme (1er, 2e, COVID-19, q3i don't match).
    re.compile(rf"[{LOWER}][01][{LOWER}]{{2,}}|[{LOWER}]{{2,}}[01][{LOWER}]"),
]


def is_damaged(token: str) -> bool:
    core = token.strip(TOKEN_EDGE_PUNCT)
    if any(p.search(core) for p in DAMAGED_TOKEN_PATTERNS):
        return True
    word = ELISION.sub("", core)
    if any(p.search(word) for p in WHOLE_WORD_PATTERNS):
        return True
    onset = ODD_ONSET.match(word)
    return bool(onset) and onset.group(1).lower() not in VALID_ONSETS


# "&" is legitimate between capitalised names (Ernst & Young) but between lowercase words it is
# an OCR misreading of "à" or "a": "la maladie & coronavirus".
LONE_AMPERSAND = "&"


def damaged_share(text: str) -> tuple[int, float]:
    """(tokens checked, share of them that look like French OCR'd with an English model).

    Tokens are whitespace-separated words with at least two letters, plus lone `&`s; numbers and
    punctuation are not counted (a table of figures would otherwise dilute the share).
    """
    raw = text.split()
    checked = 0
    damaged = 0
    for i, token in enumerate(raw):
        if token == LONE_AMPERSAND:
            before = raw[i - 1] if i > 0 else ""
            after = raw[i + 1] if i + 1 < len(raw) else ""
            if before[-1:].islower() and after[:1].islower():
                checked += 1
                damaged += 1
            continue
        if sum(ch.isalpha() for ch in token) < 2:
            continue
        checked += 1
        if is_damaged(token):
            damaged += 1
    return checked, (damaged / checked if checked else 0.0)


# --- Page triage ------------------------------------------------------------------------------


def image_coverage(page) -> float:
    """Share of the page area covered by image objects (union approximated by the clipped sum).

    `max_depth` descends into form XObjects, where many scanners put the page image. Object
    bounds are in unrotated page space, so they are clipped to the crop box, not to the
    (/Rotate-swapped) display size. Overlapping images (MRC scans: mask over background) are
    counted twice, hence the cap at 1.
    """
    import pypdfium2.raw as pdfium_c

    x0, y0, x1, y1 = page.get_cropbox()
    area = (x1 - x0) * (y1 - y0)
    if area <= 0:
        return 0.0
    covered = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # an image pdfium cannot place does not cover anything we can see
            continue
        w = max(0.0, min(right, x1) - max(left, x0))
        h = max(0.0, min(top, y1) - max(bottom, y0))
        covered += w * h
    return min(1.0, covered / area)


def page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()


def old_layer_verdict(damage: Optional[LayerDamage]) -> Optional[str]:
    """Why this layer is an old, damaged OCR by lexicon evidence, or None."""
    if damage is None or damage.tokens < MIN_TOKENS_FOR_DAMAGE:
        return None
    lexicon_share = damage.kind_share("accents-stripped", "glued", "digits-for-letters")
    if damage.accents_lost >= ACCENTS_LOST_SHARE and lexicon_share >= MIN_LEXICON_DAMAGE:
        return f"old OCR layer: accents stripped ({damage.accents_lost:.0%} of the words needing one lost it)"
    if damage.kind_share("glued", "digits-for-letters") >= GLUED_OR_DIGITS_SHARE:
        return "old OCR layer: words glued together or digits read as letters"
    return None


def _damage_figures(damage: Optional[LayerDamage]) -> str:
    if damage is None:
        return ""
    kinds = ", ".join(f"{kind} {n} ({', '.join(damage.examples.get(kind, []))})" for kind, n in damage.counts.items() if n)
    return f"; lexicon evidence: {kinds or 'none'}"


def decide(text: str, coverage: float, options: IngestOptions, damage: Optional[LayerDamage] = None) -> PageTriage:
    """Pure decision from the measurements, so it can be tested without a PDF.

    `damage`: the lexicon evidence of an old layer (layer_damage.measure_damage), for text over a scan.
    """
    chars = sum(1 for ch in text if not ch.isspace())
    tokens, share = damaged_share(text)
    has_text = chars >= MIN_TEXT_CHARS
    has_images = coverage > 0.0
    # Only text over a scan can be re-read better by OCR: a born-digital page whose text is
    # damaged (made from a bad OCR dump) prints that same damage, and must never be OCR'd.
    looks_scanned = coverage >= MIN_SCAN_COVERAGE
    untrustworthy = looks_scanned and tokens >= MIN_TOKENS_FOR_DAMAGE and share > DAMAGED_SHARE_THRESHOLD
    old_layer = old_layer_verdict(damage) if looks_scanned else None
    figures = f"{chars} text characters, images cover {coverage:.0%}, {share:.1%} of {tokens} words look damaged" + \
        _damage_figures(damage)

    def verdict(decision: str, why: str) -> PageTriage:
        return PageTriage(
            text_chars=chars,
            image_coverage=round(min(1.0, coverage), 4),
            tokens=tokens,
            damaged_share=round(share, 4),
            damage=dict(damage.counts) if damage else {},
            accented_tokens=damage.accented if damage else 0,
            decision=decision,
            reason=f"{why} ({figures})",
        )

    if options.ocr == "always":
        return verdict("ocr", "--ocr always")
    if options.ocr == "never":
        if chars > 0:
            return verdict("text-layer", "--ocr never: text layer used as it is")
        if has_images:
            return verdict("empty", "--ocr never: image page without a text layer")
        return verdict("empty", "no text layer and no images")
    if has_text and untrustworthy:
        return verdict("ocr", "scanned page whose text layer looks like French OCR'd with an English model")
    if has_text and old_layer:
        return verdict("ocr", f"scanned page whose text layer is an {old_layer}")
    if has_text:
        return verdict("text-layer", "text layer" + (" over a scan, trusted" if looks_scanned else ""))
    if has_images:
        return verdict("ocr", "no usable text layer, page has images")
    if chars > 0:
        return verdict("text-layer", "a few characters of text and no images")
    return verdict("empty", "no text layer and no images")


def triage_page(page, options: IngestOptions, text: Optional[str] = None) -> PageTriage:
    """Measure one pypdfium2 page and decide how to read it."""
    if text is None:
        text = page_text(page)
    coverage = image_coverage(page)
    damage = None
    # Only French text over a scan (an English word is no damaged French), under --ocr auto.
    if options.ocr == "auto" and coverage >= MIN_SCAN_COVERAGE and len(text.split()) >= MIN_TOKENS_FOR_DAMAGE \
            and language_of(text).is_french:
        damage = layer_damage(text)
    return decide(text, coverage, options, damage)


def layer_damage(text: str) -> Optional[LayerDamage]:
    """The lexicon evidence of an old layer; None when the lexicon is not installed (then only the
    English-model patterns judge the layer, as before)."""
    from extractors.errors import LexiconUnavailable
    from extractors.french.lexicon import load_lexicon

    try:
        lexicon = load_lexicon()
    except LexiconUnavailable:
        return None
    return measure_damage(text, lexicon, is_damaged)


def confirm_scans_with_damaged_text(triages: list[PageTriage], options: IngestOptions) -> list[PageTriage]:
    """Send to OCR every scanned page of a document whose scanned pages' text is damaged overall.

    One OCR engine made the whole text layer, so a damaged share measured over all the scanned
    pages applies to each of them, including pages with too few words to judge alone (a table of
    figures, a list of acronyms). Pages that are not scans are left alone.
    """
    if options.ocr != "auto":
        return triages
    scanned = [
        t for t in triages
        if t.decision == "text-layer" and t.image_coverage >= MIN_SCAN_COVERAGE and t.text_chars >= MIN_TEXT_CHARS
    ]
    already = [t for t in triages if t.decision == "ocr" and t.tokens and t.damaged_share > DAMAGED_SHARE_THRESHOLD]
    pool = scanned + already + [t for t in triages if t.decision == "ocr" and t.damage and t not in already]
    tokens = sum(t.tokens for t in pool)
    damaged = sum(t.tokens * t.damaged_share for t in pool)
    if not scanned or tokens < MIN_TOKENS_FOR_DAMAGE:
        return triages
    if damaged / tokens > DAMAGED_SHARE_THRESHOLD:
        why = (
            f"scanned page of a document whose text layer looks like French OCR'd with an English model "
            f"({damaged / tokens:.1%} of {tokens} words on its scanned pages)"
        )
    else:
        measured = [t for t in pool if t.damage]
        pooled = LayerDamage(tokens=sum(t.tokens for t in measured), accented=sum(t.accented_tokens for t in measured),
                             counts={kind: sum(t.damage.get(kind, 0) for t in measured) for kind in KINDS})
        old_layer = old_layer_verdict(pooled)
        if old_layer is None:
            return triages
        why = f"scanned page of a document whose text layer is an {old_layer} over its scanned pages"
    return [
        t.model_copy(update={"decision": "ocr", "reason": f"{why}; this page {t.reason[t.reason.rfind('(') :]}"}) if t in scanned else t
        for t in triages
    ]


def measure() -> None:  # pragma: no cover - run by hand to re-derive the threshold
    """Print damaged shares for the seeds and the real PDFs (used to pick the threshold)."""
    from pathlib import Path

    import pypdfium2 as pdfium

    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    for seed in sorted((shared / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        tokens, share = damaged_share(text)
        print(f"{seed.name:40} {tokens:6} tokens  damaged {share:.4f}")
        lines = text.splitlines()
        shares = [damaged_share("\n".join(lines[i : i + 40])) for i in range(0, len(lines), 40)]
        shares = [s for t, s in shares if t >= MIN_TOKENS_FOR_DAMAGE]
        if shares:
            print(f"{'':40} per 40-line chunk: min {min(shares):.4f} max {max(shares):.4f}")
    pdfs = sorted((shared / "datasets" / "real-pdfs").glob("*.pdf"))
    pdfs += sorted((Path(__file__).resolve().parent.parent / "corpus").glob("*.pdf"))
    for path in pdfs:
        with pdfium.PdfDocument(str(path)) as pdf:
            worst = (0, 0.0, 0)
            for index in range(len(pdf)):
                page = pdf[index]
                tokens, share = damaged_share(page_text(page))
                if share >= worst[1]:
                    worst = (tokens, share, index + 1)
                page.close()
        print(f"{path.name:40} worst page {worst[2]}: {worst[0]} tokens damaged {worst[1]:.4f}")


if __name__ == "__main__":  # pragma: no cover
    measure()
