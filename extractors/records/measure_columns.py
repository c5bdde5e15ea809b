"""Header rows of measure tables and the roles of their columns (used by `extractors.records.from_tables`).

A header is found from its words, not from knowing a document: a line (with up to two lines under
it, for headers that wrap) cut into three or more cells, most of them naming a role from the French
vocabularies below, one of them the measure's name. Words are matched casefolded and without
accents, by their start (`echean` matches échéance, échéances, échéancier):

| role | header words |
|---|---|
| `number` | N°, No, #, Num, Numéro, Réf (the whole cell) |
| `title` | mesure, action, nom, intitulé, activité, moyen, projet, initiative, engagement, objectif |
| `group` | axe, orientation, enjeu, volet, thème, chantier, priorité, domaine; objectif beside a title column |
| `theme` | the first of two such columns (`Axes | Objectifs | Actions`) |
| `actions` | action(s) beside a column of measures (mesure, nom, intitulé) |
| `description` | description, détail, précision |
| `lead` | responsable, porteur, en charge, M/O, maître d'œuvre, mandataire, pilote |
| `collaborators` | collaborateur, partenaire, associé, contributeur, intervenant |
| `responsibles` | a lead word and a partner word in one cell (`Responsables et partenaires`) |
| `indicators` | indicateur, cible, livrable, résultat attendu (targets read when `cible` is there) |
| `deadline` | échéance, échéancier, calendrier, date, horizon, délai, période, année, durée |
| `resources` | ressource, budget, coût, financement, investissement, montant, $ |
| `progress` | avancement, état, statut, progression, réalisation, suivi, bilan, % |

Roles are tried in the order of the table (an `Indicateurs / cibles / échéances` cell is
`indicators`, with its deadlines written under each indicator). Column bounds come from vertical
rulings between two header cells when the page has them, else from the widest run of least ink
between the two header cells in the body below (so headers centred over their column work as
well as headers set flush left).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from extractors.records.measure_fields import fold
from extractors.tables.geometry import SegmentLine, overlap, Rule, Segment

# (role, word starts) in the order they are tried.
VOCABULARY: list[tuple[str, tuple[str, ...]]] = [
    ("indicators", ("indicat", "cible", "livrable", "resultat attendu", "resultats attendus", "resultats vises")),
    ("deadline", ("echean", "calendrier", "date", "horizon", "delai", "periode", "annee", "duree", "quand")),
    ("resources", ("ressource", "budget", "cout", "financement", "investissement", "montant", "$")),
    ("progress", ("avancement", "etat", "statut", "progression", "realis", "suivi", "bilan", "%")),
    ("group", ("axe", "orientation", "enjeu", "volet", "theme", "chantier", "priorite", "domaine")),
    ("description", ("description", "detail", "precision")),
    ("title", ("mesure", "action", "nom", "intitule", "activite", "moyen", "projet", "initiative", "engagement",
               "objectif")),
]
LEAD_WORDS = ("responsab", "porteu", "en charge", "m/o", "maitre d", "mandataire", "pilote")
PARTNER_WORDS = ("collabor", "partenai", "associe", "contribu", "intervenant")
NUMBER_CELL = re.compile(r"^(?:n\s*[°o.]?|no\.?|#|num\.?|numero|ref\.?|reference|n°s?)$")
# A title column named by one of these beats "action" (which then lists the actions of a measure).
TITLE_STRONG = ("mesure", "nom", "intitule")
MIN_ROLES = 3  # distinct roles a header must name, one of them the title
MAX_HEADER_WORDS = 10  # per cell: longer is a sentence, not a column heading


@dataclass
class Column:
    role: Optional[str]
    text: str
    x0: float
    x1: float
    targets: bool = False  # indicators: the heading speaks of targets (cibles)
    left: float = float("-inf")  # bounds of the column's body
    right: float = float("inf")

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Header:
    lines: list[int]  # indices of the header's lines
    columns: list[Column]
    top: float
    bottom: float
    notes: list[str] = field(default_factory=list)

    @property
    def roles(self) -> list[Optional[str]]:
        return [c.role for c in self.columns]


def _starts(text: str, stems: Sequence[str]) -> bool:
    """Whether a word of `text` starts with one of `stems`; stems of six letters or more also
    match with one letter misread (OCR: "Fchéancier")."""
    tokens = re.findall(r"[a-z0-9°#%$/']+", text)
    joined = " ".join(tokens)
    for stem in stems:
        if " " in stem or "/" in stem or stem in "$%":
            if stem in joined or (stem in "$%" and stem in text):
                return True
        elif any(t.startswith(stem) for t in tokens):
            return True
        elif len(stem) >= 6 and any(len(t) >= len(stem) and sum(a != b for a, b in zip(t, stem)) <= 1 for t in tokens):
            return True
    return False


def classify(text: str) -> tuple[Optional[str], bool]:
    """Role of a header cell, and whether it speaks of targets."""
    t = fold(text).replace("’", "'")
    t = re.sub(r"\s+", " ", t).strip()
    if not t:
        return None, False
    if "%" in t and len(t.split()) > 4:
        t = t.replace("%", " ")  # "%" heads a column ("% réalisé"), it does not in "50 % — Réalisée"
    if NUMBER_CELL.match(t.replace(" ", "")) or NUMBER_CELL.match(t):
        return "number", False
    first = VOCABULARY[0]
    if _starts(t, first[1]):
        return "indicators", _starts(t, ("cible",))
    lead, partner = _starts(t, LEAD_WORDS), _starts(t, PARTNER_WORDS)
    if lead and partner:
        return "responsibles", False
    if lead:
        return "lead", False
    if partner:
        return "collaborators", False
    for role, stems in VOCABULARY[1:]:
        if _starts(t, stems):
            if role == "progress" and _starts(t, dict(VOCABULARY)["title"]) and not _starts(t, tuple(x for x in stems if x != "realis")):
                return "title", False  # "Actions réalisées" names the actions
            return role, False
    return None, False


def _resolve(columns: list[Column]) -> None:
    """Several title-like columns: 'mesure'/'nom' keeps the title; 'action' lists actions; an
    'objectif' column beside a title is the group. Two group columns (`Axes | Objectifs`): the
    first holds the theme."""
    titles = [c for c in columns if c.role == "title"]
    if len(titles) >= 2:
        _resolve_titles(titles)
    groups = [c for c in columns if c.role == "group"]
    if len(groups) >= 2:
        groups[0].role = "theme"


def _resolve_titles(titles: list[Column]) -> None:
    folded = {id(c): fold(c.text) for c in titles}
    strong = [c for c in titles if _starts(folded[id(c)], TITLE_STRONG)]
    keep = strong[0] if strong else next((c for c in titles if _starts(folded[id(c)], ("action",))), titles[-1])
    for c in titles:
        if c is keep:
            continue
        c.role = "actions" if _starts(folded[id(c)], ("action",)) else "group"


def find_headers(lines: list[SegmentLine], skip: set[int], unit: float, previous: Optional[Header] = None) -> list[Header]:
    """Header rows among the lines of a page (indices in `skip` are running heads and feet).
    `previous`: the header of a table going on from the page before."""
    found: list[Header] = []
    k = 0
    while k < len(lines):
        if k in skip or len(lines[k].segs) < MIN_ROLES:
            k += 1
            continue
        best: Optional[Header] = None
        cells: list[list[Segment]] = [[s] for s in lines[k].segs]
        used = [k]
        for depth in range(3):
            header = _header_of(cells, used, unit)
            if header is not None and (best is None or _score(header) > _score(best)):
                best = header
            nxt = used[-1] + 1
            if depth == 2 or nxt >= len(lines) or nxt in skip:
                break
            below = lines[nxt]
            if below.top - lines[used[-1]].bottom > 0.6 * unit or any(s.n_words > 5 for s in below.segs):
                break
            extended = [list(c) for c in cells]
            ok = True
            for s in below.segs:
                hits = [c for c in extended if overlap(s.x0, s.x1, min(x.x0 for x in c), max(x.x1 for x in c)) > 0]
                if len(hits) == 1:
                    hits[0].append(s)
                elif not hits:
                    extended.append([s])
                else:
                    ok = False
            if not ok:
                break
            extended.sort(key=lambda c: min(x.x0 for x in c))
            cells = extended
            used = used + [nxt]
        above = found[-1] if found else previous
        if best is not None and above is not None and not same_layout(above, best) and _inside(best, above, unit):
            best = None  # a body row of the table above whose words happen to name roles
        if best is not None:
            found.append(best)
            k = best.lines[-1] + 1
        else:
            k += 1
    return found


def _inside(candidate: Header, header: Header, unit: float) -> bool:
    """Every cell of `candidate` sits in one column of `header` (columns taken from its headings'
    left edges)."""
    lefts = [c.x0 - unit for c in header.columns] + [float("inf")]
    for c in candidate.columns:
        if not any(lefts[i] <= c.x0 and c.x1 <= lefts[i + 1] + unit for i in range(len(header.columns))):
            return False
    return True


def _score(header: Header) -> tuple[int, int]:
    return (sum(1 for c in header.columns if c.role), len(header.lines))


def _header_of(cells: list[list[Segment]], used: list[int], unit: float) -> Optional[Header]:
    columns = []
    for cell in cells:
        cell = sorted(cell, key=lambda s: (s.line, s.x0))
        text = " ".join(s.text for s in cell)
        if len(text.strip()) <= 2 and classify(text)[0] != "number":
            continue  # a speck or a stray letter OCR read between two headings
        if len(text.split()) > MAX_HEADER_WORDS:
            return None
        role, targets = classify(text)
        columns.append(Column(role, text, min(s.x0 for s in cell), max(s.x1 for s in cell), targets))
    # a heading OCR cut at a wide space ("Indicateurs /" "cibles /"): neighbours with one role
    merged: list[Column] = []
    for c in columns:
        if merged and c.role and c.role == merged[-1].role and c.role != "title":
            m = merged[-1]
            merged[-1] = Column(m.role, f"{m.text} {c.text}", m.x0, max(m.x1, c.x1), m.targets or c.targets)
        else:
            merged.append(c)
    columns = merged
    _resolve(columns)
    roles = [c.role for c in columns if c.role]
    if "title" not in roles or len(set(roles)) < MIN_ROLES or len(roles) < 0.75 * len(columns):
        return None
    if sum(1 for c in columns if len(c.text.split()) > 6) > 1:
        return None  # a row of sentences that happen to use the vocabulary, not headings
    if len(roles) != len(set(roles)) and len(set(roles)) < len(roles) - 1:
        return None  # a repeated heading (a list of words), not a header
    tops = [s.top for c in cells for s in c]
    bottoms = [s.bottom for c in cells for s in c]
    return Header(lines=list(used), columns=columns, top=min(tops), bottom=max(bottoms))


def add_unheaded(header: Header, body: list[SegmentLine], unit: float) -> None:
    """A column of body text left of the first heading, whose heading was not read (OCR lost a
    light word on a dark band) or not printed: ids make it the number column, text the group
    column (a row-spanning first column, as in `Axes | Actions | ...`)."""
    first = header.columns[0]
    segs = [s for line in body for s in line.segs if s.x1 < first.x0 - 0.5 * unit and len(line.segs) >= 2]
    if len({s.line for s in segs}) < 3:
        return
    lefts = sorted(s.x0 for s in segs)
    edge = lefts[len(lefts) // 2]
    aligned = [s for s in segs if abs(s.x0 - edge) <= unit]
    if len(aligned) < 0.7 * len(segs):
        return
    ids = sum(1 for s in segs if re.fullmatch(r"\d{1,3}(?:\.\d{1,3})*\.?", s.text.split()[0]) and s.n_words == 1)
    role = "number" if ids >= 0.7 * len(segs) else "group"
    if role in header.roles:
        return
    header.columns.insert(0, Column(role, "", min(s.x0 for s in segs), max(s.x1 for s in segs)))
    header.notes.append(f"unheaded {role} column")


def set_bounds(header: Header, body: list[SegmentLine], vs: list[Rule], unit: float, page_width: float) -> None:
    """Left and right bounds of every column (see the module docstring)."""
    cols = header.columns
    xs: list[tuple[float, float]] = [(s.x0, s.x1) for line in body for s in line.segs if len(line.segs) >= 2]
    if len(xs) < 4:
        xs = [(s.x0, s.x1) for line in body for s in line.segs]
    # the header cells count as ink too, heavily: the boundary lies between two headings
    xs = xs + [(c.x0, c.x1) for c in cols for _ in range(1000)]
    for a, b in zip(cols, cols[1:]):
        cut = None
        rules = [v for v in vs if a.x1 - 2 <= v.pos <= b.x0 + 2 and overlap(v.lo, v.hi, header.top - 2, header.bottom + 30) > 0]
        if rules:
            cut = max(rules, key=lambda v: v.pos).pos
        else:
            cut = _valley(xs, a.centre, b.centre, b.x0)
        a.right = cut
        b.left = cut
    cols[0].left = min(cols[0].x0 - 3 * unit, min((x0 for x0, _ in xs), default=cols[0].x0) - 1)
    cols[-1].right = max(page_width, cols[-1].x1 + 3 * unit)


def _valley(xs: list[tuple[float, float]], lo: float, hi: float, fallback: float) -> float:
    """Middle of the widest run of least coverage in [lo, hi]; ties go to the run nearest `hi`
    (body text is set flush left under its heading more often than not)."""
    if hi - lo < 2:
        return fallback
    step = 0.5
    n = int((hi - lo) / step) + 1
    cover = [0] * n
    for x0, x1 in xs:
        a = max(0, int((x0 - lo) / step))
        b = min(n - 1, int((x1 - lo) / step))
        for i in range(a, b + 1):
            cover[i] += 1
    least = min(cover)
    runs: list[tuple[int, int]] = []
    start = None
    for i, c in enumerate(cover + [least + 1]):
        if c == least and start is None:
            start = i
        elif c != least and start is not None:
            runs.append((start, i))
            start = None
    if not runs:
        return fallback
    width = max(e - s for s, e in runs)
    best = [r for r in runs if r[1] - r[0] >= 0.6 * width]
    s, e = best[-1]
    return lo + (s + e) / 2 * step


def column_of(x0: float, x1: float, columns: list[Column]) -> int:
    cx = (x0 + x1) / 2
    for i, c in enumerate(columns):
        if c.left <= cx < c.right:
            return i
    return 0 if cx < columns[0].left else len(columns) - 1


def same_layout(a: Header, b: Header) -> bool:
    """A header repeated on the next page: the same roles in the same order, allowing one heading
    that OCR missed or misread on either page."""
    ra, rb = [r for r in a.roles if r], [r for r in b.roles if r]
    if ra == rb:
        return True
    if abs(len(ra) - len(rb)) > 1:
        return False
    longer, shorter = (ra, rb) if len(ra) >= len(rb) else (rb, ra)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer))) or \
        (len(ra) == len(rb) and sum(x != y for x, y in zip(ra, rb)) <= 1)


def completed(previous: Header, header: Header) -> Header:
    """`header` with the columns of `previous` it lacks (a heading OCR missed), placed by the
    shift of the columns both have."""
    roles = [c.role for c in header.columns]
    shifts = []
    for c in previous.columns:
        if c.role and c.role in roles:
            other = header.columns[roles.index(c.role)]
            shifts.append(other.x0 - c.x0)
    if not shifts or all(c.role in roles for c in previous.columns if c.role):
        return header
    shift = sorted(shifts)[len(shifts) // 2]
    # a heading misread on this page takes the role of the heading it sits under
    for c in header.columns:
        if c.role is None:
            for p in previous.columns:
                if p.role and p.role not in roles and overlap(c.x0, c.x1, p.x0 + shift, p.x1 + shift) > 0:
                    c.role, c.targets = p.role, p.targets
                    roles = [x.role for x in header.columns]
                    break
    columns = list(header.columns)
    for c in previous.columns:
        if c.role and c.role not in roles:
            columns.append(Column(c.role, c.text, c.x0 + shift, c.x1 + shift, c.targets))
    columns.sort(key=lambda c: c.x0)
    return Header(header.lines, columns, header.top, header.bottom, header.notes + ["columns completed from the previous page"])
