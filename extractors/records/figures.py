"""Statistics in prose: the measured figures a sentence reports ("76 % des organismes répondants
estiment que …", "383 personnes ont apporté une réponse", "une hausse de 5 points").

A figure is a number printed in digits, in a sentence (or a bullet, or a bold run-in finding), that
reports a measured result: a share (%), a change in points, an observed count (with the noun it
counts), an amount of money that was spent or received. Left out, because they are no result:
* dates, years, periods, durations and ages ("le 7 novembre 2023", "2019-2023", "45 ans et plus");
* references: pages, questions, articles, laws, chapters, ISBNs, numbered parts of the document
  ("question 38", "article 70", "groupe 6", "3 axes");
* plans and targets: a sentence that aims, forecasts or budgets ("la cible est de 88 %", "devrait
  atteindre 27 % en 2066", "une enveloppe de 15 M$"), thresholds ("< 2000");
* ordinals, footnote calls, identifiers glued to letters (COVID-19), fractions ("1/3"), the second
  number of a range ("2 ou 3 personnes" is 2).

`subject` is the population of a share as the sentence prints it after "des" / "Parmi les" (up to
the verb, a comma or a parenthesis, relative clauses kept); "d'entre eux" takes the previous
share's population; otherwise null. Counts carry their noun as `unit` and no subject.
"""
from __future__ import annotations

import re
from typing import Optional

from schemas.records import Provenance, Statistic

from extractors.french.line_join import join_wrapped
from extractors.records.fields import MONTH_RE, clean_text, parse_number
from extractors.records.units import Unit

NUMBER = re.compile(r"(?<![\w.,/+−–-])(?:\d{1,3}(?:[  ]\d{3})+|\d+)(?:,\d+)?(?![\w/])")
PERCENT_AFTER = re.compile(r"^\s?(?:%|pour\s?cent\b)")
POINTS_AFTER = re.compile(r"^\s?points?\b(?:\s+de\s+pourcentage)?", re.I)
MONEY_AFTER = re.compile(r"^\s?(?:(?:M|G|k|milliards?\s+de|millions?\s+de)\s?)?(?:\$|€|euros?\b|dollars?\b)", re.I)
MILLIONS_AFTER = re.compile(r"^\s?(?:millions?|milliards?|M|G)\b(?!\s?\$)", re.I)
TIME_AFTER = re.compile(rf"^\s?(?:ans?\b|années?\b|mois\b|semaines?\b|jours?\b|heures?\b|h\b|min\b|minutes?\b|"
                        rf"secondes?\b|trimestres?\b|{MONTH_RE})", re.I)
ORDINAL_AFTER = re.compile(r"^(?:e|er|re|ère|ème|è|es|èmes)\b")
REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:p|pp|n[o°]|art|no)\.?|\bpages?|\bquestions?|\bn°|\barticles?|\bchapitres?|\bsections?|\bannexes?|\blois?|"
    r"\brèglements?|\bmesures?|\bobjectifs?|\bactions?|\baxes?|\brecommandations?|\btableaux?|\bfigures?|\bgraphiques?|"
    r"\bgroupes?|\bvolets?|\bphases?|\bétapes?|\borientations?|\bpriorités?|\bpromotions?|\bniveaux?|\bclasses?|"
    r"\bversions?|\bcatégories?|\bprincipes?|\bthématiques?|\bcohortes?|\bdécrets?|\bc\.|\bchap\.|\bRLRQ|\bISBN|"
    r"\btome|\bEIG|\bn°\s*)\s*$", re.I)
DATE_BEFORE = re.compile(rf"(?:\b(?:le|du|au|en|depuis|dès|avant|après|vers|jusqu['’]en|d['’]ici|fin|début|mi|"
                         rf"entre|et|à|de|{MONTH_RE}|été|hiver|automne|printemps)\s*)$", re.I)
