"""Small French text helpers shared by the record readers: organisation lists, trailing
parentheses, quantities ("51 organismes", "une trentaine d'ordres"), amounts ("15,5 M$"), dates
("le 4 juillet 2012"), footnote calls. General cues only; nothing here knows a document."""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from extractors.french.vocabulary import MONTH_PATTERN, MONTH_SPELLINGS

# Month spellings (accented and folded) and their numbers, for dates of running text.
MONTHS = MONTH_SPELLINGS
MONTH_RE = MONTH_PATTERN
APPROX = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
          "cinquantaine": 50, "soixantaine": 60, "centaine": 100}
STOP_WORDS = {
    "qui", "que", "dont", "lesquels", "lesquelles", "lequel", "laquelle", "où", "à", "au", "aux", "pour", "par", "sur",
    "avec", "dans", "sans", "entre", "vers", "chez", "soit", "mais", "ou", "car", "contre", "selon", "afin", "se", "ne",
    "sont", "ont", "est", "a", "sera", "seront", "pourra", "pourront", "peut", "peuvent", "doit", "doivent", "ainsi",
    "alors", "comme", "si", "cette", "ces", "ce", "leur", "leurs", "y", "en",
}
ORG_WORD = re.compile(r"^[A-ZÀ-Ý][\wÀ-ÿ'’&/.-]*$")
ACRONYM = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý0-9&/-]{1,11}$")
HYPHENATED_NAME = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]+(-[A-ZÀ-Ý][a-zà-ÿ]+)+$")  # Emploi-Québec


# Screen-reader text that web pages glue to their links.
WEB_CHROME = re.compile(r"\s*\(?(?:cet hyperlien|ce lien)\s+s['’]ouvrira dans une nouvelle fenêtre\.?\)?|"
                        r"\s*\(?s['’]ouvre dans une nouvelle fenêtre\)?|\s*\(lien externe\)", re.I)


