"""A one-page PDF whose text layer is HTML markup, for the review's escaping tests.

Written with reportlab at test time (nothing committed): two numbered recommendations, so the
markup reaches record titles and items, the page's reading and the word list.
"""
from __future__ import annotations

from pathlib import Path

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
SVG = "</textarea><svg onload=alert(3)>"
LINES = [
    "Avis du comité sur les pages web",
    "",
    f"Le texte {SCRIPT} doit rester du texte.",
    "",
    f"Recommandation 1 : Afficher {SCRIPT} tel quel",
    f"• Vérifier {IMAGE} dans la page",
    "• Garder les guillemets \" et ' et & intacts",
    "",
    f"Recommandation 2 : Refuser {IMAGE} comme balise",
    f"• Les {SVG} restent du texte",
]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # fonts-dejavu-core, in APT_PACKAGES


def write_markup_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("DejaVu", 11)
    y = 780
    for line in LINES:
        page.drawString(60, y, line)
        y -= 18
    page.showPage()
    page.save()
    return path
