"""Two municipal action plans the table reader has never seen, with their golden records.

    .venv/bin/python tests/plans/make_unseen_plans.py          # writes the files next to this one

They are unlike the corpus on purpose: other publishers, other vocabulary, other column orders,
other fonts and rulings.

* `plan_sainte_adele.pdf`: "Plan d'action 2024-2027 — Politique de la famille et des aînés",
  DejaVu Serif, landscape Letter, fully ruled grid, columns `Axes | Actions | Échéancier |
  Ressources | Responsables et partenaires`; shaded `AXE n – ...` bars across the table; the Axes
  column holds each objective once, at the top of its rows (a row-spanning cell); unnumbered
  actions, one per row; the lead organisation in bold and its partners in plain text in one cell;
  24 actions over three pages, header repeated on each.
* `plan_val_des_cedres.pdf`: "Plan d'action en développement durable 2025-2028", DejaVu Sans,
  landscape Letter, horizontal rules only, columns `No | Action | Porteur | Collaborateurs |
  Indicateur de suivi | Échéance | État d'avancement`; `ORIENTATION n — ...` bars in bold with no
  shading; numbered actions (`2.3`); progress as `En cours (60 %)`, one action in two parts.

Each has a scanned twin (`*_scan.pdf`: pages rendered by pypdfium2 at 300 dpi grey, turned by
0.2-1.2°, specks, grey paper, Gaussian noise, blur, JPEG, written as an image-only PDF) and a golden
file (`*.golden.json`, format of `golden/README.md`) written from the data below, which is the
ground truth: the PDFs are typeset from it. `page` is found in the PDF afterwards.

Deterministic: reportlab in invariant mode, random draws seeded with `zlib.crc32` of a name. The
municipalities' plans are invented for this project (no third-party content); Sainte-Adèle and
Val-des-Cèdres are used as place names only.
"""
from __future__ import annotations

import io
import json
import random
import sys
import zlib
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus import tables as rl_tables

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "corpus"))
from pdf_raw import raw_pdf  # noqa: E402  (the corpus generator's scan writer)

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
rl_config.invariant = 1
rl_config.useA85 = 0
SCAN_DPI = 300