STRUCTURE_NOUNS = {"axes", "objectifs", "orientations", "chapitres", "sections", "parties", "pages", "annexes",
                   "volets", "étapes", "phases", "questions", "thématiques", "thèmes", "critères", "principes",
                   "priorités", "enjeux", "leviers", "recommandations", "mesures", "actions", "points", "ans",
                   "fois", "reprises", "exemples"}
# A sentence that aims, forecasts, plans or budgets reports no result.
PLANNED = re.compile(
    r"\b(?:cibles?|visée?s?|vise(?:nt)?|viser|objectifs?\s+(?:est|de|d['’])|d['’]ici|prévue?s?|prévoit|prévoient|"
    r"projections?|devrai(?:t|ent)|pourrai(?:t|ent)|atteindre|sera|seront|serait|seraient|budgets?|budgétée?s?|"
    r"enveloppes?|investissements?|investira|investiront|consacrera|consacreront|allouera|octroiera|financera|"
    r"annonc\w*|pourra|pourront|"
    r"souhaite|souhaitons|propose|proposons|envisage)\b", re.I)
THRESHOLD_BEFORE = re.compile(r"[<>≤≥]\s*$")
SENTENCE_END = re.compile(r"(?<![\s.(][A-Z])(?<!\bM)(?<!\bMme)(?<!\bp)(?<!\bno)(?<!\bart)[.!?](?=\s+[A-ZÀ-Ý«\"“\d(])")
SUBJECT_STOP = re.compile(r"\s*(?:[,;:()«»]|\s-\s|\s–\s)")
ELIDED = re.compile(r"^\s?(?:d['’]\s?entre\s+(?:eux|elles))", re.I)
PARMI = re.compile(r"\bparmi\s+(?:les|ces)\s+(?P<pop>[^,]{3,120}?),\s*$", re.I)
DES_AFTER = re.compile(r"^\s?(?:%|pour\s?cent)\)?\s+(?:des|de\s+ces|d['’])\s*(?P<rest>.*)$", re.I | re.S)
NOUN_AFTER = re.compile(r"^\s?(?:d['’])?(?P<noun>[^\W\d_][\w·'’-]*)")
MAIN_VERBS = {"est", "sont", "a", "ont", "font", "vont", "était", "étaient", "avait", "avaient", "ne", "n'", "n’", "se", "s'",
              "s’", "y", "en", "semblent", "restent", "demeurent", "deviennent"}


# OCR loses short capitalised words at a sentence's start ("Il est …" read "est …"): on OCR'd text a
# full stop after a word, then a lower-case word, also ends a sentence.
OCR_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{3}[.!?])(?=\s+[a-zà-ÿ])")


def _sentences(text: str, ocr: bool = False) -> list[tuple[int, str]]:
    out, start = [], 0
    ends = list(SENTENCE_END.finditer(text))
    if ocr:
        ends = sorted(ends + list(OCR_SENTENCE_END.finditer(text)), key=lambda m: m.end())
    for m in ends:
        out.append((start, text[start:m.end()].strip()))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:].strip()))
    return out


def _lexicon():
    from extractors.errors import LexiconUnavailable
    from extractors.french.lexicon import load_lexicon

    try:
        return load_lexicon()
    except LexiconUnavailable:
        return None


def _is_verb(word: str, lexicon) -> bool:
    """A finite verb that can end a subject noun phrase (estiment, ont, reçoivent, indiquent)."""
    low = word.lower().strip(".,;:")
    if low in MAIN_VERBS:
        return True
    if lexicon is None:
        return bool(re.fullmatch(r"[a-zà-ÿ]{3,}(?:ent|ont)", low)) and not low.endswith("ment")
    from extractors.french.lexicon import ADJ, FINITE, NOUN, PPRE

    bits = lexicon.tag(low)
    return bool(bits & FINITE) and not bits & (NOUN | ADJ | PPRE)


