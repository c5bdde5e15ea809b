"""OCR-damage repair for French, like ftfy: returns the repaired text AND every change, explained.

    result = repair_text(text)          # RepairResult(text, repairs=[Repair(line, column, before, after, rule, score)], notes)
    document = repair_document(document) # pages repaired, Word.original kept, Document.repairs filled

Precision first: a word is changed only when the document's own evidence makes one reading clearly
believable (see repair_profile); otherwise it is left alone. Rules (the `rule` of each Repair):
`mojibake`, `nfc`, `ligature`, `apostrophe`, `elision`, `hyphen-join`, `accent`, `glyph`, `evidence`,
`acronym`, `ordinal`, `context-a`, `context-ou`, `context-la`, `context-des`, `context-du`,
`context-accent`, `false-accent`.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from typing import Optional

from extractors.errors import UnsupportedInput
from extractors.french.lexicon import Lexicon, load_lexicon
from extractors.repair.characters import mojibake_edits, nfc_edits
from extractors.repair.plan import Edit, Planner
from extractors.repair.profile import Profile, build_profile
from schemas import Document, Page, Word
from schemas.repair import Repair, RepairResult

# Control characters other than tab, newlines, form feed (a page break in dumps) mean binary data.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
def _apply(text: str, edits: list[Edit]) -> str:
    out, pos = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        out.append(text[pos : edit.start])
        out.append(edit.after)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def _compose(original: str, first: list[Edit], second: list[Edit]) -> list[Edit]:
    """Edits made on the text after `first`, expressed on the original text.

    A second-stage edit that touches a first-stage one (a word repaired inside a chunk that NFC also
    changed) becomes one edit over the union of both, so `before` is always original text.
    """
    if not first:
        return second
    first = sorted(first, key=lambda e: e.start)
    mids = []  # (mid_start, mid_end, edit), sorted and disjoint
    shift = 0
    for edit in first:
        mids.append((edit.start + shift, edit.start + shift + len(edit.after), edit))
        shift += len(edit.after) - (edit.end - edit.start)
    mid_text = _apply(original, first)
    mid_starts = [m[0] for m in mids]
    mid_ends = [m[1] for m in mids]

    # Both look-ups bisect the sorted spans: a long line with thousands of NFC edits stays linear.
    def mid_to_original(pos: int) -> int:
        i = bisect.bisect_right(mid_starts, pos) - 1
        if i < 0:
            return pos
        mid_start, mid_end, edit = mids[i]
        if pos < mid_end:
            return edit.start
        return pos - (mid_end - edit.end)

    def touching(lo: int, hi: int) -> set[int]:
        first_i = bisect.bisect_right(mid_ends, lo)
        last_i = bisect.bisect_left(mid_starts, max(hi, lo + 1))
        return set(range(first_i, last_i))

    clusters: list[tuple[int, int, list[Edit], set[int]]] = []  # mid span, second edits, first indices
    for edit in sorted(second, key=lambda e: e.start):
        lo, hi = edit.start, edit.end
        touched = touching(lo, hi)
        for i in touched:
            lo, hi = min(lo, mids[i][0]), max(hi, mids[i][1])
        if clusters and (touched & clusters[-1][3] or lo < clusters[-1][1]):
            plo, phi, edits, idx = clusters.pop()
            lo, hi, touched = min(lo, plo), max(hi, phi), touched | idx
            edits = edits + [edit]
        else:
            edits = [edit]
        clusters.append((lo, hi, edits, touched))
    out: list[Edit] = []
    used: set[int] = set()
    for lo, hi, edits, touched in clusters:
        used |= touched
        local = [Edit(e.start - lo, e.end - lo, e.after, e.rule, e.score) for e in edits]
        after = _apply(mid_text[lo:hi], local)
        start = mid_to_original(lo)
        end = max([mid_to_original(hi - 1) + 1 if hi > lo else start] + [mids[i][2].end for i in touched])
        main = max(edits, key=lambda e: e.end - e.start)
        out.append(Edit(start, end, after, main.rule, min(e.score for e in edits)))
    out.extend(edit for i, (_, _, edit) in enumerate(mids) if i not in used)
    return sorted(out, key=lambda e: e.start)


def _to_repairs(text: str, edits: list[Edit], page: Optional[int] = None) -> list[Repair]:
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    repairs = []
    for edit in edits:
        line = bisect.bisect_right(line_starts, edit.start)
        repairs.append(
            Repair(line=line, column=edit.start - line_starts[line - 1], before=text[edit.start : edit.end],
                   after=edit.after, rule=edit.rule, score=edit.score, page=page)
        )
    return repairs


def plan(text: str, lexicon: Optional[Lexicon] = None, profile: Optional[Profile] = None,
         reaccent: bool = False) -> tuple[list[Edit], list[str]]:
    """Edits on `text` (original offsets, sorted, non-overlapping) and notes.

    `profile`: the evidence of the whole document this text belongs to (repair_document passes it
    so that every page is judged by the whole document); by default, the text's own.
    `reaccent`: the text is known to have lost its accents (an old text layer or dump): restore them
    even where the text does not show it by itself.
    """
    if CONTROL.search(text):
        raise UnsupportedInput(None, "binary data, not text (control characters)")
    if not text.strip():
        return [], ["empty input: nothing to repair"]
    lexicon = lexicon or load_lexicon()
    mojibake = mojibake_edits(text)
    first = sorted(mojibake + nfc_edits(text, mojibake), key=lambda e: e.start)
    mid = _apply(text, first) if first else text
    edits, notes = Planner(mid, lexicon, profile, reaccent).run()
    if first and not edits and any("does not look like French" in n for n in notes):
        return [], notes
    return _compose(text, first, edits), notes


def repair_text(text: str, lexicon: Optional[Lexicon] = None, reaccent: bool = False) -> RepairResult:
    edits, notes = plan(text, lexicon, reaccent=reaccent)
    return RepairResult(text=_apply(text, edits), repairs=_to_repairs(text, edits), notes=notes)


# --- documents ------------------------------------------------------------------------------------


def _page_needs_repair(page: Page) -> bool:
    if page.origin in ("ocr", "text"):
        return True
    return page.triage is not None and page.triage.decision == "ocr"


def _word_spans(page: Page) -> list[tuple[int, int, int]]:
    """(start, end, word index) of each word inside the page text (lines joined by newlines)."""
    spans, offset = [], 0
    for line in page.lines:
        cursor = 0
        for index in line.word_ids:
            if index >= len(page.words):
                continue
            found = line.text.find(page.words[index].text, cursor)
            if found < 0:
                continue
            spans.append((offset + found, offset + found + len(page.words[index].text), index))
            cursor = found + len(page.words[index].text)
        offset += len(line.text) + 1
    return spans


def repair_page(page: Page, lexicon: Lexicon, profile: Optional[Profile] = None) -> tuple[Page, list[Repair], list[str]]:
    text = page.text
    edits, notes = plan(text, lexicon, profile)
    if not edits:
        return page, [], notes
    spans = _word_spans(page)
    local: dict[int, list[Edit]] = {}  # word index -> edits in the word's own offsets
    removed: set[int] = set()
    originals: dict[int, str] = {}
    ends = [end for _, end, _ in spans]  # spans are in text order
    for edit in edits:
        first = bisect.bisect_right(ends, edit.start)
        covered = []
        for span in spans[first:]:
            if span[0] >= edit.end:
                break
            covered.append(span)
        if not covered:
            continue
        first_start, first_end, first_index = covered[0]
        if len(covered) == 1:
            end = min(edit.end, first_end)
            after = edit.after.rstrip("\r\n") if edit.end > first_end else edit.after
            local.setdefault(first_index, []).append(
                Edit(edit.start - first_start, end - first_start, after, edit.rule, edit.score))
        else:  # a hyphen join: the first word takes the joined text, the continuation disappears
            local.setdefault(first_index, []).append(
                Edit(edit.start - first_start, first_end - first_start, edit.after.rstrip("\r\n"), edit.rule, edit.score))
            originals[first_index] = text[first_start : max(s[1] for s in covered)]
            removed.update(index for _, _, index in covered[1:])
    new_words = list(page.words)
    for index, word_edits in local.items():
        base = page.words[index].text
        repaired_text = _apply(base, word_edits)
        if repaired_text != base:
            new_words[index] = page.words[index].model_copy(
                update={"text": repaired_text, "original": originals.get(index, base)})
    keep = [i for i in range(len(new_words)) if i not in removed]
    renumber = {old: new for new, old in enumerate(keep)}
    repaired_lines = _apply(text, edits).split("\n")
    lines = []
    for line, new_text in zip(page.lines, repaired_lines):
        ids = [renumber[i] for i in line.word_ids if i in renumber]
        lines.append(line.model_copy(update={"text": new_text, "word_ids": ids}))
    words: list[Word] = [new_words[i] for i in keep]
    repaired = page.model_copy(update={"words": words, "lines": lines})
    return repaired, _to_repairs(text, edits, page.number), notes


def _document_evidence(texts: list[str], lexicon: Lexicon) -> tuple[list[str], Counter]:
    """Every word of the pages, and the letters their non-words need (a lone `4` for `à`)."""
    words: list[str] = []
    needs: Counter = Counter()
    for text in texts:
        planner = Planner(text, lexicon)
        planner.cut()
        words.extend(ref.word.text for ref in planner.refs)
        needs.update(planner.needs())
    return words, needs


def repair_document(document: Document, lexicon: Optional[Lexicon] = None) -> Document:
    """Repair pages read by OCR, legacy text dumps and untrustworthy text layers; others are kept."""
    lexicon = lexicon or load_lexicon()
    chosen = [p for p in document.pages if _page_needs_repair(p) and p.lines]
    if not chosen:
        return document
    # One profile for the whole document: page 7's `Pdle` is read with page 2's `Pôle` in view.
    texts = [unicodedata.normalize("NFC", p.text) for p in chosen]
    words, needs = _document_evidence(texts, lexicon)
    profile = build_profile(words, lexicon, needs=needs)
    pages, repairs = [], list(document.repairs)
    for page in document.pages:
        if page not in chosen:
            pages.append(page)
            continue
        repaired, page_repairs, _notes = repair_page(page, lexicon, profile)
        pages.append(repaired)
        repairs.extend(page_repairs)
    return document.model_copy(update={"pages": pages, "repairs": repairs})