def clean_text(text: str) -> str:
    """Whitespace folded, markdown emphasis, footnote calls (compétences², mobilisés*) and web
    screen-reader chrome dropped."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    text = WEB_CHROME.sub("", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?:(?<=^)|(?<=[\s(«\"'’]))\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)", r"\1", text)  # *italic*
    text = re.sub(r"(?<=\w)\*(?=[\s,.;:)]|$)", "", text)  # footnote star after a word
    text = re.sub(r"(?<=[^\W\d_])[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", text)
    text = text.replace("M^{me}", "Mme").replace("M^{lle}", "Mlle")
    return re.sub(r"\s+", " ", text).strip()


def split_orgs(text: str) -> list[str]:
    """'MES et MEQ' -> ['MES', 'MEQ']; 'Q2 et CIQ (ordres professionnels)' -> ['Q2', 'CIQ (ordres professionnels)'].
    Commas and 'et' separate organisations only outside parentheses."""
    parts, depth, buf = [], 0, ""
    tokens = re.split(r"(\(|\)|,|;|\bet\b)", text)
    for tok in tokens:
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth = max(0, depth - 1)
        if depth == 0 and tok in (",", ";", "et"):
            parts.append(buf)
            buf = ""
            continue
        buf += tok
    parts.append(buf)
    return [p.strip(" .;:") for p in parts if p.strip(" .;:")]


def looks_like_orgs(text: str) -> bool:
    """A parenthesis naming organisations: acronyms, or short capitalised names."""
    parts = split_orgs(text)
    if not parts:
        return False
    for part in parts:
        words = part.split()
        if not words or not ORG_WORD.match(words[0]) or len(words) > 7:
            return False
        if len(words) == 1 and not ACRONYM.match(words[0]) and not HYPHENATED_NAME.match(words[0]):
            return False
    return True


def trailing_orgs(text: str) -> tuple[str, list[str]]:
    """'Identifier … (MTESS);' -> ('Identifier …', ['MTESS']) when the final parenthesis names
    organisations; the list punctuation after it goes too. Otherwise (text, [])."""
    m = re.search(r"\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*[;.,:]?\s*$", text)  # ':' is OCR for ';'")
    if not m or not looks_like_orgs(m.group(1)):
        return text, []
    return text[:m.start()].rstrip(" ,;"), split_orgs(m.group(1))


def parse_number(text: str) -> Optional[float]:
    """'15,5' -> 15.5, '2 115' -> 2115, '+18' -> 18, '-39' -> -39."""
    t = text.replace("\u00a0", " ").replace("\u202f", " ").strip().replace("−", "-").replace("–", "-")
    t = re.sub(r"(?<=\d) (?=\d{3}\b)", "", t)
    t = t.replace(",", ".").lstrip("+")
    try:
        return float(t)
    except ValueError:
        return None


NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
AMOUNT_RE = re.compile(rf"(?<![\w,])({NUMBER})\s*(G\$|M\$|k\$|\$|(?:millions?|milliards?)\s+de\s+dollars)", re.I)
SCALE = {"g$": 1e9, "m$": 1e6, "k$": 1e3, "$": 1.0}


def find_amount(text: str) -> Optional[tuple[str, float]]:
    m = AMOUNT_RE.search(text)
    if not m:
        return None
    value = parse_number(m.group(1))
    if value is None:
        return None
    unit = m.group(2).lower()
    scale = SCALE.get(unit.replace(" ", ""), 1e6 if unit.startswith("million") else 1e9)
    return m.group(0).strip(), value * scale


QUANTITY_RE = re.compile(rf"(?<![\w,.\-/])(?:(une?\s+({'|'.join(APPROX)})s?)\b|({NUMBER})(?![\w,.\-/]|\s*%|\s*\$|\s*[MGk]\$))", re.I)
NOT_COUNTED = re.compile(rf"^\s*(?:{MONTH_RE}|ans?\b|années?\b|mois\b|semaines?\b|jours?\b|heures?\b|minutes?\b|h\b|"
                         r"millions?\b|milliards?\b|fois\b|%|\$|e\b|er\b|ème\b|points?\b)", re.I)


def quantity_phrases(text: str) -> list[tuple[float, str, int]]:
    """Every number of things with what it counts, as printed: (value, phrase, position).
    Left out: years and date parts, money, percentages, durations."""
    out = []
    for m in QUANTITY_RE.finditer(text):
        if m.group(1):
            value, start = float(APPROX[m.group(2).lower()]), m.start()
        else:
            raw = m.group(3)
            value = parse_number(raw)
            if value is None:
                continue
            before = text[max(0, m.start() - 12):m.start()].lower()
            if re.fullmatch(r"(19|20)\d\d", raw) or re.search(rf"(?:le|du|au|{MONTH_RE})\s*$", before):
                continue
            start = m.start()
        rest = text[m.end():]
        if NOT_COUNTED.match(rest):
            continue
        words = _phrase_words(rest)
        if not words:
            continue
        phrase = (text[start:m.end()] + " " + " ".join(words)).strip()
        out.append((value, phrase, start))
    return out


def _phrase_words(rest: str) -> list[str]:
    tokens = rest.split()
    words: list[str] = []
    for k, tok in enumerate(tokens[:8]):
        bare = tok.strip(",.;:!?»)(«\"")
        low = bare.lower()
        if not bare or not re.match(r"[\w'’-]", bare):
            break
        nxt = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
        if low == "en" and re.match(r"\d", nxt):
            words.append(bare)
            continue
        if low == "et" and re.match(r"(de|d['’]|des|du)\b", nxt):
            words.append(bare)
            continue
        if low in STOP_WORDS or low == "et" or re.match(r"qu['’]|s['’]|n['’]", low):
            break
        elided = low.startswith(("d'", "d’"))
        if re.fullmatch(r"(?:d['’])?[^\W\d_]+(?:er|ir|oir)", low) and (elided or words[-1:] == ["de"]):
            break  # "d'offrir", "de gérer": a verb follows, the counted noun is complete
        if words and (re.search(r"(ront|aient|ait|ant)$", low) or (low.endswith("ent") and len(low) > 5)):
            break
        if re.fullmatch(r"\d[\d-]*", bare) and not (words and words[-1].lower() == "en"):
            break
        words.append(bare)
        if bare != tok.rstrip("»)") or re.search(r"[,.;:!?]$", tok):
            break
    while words and words[-1].lower() in ("de", "d", "des", "du", "et", "la", "le", "les"):
        words.pop()
    return words


def target_phrase(text: str) -> Optional[str]:
    """The quantity an indicator aims at, as printed ('275 personnes', '42 % de nouveaux
    participants'); when a growth rate leads to a level ('20 % … pour atteindre 2 115
    participants'), the level."""
    pct = [m for m in re.finditer(rf"({NUMBER})\s*%\s+(de\s+[^\W\d]+(?:\s+[^\W\d,.;]+)?)", text)]
    counts = [q for q in quantity_phrases(text) if q[0] >= 2 or q[1].split()[0].isalpha()]
    if counts:
        return max(counts, key=lambda q: q[2])[1] if re.search(r"atteindre|pour\s+un\s+total", text) else counts[0][1]
    if pct:
        return text[pct[0].start():pct[0].end()]
    return None


def iso_date(day: str, month: str, year: str) -> Optional[str]:
    number = MONTHS.get(month.lower())
    if not number:
        return None
    digits = re.sub(r"\D", "", day)
    return f"{int(year):04d}-{number:02d}-{int(digits):02d}"