def _infinitive_clause(words: list[str], k: int, lexicon) -> bool:
    low = words[k].lower()
    if low == "de" and k + 1 < len(words):
        verb = words[k + 1].lower()
    elif re.match(r"^d['’][a-zà-ÿ]", low):
        verb = low[2:]
    else:
        return False
    if lexicon is None:
        return bool(re.fullmatch(r"[a-zà-ÿ]+(?:er|ir|oir|re)", verb))
    from extractors.french.lexicon import INF, NOUN

    bits = lexicon.tag(verb)
    return bool(bits & INF) and not bits & NOUN


def _population(rest: str, lexicon) -> Optional[str]:
    """The noun phrase a share counts: words up to the main verb, a comma or a parenthesis; a relative
    clause ("qui ont répondu à notre enquête") stays in it."""
    cut = SUBJECT_STOP.search(rest)
    span = rest[:cut.start()] if cut else rest
    words = span.split()
    out: list[str] = []
    relative = False
    for k, word in enumerate(words):
        low = word.lower()
        if k and re.match(r"^[ns]['’]\w", low):
            break  # n'ont, s'est: the main verb
        if k and _infinitive_clause(words, k, lexicon):
            break  # "… des contributions de trouver trois analyses": a clause of its own
        if low in ("qui", "que", "dont", "où"):
            relative = True
            out.append(word)
            continue
        if k and _is_verb(word, lexicon) and not (relative and low not in ("ne", "n'", "n’")):
            break
        if relative and k and _is_verb(word, lexicon):
            relative = False  # the relative clause's own verb; the main verb comes later
        out.append(word)
    text = " ".join(out).rstrip(" .;:")
    return text or None


PRENOMINAL = re.compile(r"^\s?(?:autres|derniers|dernières|premiers|premières|nouveaux|nouvelles|grands|grandes|"
                        r"petits|petites|principaux|principales|seuls|seules|mêmes|anciens|anciennes)(?=\s)", re.I)
PARTITIVE = re.compile(r"^\s?(?:de\s+ces|des|d['’]entre\s+(?:les|ces))(?:\s+\d{1,3}(?:[  ]\d{3})*)?(?=\s)", re.I)
RANGE_AFTER = re.compile(r"^\s?(?:ou|à|-|–)\s?\d+(?:,\d+)?(?=\s)")
RATE_AFTER = re.compile(r"^[^.;:]{0,30}?\bpar\s+(?:mois|an|année|jour|heure|semaine|personne)\b", re.I)
COUNT_LABEL = re.compile(r"\bnombre\s+(?:de|d['’])\s*(?P<noun>[^\W\d_][\w·'’-]*)\s*:\s*$", re.I)


def _unit_of(after: str, sentence_counts: list[str], before: str = "") -> Optional[str]:
    """'%', 'points', '$', or the counted noun; None when the number counts nothing here."""
    if (r := RANGE_AFTER.match(after)) is not None:
        after = after[r.end():]  # "2 ou 3 personnes": the first number, counting what the second counts
    if PERCENT_AFTER.match(after):
        return "%"
    if POINTS_AFTER.match(after):
        return "points"
    if MONEY_AFTER.match(after):
        if RATE_AFTER.match(after):
            return None  # a salary or a fee on offer, not an amount spent
        return "$" if "$" in after[:12] or "dollar" in after[:20].lower() else "€"
    if (label := COUNT_LABEL.search(before)) is not None and re.match(r"^\s?(?:[,.;)]|$)", after):
        return label.group("noun")  # "Nombre de réponses : 16,"
    if (part := PARTITIVE.match(after)) is not None:
        after = after[part.end():]  # "18 de ces entreprises", "311 des 329 programmes"
    while (adj := PRENOMINAL.match(after)) is not None:
        after = after[adj.end():]  # "les 2 autres agents", "les 5 dernières années"
    if TIME_AFTER.match(after):
        return None
    m = NOUN_AFTER.match(after)
    if m is None:
        return sentence_counts[-1] if sentence_counts and re.match(r"^\s+(?:se|s['’]|sont|ont|desservent|[a-zà-ÿ]+ent)\b",
                                                                      after) else None
    noun = m.group("noun")
    if sentence_counts and re.fullmatch(r"(?:se|s['’]\w*|[a-zà-ÿ]+ent)", noun.lower()):
        return sentence_counts[-1]  # "28 se trouvent", "24 desservent": the noun of the count before it
    if not noun[:1].islower() or noun.lower() in STRUCTURE_NOUNS or len(noun) < 3:
        return None
    if not (noun.endswith(("s", "x")) or "·" in noun):
        return None
    return noun