# --- Plan A: Sainte-Adèle, family and seniors policy ------------------------------------------------
# (axis, [(objective, [(action, deadline, resources, lead, [partners])])])
SAINTE_ADELE = [
    ("AXE 1 – AMÉNAGEMENT DU TERRITOIRE ET MILIEU DE VIE", [
        ("Rendre les espaces publics sécuritaires et accessibles", [
            ("Installer des bancs et des aires de repos le long des sentiers urbains", "2024-2025",
             "Budget d'immobilisations", "Service des travaux publics", ["Comité famille-aînés"]),
            ("Aménager des traverses piétonnes sécuritaires près des écoles et des résidences pour aînés", "2025",
             "45 000 $", "Service de l'ingénierie", ["Ministère des Transports", "Centre de services scolaire des Laurentides"]),
            ("Ajouter des toilettes publiques accessibles au parc Claude-Henri-Grignon", "Été 2026",
             "Programme PRIMADA", "Service des loisirs et de la culture", ["MRC des Pays-d'en-Haut"]),
        ]),
        ("Favoriser l'accès à un logement abordable", [
            ("Réaliser un portrait des besoins en logement des familles et des aînés", "2024",
             "Ressources humaines internes", "Service de l'urbanisme", ["Office municipal d'habitation", "CISSS des Laurentides"]),
            ("Adopter un règlement favorisant les logements intergénérationnels", "Décembre 2025",
             "Ressources humaines internes", "Service de l'urbanisme", ["Comité consultatif d'urbanisme"]),
            ("Soutenir les projets d'habitation communautaire", "En continu",
             "Fonds de développement du logement social", "Direction générale", ["Office municipal d'habitation", "Organismes communautaires"]),
        ]),
    ]),
    ("AXE 2 – LOISIRS, CULTURE ET VIE COMMUNAUTAIRE", [
        ("Offrir des activités adaptées à tous les âges", [
            ("Bonifier la programmation d'activités intergénérationnelles", "En continu",
             "Budget de fonctionnement", "Service des loisirs et de la culture", ["Club de l'âge d'or", "Maison des jeunes"]),
            ("Offrir des cours d'initiation au numérique pour les aînés", "Automne 2024",
             "8 000 $", "Bibliothèque municipale", ["FADOQ région Laurentides"]),
            ("Prolonger les heures d'ouverture de la piscine municipale pendant l'été", "Été 2025",
             "12 000 $ par année", "Service des loisirs et de la culture", []),
            ("Créer une fête de quartier annuelle dans chaque secteur de la ville", "2025-2027",
             "15 000 $ par année", "Service des loisirs et de la culture", ["Comités de citoyens", "Sûreté du Québec"]),
        ]),
        ("Soutenir les organismes du milieu", [
            ("Mettre à jour la politique de reconnaissance des organismes", "2025",
             "Ressources humaines internes", "Service des loisirs et de la culture", ["Table de concertation des organismes"]),
            ("Offrir des locaux gratuits aux organismes qui servent les familles et les aînés", "En continu",
             "Budget de fonctionnement", "Service des immeubles", []),
            ("Publier un répertoire des ressources communautaires", "Printemps 2025",
             "3 500 $", "Service des communications", ["Centre d'action bénévole"]),
        ]),
    ]),
    ("AXE 3 – SANTÉ, SÉCURITÉ ET SERVICES DE PROXIMITÉ", [
        ("Améliorer la sécurité des personnes", [
            ("Implanter un programme de visites d'amitié pour les aînés isolés", "2025",
             "Programme Québec ami des aînés", "Centre d'action bénévole", ["Service de sécurité incendie", "CISSS des Laurentides"]),
            ("Offrir des visites de prévention incendie à domicile", "En continu",
             "Budget de fonctionnement", "Service de sécurité incendie", []),
            ("Diffuser une campagne de prévention de la fraude envers les aînés", "Hiver 2025",
             "2 000 $", "Sûreté du Québec", ["Service des communications", "FADOQ région Laurentides"]),
        ]),
        ("Faciliter l'accès aux services", [
            ("Mettre en place un service de navette vers les cliniques médicales", "2026",
             "60 000 $", "Direction générale", ["Transport adapté et collectif des Laurentides", "CISSS des Laurentides"]),
            ("Créer un guichet unique d'information pour les familles", "Automne 2025",
             "Ressources humaines internes", "Service à la clientèle", []),
            ("Adapter le site Web municipal aux normes d'accessibilité", "2025-2026",
             "20 000 $", "Service des communications", ["Société Logique"]),
        ]),
    ]),
    ("AXE 4 – COMMUNICATION ET PARTICIPATION CITOYENNE", [
        ("Informer les citoyens de tous les âges", [
            ("Publier une chronique famille-aînés dans le bulletin municipal", "En continu",
             "Budget de fonctionnement", "Service des communications", ["Comité famille-aînés"]),
            ("Tenir une consultation publique à mi-parcours du plan d'action", "Printemps 2026",
             "5 000 $", "Direction générale", ["Comité famille-aînés"]),
            ("Produire un bilan annuel de la mise en œuvre du plan", "Chaque année",
             "Ressources humaines internes", "Comité famille-aînés", ["Service des communications"]),
        ]),
        ("Encourager l'engagement bénévole", [
            ("Souligner l'apport des bénévoles lors d'une soirée de reconnaissance", "Avril de chaque année",
             "7 500 $", "Service des loisirs et de la culture", ["Centre d'action bénévole"]),
            ("Créer une banque de bénévoles en ligne", "2025",
             "4 000 $", "Centre d'action bénévole", ["Service des communications"]),
        ]),
    ]),
]

