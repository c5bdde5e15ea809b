"""Typesetting of the born-digital corpus documents (reportlab platypus) and of the
HTML page of seed 001.  Called by make_corpus.py; layout data is in corpus_data.py.
"""
import html
import os
import re

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, KeepTogether,
                                NextPageTemplate, PageBreak, PageTemplate, Paragraph,
                                Spacer, Table, TableStyle)
from reportlab.lib.fonts import addMapping

import corpus_data as D

from reportlab.platypus import tables as _rl_tables

_rl_tables.CellStyle.fontname = "DejaVuSans"  # empty table cells would pull in Helvetica
rl_config.useA85 = 0          # binary streams: smaller files
rl_config.invariant = 1       # no dates, fixed document ID: byte-identical output

QC_BLUE = colors.HexColor("#095797")
QC_DARK = colors.HexColor("#223654")
LIGHT_BLUE = colors.HexColor("#dbe8f4")
GREY = colors.HexColor("#6b778a")
RULE = colors.HexColor("#c5cad2")

# ----------------------------------------------------------------------------- fonts
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/dejavu", "/usr/local/share/fonts"]
# Only the faces of Debian's fonts-dejavu-core (the package the Makefile installs):
# regular and bold of DejaVu Sans and DejaVu Serif.  That package has no italic, so
# <i> markup falls back to the regular face.
FAMILIES = {
    "DejaVuSans": ("DejaVuSans", "DejaVuSans-Bold"),
    "DejaVuSerif": ("DejaVuSerif", "DejaVuSerif-Bold"),
}
_fonts_done = False


def register_fonts():
    """Register the TrueType faces (embedded as subsets) used by the documents."""
    global _fonts_done
    if _fonts_done:
        return
    for family, (regular, bold) in FAMILIES.items():
        for stem in (regular, bold):
            path = next((os.path.join(d, stem + ".ttf") for d in FONT_DIRS
                         if os.path.exists(os.path.join(d, stem + ".ttf"))), None)
            if path is None:
                raise SystemExit(f"font {stem}.ttf not found; install the Debian package "
                                 "fonts-dejavu-core")
            pdfmetrics.registerFont(TTFont(stem, path))
        # <b>/<i> in paragraph markup resolve through the font name in use
        for name in (family, regular, bold):
            addMapping(name, 0, 0, regular)
            addMapping(name, 1, 0, bold)
            addMapping(name, 0, 1, regular)
            addMapping(name, 1, 1, bold)
    _fonts_done = True


def faces(family):
    """(regular, bold, italic, bold italic) font names; no italic face is available."""
    regular, bold = FAMILIES[family]
    return regular, bold, regular, bold


# ----------------------------------------------------------------------- seed text
class Seed:
    """A seed file as 1-based lines, with the line-reference syntax of corpus_data."""

    def __init__(self, text):
        self.lines = text.split("\n")

    def line(self, n):
        return self.lines[n - 1].strip()

    @staticmethod
    def refs(spec):
        out = []
        for part in str(spec).split("+"):
            if "-" in part:
                a, b = part.split("-")
                out.extend(range(int(a), int(b) + 1))
            else:
                out.append(int(part))
        return out

    def text(self, spec):
        return join_lines([self.line(n) for n in self.refs(spec)])


def join_lines(lines):
    """Join hard-wrapped lines; re-join a word hyphenated at a line end."""
    out = ""
    for s in lines:
        if not s:
            continue
        if not out:
            out = s
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and s[:1].islower():
            out = out[:-1] + s
        else:
            out += " " + s
    return out


def parse_spec(spec):
    for raw in spec.strip().splitlines():
        raw = raw.strip()
        if raw and not raw.startswith("#"):
            kind, _, rest = raw.partition(" ")
            yield kind, rest.strip()


SUPERSCRIPTS = {"¹": "1", "²": "2", "³": "3"}


def markup(text):
    """Plain seed text -> reportlab paragraph markup."""
    s = html.escape(text, quote=False)
    s = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)
    s = re.sub(r"(?<!\w)\*([^*\s][^*]*?)\*(?!\w)", r"<i>\1</i>", s)
    s = re.sub(r"\^\{(\w+)\}", r"<super>\1</super>", s)
    for sup, digit in SUPERSCRIPTS.items():
        s = s.replace(sup, f"<super>{digit}</super>")
    return s