def _excluded(sentence: str, start: int, end: int, raw: str) -> bool:
    before, after = sentence[:start], sentence[end:]
    value = parse_number(raw.replace(" ", "").replace(" ", ""))
    if value is None:
        return True
    if re.fullmatch(r"(?:1[89]|20)\d\d", raw) and not PERCENT_AFTER.match(after):
        return True  # a year
    if TIME_AFTER.match(after) or ORDINAL_AFTER.match(after) or re.match(r"^\s?[/:hH]\s?\d", after):
        return True
    if re.match(r"^[-–]\d", after) or re.search(r"\d[-–]$", before):
        return True  # a period (2019-2023), an ISBN, a code
    if re.search(r"(?:\b(?:ou|à)\s+|[-–]\s*)$", before) and re.search(r"\d\s*(?:ou|à|[-–])\s*$", before):
        return True  # the second number of a range: "2 ou 3 personnes"
    if REFERENCE_BEFORE.search(before) or THRESHOLD_BEFORE.search(before):
        return True
    if DATE_BEFORE.search(before) and re.match(rf"^\s?(?:er\s+)?(?:{MONTH_RE})\b", after, re.I):
        return True  # "le 7 novembre"
    return False


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause around a number: from the punctuation before it to the punctuation after it."""
    left = max(sentence.rfind(c, 0, start) for c in ",;:(.")
    rights = [k for k in (sentence.find(c, end) for c in ",;:).") if k >= 0]
    return sentence[left + 1:min(rights) if rights else len(sentence)]


def sentence_figures(sentence: str, lexicon_loader=_lexicon, previous: Optional[str] = None,
                     previous_sentence: str = "") -> list[dict]:
    """The figures one sentence reports, as {value, unit, subject}; `previous` is the population of
    the share before it (for "d'entre eux")."""
    found: list[dict] = []
    counts: list[str] = []
    lexicon = None
    for m in NUMBER.finditer(sentence):
        raw = m.group(0)
        if _excluded(sentence, m.start(), m.end(), raw) or PLANNED.search(_clause(sentence, m.start(), m.end())):
            continue
        after = sentence[m.end():]
        unit = _unit_of(after, counts, sentence[:m.start()])
        if unit is None:
            continue
        subject = None
        if unit == "%":
            before = sentence[:m.start()]
            shares = [f for f in found if f["unit"] == "%"]
            if re.search(r"\bd['’]\s?entre\s+(?:eux|elles)\b", after[:20]) or re.search(
                    r"\b(?:ils|elles)\s+sont\s+(?:plus\s+de\s+|près\s+de\s+|moins\s+de\s+)?$", before):
                subject = _antecedent(before, shares, previous, previous_sentence)
            elif (d := DES_AFTER.match(after)) is not None:
                lexicon = lexicon or lexicon_loader()
                subject = _population(d.group("rest"), lexicon)
            elif (p := PARMI.search(before)) is not None:
                subject = p.group("pop").strip()
            elif shares and re.match(r"^\s?%\s+(?:ne\s+|n['’]|se\s+|s['’])?[a-zà-ÿ]*(?:ent|ont)\b", after):
                subject = shares[-1]["subject"]  # "77 % des mentors …, et 70 % ont fait de même"
            previous = subject or previous
        elif unit not in ("points", "$", "€"):
            counts.append(unit)
        value = parse_number(raw.replace(" ", "").replace(" ", ""))
        found.append({"value": value, "unit": unit, "subject": subject})
    return found


PLURAL_NP = re.compile(r"\b(?:les|des)\s+(?P<np>[^\W\d_][\w'’-]*(?:\s+(?:[a-zà-ÿ][\w'’-]*(?:és|ées|is|ises|aux|ifs|ives|s)))?)(?=\W|$)")


def _antecedent(before: str, shares: list[dict], previous: Optional[str], previous_sentence: str) -> Optional[str]:
    """Who "d'entre eux" / "ils" are: a share's population earlier in the sentence, else the last
    plural noun phrase before it ("valorisée par les EIG : 67 % d'entre eux") or in the sentence
    before, else the population of the share before."""
    for share in reversed(shares):
        if share["subject"]:
            return share["subject"]
    for text in (before, previous_sentence):
        found = [m.group("np") for m in PLURAL_NP.finditer(text)]
        if found:
            return found[-1]
    return previous


def _candidate(unit: Unit, text: str) -> bool:
    if unit.kind == "heading" and re.search(r"(?:\.{3,}|\s)\d{1,3}$", text):
        return False  # a table-of-contents line
    return len(text.split()) >= 4 and bool(re.search(r"\d", text))


def _states(text: str, lexicon) -> bool:
    """Does a heading state something (a bold run-in finding), rather than name a topic or a figure
    ("Publications : 67 % en accès ouvert")? It has a finite verb."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return any(_is_verb(w, lexicon) for w in words if w.lower() not in ("a", "en", "y", "se", "ne"))