# --- Plan B: Val-des-Cèdres, sustainable development ------------------------------------------------
# (orientation, [(no, action, leads, partners, indicator, deadline, status line, parts)])
VAL_DES_CEDRES = [
    ("ORIENTATION 1 — RÉDUIRE L'EMPREINTE ENVIRONNEMENTALE DES ACTIVITÉS MUNICIPALES", [
        ("1.1", "Convertir l'éclairage public aux diodes électroluminescentes (DEL)", ["Service des travaux publics"],
         ["Hydro-Québec"], "Proportion des luminaires convertis", "Décembre 2025", ("En cours", 60), []),
        ("1.2", "Électrifier le parc de véhicules légers de la municipalité", ["Service des travaux publics"],
         ["Service des finances"], "Nombre de véhicules électriques acquis", "2027", ("Non débuté", None), []),
        ("1.3", "Réduire la consommation de papier dans les services administratifs", ["Direction générale"],
         ["Tous les services"], "Nombre de ramettes achetées par année", "En continu", ("En cours", 35), []),
        ("1.4", "Adopter une politique d'achats responsables", ["Service du greffe"],
         ["Service des finances", "Service de l'approvisionnement"], "Politique adoptée par le conseil", "Juin 2025",
         ("Réalisé", 100), []),
        ("1.5", "Réaliser un inventaire des émissions de gaz à effet de serre", ["Service de l'environnement"],
         ["Firme spécialisée"], "Inventaire publié sur le site Web", "2025", ("Réalisé", 100), []),
    ]),
    ("ORIENTATION 2 — PROTÉGER LES MILIEUX NATURELS ET LA BIODIVERSITÉ", [
        ("2.1", "Acquérir des milieux humides d'intérêt écologique", ["Service de l'urbanisme"],
         ["Conservation de la nature Canada", "MRC de la Vallée"], "Superficie protégée en hectares", "2028",
         ("En cours", 20), []),
        ("2.2", "Planter des arbres sur le domaine public", ["Service des parcs"],
         ["Comité de citoyens pour l'environnement"], "Nombre d'arbres plantés", "2025-2027", ("En cours", 70),
         [("Plantation printanière", 100), ("Plantation automnale", 40)]),
        ("2.3", "Contrôler les espèces exotiques envahissantes dans les lacs", ["Service de l'environnement"],
         ["Association des riverains du lac Vert", "Organisme de bassin versant"], "Nombre de lacs suivis chaque été",
         "En continu", ("En cours", 50), []),
        ("2.4", "Adopter un règlement sur l'abattage d'arbres", ["Service de l'urbanisme", "Service du greffe"],
         [], "Règlement en vigueur", "Mars 2026", ("Non débuté", None), []),
        ("2.5", "Aménager un sentier d'interprétation de la nature", ["Service des parcs"],
         ["École primaire des Cèdres"], "Sentier ouvert au public", "Été 2026", ("Non débuté", None), []),
    ]),
    ("ORIENTATION 3 — GÉRER LES MATIÈRES RÉSIDUELLES ET L'EAU DE FAÇON DURABLE", [
        ("3.1", "Implanter la collecte des matières organiques dans les commerces", ["Service de l'environnement"],
         ["Régie intermunicipale des déchets", "Chambre de commerce"], "Taux de participation des commerces", "2026",
         ("En cours", 25), []),
        ("3.2", "Installer des îlots de tri dans les parcs et les bâtiments municipaux", ["Service des parcs"],
         ["Service des bâtiments"], "Nombre d'îlots installés", "2025", ("Réalisé", 100), []),
        ("3.3", "Offrir des barils récupérateurs d'eau de pluie à prix réduit", ["Service de l'environnement"],
         [], "Nombre de barils distribués", "En continu", ("En cours", 80), []),
        ("3.4", "Détecter et réparer les fuites du réseau d'aqueduc", ["Service de l'hygiène du milieu"],
         ["Firme spécialisée"], "Volume d'eau économisé par année", "2027", ("En cours", 45), []),
    ]),
    ("ORIENTATION 4 — MOBILISER LA COMMUNAUTÉ", [
        ("4.1", "Créer un comité consultatif en environnement", ["Direction générale"],
         ["Citoyens bénévoles"], "Comité formé et actif", "Février 2025", ("Réalisé", 100), []),
        ("4.2", "Organiser une journée annuelle de l'environnement", ["Service des loisirs"],
         ["Comité consultatif en environnement", "Écoles primaires"], "Nombre de participants", "Chaque printemps",
         ("En cours", 50), []),
        ("4.3", "Publier un bilan annuel du plan d'action", ["Direction générale"],
         ["Service des communications"], "Bilan déposé au conseil municipal", "Chaque année", ("Non débuté", None), []),
        ("4.4", "Soutenir financièrement les initiatives citoyennes vertes", ["Service des finances"],
         ["Comité consultatif en environnement"], "Nombre de projets soutenus", "2025-2028", ("En cours", 30), []),
    ]),
]


