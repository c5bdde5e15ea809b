"""The role of each column of a table, from its header and from its cells (`ColumnRole`).

**Header.** A column's header text (its header cells top to bottom, lines joined) is normalised:
casefolded, accents and apostrophes folded, a word hyphenated over two lines joined, small capitals
that the text layer split ("É CHEANCIER") joined again; then matched against one vocabulary
(`HEADER_WORDS`) by word starts, so singular and plural both match (`echean` matches échéance,
échéances, échéancier) and a stem of six letters or more also matches with one letter misread,
missing or extra (OCR's "Fchéancier", a typo's "Echancier"). A cell naming both a lead word and a
partner word ("Responsables et partenaires", "M/O en charge et M/O collaborateurs") is one
`lead_partners` column.

**Cells.** The body cells of a column vote too (`cell_votes`): dates and periods ("2025",
"Printemps 2026", "En continu") for `deadline`; amounts and cost scales ("45 000 $", "$$$") for
`resources`; percentages for `progress`; status words for `status`; item numbers for `id`; long
sentences opening on a verb in the infinitive or an action noun ("Mettre en place ...", "Élaboration
de ...") for `title`; lists of organisations (capitalised names, acronyms) for `lead`; year
columns holding only shading or marks for `timeline` (a chronogram).

The header weighs more than the cells (`RoleSettings.header_weight` against at most
`RoleSettings.cell_weight`), so cells decide where the header names no role or was not printed.
Then one title column is kept (a column of measures beside one of actions makes the second
`actions`), and of two axis columns the first is the `theme`. Every decision is written in `ColumnRole.evidence`.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from rapidfuzz.distance import Levenshtein

from extractors.french.vocabulary import CHECK_MARKS
from extractors.tables.settings import SETTINGS
from extractors.tables.values import clean, fold, is_deadline, is_id, is_money, is_percent, strip_bullet
from schemas import Page
from schemas.table import ColumnRole, Table

# (role, word starts) in the order they are tried: a header naming two roles ("Indicateurs /
# cibles / échéances") takes the first.
HEADER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("indicators", ("indicat", "livrable", "resultat attendu", "resultats attendus", "resultats vises", "extrant")),
    ("targets", ("cible",)),
    ("deadline", ("echean", "calendrier", "date", "horizon", "delai", "periode", "annee", "duree", "quand", "temporalite",
                  "mise en oeuvre")),
    ("resources", ("ressource", "budget", "cout", "financement", "investissement", "montant", "$", "moyens financiers")),
    ("progress", ("avancement", "progression", "%", "taux de realisation", "pourcentage")),
    ("status", ("statut", "etat", "realis", "suivi", "bilan")),
    ("comment", ("commentaire", "remarque", "observation", "note")),
    ("group", ("axe", "orientation", "enjeu", "volet", "theme", "thematique", "chantier", "priorite", "domaine", "sous-axe",
               "type", "categorie", "famille")),
    ("description", ("description", "detail", "precision", "contenu")),
    ("title", ("mesure", "action", "nom ", "intitule", "activite", "moyen", "projet", "initiative", "engagement",
               "objectif", "libelle")),
]
LEAD_WORDS = ("responsab", "porteu", "en charge", "m/o", "maitre d", "mandataire", "pilote", "qui")
PARTNER_WORDS = ("collabor", "partenai", "associe", "contribu", "intervenant", "soutien")
ID_HEADER = re.compile(r"^(?:n\s*[°o.]?|no\.?|#|num\.?|numero|ref\.?|reference|n°s?|code|id)$")
# A title column named by one of these beats "action" (which then lists the actions of a measure).
TITLE_STRONG = ("mesure", "nom ", "intitule")


STATUS_WORDS = re.compile(r"^(?:realise|complete|termine|acheve|en cours|non (?:debute|realise|amorce|entame)|a venir|a faire|"
                          r"annule|abandonne|reporte|suspendu|en retard|en attente|planifie|prevu|fait|debute|amorce|"
                          r"en continu|partiellement realise|cible (?:atteinte|depassee))e?s?\b")
INFINITIVE = re.compile(r"^[a-z]{2,}(?:er|ir|re|oir)$")
ACTION_NOUN = re.compile(r"^[a-z]{3,}(?:tion|ment|age|ure|ance|ence)s?$")
# A timeline column's cells are ticks: the check marks, or "oui", "*", "+" typed in their place.
MARKS = set(CHECK_MARKS) | {"oui", "*", "+"}
YEAR_HEADER = re.compile(r"^(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?$|^(?:t|q|s)[1-4]\s*(?:19|20)\d\d$")


# --- Header text ------------------------------------------------------------------------------------


def header_tokens(text: str) -> list[str]:
    """Words of a header, normalised for matching (see the module docstring)."""
    t = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # "Échéan-" / "cier"
    t = fold(t.replace("\n", " "))
    tokens = re.findall(r"m/o|[a-z0-9°#%$'-]+", t)
    out: list[str] = []
    for i, tok in enumerate(tokens):
        out.append(tok)
        # small capitals split by the text layer: "e cheancier", "r esponsable"
        if len(tok) == 1 and tok.isalpha() and i + 1 < len(tokens) and len(tokens[i + 1]) >= 3:
            out.append(tok + tokens[i + 1])
    return out


def _matches(tokens: Sequence[str], stems: Sequence[str]) -> Optional[str]:
    """The first stem a header's words start with (one letter off allowed for long stems)."""
    joined = " " + " ".join(tokens) + " "
    for stem in stems:
        if " " in stem or "/" in stem or stem in "$%":
            if f" {stem}" in joined or (stem in "$%" and stem in joined):
                return stem
            continue
        for t in tokens:
            if t.startswith(stem):
                return stem
            if len(stem) >= 6 and len(t) >= len(stem) - 1 and \
                    min(Levenshtein.distance(t[:n], stem) for n in (len(stem) - 1, len(stem), len(stem) + 1)) <= 1:
                return stem
    return None