# --------------------------------------------------------------------------- styles
def make_styles(body_family, head_family, size=10.0):
    reg, bold, ital, _ = faces(body_family)
    hreg, hbold, _, _ = faces(head_family)
    lead = size * 1.38
    S = {}

    def add(name, **kw):
        base = dict(fontName=reg, fontSize=size, leading=lead, spaceAfter=size * 0.6,
                    textColor=colors.black, bulletFontName=reg)  # TrueType bullets
        base.update(kw)
        S[name] = ParagraphStyle(name, **base)

    add("body", alignment=TA_JUSTIFY)
    add("left")
    add("h1", fontName=hbold, fontSize=size * 1.8, leading=size * 2.2, textColor=QC_BLUE,
        spaceBefore=size * 0.4, spaceAfter=size * 1.0, keepWithNext=1)
    add("h2", fontName=hbold, fontSize=size * 1.3, leading=size * 1.65, textColor=QC_DARK,
        spaceBefore=size * 1.0, spaceAfter=size * 0.5, keepWithNext=1)
    add("h3", fontName=hbold, fontSize=size * 1.1, leading=size * 1.4, textColor=QC_DARK,
        spaceBefore=size * 0.8, spaceAfter=size * 0.35, keepWithNext=1)
    add("li", leftIndent=16, bulletIndent=5, spaceAfter=size * 0.3, alignment=TA_LEFT)
    add("li2", leftIndent=32, bulletIndent=21, spaceAfter=size * 0.2)
    add("ol", leftIndent=20, bulletIndent=2, spaceAfter=size * 0.3)
    add("note", fontName=ital, fontSize=size * 0.9, leading=size * 1.25, textColor=GREY,
        leftIndent=12, rightIndent=12, spaceBefore=size * 0.4, spaceAfter=size * 0.8)
    add("footnote", fontSize=size * 0.78, leading=size * 1.02, textColor=GREY,
        spaceBefore=size * 0.3, spaceAfter=size * 0.5)
    add("small", fontSize=size * 0.85, leading=size * 1.15, textColor=GREY)
    add("caption", fontName=hbold, fontSize=size * 0.95, leading=size * 1.3,
        textColor=QC_DARK, spaceBefore=size * 0.6, spaceAfter=size * 0.4, keepWithNext=1)
    add("cell", fontSize=size * 0.85, leading=size * 1.12, spaceAfter=0, alignment=TA_LEFT)
    add("cellb", fontName=bold, fontSize=size * 0.85, leading=size * 1.12, spaceAfter=0)
    add("cellh", fontName=hbold, fontSize=size * 0.85, leading=size * 1.12, spaceAfter=0,
        textColor=colors.white)
    add("cellr", fontSize=size * 0.85, leading=size * 1.12, spaceAfter=0,
        alignment=TA_RIGHT)
    add("sig", spaceAfter=1, alignment=TA_LEFT)
    add("signature", fontName=ital, textColor=GREY, spaceBefore=size, spaceAfter=size)
    add("label", fontName=hbold, fontSize=size * 0.85, leading=size * 1.2,
        textColor=QC_BLUE, spaceBefore=size * 0.6, spaceAfter=size * 0.2, keepWithNext=1)
    add("title", fontName=hbold, fontSize=size * 2.6, leading=size * 3.1, textColor=QC_DARK,
        spaceAfter=size * 1.2)
    add("subtitle", fontName=hreg, fontSize=size * 1.5, leading=size * 1.9,
        textColor=QC_DARK, spaceAfter=size)
    return S


# --------------------------------------------------------------------- page layouts
class GovDoc(BaseDocTemplate):
    """A report with a cover template, portrait body pages and optional landscape
    pages; running header and footer with the page number."""

    def __init__(self, path, pagesize, header, footer, margins=(2.2 * cm, 2.0 * cm),
                 head_font="DejaVuSans", number_from=1, **kw):
        super().__init__(path, pagesize=pagesize, invariant=1, pageCompression=1,
                         initialFontName=head_font,  # no stray Helvetica resource
                         title=kw.pop("title", ""), author=kw.pop("author", ""),
                         creator="bilan corpus/make_corpus.py", **kw)
        self.header, self.footer, self.head_font = header, footer, head_font
        self.number_from = number_from
        mx, my = margins
        W, H = pagesize
        LW, LH = landscape(pagesize)
        self.addPageTemplates([
            PageTemplate("cover", [Frame(mx, my, W - 2 * mx, H - 2 * my, id="c")],
                         onPage=self._cover),
            PageTemplate("body", [Frame(mx, my + 0.4 * cm, W - 2 * mx, H - 2 * my - 0.8 * cm,
                                        id="b")], onPage=self._decorate),
            PageTemplate("wide", [Frame(1.3 * cm, 1.6 * cm, LW - 2.6 * cm, LH - 3.4 * cm,
                                        id="w")], onPage=self._decorate, pagesize=(LW, LH)),
        ])
        self.cover_painter = None

    def _cover(self, canv, doc):
        if self.cover_painter:
            self.cover_painter(canv, doc)

    def _decorate(self, canv, doc):
        W, H = canv._pagesize
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(1.3 * cm, H - 1.25 * cm, W - 1.3 * cm, H - 1.25 * cm)
        canv.line(1.3 * cm, 1.15 * cm, W - 1.3 * cm, 1.15 * cm)
        canv.setFillColor(GREY)
        canv.setFont(self.head_font, 7.5)
        canv.drawRightString(W - 1.3 * cm, H - 1.1 * cm, self.header)
        canv.drawString(1.3 * cm, 0.8 * cm, self.footer)
        canv.setFont(self.head_font, 8.5)
        canv.drawRightString(W - 1.3 * cm, 0.8 * cm,
                             str(canv.getPageNumber() - 1 + self.number_from))
        canv.restoreState()


