"""A measure's progress as the document prints it and as a category.

Reports print progress in many ways: a percentage ("72 %"), a label ("Réalisée", "Cible dépassée",
"En cours", "Aucune cible en 2023-2024"), a commentary saying what was done or why not
("Mesure non réalisée. L'Office avait entrepris…"), or several of these. A measure keeps:

* `status_text`: the commentary, whole (the paragraphs after the percentage and label);
* `status`: one of `schemas.records.STATUS_CATEGORIES`, from the printed label when there is one
  (`status_inferred` false), otherwise from the percentage or the commentary's opening sentence
  (`status_inferred` true): above 100 % exceeded, 100 % done, between partly_done, 0 % not_done;
  "non réalisée", "n'a pas été réalisée", "abandonnée", "reportée" not_done; "pas de cible",
  "aucune cible" no_target; "en cours", "se poursuit", "à poursuivre" ongoing.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional, Sequence

from extractors.french import vocabulary as vocab
from extractors.french.line_join import join_wrapped

# Printed labels, folded (no accents, lower case), most specific first.
LABELS: tuple[tuple[str, str], ...] = (
    (r"(?:cible|objectif)s?\s+(?:depasse|surpasse)e?s?|depasse(?:e|ment)?", "exceeded"),
    (r"(?:aucune|pas\s+de|sans)\s+cible", "no_target"),
    (r"non\s+(?:realise|atteint|debute|amorce|commence)e?s?|abandonne(?:e|s)?|annule(?:e|s)?|report(?:e|ee|es)|"
     r"pas\s+(?:ete\s+)?(?:realise|atteint|debute)e?s?|non\s+entam", "not_done"),
    (r"partiellement\s+(?:realise|atteint)e?s?|en\s+partie\s+(?:realise|atteint)e?s?|partiel(?:le)?", "partly_done"),
    (r"en\s+(?:cours|continu|progression|voie\s+de\s+realisation)|amorce(?:e|s)?|debute(?:e|s)?|se\s+poursui|a\s+poursuivre", "ongoing"),
    (r"(?:realise|atteint|complete|termine|acheve|accompli)e?s?|cible\s+atteinte|fait", "done"),
)
LABEL_RES = tuple((re.compile(rf"^(?:mesure\s+|action\s+|cible\s+)?(?:{pattern})\b", re.I), category)
                  for pattern, category in LABELS)
# In a commentary, only the unambiguous statements count (an "en cours" sentence may describe one step).
SENTENCE_RES = (
    (re.compile(r"\b(?:pas\s+de\s+cible|aucune\s+cible)\b"), "no_target"),
    (re.compile(r"\b(?:non\s+realisee?s?|(?:n['’]\s*a|n['’]\s*ont)\s+pas\s+ete\s+realisee?s?|abandonnee?s?|reportee?s?)\b"),
     "not_done"),
)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def label_category(label: Optional[str]) -> Optional[str]:
    """The category a printed status label names ("Partiellement réalisée" -> partly_done)."""
    if not label:
        return None
    text = fold(label).strip(" .:;-–—")
    if len(text.split()) > 8:
        return None
    for regex, category in LABEL_RES:
        if regex.match(text):
            return category
    return None


def percent_category(percent: Optional[float]) -> Optional[str]:
    if percent is None:
        return None
    if percent > 100:
        return "exceeded"
    if percent == 100:
        return "done"
    return "partly_done" if percent > 0 else "not_done"


def sentence_category(sentence: Optional[str]) -> Optional[str]:
    if not sentence:
        return None
    text = fold(sentence)
    for regex, category in SENTENCE_RES:
        if regex.search(text):
            return category
    return None


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.;!?])\s", text.strip(), maxsplit=1)[0]


def status_of(label: Optional[str], percent: Optional[float], commentary: Optional[str]) -> tuple[Optional[str], bool]:
    """(category, inferred): a printed label decides; else the commentary's opening sentence, then the percentage."""
    printed = label_category(label)
    if printed:
        return printed, False
    said = sentence_category(first_sentence(commentary)) if commentary else None
    category = said or percent_category(percent)
    return category, category is not None


def join_paragraphs(paragraphs: Sequence[str]) -> Optional[str]:
    """Paragraphs of a commentary as one text, one paragraph a line. A piece that does not end its
    sentence goes on with the next piece (a paragraph cut by a page or column break, a wrapped line)."""
    out = ""
    for text in paragraphs:
        text = " ".join(text.split())
        if not text:
            continue
        if out and (text[:1].islower() or not re.search(r"[.!?:;»)]$", out)):
            out = join_wrapped(out, text)
        elif out:
            out += "\n" + text
        else:
            out = text
    return out or None


PERCENT = re.compile(r"-?\d{1,3}(?:[.,]\d+)?\s*%")
PART_LINE = re.compile(r"^[^:]{2,80}?\s*:\s*-?\d{1,3}(?:[.,]\d+)?\s*%\s*$")  # "OPTMQ : 100 %"
# A commentary line opening on a bullet starts a new piece. Text fonts' bullets, middle dots, dashes
# and "*": the cell reader has already turned OCR's look-alikes into "•". Pointers and arrows
# (► ➢ ✓) are not in it today (a check mark opening a progress line may be its status).
BULLET = re.compile(rf"^[{re.escape(vocab.ROUND_BULLETS + vocab.MIDDLE_DOT_BULLETS + vocab.DASH_BULLETS + '*')}]\s+")


def cell_commentary(paragraphs: Sequence[Sequence[Sequence[tuple]]]) -> tuple[Optional[str], Optional[str]]:
    """(label, commentary) of a progress cell given as paragraphs of lines of (word, bold) pairs: the
    opening status line ("100 % — Réalisée", "Non réalisée") is the label, part headers ("OPTMQ :
    100 %") are dropped, and the rest is the commentary, one paragraph or bullet a line."""
    lines = [[" ".join(str(w[0]) for w in line) for line in paragraph] for paragraph in paragraphs]
    lines = [[t for t in paragraph if t.strip()] for paragraph in lines]
    lines = [p for p in lines if p]
    if not lines:
        return None, None
    first = lines[0][0].strip()
    label = None
    rest = PERCENT.sub("", first, count=1).strip(" -–—:,()")
    if PERCENT.search(first) and len(rest.split()) <= 8 or label_category(first):
        label = rest or None
        lines[0] = lines[0][1:]
    pieces: list[str] = []
    for paragraph in lines:
        current = ""
        for text in paragraph:
            text = " ".join(text.split())
            if PART_LINE.match(text):
                if current:
                    pieces.append(current)
                current = ""
                continue
            if BULLET.match(text):
                if current:
                    pieces.append(current)
                current = BULLET.sub("", text)
                continue
            current = join_wrapped(current, text) if current else text
        if current:
            pieces.append(current)
    return label, join_paragraphs(pieces)