def header_roles(text: str) -> list[tuple[str, str]]:
    """Roles a header names, strongest first, each with the vocabulary word that named it."""
    words = clean(text.replace("\n", " "))
    if not words:
        return []
    flat = fold(words).replace(" ", "")
    if ID_HEADER.match(flat) or ID_HEADER.match(fold(words)):
        return [("id", words)]
    tokens = header_tokens(text)
    if len(tokens) > SETTINGS.roles.max_header_words:
        return []
    if "%" in words and len(tokens) > 4:
        tokens = [t for t in tokens if t != "%"]  # "%" heads a column ("% réalisé"), not in "50 % — Réalisée"
    found: list[tuple[str, str]] = []
    lead, partner = _matches(tokens, LEAD_WORDS), _matches(tokens, PARTNER_WORDS)
    if lead and partner:
        found.append(("lead_partners", f"{lead} + {partner}"))
    elif lead and not (lead == "qui" and len(tokens) > 2):
        found.append(("lead", lead))
    elif partner:
        found.append(("partners", partner))
    for role, stems in HEADER_WORDS:
        stem = _matches(tokens, stems)
        if stem:
            if role == "status" and _matches(tokens, dict(HEADER_WORDS)["title"]) and stem == "realis":
                if "title" not in dict(found):
                    found.append(("title", "action réalisée"))  # "Actions réalisées" names the actions
                continue
            if role in dict(found):
                continue
            found.append((role, stem))
    roles = [r for r, _ in found]
    if found and found[0][0] == "group" and "title" in roles:
        # "Axes stratégiques / Objectifs spécifiques": items, with their axis as rows among them
        found = [("title", dict(found)["title"] + " (with axis rows)")] + [f for f in found if f[0] != "title"]
    if found and found[0][0] == "indicators" and any(r == "targets" for r, _ in found):
        found = [("indicators", found[0][1] + " + cible")] + [f for f in found[1:] if f[0] != "targets"]
    # a lead word after an indicator word ("Indicateurs / responsables") does not make the column a lead
    return found