def quebec_wordmark(canv, x, y, size=22, color=colors.white, font="DejaVuSans-Bold"):
    canv.setFillColor(color)
    canv.setFont(font, size)
    canv.drawString(x, y, "Québec")
    w = pdfmetrics.stringWidth("Québec", font, size)
    # four small squares standing for the flag, drawn, not text
    s = size * 0.22
    for i in range(2):
        for j in range(2):
            canv.rect(x + w + 6 + i * (s + 2), y + j * (s + 2), s, s, stroke=0, fill=1)


def cover_band(title_lines, org_line, family="DejaVuSans"):
    reg, bold = faces(family)[:2]

    def paint(canv, doc):
        W, H = canv._pagesize
        canv.saveState()
        canv.setFillColor(QC_BLUE)
        canv.rect(0, H - 4.2 * cm, W, 4.2 * cm, stroke=0, fill=1)
        quebec_wordmark(canv, 2.2 * cm, H - 2.6 * cm, font=bold)
        canv.setFillColor(QC_DARK)
        y = H * 0.58
        for text, size in title_lines:
            canv.setFont(bold, size)
            canv.drawString(2.2 * cm, y, text)
            y -= size * 1.35
        canv.setStrokeColor(QC_BLUE)
        canv.setLineWidth(3)
        canv.line(2.2 * cm, y - 4, 7 * cm, y - 4)
        canv.setFillColor(GREY)
        canv.setFont(reg, 11)
        canv.drawString(2.2 * cm, 2.6 * cm, org_line)
        canv.restoreState()
    return paint


def bullet_para(text, style, bullet="•"):
    return Paragraph(text, style, bulletText=bullet)


def data_table(rows, col_widths, S, header_rows=(0,), section_rows=(), align_right_from=None):
    """A survey-style table: blue header row(s), thin rules, right-aligned numbers."""
    data = []
    for r, row in enumerate(rows):
        cells = []
        for c, val in enumerate(row):
            if r in header_rows or r in section_rows:
                st = S["cellh"] if r in header_rows else S["cellb"]
            elif align_right_from is not None and c >= align_right_from:
                st = S["cellr"]
            else:
                st = S["cell"]
            cells.append(Paragraph(markup(val), st))
        data.append(cells)
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
             ("BOX", (0, 0), (-1, -1), 0.6, QC_DARK),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    for r in header_rows:
        style.append(("BACKGROUND", (0, r), (-1, r), QC_BLUE))
    for r in section_rows:
        style.append(("BACKGROUND", (0, r), (-1, r), LIGHT_BLUE))
    t = Table(data, colWidths=col_widths, repeatRows=1 if 0 in header_rows else 0,
              style=TableStyle(style), hAlign="LEFT")
    return t


# =============================================================== 000: annual report
def join_token_pairs(restored_lines, damaged_lines, line_numbers):
    """(restored, damaged) word pairs of the given seed lines, in order, with words
    hyphenated across a line end joined back (the same join on both sides)."""
    pairs = []
    prev_line_end = False
    for n in line_numbers:
        r_toks = restored_lines[n - 1].split()
        d_toks = damaged_lines[n - 1].split()
        assert len(r_toks) == len(d_toks), f"token mismatch on line {n}"
        for k, (r, d) in enumerate(zip(r_toks, d_toks)):
            if (k == 0 and prev_line_end and pairs and pairs[-1][0].endswith("-")
                    and len(pairs[-1][0]) > 1 and pairs[-1][0][-2].isalpha() and r[:1].islower()):
                pr, pd = pairs.pop()
                pairs.append((pr[:-1] + r, pd[:-1] + d if pd.endswith("-") else pd + d))
            else:
                pairs.append((r, d))
        prev_line_end = bool(r_toks)
    return pairs


