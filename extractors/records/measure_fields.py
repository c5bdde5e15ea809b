"""Field values of a measure from the text of its table cells (used by `extractors.records.from_tables`).

Each function takes a cell as `CellLines`: its lines, each a list of `(text, bold)` words in reading
order, with the paragraph breaks the layout shows (a wider gap between lines, a bullet). Nothing
here knows a document: the French vocabularies below are general (months, seasons, status words,
the small words that join a name over a line break).

* **Organisations** (`organisations`): a cell is cut into names at commas, semicolons, spaced
  slashes, `ainsi que`, and `et` when what follows is not a complement (`et de la culture` stays
  inside one name, `Office et ordres professionnels` is two); never inside parentheses, so `BCI (et
  les établissements)` stays whole. A line break ends a name when the next line starts with a
  capital and the line before does not end on a joining word (`de`, `du`, `des`, `la`, `et`, ...)
  or a hyphen; a change of weight (bold lead, plain partners) ends a name too.
* **Lead and partners** (`lead_and_partners`): in a cell that names both, the bold names are the
  lead and the plain ones the partners; without font weight (OCR without a bold estimate) or when
  every name has the same weight, the first name is the lead and the rest are partners.
* **Deadlines** (`is_deadline`): a line that is only a date, a month or season with a year, a
  year or a span of years, or a French "when" phrase (`En continu`, `En cours`, `Annuellement`,
  `Court terme`, `À déterminer`).
* **Targets** (`target_of`): the last quantity of an indicator statement (a number in digits or
  words, not a year), with what it counts: the head noun, then `de ...` complements and a `par
  année` rate, up to a preposition or a participle (`275 personnes admises` gives `275 personnes`).
* **Progress** (`progress_of`): the status line is the cell's leading bold run, or its first line
  when the weight is unknown; its percentage is the measure's `progress_percent` and the words
  after it (`100 % — Réalisée`) its `status_text`. Lines `label : NN %` are parts, kept when
  there are two or more.
"""
from __future__ import annotations

import re
from typing import Optional

from schemas.records import Indicator, ProgressPart

from extractors.french.line_join import join_wrapped_lines
from extractors.tables.values import YEAR, clean, fold, is_deadline, strip_bullet  # cell-value parsers shared with the table reader

Word = tuple[str, Optional[bool]]  # (text, bold)
CellLines = list[list[Word]]  # lines of words
Paragraphs = list[CellLines]

# Small words that leave a name unfinished at a line end ("Tous les partenaires du" / "Pôle").
JOINING = {"de", "des", "du", "d'", "d’", "la", "le", "les", "l'", "l’", "et", "à", "au", "aux", "en", "pour",
           "sur", "par", "avec", "dans", "ou", "of", "the", "and", "-", "–"}
# After "et", these start a complement of the same name ("Service des loisirs et de la culture").
COMPLEMENT_START = {"de", "des", "du", "d'", "d’", "la", "le", "les", "l'", "l’", "à", "au", "aux", "en"}
ARTICLES = {"le", "la", "les"}

PERCENT = re.compile(r"(-?\d{1,3}(?:[.,]\d+)?)\s*%")
PART = re.compile(r"^(?P<label>[^:]{2,80}?)\s*:\s*(?P<pct>-?\d{1,3}(?:[.,]\d+)?)\s*%\s*$")
NUMBER_WORDS = {"un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
                "douze", "quinze", "vingt", "trente", "quarante", "cinquante", "cent", "mille"}
# A quantity's noun phrase ends at these (prepositions and relatives that open another complement).
PHRASE_STOP = {"à", "a", "au", "aux", "en", "pour", "qui", "que", "dans", "sur", "avec", "d'ici", "d’ici", "entre",
               "chez", "selon", "afin", "lors", "par", "dont", "et", "ou", "(", "soit", "sont", "est", "ont"}
