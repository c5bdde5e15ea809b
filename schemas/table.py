"""Tables recovered from the word boxes of a page (text layer or OCR).

A table is a grid of `n_rows` x `n_cols` slots; each `Cell` covers a rectangle of slots
(`row`, `col`, `row_span`, `col_span`) and keeps the indices of its words in `Page.words`, so the
font and weight of every word (a bold lead organisation beside plain partners) stay recoverable.
Slots no cell covers are empty. Coordinates follow `schemas.document`: PDF points, origin top-left.

A table continued over several pages is one `Table` whose `provenance.segments` list the pages;
each cell says on which page its words are (`Cell.page`), since `word_ids` index that page's words.

Every column gets a role (`ColumnRole`: deadline, lead, indicators, ...) read from its header and
its cells, with the evidence for it, so a user can see why a column was read as it was; a table
whose roles make it a measure table is read into `Measure` records.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field, model_validator

from schemas.base import BBox, Frozen


class Ruling(Frozen):
    """A drawn line segment (or the edge of a thin filled rectangle), horizontal or vertical."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


class Shade(Frozen):
    """A filled rectangle drawn on a page (a cell's background), with its colour."""

    x0: float
    top: float
    x1: float
    bottom: float
    color: str = Field(description="fill colour as '#rrggbb'")


class Cell(Frozen):
    row: int = Field(ge=0)
    col: int = Field(ge=0)
    row_span: int = Field(default=1, ge=1)
    col_span: int = Field(default=1, ge=1)
    text: str = Field(description="the cell's words in reading order; lines joined by a newline")
    bbox: Optional[BBox] = None
    page: int = Field(ge=1, description="page whose words `word_ids` index")
    word_ids: list[int] = Field(default_factory=list, description="indices into Page.words of `page`")
    header: bool = Field(default=False, description="the cell lies in a header row")
    fill: Optional[str] = Field(default=None, description="background colour '#rrggbb' when the cell is shaded (not white)")


class TableSegment(Frozen):
    """The part of a table printed on one page."""

    page: int = Field(ge=1)
    bbox: BBox
    first_row: int = Field(ge=0, description="index in the whole table of the first row kept from this page")
    n_rows: int = Field(ge=0, description="rows kept from this page (a repeated header is not kept)")
    repeated_header_rows: int = Field(default=0, ge=0, description="header rows repeated on this page and dropped")
    continued_marker: Optional[str] = Field(default=None, description="text such as '(suite)' that announced the continuation")
    col_edges: list[float] = Field(default_factory=list, description="x of the column boundaries on this page, left edge first (n_cols + 1 values)")


class TableProvenance(Frozen):
    method: Literal["text-alignment", "ruling", "mixed", "shading"] = Field(
        description="what fixed the grid: aligned word boxes only, drawn rulings only, both, or shaded boxes (cards)"
    )
    segments: list[TableSegment] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


ColumnRoleName = Literal[
    "id", "theme", "group", "title", "actions", "description", "lead", "partners", "lead_partners", "indicators",
    "targets", "deadline", "timeline", "resources", "progress", "status", "comment",
]


class ColumnRole(Frozen):
    """What a column holds, and why it was read so."""

    col: int = Field(ge=0)
    role: Optional[ColumnRoleName] = Field(default=None, description="None: the column names no role a record has")
    header: str = Field(default="", description="the column's header text, lines joined")
    score: float = Field(default=0.0, ge=0, description="strength of the evidence for the role")
    evidence: list[str] = Field(default_factory=list, description="what decided the role: header words, cell contents")


class Table(Frozen):
    page: int = Field(ge=1, description="first page of the table")
    bbox: BBox = Field(description="box on the first page")
    n_rows: int = Field(ge=0)
    n_cols: int = Field(ge=0)
    header_rows: int = Field(default=0, ge=0)
    cells: list[Cell] = Field(default_factory=list)
    columns: list[ColumnRole] = Field(default_factory=list, description="role of each column, with its evidence")
    headings: list[str] = Field(default_factory=list, description="headings printed just above the table ('AXE 2 – ...'), outermost first")
    measures: bool = Field(default=False, description="its columns make it a measure table: its rows are read as measures")
    provenance: TableProvenance

    @model_validator(mode="after")
    def _cells_inside_grid(self) -> "Table":
        for c in self.cells:
            if c.row + c.row_span > self.n_rows or c.col + c.col_span > self.n_cols:
                raise ValueError(f"cell ({c.row},{c.col}) span {c.row_span}x{c.col_span} outside {self.n_rows}x{self.n_cols} grid")
        if self.header_rows > self.n_rows:
            raise ValueError("more header rows than rows")
        return self

    def grid(self) -> list[list[str]]:
        """Rows of cell texts; a spanning cell's text sits in its top-left slot, other slots ''."""
        rows = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            rows[c.row][c.col] = c.text
        return rows

    def cell_at(self, row: int, col: int) -> Optional[Cell]:
        for c in self.cells:
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                return c
        return None