# --- Typesetting -----------------------------------------------------------------------------------

def register_fonts() -> None:
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif", "DejaVuSerif-Bold"):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    rl_tables.CellStyle.fontname = "DejaVuSans"  # empty cells would pull in Helvetica


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def footer(label: str, font: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(40, 24, label)
        canvas.drawRightString(doc.pagesize[0] - 40, 24, f"Page {doc.page}")
        canvas.restoreState()
    return draw


def build_sainte_adele(path: Path) -> None:
    font, bold = "DejaVuSerif", "DejaVuSerif-Bold"
    body = ParagraphStyle("b", fontName=font, fontSize=8.5, leading=10.5)
    strong = ParagraphStyle("s", parent=body, fontName=bold)
    head = ParagraphStyle("h", parent=body, fontName=bold, textColor=colors.white, fontSize=9)
    bar = ParagraphStyle("bar", parent=body, fontName=bold, fontSize=9.5, textColor=colors.HexColor("#1d3b2a"))
    title = ParagraphStyle("t", fontName=bold, fontSize=17, leading=21, spaceAfter=6)
    sub = ParagraphStyle("st", fontName=font, fontSize=11, leading=14, spaceAfter=12)
    prose = ParagraphStyle("p", fontName=font, fontSize=9.5, leading=13, spaceAfter=8)
    rows = [[Paragraph(t, head) for t in ("Axes", "Actions", "Échéancier", "Ressources", "Responsables et partenaires")]]
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2e6b4f")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#2e6b4f")),
        ("LINEAFTER", (0, 0), (-2, -1), 0.5, colors.HexColor("#7a9a88")),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    for axis, objectives in SAINTE_ADELE:
        r = len(rows)
        rows.append([Paragraph(esc(axis), bar), "", "", "", ""])
        style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#d9eadf")),
                  ("LINEABOVE", (0, r), (-1, r), 0.8, colors.HexColor("#2e6b4f"))]
        for objective, actions in objectives:
            first = len(rows)
            for n, (action, deadline, resources, lead, partners) in enumerate(actions):
                cell = [Paragraph(esc(lead), strong)]
                if partners:
                    cell.append(Paragraph(esc(", ".join(partners)), body))
                rows.append([Paragraph(esc(objective), body) if n == 0 else "", Paragraph(esc(action), body),
                             Paragraph(esc(deadline), body), Paragraph(esc(resources), body), cell])
                r = len(rows) - 1
                # a rule under each action, but not across the objective's column inside its group
                style.append(("LINEABOVE", (1, r), (-1, r), 0.5, colors.HexColor("#7a9a88")))
            style.append(("LINEABOVE", (0, first), (0, first), 0.5, colors.HexColor("#7a9a88")))
    table = Table(rows, colWidths=[120, 230, 85, 110, 167], repeatRows=1)
    table.setStyle(TableStyle(style))
    story = [
        Paragraph("Ville de Sainte-Adèle", sub),
        Paragraph("Plan d'action 2024-2027 — Politique de la famille et des aînés", title),
        Paragraph("Le plan d'action traduit les orientations de la politique en gestes concrets. Chaque action "
                  "est confiée à un service municipal responsable, indiqué en caractères gras, qui la réalise avec "
                  "les partenaires nommés à sa suite. Le comité famille-aînés en assure le suivi et présente un "
                  "bilan chaque année au conseil municipal.", prose),
        Spacer(1, 6), table, Spacer(1, 14),
        Paragraph("Le conseil municipal a adopté ce plan d'action à sa séance ordinaire. Les montants indiqués sont "
                  "des estimations qui seront révisées lors de la préparation de chaque budget annuel; les actions "
                  "sans montant sont réalisées avec les ressources existantes des services.", prose),
    ]
    page = footer("Ville de Sainte-Adèle — Plan d'action 2024-2027 de la politique de la famille et des aînés", font)
    doc = SimpleDocTemplate(str(path), pagesize=landscape(LETTER), leftMargin=40, rightMargin=40, topMargin=40,
                            bottomMargin=48, title="Plan d'action 2024-2027", author="Ville de Sainte-Adèle")
    doc.build(story, onFirstPage=page, onLaterPages=page)


