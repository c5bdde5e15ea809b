"""A generator of varied synthetic plan tables, for the layouts real documents in corpus/real do not
cover, each with its ground truth (the records it was typeset from).

    .venv/bin/python tests/plans/plan_tables.py OUT_DIR      # writes <family>_<seed>.pdf + .golden.json

A plan is drawn at random (fixed seed) from the vocabulary below: axes, objectives and actions of
an invented municipality, organisations, deadlines, budgets, indicators, statuses. A **family** is a
way of laying it out; within a family the seed varies what a real publisher varies: the order of
the columns, the spelling of each header (with or without accents, singular or plural, synonyms),
the font (DejaVu Sans or Serif, regular or condensed sizes), the rule style.

| family | what it exercises |
|---|---|
| `ruled` | full grid, header row, bold lead over plain partners in one cell, columns in any order |
| `small_caps` | headers in small capitals (a larger first letter: the text layer splits the word) and without accents ("ECHEANCIER") |
| `spans` | an axis column whose cells span the rows of their objective, theme bars across the table, partners as bullets in the lead's cell |
| `long` | a table running over pages, its header repeated (even seeds) or not (odd seeds) |
| `unruled` | no rules at all, shaded rows (zebra), a header hyphenated over two lines |
| `icons` | the status as a symbol (● ◐ ○) read through the legend printed under the table |
| `scan` | the `ruled` family scanned (300 dpi grey, skew, noise, JPEG) |

Deterministic: reportlab in invariant mode, draws from `random.Random(crc32(family, seed))`.
Everything here is invented (no third-party content).
"""
from __future__ import annotations

import json
import random
import sys
import zlib
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_unseen_plans import esc, register_fonts, scan  # noqa: E402  (fonts and the scan of the unseen plans)

rl_config.invariant = 1
rl_config.useA85 = 0

FAMILIES = ("ruled", "small_caps", "spans", "long", "unruled", "icons", "scan")

# --- Vocabulary ------------------------------------------------------------------------------------

AXES = ["Milieu de vie et aménagement", "Loisirs, culture et vie communautaire", "Santé et sécurité",
        "Communication et participation", "Environnement et mobilité durable", "Habitation et services de proximité"]
OBJECTIVES = ["Rendre les espaces publics accessibles", "Favoriser un logement abordable", "Soutenir les organismes du milieu",
              "Améliorer la sécurité des personnes", "Encourager la participation citoyenne", "Réduire les déplacements en voiture",
              "Offrir des activités pour tous les âges", "Faire connaître les services municipaux"]
VERBS = ["Installer", "Aménager", "Réaliser", "Adopter", "Soutenir", "Offrir", "Créer", "Publier", "Mettre en place",
         "Élaborer", "Organiser", "Bonifier", "Diffuser", "Implanter", "Former", "Évaluer"]
OBJECTS = ["des bancs le long des sentiers urbains", "un portrait des besoins en logement", "une politique de reconnaissance des organismes",
           "un service de navette vers les cliniques", "des traverses piétonnes près des écoles", "un répertoire des ressources communautaires",
           "des ateliers d'initiation au numérique", "une campagne de prévention des chutes", "un comité consultatif des aînés",
           "un guide d'accueil des nouveaux résidents", "des jardins communautaires dans les quartiers", "un plan de déplacement actif",
           "une programmation d'activités intergénérationnelles", "des points d'eau dans les parcs", "un bilan annuel du plan d'action",
           "une plateforme de consultation en ligne", "des abris vélo près des commerces", "un programme de visites d'amitié"]
LEADS = ["Service des travaux publics", "Service de l'urbanisme", "Service des loisirs et de la culture", "Direction générale",
         "Service des communications", "Service de sécurité incendie", "Service de l'environnement", "Bibliothèque municipale"]