def _unit_text(unit: Unit) -> str:
    text = clean_text(unit.text)
    if unit.marker and unit.marker == unit.number:
        text = f"{unit.marker} {text}"  # "18 de ces entreprises…" was read as a list number
    return text


def _paragraphs(units: list[Unit], skip: set[int]) -> list[tuple[Unit, str]]:
    """(first unit, text) of each paragraph: a unit that goes on in lower case after one that does
    not end its sentence (a paragraph cut by a page or column break, or by the layout of a scan)
    joins it."""
    out: list[tuple[Unit, str]] = []
    prev: Optional[Unit] = None
    for i, unit in enumerate(units):
        words_row = unit.kind == "row" and unit.text[:1].islower() and not any(
            re.fullmatch(r"[\d\s%$,.+−–-]+", c) for c in unit.cells or [])  # a line an OCR gap cut into cells
        if i in skip or (unit.kind == "row" and not words_row) or unit.kind in ("note", "number") or unit.repeated:
            prev = None  # nothing joins across a table, a footnote or a page number
            continue
        text = _unit_text(unit)
        if out and prev is not None and unit.kind in ("para", "row") and unit.marker is None and text[:1].islower() \
                and not re.search(r"[.!?:;»]$", out[-1][1]):
            out[-1] = (out[-1][0], join_wrapped(out[-1][1], text))
        else:
            out.append((unit, text))
        prev = unit
    return [(u, t) for u, t in out if _candidate(u, t)]


def units_to_statistics(units: list[Unit], file: str, skip: Optional[set[int]] = None) -> list[Statistic]:
    skip = skip or set()
    out: list[Statistic] = []
    previous: Optional[str] = None
    lexicon_cache: list = []

    def lexicon():
        if not lexicon_cache:
            lexicon_cache.append(_lexicon())
        return lexicon_cache[0]

    for unit, text in _paragraphs(units, skip):
        if unit.kind == "heading" and not _states(text, lexicon()):
            continue
        last = ""
        for _, sentence in _sentences(text, ocr=unit.origin == "ocr"):
            figures, last = sentence_figures(sentence, lexicon, previous, last), sentence
            for figure in figures:
                if figure["unit"] == "%":
                    previous = figure["subject"] or previous
                out.append(Statistic(
                    value=figure["value"], unit=figure["unit"], statement=sentence, subject=figure["subject"],
                    provenance=Provenance(file=file, page=unit.page, bbox=unit.bbox,
                                          line=unit.line if unit.bbox is None else None),
                    confidence=0.7, flagged=False))
    return out