def build_000(path, restored_text, damaged_text, annex):
    """Typeset the restored annual report.  Returns the prose word stream as a list of
    (restored word, damaged seed word) pairs in typeset order, for the legacy OCR layer."""
    register_fonts()
    family = "DejaVuSans"
    S = make_styles(family, family, 9.5)
    R = restored_text.split("\n")
    Dm = damaged_text.split("\n")
    stream = []

    def words(spec):
        pairs = join_token_pairs(R, Dm, Seed.refs(spec))
        stream.extend(pairs)
        return " ".join(r for r, _ in pairs)

    doc = GovDoc(path, A4, header="Office des professions du Québec",
                 footer="Rapport annuel 2023-2024 — Pôle de coordination pour l'accès à la formation",
                 title="Rapport annuel 2023-2024 du Pôle de coordination pour l'accès à la formation",
                 author="Office des professions du Québec")
    doc.cover_painter = cover_band(
        [("Pôle de coordination pour", 24), ("l'accès à la formation", 24), ("", 10),
         ("Rapport annuel 2023-2024", 16)], "Office des professions du Québec", family)
    story = [NextPageTemplate("body"), PageBreak()]
    for kind, arg in parse_spec(D.SPEC_000):
        if kind in ("h1", "h2", "p", "footnote", "sigline", "signature", "caption"):
            style = {"p": "body", "sigline": "sig"}.get(kind, kind)
            story.append(Paragraph(markup(words(arg)), S[style]))
        elif kind == "li":
            story.append(bullet_para(markup(words(arg)), S["li"]))
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "acronyms":
            rows = [[Paragraph(markup(words(str(a))), S["cellb"]),
                     Paragraph(markup(words(d)), S["cell"])] for a, d in D.ACRONYM_ROWS_000]
            t = Table(rows, colWidths=[3.2 * cm, 12.8 * cm], hAlign="LEFT",
                      style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                                        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5)]))
            story.append(t)
        elif kind == "orgchart":
            story.append(Paragraph(markup(words(str(D.ORGCHART_000["caption"]))), S["caption"]))
            box = ParagraphStyle("orgbox", parent=S["cellh"], alignment=TA_CENTER, fontSize=10)
            top, bottom = [Paragraph(markup(words(str(n))), box) for n in D.ORGCHART_000["boxes"]]
            chart = Table([[top, ""], ["", ""], [bottom, ""]], colWidths=[3 * cm, 3 * cm],
                          rowHeights=[None, 0.7 * cm, None], hAlign="CENTER",
                          style=TableStyle([("SPAN", (0, 0), (1, 0)), ("SPAN", (0, 2), (1, 2)),
                                            ("BACKGROUND", (0, 0), (1, 0), QC_BLUE),
                                            ("BACKGROUND", (0, 2), (1, 2), QC_BLUE),
                                            ("LINEAFTER", (0, 1), (0, 1), 1.2, QC_BLUE),
                                            ("TOPPADDING", (0, 0), (-1, -1), 7),
                                            ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))
            story += [chart, Spacer(1, 10)]
        elif kind == "themes":
            rows = [list(D.THEMES_HEADER_000)] + [list(r) for r in D.THEMES_000]
            data = [[Paragraph(c, S["cellh"] if i == 0 else (S["cellb"] if j == 0 else S["cell"]))
                     for j, c in enumerate(row)] for i, row in enumerate(rows)]
            story.append(Table(data, colWidths=[5 * cm, 11.2 * cm], hAlign="LEFT",
                               style=TableStyle([("BACKGROUND", (0, 0), (-1, 0), QC_BLUE),
                                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                 ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                                                 ("TOPPADDING", (0, 0), (-1, -1), 4),
                                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])))
            story.append(Spacer(1, 4))
        elif kind == "annex":
            story += [NextPageTemplate("wide"), PageBreak(),
                      Paragraph("Annexe", S["label"]),
                      Paragraph(markup(words(arg)), S["h1"]),
                      Paragraph("État d'avancement des mesures au 31 mars 2024", S["h3"]),
                      annex_table(annex, S)]
        else:
            raise ValueError(f"unknown block kind {kind!r} in SPEC_000")
    doc.build(story)
    return stream


def annex_table(annex, S):
    """The 16 measures as one long table: header row repeated on every page, theme rows
    spanning all columns, the lead organisation in bold above its collaborators."""
    cell = ParagraphStyle("acell", parent=S["cell"], fontSize=8, leading=10)
    cellb = ParagraphStyle("acellb", parent=S["cellb"], fontSize=8, leading=10)
    head = ParagraphStyle("ahead", parent=S["cellh"], fontSize=8.5, leading=10.5)
    sub = ParagraphStyle("asub", parent=cellb, textColor=QC_DARK, spaceBefore=3)
    bullet = ParagraphStyle("abul", parent=cell, leftIndent=9, bulletIndent=1)
    space = ParagraphStyle("aspace", parent=cell, spaceBefore=3)
    theme_style = ParagraphStyle("atheme", parent=cellb, fontSize=9, textColor=QC_DARK)

    data = [[Paragraph(markup(c), head) for c in annex["columns"]]]
    style = [("BACKGROUND", (0, 0), (-1, 0), QC_BLUE),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("GRID", (0, 0), (-1, -1), 0.4, RULE),
             ("BOX", (0, 0), (-1, -1), 0.8, QC_DARK),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    theme = None
    for m in annex["measures"]:
        if m["theme"] != theme:
            theme = m["theme"]
            r = len(data)
            data.append([Paragraph(markup(theme), theme_style), "", "", "", ""])
            style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), LIGHT_BLUE)]
        org = [Paragraph(markup(m["lead"]), cellb)]
        if m["collaborators"]:
            org.append(Paragraph(markup(m["collaborators"]), space))
        inds = []
        for ind in m["indicators"]:
            inds.append(Paragraph(markup(ind["text"]), space if inds else cell))
            inds.append(Paragraph('<font color="#5b6b82">%s</font>' % markup(ind["deadline"]), cell))
        prog = m["progress"]
        head_txt = (f"{prog['percent']} % — {prog['status']}" if prog["percent"] is not None
                    else prog["status"])
        state = [Paragraph(markup(head_txt), cellb)]
        for item in prog["details"]:
            if item.startswith("- "):
                state.append(Paragraph(markup(item[2:]), bullet, bulletText="•"))
            elif item.startswith("## "):
                state.append(Paragraph(markup(item[3:]), sub))
            else:
                state.append(Paragraph(markup(item), space))
        data.append([Paragraph(str(m["number"]), cellb), Paragraph(markup(m["name"]), cell),
                     org, inds, state])
    widths = [0.9 * cm, 5.6 * cm, 4.4 * cm, 5.4 * cm, 10.7 * cm]
    # splitByRow=0 + splitInRow=1: a measure that crosses the bottom of a page is cut
    # inside its row (between paragraphs) instead of leaving the page half empty.
    return Table(data, colWidths=widths, repeatRows=1, splitByRow=0, splitInRow=1,
                 style=TableStyle(style), hAlign="LEFT")