PARTNERS = ["CISSS des Laurentides", "MRC des Pays-d'en-Haut", "Office municipal d'habitation", "FADOQ régionale",
            "Centre d'action bénévole", "Sûreté du Québec", "Table de concertation des aînés", "Organismes communautaires",
            "Ministère des Transports", "Centre de services scolaire"]
DEADLINES = ["2025", "2026", "2025-2026", "2026-2027", "En continu", "Printemps 2026", "Automne 2025", "Décembre 2026",
             "Été 2027", "31 mars 2026"]
RESOURCES = ["15 000 $", "45 000 $", "2 500 $", "Budget de fonctionnement", "Ressources humaines internes", "Programme PRIMADA",
             "120 000 $", "8 000 $ par année"]
INDICATORS = ["Nombre de participants", "Taux de satisfaction des usagers", "Nombre d'aménagements réalisés",
              "Politique adoptée par le conseil", "Nombre de rencontres tenues", "Rapport déposé"]
STATUSES = [("Réalisé", "●"), ("En cours", "◐"), ("Non débuté", "○")]
STATUS_CATEGORY = {"Réalisé": "done", "En cours": "ongoing", "Non débuté": "not_done"}  # schemas.records categories

# (role, header spellings) — the publisher's word for each column
HEADERS = {
    "title": ["Actions", "Action", "Mesures", "Moyens d'action", "Intitulé de l'action", "ACTIONS"],
    "lead_partners": ["Responsables et partenaires", "Responsable / partenaires", "Porteur et collaborateurs", "Maître d'œuvre et partenaires"],
    "lead": ["Responsable", "Porteur", "Service responsable", "Pilote"],
    "partners": ["Partenaires", "Collaborateurs", "Partenaires associés"],
    "deadline": ["Échéancier", "Échéance", "Echéancier", "Échéances prévues", "Calendrier", "Période de réalisation"],
    "resources": ["Ressources", "Budget", "Coût estimé", "Ressources nécessaires", "Financement"],
    "indicators": ["Indicateurs", "Indicateur de suivi", "Indicateurs de résultat", "Livrables"],
    "status": ["État d'avancement", "Statut", "État", "Suivi"],
    "group": ["Objectifs", "Axes", "Orientations", "Objectif"],
}
SMALL_CAPS = {"deadline": ["ECHEANCIER", "ÉCHÉANCE", "ECHEANCES"], "lead": ["RESPONSABLE", "PORTEUR"],
              "resources": ["RESSOURCES", "BUDGET", "COUT"], "title": ["ACTIONS", "MESURES"], "partners": ["PARTENAIRES"],
              "indicators": ["INDICATEURS"], "status": ["ETAT", "STATUT"], "lead_partners": ["RESPONSABLES ET PARTENAIRES"]}


def stable_seed(*parts) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode())


def draw_plan(rng: random.Random, n_axes: int, per_objective: tuple[int, int]) -> list[tuple[str, list[tuple[str, list[dict]]]]]:
    """[(axis, [(objective, [action records])])], every record a golden measure without its theme/group."""
    axes = rng.sample(AXES, n_axes)
    objectives = rng.sample(OBJECTIVES, n_axes * 2)
    titles = iter(rng.sample([f"{v} {o}" for v in VERBS for o in OBJECTS], 60))
    plan = []
    for a, axis in enumerate(axes):
        groups = []
        for objective in objectives[2 * a:2 * a + 2]:
            actions = []
            for _ in range(rng.randint(*per_objective)):
                status, icon = rng.choice(STATUSES)
                actions.append({"title": next(titles), "lead": [rng.choice(LEADS)],
                                "collaborators": rng.sample(PARTNERS, rng.randint(0, 2)), "deadline": rng.choice(DEADLINES),
                                "resources": rng.choice(RESOURCES), "indicator": rng.choice(INDICATORS),
                                "status_text": status, "icon": icon})
            groups.append((objective, actions))
        plan.append((f"AXE {a + 1} – {axis.upper()}", groups))
    return plan


# --- Typesetting ---------------------------------------------------------------------------------------