# --- Cells ------------------------------------------------------------------------------------------


def _first_words(text: str) -> list[str]:
    words = fold(strip_bullet(clean(text))).split()
    if words and is_id(words[0]) and len(words) > 1:
        words = words[1:]
    return words


def _is_title_text(text: str) -> bool:
    words = _first_words(text)
    if len(words) < 3:
        return False
    first = words[0].strip("«\"'(")
    return bool(INFINITIVE.match(first) or ACTION_NOUN.match(first))


def _is_organisations(text: str) -> bool:
    """A short cell of capitalised names and acronyms ("Ville de Sainte-Adèle, CISSS")."""
    t = clean(text.replace("\n", " "))
    words = [w for w in re.split(r"[\s,;/]+", t) if w]
    if not words or len(words) > 14 or is_deadline(t) or is_money(t):
        return False
    first = fold(words[0])
    if INFINITIVE.match(first) or ACTION_NOUN.match(first):
        return False
    small = {"de", "des", "du", "la", "le", "les", "et", "l'", "d'", "à", "au", "aux", "en", "pour"}
    named = [w for w in words if fold(w) not in small and not fold(w).startswith(("l'", "d'"))]
    capitals = sum(1 for w in named if w[:1].isupper() or w.isupper())
    return bool(named) and capitals >= 0.6 * len(named)


YEARS = re.compile(r"\b(?:19|20)\d\d\b")


def _years_only(text: str) -> bool:
    """A header of years only ("2021", "T1 2024", or "2021 2022 2023" where the rules between year
    columns were not seen)."""
    t = fold(clean(text))
    return bool(YEAR_HEADER.match(t)) or (len(YEARS.findall(t)) >= 2 and not re.sub(r"(?:19|20)\d\d|[\s,;/-]", "", t))


def cell_votes(texts: Sequence[str], fills: Sequence[bool], header: str) -> dict[str, tuple[float, str]]:
    """Role -> (share of the body cells speaking for it, evidence) for one column."""
    n = len(texts)
    filled = [t for t in texts if t.strip()]
    votes: dict[str, tuple[float, str]] = {}
    if not n:
        return votes
    if _years_only(header) or (not header.strip() and not filled):
        marks = sum(1 for t, f in zip(texts, fills) if f or fold(t.strip()) in MARKS)
        if not filled or all(fold(t.strip()) in MARKS for t in filled) or _years_only(header):
            share = marks / n
            if share > 0 or _years_only(header):
                votes["timeline"] = (max(share, SETTINGS.roles.min_share), f"year column: {marks} of {n} cells shaded or marked, none with words")
    if not filled:
        return votes
    m = len(filled)
    checks = [
        ("deadline", lambda t: is_deadline(t) or all(is_deadline(x) for x in t.split("\n") if x.strip()), "dates or periods"),
        ("resources", is_money, "amounts or cost scales"),
        ("progress", is_percent, "percentages"),
        ("status", lambda t: bool(STATUS_WORDS.match(fold(clean(t)))), "status words"),
        ("id", lambda t: is_id(t.split()[0]) and len(t.split()) <= 1, "item numbers"),
        ("title", _is_title_text, "sentences opening on a verb or an action noun"),
        ("lead", _is_organisations, "names of organisations"),
    ]
    for role, test, what in checks:
        hits = sum(1 for t in filled if test(t))
        if hits and hits >= SETTINGS.roles.min_share * m:
            votes[role] = (hits / m, f"{hits} of {m} cells are {what}")
    words = sum(len(t.split()) for t in filled) / m
    if words >= 15 and "title" not in votes:
        votes["description"] = (0.5, f"cells average {words:.0f} words")
    return votes