# ========================================================== 001: plan 2021-2023 (PDF)
def build_001(path, seed_text, encrypt=None):
    register_fonts()
    family = "DejaVuSans"
    S = make_styles(family, family, 10.5)
    seed = Seed(seed_text)
    title = seed.line(9)
    doc = GovDoc(path, LETTER, header="Ministère de l'Immigration, de la Francisation et de l'Intégration",
                 footer="Plan d'action interministériel concerté 2021-2023", title=title,
                 author="Gouvernement du Québec", encrypt=encrypt)
    doc.cover_painter = None
    story = [NextPageTemplate("body")]
    ol_count = 0
    for kind, arg in parse_spec(D.SPEC_001):
        text = seed.text(arg) if arg else ""
        text = re.sub(r"\s*" + re.escape(D.EXTERNAL_LINK_TEXT), "", text)  # screen-reader text
        if kind == "title":
            story += [Spacer(1, 6), Paragraph(markup(text), S["title"])]
        elif kind in ("h2", "h3", "small"):
            story.append(Paragraph(markup(text), S[kind]))
            ol_count = 0
        elif kind == "p":
            story.append(Paragraph(markup(text), S["body"]))
            ol_count = 0
        elif kind == "li":
            story.append(bullet_para(markup(text.lstrip("• ")), S["li"]))
        elif kind == "ol":
            ol_count += 1
            num, _, rest = text.partition(" ")
            story.append(Paragraph(markup(rest), S["ol"], bulletText=num))
        else:
            raise ValueError(kind)
    # first page uses the body template directly (no cover page for a web print-out)
    doc.pageTemplates.insert(0, doc.pageTemplates.pop(1))
    doc.build(story)