class Layout:
    """What the seed varies inside a family."""

    def __init__(self, rng: random.Random, family: str) -> None:
        serif = rng.random() < 0.5
        self.font, self.bold = ("DejaVuSerif", "DejaVuSerif-Bold") if serif else ("DejaVuSans", "DejaVuSans-Bold")
        self.size = rng.choice([7.6, 8.0, 8.6])
        self.body = ParagraphStyle("b", fontName=self.font, fontSize=self.size, leading=self.size * 1.22)
        self.strong = ParagraphStyle("s", parent=self.body, fontName=self.bold)
        self.head = ParagraphStyle("h", parent=self.body, fontName=self.bold)
        self.bar = ParagraphStyle("bar", parent=self.body, fontName=self.bold, fontSize=self.size + 0.8)
        self.prose = ParagraphStyle("p", fontName=self.font, fontSize=9, leading=12.5, spaceAfter=8)
        self.title = ParagraphStyle("t", fontName=self.bold, fontSize=15, leading=19, spaceAfter=8)
        roles = ["title", "deadline", "resources"] + (["lead_partners"] if rng.random() < 0.5 else ["lead", "partners"])
        if family in ("ruled", "small_caps", "scan", "long"):
            roles.append("indicators")
        if family == "icons":
            roles.append("status")
        tail = roles[1:]
        rng.shuffle(tail)  # the title first, the rest in any order
        self.roles = ["group"] + roles[:1] + tail if family == "spans" else roles[:1] + tail
        vocab = SMALL_CAPS if family == "small_caps" else HEADERS
        self.headers = {r: rng.choice(vocab.get(r, HEADERS[r])) for r in self.roles}
        if family == "spans":
            self.headers["group"] = rng.choice(["Objectifs", "Axes", "Orientations"])
        self.rule = colors.HexColor(rng.choice(["#444444", "#7a9a88", "#9aa3ad"]))


def header_cell(text: str, layout: Layout, small_caps: bool):
    if not small_caps:
        return Paragraph(esc(text), layout.head)
    big, small = layout.size + 1.6, layout.size - 0.6
    words = [f'<font size="{big}">{esc(w[0])}</font><font size="{small}">{esc(w[1:])}</font>' for w in text.split()]
    return Paragraph(" ".join(words), layout.head)


def cell_for(role: str, m: dict, layout: Layout, family: str):
    if role == "title":
        return Paragraph(esc(m["title"]), layout.body)
    if role == "lead_partners":
        out = [Paragraph(esc(", ".join(m["lead"])), layout.strong)]
        if m["collaborators"] and family == "spans":  # partners as a list of bullets in the cell
            out += [Paragraph("• " + esc(p), layout.body) for p in m["collaborators"]]
        elif m["collaborators"]:
            out.append(Paragraph(esc(", ".join(m["collaborators"])), layout.body))
        return out
    if role == "lead":
        return Paragraph(esc(", ".join(m["lead"])), layout.body)
    if role == "partners":
        return Paragraph(esc(", ".join(m["collaborators"])), layout.body)
    if role == "status":
        return Paragraph(m["icon"] if family == "icons" else esc(m["status_text"]), layout.body)
    if role == "indicators":
        return Paragraph(esc(m["indicator"]), layout.body)
    return Paragraph(esc(m[role]), layout.body)