# --- Roles ------------------------------------------------------------------------------------------


def column_texts(table: Table, header_rows: int) -> tuple[list[str], list[list[str]], list[list[bool]]]:
    """Header text of each column, and the text and shading of its body cells (a cell spanning
    every column, a bar, is left out)."""
    headers = [[] for _ in range(table.n_cols)]
    bodies: list[list[str]] = [[] for _ in range(table.n_cols)]
    fills: list[list[bool]] = [[] for _ in range(table.n_cols)]
    edges = {s.page: s.col_edges for s in table.provenance.segments if len(s.col_edges) == table.n_cols + 1}
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        if cell.row < header_rows:
            cols = range(cell.col, cell.col + cell.col_span)
            if cell.col_span > 1 and cell.bbox is not None and cell.page in edges:
                # a heading over one of the columns it spans (its neighbour's heading was lost)
                e = edges[cell.page]
                under = [c for c in cols if e[c] - 1 <= cell.bbox[0] and cell.bbox[2] <= e[c + 1] + 1]
                cols = under or cols
            for col in cols:
                if cell.text.strip() and cell.text not in headers[col]:
                    headers[col].append(cell.text)
            continue
        if cell.col_span == table.n_cols and table.n_cols > 1:
            continue
        bodies[cell.col].append(cell.text)
        fills[cell.col].append(cell.fill is not None and not cell.text.strip())
    body_rows = max(1, table.n_rows - header_rows)
    for col in range(table.n_cols):  # slots no cell covers are empty cells
        missing = body_rows - len(bodies[col])
        bodies[col].extend([""] * max(0, missing))
        fills[col].extend([False] * max(0, missing))
    return ["\n".join(h) for h in headers], bodies, fills


def values_row(texts: Sequence[str]) -> bool:
    """A row holding values ("2.1", "60 %", "45 000 $", "Printemps 2026") or sentences: a body row,
    whatever words it happens to use."""
    years = sum(1 for t in texts if _years_only(t))  # two year cells or more: a chronogram's header
    return any(re.search(r"\d\s*%", t) or is_id(t.split()[0]) and len(t.split()) == 1 or is_money(t) or len(t.split()) > 8
               or (is_deadline(t) and not (_years_only(t) and years >= 2)) for t in texts if t.strip())


def with_header(table: Table) -> Table:
    """A first row the grid did not take for a header (set like the body, no rule under it) that
    names roles ("Échéance", "Porteur"), or years over a chronogram, is the header."""
    if table.header_rows or table.n_rows < 3:
        return table
    first = [c.text for c in table.cells if c.row == 0]
    if values_row(first):
        return table
    named = sum(1 for t in first if header_roles(t))
    # year cells; a cell listing three years or more is year columns whose rules were not seen
    years = sum((len(YEARS.findall(t)) if len(YEARS.findall(t)) >= 3 else 1) if _years_only(t) else 0 for t in first)
    if not (named >= 2 or (named and years >= 2)):
        return table
    cells = [c.model_copy(update={"header": True}) if c.row == 0 else c for c in table.cells]
    return table.model_copy(update={"header_rows": 1, "cells": cells})