def build_val_des_cedres(path: Path) -> None:
    font, bold = "DejaVuSans", "DejaVuSans-Bold"
    body = ParagraphStyle("b", fontName=font, fontSize=7.8, leading=9.6)
    head = ParagraphStyle("h", parent=body, fontName=bold, fontSize=8)
    bar = ParagraphStyle("bar", parent=body, fontName=bold, fontSize=8.6)
    title = ParagraphStyle("t", fontName=bold, fontSize=15, leading=19, spaceAfter=4)
    sub = ParagraphStyle("st", fontName=font, fontSize=10, leading=13, spaceAfter=10)
    prose = ParagraphStyle("p", fontName=font, fontSize=9, leading=12.5, spaceAfter=8)
    heads = ("No", "Action", "Porteur", "Collaborateurs", "Indicateur de suivi", "Échéance", "État d'avancement")
    rows = [[Paragraph(esc(t), head) for t in heads]]
    rule = colors.HexColor("#9aa3ad")
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e8ec")),
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.black), ("LINEBELOW", (0, 0), (-1, 0), 1.0, colors.black),
        ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    for orientation, actions in VAL_DES_CEDRES:
        r = len(rows)
        rows.append([Paragraph(esc(orientation), bar), "", "", "", "", "", ""])
        style += [("SPAN", (0, r), (-1, r)), ("LINEBELOW", (0, r), (-1, r), 0.8, colors.black)]
        for no, action, leads, partners, indicator, deadline, (status, pct), parts in actions:
            progress = [Paragraph(esc(status + (f" ({pct} %)" if pct is not None else "")), body)]
            progress += [Paragraph(esc(f"{label} : {value} %"), body) for label, value in parts]
            rows.append([Paragraph(no, body), Paragraph(esc(action), body), Paragraph(esc(", ".join(leads)), body),
                         Paragraph(esc(", ".join(partners) or "—"), body), Paragraph(esc(indicator), body),
                         Paragraph(esc(deadline), body), progress])
            style.append(("LINEBELOW", (0, len(rows) - 1), (-1, len(rows) - 1), 0.4, rule))
    table = Table(rows, colWidths=[28, 170, 95, 120, 120, 70, 109], repeatRows=1)
    table.setStyle(TableStyle(style))
    intro = [
        Paragraph("Municipalité de Val-des-Cèdres", sub),
        Paragraph("Plan d'action en développement durable 2025-2028", title),
        Paragraph("Bilan de mi-parcours au 31 décembre 2025. Le tableau suivant présente, pour chacune des "
                  "orientations retenues, les actions, le service porteur, les collaborateurs, l'indicateur qui "
                  "permettra d'en mesurer les effets, l'échéance prévue et l'état d'avancement.", prose),
        Spacer(1, 4),
    ]
    outro = [Spacer(1, 12), Paragraph("Les pourcentages indiquent la part des travaux réalisée à la date du bilan. "
                                      "Une action non débutée demeure inscrite au plan jusqu'à sa révision.", prose)]
    page = footer("Municipalité de Val-des-Cèdres — Plan d'action en développement durable 2025-2028", font)
    doc = SimpleDocTemplate(str(path), pagesize=landscape(LETTER), leftMargin=36, rightMargin=36, topMargin=36,
                            bottomMargin=44, title="Plan d'action en développement durable", author="Val-des-Cèdres")
    doc.build(intro + [table] + outro, onFirstPage=page, onLaterPages=page)