def build(family: str, seed: int, path: Path) -> list[dict]:
    """Typeset one plan of a family into `path`; return its golden measures."""
    register_fonts()
    rng = random.Random(stable_seed(family, seed))
    layout = Layout(rng, family)
    n_axes, per = {"long": (4, (3, 4)), "spans": (2, (2, 3))}.get(family, (2, (1, 3)))
    plan = draw_plan(rng, n_axes, per)
    small_caps = family == "small_caps"
    rows = [[header_cell(layout.headers[r], layout, small_caps) for r in layout.roles]]
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    if family != "unruled":
        style += [("GRID", (0, 0), (-1, -1), 0.5, layout.rule), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee"))]
    else:
        style += [("LINEBELOW", (0, 0), (-1, 0), 0.0, colors.white)]
    golden = []
    n_cols = len(layout.roles)
    for axis, groups in plan:
        r = len(rows)
        rows.append([Paragraph(esc(axis), layout.bar)] + [""] * (n_cols - 1))
        style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#eef2e6"))] if family != "unruled" else \
            [("SPAN", (0, r), (-1, r))]
        for objective, actions in groups:
            first = len(rows)
            for n, m in enumerate(actions):
                cells = []
                for role in layout.roles:
                    if role == "group":
                        cells.append(Paragraph(esc(objective), layout.body) if n == 0 else "")
                    else:
                        cells.append(cell_for(role, m, layout, family))
                rows.append(cells)
                record = {"measure_id": None, "theme": axis, "title": m["title"]}
                if family == "spans":
                    record["group"] = objective
                if "lead_partners" in layout.roles or "lead" in layout.roles:
                    record["lead"] = m["lead"]
                if "lead_partners" in layout.roles or "partners" in layout.roles:
                    record["collaborators"] = m["collaborators"]
                record["deadline"] = m["deadline"]
                record["resources"] = m["resources"]
                if "indicators" in layout.roles:
                    record["indicators"] = [{"text": m["indicator"], "target": None, "deadline": None}]
                if "status" in layout.roles:
                    record["status_text"] = m["status_text"]
                    record["status"] = STATUS_CATEGORY[m["status_text"]]  # printed, so not inferred
                golden.append(record)
            if family == "spans":
                style.append(("SPAN", (0, first), (0, len(rows) - 1)))
        if family == "unruled":
            for k in range(r + 1, len(rows)):
                if (k - r) % 2 == 0:
                    style.append(("BACKGROUND", (0, k), (-1, k), colors.HexColor("#f0f0f0")))
    widths = {"title": 210, "group": 120, "lead_partners": 150, "lead": 110, "partners": 120, "deadline": 70, "resources": 90,
              "indicators": 110, "status": 60}
    total = sum(widths[r] for r in layout.roles)
    scale = min(1.0, 710 / total)
    table = Table(rows, colWidths=[widths[r] * scale for r in layout.roles], repeatRows=0 if family == "long" and seed % 2 else 1)
    table.setStyle(TableStyle(style))
    story = [Paragraph("Municipalité de Saint-Exemple", layout.prose),
             Paragraph("Plan d'action 2025-2028", layout.title),
             Paragraph("Le plan d'action traduit les orientations en gestes concrets, chacun confié à un service.", layout.prose),
             Spacer(1, 6), table]
    if family == "icons":
        story += [Spacer(1, 8), KeepTogether(Paragraph(" ".join(f"{icon} {status}" for status, icon in STATUSES), layout.prose))]
    doc = SimpleDocTemplate(str(path), pagesize=landscape(LETTER), leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=48,
                            title="Plan d'action", author="Saint-Exemple")
    doc.build(story)
    return golden


def make(family: str, seed: int, out_dir: Path) -> tuple[Path, Path]:
    """The PDF (scanned for the `scan` family) and its golden file."""
    base = "ruled" if family == "scan" else family
    pdf = out_dir / f"{family}_{seed}.pdf"
    golden = build(base, seed, pdf)
    if family == "scan":
        scanned = out_dir / f"{family}_{seed}_scan.pdf"
        scan(pdf, scanned)
        pdf = scanned
    gold = out_dir / f"{family}_{seed}.golden.json"
    gold.write_text(json.dumps({"document": pdf.name, "variants": [pdf.name],
                                "records": {"measures": golden, "recommendations": [], "announcements": [], "tables": []}},
                               ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return pdf, gold


def main(out_dir: Path, seeds: range = range(3)) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for family in FAMILIES:
        for seed in seeds:
            make(family, seed, out_dir)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "generated")