def assign_roles(table: Table, pages: Optional[dict[int, Page]] = None) -> Table:
    """`table` with `columns` set: the role of each column and the evidence for it."""
    if table.provenance.method == "shading":
        # cards: each box is a record of its own, whatever column it sits in
        columns = [ColumnRole(col=c, evidence=["cards: a grid of shaded boxes, each read on its own"]) for c in range(table.n_cols)]
        return table.model_copy(update={"columns": columns})
    header_rows = table.header_rows
    headers, bodies, fills = column_texts(table, header_rows)
    columns = []
    for col in range(table.n_cols):
        scores: dict[str, float] = {}
        evidence: dict[str, list[str]] = {}
        for rank, (role, word) in enumerate(header_roles(headers[col])):
            weight = SETTINGS.roles.header_weight if rank == 0 else SETTINGS.roles.header_weight / 3
            scores[role] = scores.get(role, 0.0) + weight
            evidence.setdefault(role, []).append(f'header "{clean(headers[col])}" names {role} ("{word}")')
        for role, (share, why) in cell_votes(bodies[col], fills[col], headers[col]).items():
            scores[role] = scores.get(role, 0.0) + SETTINGS.roles.cell_weight * share
            evidence.setdefault(role, []).append(why)
        role = max(scores, key=lambda r: scores[r]) if scores else None
        if role is not None and scores[role] < SETTINGS.roles.min_score:
            role = None
        columns.append(ColumnRole(col=col, role=role, header=clean(headers[col]), score=round(scores.get(role, 0.0), 2) if role else 0.0,
                                  evidence=evidence.get(role, []) if role else []))
    return table.model_copy(update={"columns": _resolve(columns, headers)})


def _resolve(columns: list[ColumnRole], headers: list[str]) -> list[ColumnRole]:
    """One title column (measures beside actions: the actions column is `actions`; an objective
    beside a measure is its `group`); of two axis columns, the first is the `theme`."""
    out = list(columns)
    titles = [c for c in out if c.role == "title"]
    if len(titles) >= 2:
        def strength(c: ColumnRole) -> tuple[int, int, float]:
            # "Mesures" over "Actions" over "Objectifs" (an objective beside measures is their group)
            tokens = header_tokens(headers[c.col])
            return (int(_matches(tokens, TITLE_STRONG) is not None), -int(_matches(tokens, ("objectif",)) is not None), c.score)
        keep = max(titles, key=strength)
        for c in titles:
            if c is keep:
                continue
            tokens = header_tokens(headers[c.col])
            role = "actions" if _matches(tokens, ("action", "activite")) and c.col > keep.col else "group"
            out[c.col] = c.model_copy(update={"role": role, "evidence": c.evidence + [f"beside the title column {keep.col + 1}: {role}"]})
    groups = [c for c in out if c.role == "group"]
    if len(groups) >= 2:
        first = groups[0]
        out[first.col] = first.model_copy(update={"role": "theme", "evidence": first.evidence + ["the first of two axis columns: theme"]})
    return out


MEASURE_ROLES = {"id", "theme", "group", "actions", "description", "lead", "partners", "lead_partners", "indicators",
                 "targets", "deadline", "timeline", "resources", "progress", "status"}


def is_measure_table(table: Table) -> bool:
    """A table whose rows are measures: a title column of sentences, and two more roles a measure
    has (or a chronogram's year columns), one of them named by a header."""
    roles = [c.role for c in table.columns]
    if table.provenance.method == "shading":
        return sum(1 for c in table.cells if "\n" in c.text.strip()) >= 3  # cards with a heading over a text
    if fiche_labels(table) is not None:
        return True
    if "title" not in roles:
        return False
    title = next(c for c in table.columns if c.role == "title")
    others = {r for r in roles if r in MEASURE_ROLES}
    named = any(e.startswith("header") for c in table.columns if c.role for e in c.evidence)
    # the measure roles besides the title: at least one named by its header ("Nom | Consultation |
    # Dernière mise à jour", a list of documents whose cells happen to hold a date and a status
    # phrase, is no plan)
    others_named = any(e.startswith("header") for c in table.columns if c.role in MEASURE_ROLES and c.role != "title"
                       for e in c.evidence)
    _, bodies, _ = column_texts(table, table.header_rows)
    if not named:
        # no header: a column of hierarchical ids ("1.1.2", "1.1.2.3") beside the sentences
        ids = next((c for c in table.columns if c.role == "id"), None)
        cells = [t for t in bodies[ids.col] if t.strip()] if ids is not None else []
        return len(cells) >= 3 and sum(1 for t in cells if "." in t.strip().rstrip(".")) >= 0.5 * len(cells)
    texts = [t for t in bodies[title.col] if t.strip()]
    by_header = any(e.startswith("header") for e in title.evidence)
    if not texts or sum(len(t.split()) for t in texts) / len(texts) < (1.5 if by_header else 3):
        return False  # one-word names (a list of software, of places): not measures
    return (len(others) >= 2 and others_named) or "timeline" in others