TIME_UNITS = {"annee", "an", "mois", "semaine", "jour", "trimestre", "exercice", "cohorte"}  # folded
PARTICIPLE = re.compile(r"^[a-zà-ÿ]+(?:é|ée|és|ées|is|ise|ises|it|ite|its|ites|ant)$")
ID = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[A-Z](?:\.\d{1,3})*)\.?$")


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one string (`extractors.french.line_join`: "com-" / "pétences" is one
    word, "main-" / "d'œuvre" one compound)."""
    return clean(join_wrapped_lines(lines))


def line_text(line: list[Word]) -> str:
    return " ".join(t for t, _ in line)


def paragraph_text(paragraph: CellLines) -> str:
    return join_lines([line_text(line) for line in paragraph])


def split_id(text: str) -> tuple[Optional[str], str]:
    """'1.2 Mettre en place ...' -> ('1.2', 'Mettre en place ...'); ids need text after them."""
    m = re.match(r"^\s*(?:(?:action|mesure|n°|no)\s*)?(\d{1,3}(?:\.\d{1,3})*)[.)]?\s*[-–—:]?\s+(?=\S)(.*)$", text, re.IGNORECASE | re.S)
    if m and m.group(2)[:1].isalpha() or (m and m.group(2)[:1] in "«\"'("):
        return m.group(1), m.group(2).strip()
    return None, text


def parent_of(measure_id: Optional[str]) -> Optional[str]:
    if measure_id and "." in measure_id:
        return measure_id.rsplit(".", 1)[0]
    return None


# --- Organisations -----------------------------------------------------------------------------


def organisations(lines: CellLines, soft: Optional[list[bool]] = None) -> list[tuple[str, Optional[bool]]]:
    """Names in a cell, each with its weight (True bold, False plain, None unknown or mixed).

    `soft[i]` tells whether line i was broken by the typesetter because the next word did not fit
    (then the break never separates two names) or on purpose (then it does, before a capital)."""
    names: list[list[Word]] = []
    current: list[Word] = []
    depth = 0
    skip = False  # the "que" of "ainsi que"

    def close() -> None:
        nonlocal current
        if current:
            names.append(current)
        current = []

    for i, line in enumerate(lines):
        words = [(strip_bullet(t) if j == 0 else t, b) for j, (t, b) in enumerate(line)]
        words = [(t, b) for t, b in words if t]
        for j, (text, bold) in enumerate(words):
            if current and depth == 0 and _name_ends_before(current[-1], text, bold, i, j, soft):
                close()
            low = fold(text)
            if skip:
                skip = False
                continue
            if depth == 0 and low in ("et", "&", "/", "ainsi") and current:
                nxt = words[j + 1][0] if j + 1 < len(words) else (lines[i + 1][0][0] if i + 1 < len(lines) and lines[i + 1] else "")
                if low == "ainsi":
                    if fold(nxt) == "que":
                        close()
                        skip = True
                        continue
                after = words[j + 2][0] if j + 2 < len(words) else ""
                named = fold(nxt) in ARTICLES and after[:1].isupper()  # "et le CISSS"
                if named or (fold(nxt) not in COMPLEMENT_START and not (current[-1][0][:1].islower() and nxt[:1].islower())):
                    close()  # "Office et ordres professionnels"; not "Transport adapté et collectif"
                    continue
            depth += text.count("(") - text.count(")")
            depth = max(depth, 0)
            if depth == 0 and text.endswith((",", ";")):
                current.append((text[:-1], bold))
                close()
            else:
                current.append((text, bold))
    close()
    return _named(names)


def _name_ends_before(prev: Word, text: str, bold: Optional[bool], i: int, j: int, soft: Optional[list[bool]]) -> bool:
    """A name ends before word j of line i: at a line break the typesetter did not force, before a
    capital, unless the name is left unfinished ("Office de", "Emploi-"); or where the weight changes."""
    prev_text, prev_bold = prev
    if j == 0 and i > 0:  # a line break
        unfinished = fold(prev_text) in JOINING or prev_text.endswith(("-", "'", "’"))
        wrapped = soft[i - 1] if soft is not None and i - 1 < len(soft) else False
        if not unfinished and not wrapped and text[:1].isupper():
            return True
    return prev_bold is not None and bold is not None and prev_bold != bold


def _named(names: list[list[Word]]) -> list[tuple[str, Optional[bool]]]:
    """Each name's text (a leading article before a capital dropped) and weight: bold when all or
    most of its words are, None when none is known."""
    out = []
    for name in names:
        if len(name) > 1 and fold(name[0][0]) in ARTICLES and name[1][0][:1].isupper():
            name = name[1:]  # "(avec) la MRC": the name is "MRC"
        text = clean(" ".join(t for t, _ in name)).strip(" .,;:")
        if not text or not any(ch.isalnum() for ch in text):
            continue
        weights = [b for _, b in name if b is not None]
        bold = None if not weights else (True if all(weights) else False if not any(weights) else sum(weights) * 2 > len(weights))
        out.append((text, bold))
    return out


# Words that introduce the partners inside a shared cell ("Partenaires : ...", "en collaboration
# avec ...") or label the one in charge ("Responsable : ..."), matched folded.
PARTNER_LABEL = re.compile(r"^(?:(?:partenaires?|collaborat\w*)\s*:|en collaboration avec|en partenariat avec|"
                           r"avec la collaboration de|avec l'appui de|avec le soutien de)\s*")
LEAD_LABEL = re.compile(r"^(?:responsables?|porteur|porteuse|maitre d'oeuvre|pilote)\s*:\s*")


def _split_labelled(lines: CellLines) -> Optional[tuple[CellLines, CellLines]]:
    """A cell that says which names are partners: (lines before the label, lines after it)."""
    flat = [(i, j) for i, line in enumerate(lines) for j in range(len(line))]
    for n, (i, j) in enumerate(flat):
        rest = fold(" ".join(lines[a][b][0] for a, b in flat[n:n + 5]))
        m = PARTNER_LABEL.match(rest)
        if m and n > 0:
            skip = len(m.group(0).split())
            before = [list(line) for line in lines[:i]] + [list(lines[i][:j])]
            after_words = flat[n + skip:]
            after: CellLines = []
            last = None
            for a, b in after_words:
                if a != last:
                    after.append([])
                    last = a
                after[-1].append(lines[a][b])
            return [line for line in before if line], after
    return None


def lead_and_partners(lines: CellLines, soft: Optional[list[bool]] = None) -> tuple[list[str], list[str]]:
    """One cell naming the organisation in charge and its partners: (lead, partners)."""
    labelled = _split_labelled(lines)
    if labelled is not None:
        before, after = labelled
        if before and before[0]:
            m = LEAD_LABEL.match(fold(line_text(before[0])))
            if m:
                before[0] = before[0][len(m.group(0).split()):]
        return [t for t, _ in organisations([line for line in before if line])], [t for t, _ in organisations(after)]
    names = organisations(lines, soft)
    if not names:
        return [], []
    weights = {b for _, b in names}
    if True in weights and (False in weights or None in weights):
        return [t for t, b in names if b], [t for t, b in names if not b]
    return [names[0][0]], [t for t, _ in names[1:]]


# --- Indicators and targets --------------------------------------------------------------------


def indicators_of(paragraphs: Paragraphs, with_targets: bool) -> list[Indicator]:
    """Indicator statements, each with the deadline line printed under it (if any)."""
    out: list[Indicator] = []
    for paragraph in paragraphs:
        text_lines: list[str] = []
        for n, line in enumerate(paragraph):
            text = line_text(line)
            # a date that goes on a sentence ("pour atteindre 2 115 participants" / "en 2022") or
            # that another date follows is part of the statement
            follows = n + 1 < len(paragraph) and is_deadline(line_text(paragraph[n + 1]))
            if is_deadline(text) and not follows and not (text_lines and text[:1].islower()):
                if text_lines:
                    out.append(_indicator(text_lines, clean(strip_bullet(text)), with_targets))
                    text_lines = []
                elif out and out[-1].deadline is None:
                    out[-1] = out[-1].model_copy(update={"deadline": clean(strip_bullet(text))})
                continue
            text_lines.append(text)
        if text_lines:
            out.append(_indicator(text_lines, None, with_targets))
    return out


def _indicator(lines: list[str], deadline: Optional[str], with_targets: bool) -> Indicator:
    text = strip_bullet(join_lines(lines))
    return Indicator(text=text, target=target_of(text) if with_targets else None, deadline=deadline)


def target_of(text: str) -> Optional[str]:
    tokens = text.split()
    starts = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if re.fullmatch(r"\d{1,3}(?:[.,]\d+)?", t) or re.fullmatch(r"\d{4,}", t) or fold(t) in NUMBER_WORDS - {"un", "une"}:
            j = i
            # "2 115": digit groups of three
            while j + 1 < len(tokens) and re.fullmatch(r"\d{3}", tokens[j + 1]) and re.fullmatch(r"\d{1,3}", tokens[i]):
                j += 1
            number = " ".join(tokens[i:j + 1])
            prev = fold(tokens[i - 1]) if i else ""
            if re.fullmatch(YEAR, number) or prev in ("en", "de", "l'an", "depuis") and re.fullmatch(YEAR, number):
                i = j + 1
                continue
            starts.append((i, j))
            i = j + 1
        else:
            i += 1
    if not starts:
        return None
    i, j = starts[-1]
    k = j + 1
    if k < len(tokens) and tokens[k] == "%":
        k += 1
    elif k < len(tokens) and re.fullmatch(r"%|\$|M\$|k\$", tokens[k]):
        k += 1
    # head noun
    if k < len(tokens) and fold(tokens[k]) not in PHRASE_STOP and fold(tokens[k]) not in COMPLEMENT_START:
        k += 1
    while k < len(tokens):
        low = fold(tokens[k]).strip(",.;")
        if low in ("de", "d'", "des", "du") or low.startswith(("d'", "d’")):
            m = k + 1 if low in ("de", "des", "du", "d'") else k
            m = max(m, k + 1)
            while m < len(tokens) and fold(tokens[m]) not in PHRASE_STOP and not PARTICIPLE.match(fold(tokens[m])) \
                    and fold(tokens[m]) not in COMPLEMENT_START:
                m += 1
            if m == k + 1 and low in ("de", "des", "du"):
                break
            k = m
        elif low == "par" and k + 1 < len(tokens) and fold(tokens[k + 1]).strip(",.;") in TIME_UNITS:
            k += 2
        else:
            break
    phrase = " ".join(tokens[i:k]).rstrip(",.;:")
    return phrase if len(phrase.split()) >= 2 else None


# --- Progress ------------------------------------------------------------------------------------


def _percent(text: str) -> Optional[float]:
    m = PERCENT.search(text)
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    return value if value >= 0 else None


def progress_of(lines: CellLines) -> tuple[Optional[float], Optional[str], list[ProgressPart]]:
    """(progress_percent, status_text, parts) of a progress cell."""
    if not lines:
        return None, None, []
    bolds = [b for line in lines for _, b in line if b is not None]
    status_words: list[str] = []
    if bolds and bolds[0] is True and not all(bolds):
        for n, line in enumerate(lines):
            run = _leading_bold(line)
            if n and not (run and run[0][0][:1].islower()):
                break  # the status wraps onto a line only when that line goes on in lower case
            status_words.extend(t for t, _ in run)
            if len(run) < len(line):
                break
    else:
        status_words = [t for t, _ in lines[0]]
        if len(lines) > 1 and lines[1] and lines[1][0][0][:1].islower() and len(status_words) <= 4:
            status_words += [t for t, _ in lines[1]]
    status_line = clean(" ".join(status_words))
    percent = _percent(status_line)
    status = status_line
    if percent is not None:
        status = PERCENT.sub("", status_line, count=1)
    status = re.sub(r"\(\s*\)|\[\s*\]", "", status)
    status = re.sub(r"^[\s\-–—:,(]+|[\s\-–—:,(]+$", "", status).strip()
    if len(status.split()) > 10:  # the first line of a text, not a status
        status = None if percent is not None else None
    if percent is None and status is not None and len(status_line.split()) > 10:
        status = None
    parts = []
    texts = [clean(line_text(line)) for line in lines]
    joined: list[str] = []
    for text in texts:  # "Plantation printanière :" / "100 %": a part wrapped in a narrow column
        if joined and (joined[-1].endswith(":") and PERCENT.match(text) or
                       not PART.match(joined[-1]) and re.fullmatch(r"-?\d{1,3}(?:[.,]\d+)?\s*%", text) and ":" in joined[-1]):
            joined[-1] = f"{joined[-1]} {text}"
        else:
            joined.append(text)
    for text in joined:
        m = PART.match(text)
        if m:
            parts.append(ProgressPart(percent=float(m.group("pct").replace(",", ".")), label=clean(m.group("label"))))
    if len(parts) < 2:
        parts = []
    if percent is None and parts:
        percent = parts[0].percent
    return percent, status or None, parts


def _leading_bold(line: list[Word]) -> list[Word]:
    """The bold words opening a line; words of unknown weight (OCR punctuation) go with them, but
    do not end the run."""
    out: list[Word] = []
    for word in line:
        if word[1] is False:
            break
        out.append(word)
    while out and out[-1][1] is None:
        out.pop()
    return out


def weight(words: list[Word]) -> Optional[bool]:
    """True when every word of known weight is bold, False when every one is plain, else None."""
    known = [b for _, b in words if b is not None]
    if not known or (any(known) and not all(known)):
        return None
    return known[0]
