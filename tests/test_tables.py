"""Tables from word boxes (extractors.tables.detect): real PDFs with known structure, a French zoning
table, and a French action plan built here with reportlab, ruled and unruled, over two pages."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import ICDAR_TABLES, ROOT, data_file, shared_file
from extractors.layout import words_to_lines
from extractors.tables.detect import (
    cell_runs,
    cell_words,
    document_tables,
    merge_continued_tables,
    page_to_tables,
)
from schemas import Page, Word
from schemas.table import Table

ICDAR = ICDAR_TABLES


def _bench():
    """bench/icdar2013_tables.py (its scorer and ground-truth reader), loaded by path."""
    spec = importlib.util.spec_from_file_location("icdar2013_tables", ROOT / "bench" / "icdar2013_tables.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def read_rows(pdf_path: Path, numbers=None) -> tuple[list[Page], dict]:
    """Pages and drawn lines as `bilan extract` reads a text layer (bench/icdar2013_tables.py)."""
    chosen = set(numbers) if numbers else None
    pages, rulings = [], {}
    for page, page_rules in _bench().bilan_pages(pdf_path):
        if chosen is None or page.number in chosen:
            pages.append(page)
            rulings[page.number] = page_rules
    return pages, rulings


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- ICDAR 2013 pages with known structure ----------------------------------------------------


@pytest.mark.shared
@pytest.mark.parametrize(
    "doc, page_no, with_rulings",
    [
        ("competition-dataset-eu/eu-004", 2, True),  # two ruled tables, multi-line headers
        ("competition-dataset-eu/eu-004", 2, False),  # the same page as OCR would give it: words only
        ("competition-dataset-us/us-017", 2, True),  # unruled columns, rules only above and below the header
    ],
)
def test_icdar_pages_match_ground_truth(doc, page_no, with_rulings):
    pdf = shared_file(ICDAR / f"{doc}.pdf")
    bench = _bench()
    truth = [t for t in bench.load_ground_truth(ICDAR / f"{doc}-str.xml") if page_no in t.pages]
    pages, rulings = read_rows(pdf, [page_no])
    page = pages[0]
    if not with_rulings:
        page = page.model_copy(update={
            "origin": "ocr",
            "words": [Word(text=w.text, bbox=w.bbox, origin="ocr", confidence=90.0) for w in page.words],
        })
    tables = page_to_tables(page, rulings[page_no] if with_rulings else None)
    assert len(tables) == len(truth)
    for gt, table in zip(truth, tables):
        gt_rows = max(c[2] for c in gt.cells) + 1
        gt_cols = max(c[3] for c in gt.cells) + 1
        assert table.n_cols == gt_cols
        assert abs(table.n_rows - gt_rows) <= (0 if with_rulings or "eu-" in doc else 1)
        cells = [(c.row, c.col, c.row + c.row_span - 1, c.col + c.col_span - 1, c.text) for c in table.cells]
        f1 = bench.prf(*bench.pair_counts(gt.relations, bench.adjacency_relations(cells)))[2]
        assert f1 >= 0.98, (doc, f1)


@pytest.mark.shared
def test_icdar_cell_texts_and_multiline_header():
    pages, rulings = read_rows(shared_file(ICDAR / "competition-dataset-eu/eu-004.pdf"), [2])
    first = page_to_tables(pages[0], rulings[2])[0]
    grid = first.grid()
    assert first.header_rows == 1
    # "per capita / GNP ($000) / 1995" is one header cell over three lines
    assert _flat(grid[0][1]) == "per capita GNP ($000) 1995"
    assert [row[0] for row in grid[1:4]] == ["Germany", "France", "UK"]
    assert grid[-1][0] == "EU15 Total" and grid[-1][1] == ""
    assert first.provenance.method == "ruling"


def test_scorer_relations():
    bench = _bench()
    # a spanning header over two columns relates to both cells under it; empty slots are skipped
    cells = [(0, 0, 0, 1, "Year"), (1, 0, 1, 0, "n"), (1, 1, 1, 1, "% Pos"), (2, 0, 2, 0, "5"), (2, 1, 2, 1, "")]
    rel = bench.adjacency_relations(cells)
    assert rel == {("year", "n", "v"): 1, ("year", "%pos", "v"): 1, ("n", "%pos", "h"): 1, ("n", "5", "v"): 1}
    gt = [bench.ScoredTable(frozenset({1}), cells)]
    assert bench.score_document("x", gt, gt).f1 == 1.0
    wrong_page = [bench.ScoredTable(frozenset({2}), cells)]
    assert bench.score_document("x", gt, wrong_page).tp == 0


# --- French zoning table with multi-line header cells ----------------------------------------


def test_zonage_headers_kept_whole():
    pages, rulings = read_rows(data_file("zonage_crlf.pdf"))
    tables = page_to_tables(pages[0], rulings[1])
    assert len(tables) == 1
    table = tables[0]
    grid = table.grid()
    assert [_flat(t) for t in grid[0]] == ["", "Desservi", "Part. desservi", "Non desservi"]
    assert grid[0][2] == "Part.\ndesservi"  # two lines, one cell
    assert [_flat(r[0]) for r in grid[1:]] == [
        "Largeur minimale sur la ligne avant (m)",
        "Largeur maximale sur la ligne avant (m)",
        "Superficie minimale (m²)",
        "Largeur moyenne minimale (m)",
        "Profondeur moyenne minimale(m)",
    ]
    assert [r[1] for r in grid[1:]] == ["25", "35", "1 500", "25", "60"]
    assert table.header_rows == 1
    # the figure beside the table, and its caption, are not part of it
    assert not any("Figure" in c.text for c in table.cells)


# --- A French action plan, two pages, header repeated -----------------------------------------

HEADER = ["Axes", "Actions", "Échéancier", "Ressources", "Responsables et partenaires"]
AXES = ["Axe 1 – Accès à l'information", "Axe 2 – Reconnaissance des compétences", "Axe 3 – Intégration en emploi"]
LEADS = ["MIFI", "MES", "MTESS", "MSSS", "MEQ"]
PARTNERS = ["Services Québec, ordres professionnels", "établissements d'enseignement, cégeps",
            "organismes communautaires", "Emploi-Québec", "commissions scolaires, universités"]
N_ACTIONS = 14


def _plan_rows():
    rows = []
    for i in range(N_ACTIONS):
        axe = AXES[i * len(AXES) // N_ACTIONS]
        action = (f"{i // 5 + 1}.{i % 5 + 1} Mettre en place un guichet unique d'information sur la reconnaissance "
                  f"des compétences des personnes immigrantes, volet {i + 1}, avec les réseaux régionaux")
        rows.append((axe, action, f"{2024 + i % 3}-{2025 + i % 3}", "Budget existant" if i % 2 else "2,5 M$",
                     LEADS[i % 5], PARTNERS[i % 5]))
    return rows


def _build_plan(path: Path, ruled: bool) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table as RLTable, TableStyle

    body = ParagraphStyle("c", fontName="Helvetica", fontSize=9, leading=11)
    head = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=9, leading=11)
    data = [[Paragraph(h, head) for h in HEADER]]
    for axe, action, when, money, lead, partners in _plan_rows():
        data.append([Paragraph(axe, body), Paragraph(action, body), Paragraph(when, body), Paragraph(money, body),
                     Paragraph(f"<b>{lead}</b>, {partners}", body)])
    table = RLTable(data, colWidths=[110, 280, 80, 90, 160], repeatRows=1)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black) if ruled else ("BOTTOMPADDING", (0, 0), (-1, -1), 8))
    table.setStyle(TableStyle(style))
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36)
    doc.build([Paragraph("Plan d'action 2024-2027", head), Spacer(1, 12), table])


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled-numbered"])
def test_action_plan_over_two_pages(tmp_path, ruled):
    path = tmp_path / "plan.pdf"
    _build_plan(path, ruled)
    pages, rulings = read_rows(path)
    assert len(pages) == 2

    per_page = [page_to_tables(p, rulings[p.number]) for p in pages]
    assert [len(t) for t in per_page] == [1, 1]
    assert all(t[0].header_rows == 1 and t[0].n_cols == 5 for t in per_page)
    assert [_flat(x) for x in per_page[1][0].grid()[0]] == HEADER  # the header repeated on page 2

    tables = document_tables(pages, rulings)
    assert len(tables) == 1
    table = tables[0]
    assert table.n_rows == 1 + N_ACTIONS and table.n_cols == 5 and table.header_rows == 1
    assert [s.page for s in table.provenance.segments] == [1, 2]
    assert table.provenance.segments[1].repeated_header_rows == 1
    assert table.provenance.method == ("ruling" if ruled else "text-alignment")

    grid = table.grid()
    assert [_flat(x) for x in grid[0]] == HEADER
    by_page = {p.number: p for p in pages}
    for r, (axe, action, when, money, lead, partners) in enumerate(_plan_rows(), start=1):
        assert _flat(grid[r][0]) == axe  # a wrapped axis label stays whole
        assert _flat(grid[r][1]) == action  # the three-line action stays whole
        assert grid[r][2] == when and grid[r][3] == money
        cell = table.cell_at(r, 4)
        # the bold lead organisation and its plain partners, told apart through word_ids
        runs = cell_runs(by_page[cell.page], cell)
        assert runs[0][0] is True and runs[0][1].rstrip(",") == lead
        assert all(bold is False for bold, _ in runs[1:])
        assert _flat(" ".join(t for _, t in runs[1:])).lstrip(", ") == partners
        assert [w.bold for w in cell_words(by_page[cell.page], cell)].count(True) == 1
    # rows after the page break come from page 2
    assert {c.page for c in table.cells if c.row == N_ACTIONS} == {2}


# --- Continuation announced by "(suite)" -------------------------------------------------------


def _grid_page(number: int, rows: list[list[str]], top: float, extra: list[tuple[str, float, float]] = (),
               bold_first: bool = False) -> Page:
    """A page whose words sit on a grid, as an OCR engine would box them."""
    xs = [60.0, 200.0, 330.0]
    words: list[Word] = []
    for text, x, y in extra:
        for token in text.split():
            words.append(Word(text=token, bbox=(x, y, x + 5.0 * len(token), y + 10.0), origin="ocr"))
            x += 5.0 * len(token) + 3.0
    for r, row in enumerate(rows):
        y = top + 16.0 * r
        for c, text in enumerate(row):
            x = xs[c]
            for token in text.split():
                words.append(Word(text=token, bbox=(x, y, x + 5.0 * len(token), y + 10.0), origin="ocr",
                                  bold=bold_first and r == 0))
                x += 5.0 * len(token) + 3.0
    return Page(number=number, width=612.0, height=792.0, origin="ocr", words=words, lines=words_to_lines(words))


def test_suite_marker_joins_pages():
    head = ["Mesure", "Responsable", "Cible"]
    first_rows = [head] + [[f"Mesure {i}", f"Ministère {i}", f"{10 * i} %"] for i in range(1, 11)]
    second_rows = [[f"Mesure {i}", f"Ministère {i}", f"{10 * i} %"] for i in range(11, 15)]
    p1 = _grid_page(1, first_rows, top=560.0, bold_first=True)
    p2 = _grid_page(2, second_rows, top=90.0, extra=[("Tableau 2 (suite)", 60.0, 60.0)])
    t1, t2 = page_to_tables(p1), page_to_tables(p2)
    assert len(t1) == len(t2) == 1
    assert t1[0].header_rows == 1 and t2[0].header_rows == 0
    merged = merge_continued_tables(t1 + t2, [p1, p2])
    assert len(merged) == 1
    table: Table = merged[0]
    assert table.n_rows == 15
    assert table.provenance.segments[1].continued_marker == "(suite)"
    assert table.grid()[-1] == ["Mesure 14", "Ministère 14", "140 %"]
    # a table on the next page with other columns is not a continuation
    other = _grid_page(2, [["Nom", "Valeur"], ["Alpha", "1"], ["Beta", "2"], ["Gamma", "3"]], top=90.0,
                       extra=[("(suite)", 60.0, 60.0)])
    t3 = page_to_tables(other)
    assert len(t3) == 1 and t3[0].n_cols == 2
    assert len(merge_continued_tables(t1 + t3, [p1, other])) == 2


def test_no_table_in_running_text():
    pages, rulings = read_rows(data_file("fr_olap.pdf"), [1])
    assert page_to_tables(pages[0], rulings[1]) == []