def fiche_labels(table: Table) -> Optional[dict[int, str]]:
    """A project sheet ("fiche"): a two-column table whose first column holds labels naming roles
    ("Intitulé du projet", "Responsable", "Indicateurs", "Sources de financement") and the second
    their values, one record for the whole table. Row -> role of its label, or None."""
    if table.n_cols != 2 or table.n_rows < 4:
        return None
    labels: dict[int, str] = {}
    rows = 0
    for cell in table.cells:
        if cell.col != 0 or not cell.text.strip():
            continue
        rows += 1
        found = header_roles(cell.text)
        if found:
            labels[cell.row] = found[0][0]
    if "title" not in labels.values() or len(set(labels.values())) < 3 or len(labels) < 0.5 * rows:
        return None
    return labels


# --- Headings above a table --------------------------------------------------------------------------

AXIS_HEADING = re.compile(r"^(?:axe|orientation|objectif|volet|theme|enjeu|chantier|priorite|section|partie|domaine|chapitre)s?"
                          r"\s*(?:\d{1,2}|[ivx]{1,4}|[a-h])\b")
# a number of one or two digits per level (not the start of "2026 009"), then words
NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?(?!\d)|[IVX]{1,4}\.|[A-H]\.)\s*[-–—:]?\s*[^\W\d_]")


def heading_above(table: Table, page: Page) -> list[str]:
    """Headings printed just above a table ("AXE 2 – Mobilité", "6.1. COOPERATION ..."), outermost
    first: consecutive lines over it, each short and bold, in capitals, or numbered."""
    from extractors.tables.geometry import page_unit

    unit = page_unit(page)
    top = table.bbox[1]
    slack = 0.5 * unit if page.origin == "ocr" else 1.0  # OCR boxes and scan rules are a little loose
    above = sorted((l for l in page.lines if l.bbox is not None and l.bbox[3] <= top + slack and l.word_ids), key=lambda l: -l.bbox[3])
    found: list[str] = []
    below = top
    for line in above:
        if below - line.bbox[3] > SETTINGS.roles.heading_gap * unit:
            break
        # the words over the table (a sidebar's text may share the line)
        words = [page.words[i] for i in line.word_ids if page.words[i].text.strip() and page.words[i].bbox is not None
                 and table.bbox[0] - 2 * unit <= (page.words[i].bbox[0] + page.words[i].bbox[2]) / 2 <= table.bbox[2] + 2 * unit]
        if not words:
            continue  # beside the table, not above it
        text = clean(" ".join(w.text for w in words))
        if not _heading_like(text, words):
            break
        found.insert(0, text)
        below = line.bbox[1]
        if len(found) == 3:
            break
    return found


def _heading_like(text: str, words) -> bool:
    if not text or len(text.split()) > SETTINGS.roles.max_heading_words or text.endswith((".", ",", ";")) and not NUMBERED_HEADING.match(text):
        return False
    if len(text.split()) <= SETTINGS.roles.short_heading and text[:1].isupper() and not text.endswith((":", ".", ",", ";")):
        return True  # "Opérations diverses": a short line over the table (set in colour, say)
    letters = [ch for ch in text if ch.isalpha()]
    capitals = bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters) and len(letters) >= 4
    bold = all(w.bold is not False for w in words) and any(w.bold for w in words)
    return bool(AXIS_HEADING.match(fold(text))) or bool(NUMBERED_HEADING.match(text)) and (bold or capitals or len(text.split()) <= 8) \
        or (bold and len(text.split()) <= 12) or capitals