# ============================================================ 002: plan of 2008
def build_002(path, seed_text):
    register_fonts()
    S = make_styles("DejaVuSerif", "DejaVuSans", 9.5)
    sans_reg, sans_bold = faces("DejaVuSans")[:2]
    seed = Seed(seed_text)
    cov = D.COVER_002
    doc = GovDoc(path, A4, header="Pour enrichir le Québec — Intégrer mieux",
                 footer="Ministère de l'Immigration et des Communautés culturelles — 2008",
                 head_font=sans_reg, title="Pour enrichir le Québec — Intégrer mieux",
                 author="Ministère de l'Immigration et des Communautés culturelles")

    def paint_cover(canv, d):
        W, H = canv._pagesize
        canv.saveState()
        canv.setFillColor(QC_DARK)
        canv.rect(0, 0, W, H, stroke=0, fill=1)
        canv.setFillColor(QC_BLUE)
        canv.rect(0, H * 0.30, W, H * 0.08, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(sans_bold, 13)
        canv.drawString(2.2 * cm, H - 4 * cm, seed.line(cov["kicker"]))
        canv.setFont(sans_bold, 40)
        canv.drawString(2.2 * cm, H - 6.2 * cm, seed.line(cov["title"]))
        canv.setFont(sans_reg, 14)
        y = H - 8 * cm
        for n in Seed.refs(cov["subtitle"]):
            canv.drawString(2.2 * cm, y, seed.line(n))
            y -= 18
        canv.setFont(sans_bold, 15)
        x = 2.2 * cm
        for tag in cov["taglines"]:
            txt = seed.text(tag).replace("**", "")
            canv.drawString(x, H * 0.30 + 0.8 * cm, txt)
            x += pdfmetrics.stringWidth(txt, sans_bold, 15) + 1.2 * cm
        quebec_wordmark(canv, W - 6 * cm, 2 * cm, font=sans_bold)
        canv.restoreState()
    doc.cover_painter = paint_cover

    grid = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("LINEABOVE", (0, 0), (-1, 0), 1.2, QC_BLUE),
                       ("LINEBELOW", (0, 0), (-1, 0), 0.4, RULE),
                       ("LEFTPADDING", (0, 0), (-1, -1), 4),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                       ("TOPPADDING", (0, 0), (-1, -1), 3),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
    colhead = ParagraphStyle("colhead", parent=S["label"], spaceBefore=0, spaceAfter=0)
    cell_li = ParagraphStyle("cell_li", parent=S["li"], fontName=faces("DejaVuSerif")[0],
                             fontSize=8.8, leading=11.5, spaceAfter=3)

    def two_columns(number):
        acts, inds = D.TWO_COL_002[number]
        left = [Paragraph(markup(seed.line(n).lstrip("- ")), cell_li, bulletText="•") for n in acts]
        right = [Paragraph(markup(seed.line(n)), cell_li, bulletText="•") for n in inds]
        return Table([[Paragraph("ACTIONS", colhead), Paragraph("INDICATEURS DE PERFORMANCE", colhead)],
                      [left, right]], colWidths=[9.2 * cm, 7.4 * cm], style=grid, hAlign="LEFT",
                     spaceBefore=4, spaceAfter=12)

    story = [NextPageTemplate("body"), PageBreak()]
    measure_head = ParagraphStyle("mh", parent=S["h2"], fontName=sans_bold, fontSize=11,
                                  leading=14, textColor=QC_DARK)
    for kind, arg in parse_spec(D.SPEC_002):
        if kind == "cover":
            continue
        if kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "colophon":
            story.append(Spacer(1, 12 * cm))
            for n in Seed.refs(arg):
                if seed.line(n):
                    story.append(Paragraph(markup(seed.line(n)), S["small"]))
                else:
                    story.append(Spacer(1, 5))
        elif kind == "p":
            story.append(Paragraph(markup(seed.text(arg)), S["body"]))
        elif kind == "sigline":
            story.append(Paragraph(markup(seed.text(arg)), S["sig"]))
        elif kind == "note":
            story.append(Paragraph(markup(seed.text(arg)), S["note"]))
        elif kind == "footnote":
            story.append(Paragraph(markup(seed.text(arg)), S["footnote"]))
        elif kind == "label":
            story.append(Paragraph(markup(seed.text(arg)), S["label"]))
        elif kind == "objective":
            num_line, title_lines = arg.split()
            story += [CondPageBreak(8 * cm), Spacer(1, 8),
                      Paragraph(markup(seed.text(num_line)), S["label"]),
                      Paragraph(markup(seed.text(title_lines)), S["h1"])]
        elif kind == "measure":
            head, _, bullets = arg.partition("|")
            number, num_line, title_line, paras = head.split()
            title = seed.line(int(title_line))
            if title.startswith(number + " "):
                title = title[len(number) + 1:]
            block = [Paragraph(f"Mesure {number} — {markup(title)}", measure_head)]
            for para in paras.split("+"):
                block.append(Paragraph(markup(seed.text(para)), S["body"]))
            for n in bullets.split():
                block.append(bullet_para(markup(seed.line(int(n)).lstrip("- ")), S["li"], "–"))
            block.append(two_columns(number))
            story.append(KeepTogether(block))  # heading, description and its two columns
        else:
            raise ValueError(kind)
    story += [Spacer(1, 2 * cm), Paragraph(markup(seed.line(D.BACK_COVER_002)), S["caption"])]
    doc.build(story)


# ============================================================ 003: press releases
def build_003(path, seed_text):
    register_fonts()
    S = make_styles("DejaVuSerif", "DejaVuSans", 10)
    sans_reg, sans_bold = faces("DejaVuSans")[:2]
    seed = Seed(seed_text)
    doc = GovDoc(path, LETTER, header="Communiqué de presse",
                 footer="Ministère de l'Immigration et des Communautés culturelles — communiqués 2012",
                 head_font=sans_reg, title="Communiqués de presse — juin et juillet 2012",
                 author="Ministère de l'Immigration et des Communautés culturelles")
    doc.pageTemplates.insert(0, doc.pageTemplates.pop(1))
    kicker = ParagraphStyle("kicker", parent=S["label"], fontSize=10, spaceBefore=4)
    title = ParagraphStyle("rtitle", parent=S["h1"], fontSize=17, leading=21, textColor=QC_DARK)
    date = ParagraphStyle("date", parent=S["small"], alignment=TA_RIGHT)
    story = [NextPageTemplate("body")]
    for kind, arg in parse_spec(D.SPEC_003):
        if kind == "pagebreak":
            story.append(PageBreak())
            continue
        text = markup(seed.text(arg))
        if kind == "date":
            story.append(Paragraph(text, date))
        elif kind == "kicker":
            story.append(Paragraph(text.upper(), kicker))
        elif kind == "title":
            story.append(Paragraph(text, title))
        elif kind == "h3":
            story.append(Paragraph(text, S["h3"]))
        elif kind == "p":
            story.append(Paragraph(text, S["body"]))
        elif kind == "li":
            story.append(bullet_para(text.lstrip("• "), S["li"]))
        else:
            raise ValueError(kind)
    doc.build(story)


# ============================================================ 004: CCPI advice
def build_004(path, seed_text):
    register_fonts()
    S = make_styles("DejaVuSans", "DejaVuSans", 9.5)
    seed = Seed(seed_text)
    doc = GovDoc(path, A4, header="Comité consultatif Personnes immigrantes (CCPI)",
                 footer="Avis et recommandations — décembre 2020",
                 head_font=faces("DejaVuSans")[0],
                 title="Avis et recommandations du comité consultatif Personnes immigrantes",
                 author="Comité consultatif Personnes immigrantes")
    story = [NextPageTemplate("body")]
    for kind, arg in parse_spec(D.SPEC_004):
        if kind == "cover":
            q, head, date = arg.split()
            story += [Spacer(1, 3.5 * cm), Paragraph(markup(seed.text(head).upper()), S["title"]),
                      Paragraph(markup(seed.text(q)), S["subtitle"]), Spacer(1, 1 * cm),
                      Paragraph(markup(seed.text(date)), S["h3"])]
            doc.cover_painter = cover_band([], "Commission des partenaires du marché du travail",
                                           "DejaVuSans")
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "toc":
            rows = []
            for n in Seed.refs(arg):
                entry, _, page = seed.lines[n - 1].rpartition("\t")
                entry = entry.strip().rstrip(".")
                sub = re.match(r"\d+\.\d+\.", entry) is not None
                rows.append([Paragraph(("&nbsp;" * 6 if sub else "") + markup(entry),
                                       S["cell"] if sub else S["cellb"]),
                             Paragraph(page.strip(), S["cellr"])])
            story.append(Table(rows, colWidths=[14.5 * cm, 1.5 * cm], hAlign="LEFT",
                               style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                                                 ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])))
        elif kind == "table":
            story += survey_table(seed, Seed.refs(arg), S)
        elif kind in ("h1", "h2", "h3", "footnote"):
            story.append(Paragraph(markup(seed.text(arg)), S[kind]))
        elif kind == "p":
            story.append(Paragraph(markup(seed.text(arg)), S["body"]))
        elif kind in ("li", "li2"):
            text = re.sub(r"^\s*- ", "", seed.text(arg))
            story.append(bullet_para(markup(text), S[kind], "•" if kind == "li" else "–"))
        else:
            raise ValueError(kind)
    doc.build(story)