# --- Golden records ----------------------------------------------------------------------------------

def golden_sainte_adele() -> list[dict]:
    out = []
    for axis, objectives in SAINTE_ADELE:
        for objective, actions in objectives:
            for action, deadline, resources, lead, partners in actions:
                out.append({"measure_id": None, "theme": axis, "group": objective, "title": action, "lead": [lead],
                            "collaborators": partners, "indicators": [], "deadline": deadline, "resources": resources,
                            "progress_percent": None, "progress": [], "status_text": None})
    return out


STATUS_CATEGORY = {"En cours": "ongoing", "Non débuté": "not_done", "Réalisé": "done"}  # schemas.records categories


def golden_val_des_cedres() -> list[dict]:
    out = []
    for orientation, actions in VAL_DES_CEDRES:
        for no, action, leads, partners, indicator, deadline, (status, pct), parts in actions:
            out.append({"measure_id": no, "parent_id": no.rsplit(".", 1)[0], "theme": orientation, "title": action,
                        "lead": leads, "collaborators": partners,
                        "indicators": [{"text": indicator, "target": None, "deadline": None}], "deadline": deadline,
                        "progress_percent": pct, "status_text": status, "status": STATUS_CATEGORY[status],
                        "progress": [{"percent": v, "label": label, "status": None} for label, v in parts]})
    return out


def add_pages(records: list[dict], pdf_path: Path) -> None:
    """`page`: the page where the record's title starts (first words of the title found in the text)."""
    with pdfplumber.open(pdf_path) as pdf:
        texts = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    for record in records:
        probe = " ".join(record["title"].split()[:4])
        record["page"] = next((n for n, t in enumerate(texts, 1) if probe in t), None)


def write_golden(path: Path, document: str, records: list[dict]) -> None:
    data = {"document": document, "variants": [document, document.replace(".pdf", "_scan.pdf")],
            "records": {"measures": records, "recommendations": [], "announcements": [], "tables": []}}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --- Scans ---------------------------------------------------------------------------------------------

def stable_seed(*parts) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode())


def scan(pdf_path: Path, out_path: Path) -> None:
    pages = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    for index in range(len(pdf)):
        page = pdf[index]
        size = page.get_size()
        img = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
        page.close()
        rng = random.Random(stable_seed("unseen-scan", pdf_path.name, index))
        angle = rng.uniform(0.2, 1.2) * rng.choice((-1, 1))
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        draw = ImageDraw.Draw(img)
        w, h = img.size
        for _ in range(rng.randint(4, 10)):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(1.0, 3.0)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=rng.randint(30, 110))
        a = np.asarray(img, dtype=np.float32) * (230.0 / 255.0) + 18.0
        a += np.random.default_rng(rng.randint(0, 2 ** 31)).normal(0.0, 2.5, a.shape).astype(np.float32)
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), mode="L").filter(ImageFilter.GaussianBlur(0.7))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=55, optimize=True, progressive=True, dpi=(SCAN_DPI, SCAN_DPI))
        pages.append((size, buf.getvalue(), img.size))
    pdf.close()
    out_path.write_bytes(raw_pdf([(w, h, jpeg, pixels) for (w, h), jpeg, pixels in pages]))


PLANS = {
    "plan_sainte_adele": (build_sainte_adele, golden_sainte_adele),
    "plan_val_des_cedres": (build_val_des_cedres, golden_val_des_cedres),
}


def main(out_dir: Path = HERE) -> None:
    register_fonts()
    for name, (build, golden) in PLANS.items():
        pdf = out_dir / f"{name}.pdf"
        build(pdf)
        records = golden()
        add_pages(records, pdf)
        write_golden(out_dir / f"{name}.golden.json", pdf.name, records)
        scan(pdf, out_dir / f"{name}_scan.pdf")
        print(f"{name}: {len(records)} measures, {sum(1 for _ in pdfplumber.open(pdf).pages)} pages")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