def survey_table(seed, line_numbers, S):
    spec = D.TABLES_004[line_numbers[0]]
    out = []
    rows, header_idx = [], []
    for n in line_numbers:
        if n == spec["caption"]:
            out.append(Paragraph(markup(seed.lines[n - 1].strip()), S["caption"]))
            continue
        cells = [c.strip() for c in seed.lines[n - 1].split("\t")]
        cells = [c for c in cells if c]
        if n in spec["header_rows"]:
            header_idx.append(len(rows))
        rows.append(cells)
    ncol = max(len(r) for r in rows)
    rows = [r + [""] * (ncol - len(r)) for r in rows]
    widths = [9 * cm] + [2.4 * cm] * (ncol - 1)
    first = header_idx[:1]
    t = data_table(rows, widths, S, header_rows=tuple(first), section_rows=tuple(header_idx[1:]),
                   align_right_from=1)
    out += [t, Spacer(1, 10)]
    return [KeepTogether(out)]


# ============================================================ 001: HTML page
def build_001_html(seed_text):
    """Seed 001 as a plausible ministry web page (hand-written structure)."""
    seed = Seed(seed_text)
    esc = lambda s: html.escape(s, quote=False)
    ext = D.EXTERNAL_LINK_TEXT

    def inline(text, line=None):
        text = esc(text)
        link = D.EXTERNAL_LINKS_001.get(line)
        if link:
            # the seed glues the screen-reader text of the external-link icon to the link
            anchor = (f'<a href="#" target="_blank" rel="noopener">{esc(link)}'
                      f' <span class="visually-hidden">{esc(ext)}</span></a>')
            text = re.sub(re.escape(esc(link)) + r"\s*" + re.escape(esc(ext)),
                          lambda m: anchor, text)
        for internal in D.INTERNAL_LINKS_001.get(line, []):
            text = text.replace(esc(internal), f'<a href="#">{esc(internal)}</a>', 1)
        return text

    crumbs = [re.sub(r"^\d+\.\s*", "", seed.line(n)) for n in D.BREADCRUMB_001]
    out = ['<!DOCTYPE html>', '<html lang="fr">', '<head>', '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<title>{esc(seed.line(9))} | Gouvernement du Québec</title>',
           '<style>body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#223654}'
           'header{background:#095797;color:#fff;padding:12px 24px}'
           'main{max-width:60em;margin:auto;padding:0 24px}'
           'nav.breadcrumb ol{list-style:none;padding:0;font-size:.85em}'
           'nav.breadcrumb li{display:inline}nav.breadcrumb li+li:before{content:" › "}'
           '.visually-hidden{position:absolute;left:-10000px}'
           'footer{border-top:1px solid #c5cad2;margin-top:3em;padding:1em 24px;font-size:.9em}</style>',
           '</head>', '<body>',
           '<header><a href="/fr" style="color:#fff;font-weight:bold">Québec.ca</a></header>',
           '<nav class="breadcrumb" aria-label="Fil d’Ariane"><ol>']
    for i, c in enumerate(crumbs):
        if i == len(crumbs) - 1:
            out.append(f'<li aria-current="page">{esc(c)}</li>')
        else:
            out.append(f'<li><a href="#">{esc(c)}</a></li>')
    out += ['</ol></nav>', '<main id="contenu">',
            f'<p class="retour"><a href="#">{esc(seed.line(D.BACKLINK_001))}</a></p>']
    list_open = None
    for kind, arg in parse_spec(D.SPEC_001):
        text = seed.text(arg)
        line = Seed.refs(arg)[0]
        want = {"li": "ul", "ol": "ol"}.get(kind)
        if list_open and want != list_open:
            out.append(f"</{list_open}>")
            list_open = None
        if want and not list_open:
            out.append(f"<{want}>")
            list_open = want
        if kind == "title":
            out.append(f"<h1>{inline(text, line)}</h1>")
        elif kind in ("h2", "h3"):
            out.append(f"<{kind}>{inline(text, line)}</{kind}>")
        elif kind == "p":
            out.append(f"<p>{inline(text, line)}</p>")
        elif kind == "small":
            out.append(f'<p class="date-maj"><small>{inline(text, line)}</small></p>')
        elif kind == "li":
            out.append(f"<li>{inline(text.lstrip('• '), line)}</li>")
        elif kind == "ol":
            out.append(f"<li>{inline(text.partition(' ')[2], line)}</li>")
    if list_open:
        out.append(f"</{list_open}>")
    f = D.FOOTER_001
    out += ['</main>', '<footer>', '<section class="evaluation">',
            f'<h2>{esc(seed.line(f["rating_title"]))}</h2>',
            f'<p>{esc(seed.line(f["rating_question"]))} <a href="#">{esc(seed.line(f["rating_link"]))}</a></p>',
            '</section>', '<section class="contact">',
            f'<p>{esc(seed.line(f["contact_question"]))}</p>',
            f'<p><a href="#">{esc(seed.line(f["contact_link"]))}</a></p>',
            '</section>', '</footer>', '</body>', '</html>', '']
    return "\n".join(out)
