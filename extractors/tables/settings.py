"""The tables stage's tolerances, in one place (as pdfplumber's `TableSettings` and
`extractors.ocr.settings`): what counts as a drawn rule, when two words are in different cells,
when aligned text is a table, which lines are its header and headings, when a scan is levelled.

Lengths are in multiples of the page's median word height ("text heights", `page_unit`) unless a
comment says points. Each figure says why it is what it is, or where it was measured. `SETTINGS`
is what bilan uses; the modules of `extractors.tables` read it.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LevelSettings:
    # Scanned pages levelled before tables are read (`extractors.tables.level`).
    min_word_confidence: float = 20.0  # OCR words read below this are noise (specks, rules, lost letters)
    symbol_confidence: float = 80.0  # a word of symbols only ("=", "—", "~") read below this is a rule's trace
    short_word_confidence: float = 50.0  # ... and a short word of letters (a speck read "ee", "ER")
    short_word_letters: int = 4  # letters in such a short word; a longer unsure word is kept
    min_skew: float = 0.0005  # radians (0.03°): less is left alone
    # The skew is measured on lines long enough to show it: this many words of 3+ characters,
    # spanning this many points, and on at least this many lines (fewer: the page is left level).
    skew_line_words: int = 4
    skew_line_width: float = 120.0
    skew_lines: int = 3


@dataclass(frozen=True)
class RulingSettings:
    # Drawn rules (`extractors.ingest.pdf_chars.page_rulings`, `extractors.tables.geometry`), points.
    # Shorter segments are ignored (tick marks, underlines of a word), thicker ones are boxes.
    min_length: float = 6.0
    max_thickness: float = 3.0
    # Two rulings meet when they come this close.
    meet_tolerance: float = 2.5
    # A rule found this far inside an OCR word's box runs through the word: OCR boxes hug the ink
    # loosely, a real rule close above a word can touch its box.
    word_clearance: float = -0.5
    # Parallel rules of a scan this close, side by side over this share of the longer one, are one
    # border drawn double: a cell is never this thin.
    double_rule_gap: float = 4.0
    double_rule_overlap: float = 0.8


@dataclass(frozen=True)
class SegmentSettings:
    # Reading lines cut into segments (one per cell) and aligned text told from prose
    # (`extractors.tables.geometry`, `extractors.tables.regions`).
    # Gap between two words of one line above which they are in different cells. Measured on the
    # ICDAR 2013 eu-* ground truth (words of one cell vs neighbouring cells on a line, 3751 gaps):
    # 95% of in-cell gaps are <= 0.62, 99% of between-cell gaps are >= 0.99; 0.75 errs 34/955 in-cell
    # gaps (justified or letter-spaced headers) and 4/2796 between-cell gaps.
    segment_gap: float = 0.75
    # Narrowest whitespace column that separates two table columns.
    min_separator: float = 0.3
    # Largest vertical gap between two lines of one table.
    max_line_gap: float = 2.2
    # Lines with two or more cells needed before aligned text (no ruled box) is called a table: two
    # such lines are as often a numbered heading over a numbered sub-heading as a table.
    min_text_rows: int = 3
    # A one-segment line at least this share of the table width with this many words is prose.
    prose_width: float = 0.6
    prose_words: int = 8
    # A column whose lines hold this many words on average is running text.
    prose_line_words: float = 4.5
    # The key column (the stub whose entries start rows) is the leftmost column filled on at least
    # this share of the lines of the fullest column.
    key_occupancy: float = 0.6


@dataclass(frozen=True)
class RegionSettings:
    # A table's extent on the page (`extractors.tables.regions`).
    # Largest vertical gap between two lines of one table when a rule across the table lies between
    # them (ruled rows are set with more padding than unruled ones).
    ruled_line_gap: float = 4.0
    # Widest gap between two pieces of one section bar OCR cut apart.
    bar_piece_gap: float = 2.5
    # Largest gap above a wrapped line of the last row: cell text is set solid.
    trailing_gap: float = 0.5
    # Header lines above the aligned body of a table: at most this many, each at most this far
    # below the line above.
    max_header_lines: int = 4
    header_line_gap: float = 1.0


@dataclass(frozen=True)
class GridSettings:
    # Columns and rows of a table (`extractors.tables.grid`, `extractors.tables.rows`).
    # A first row whose cells run longer (words on one line of a cell) is a body row, not a header.
    max_header_cell_words: int = 12
    # Horizontal rules that must cross an empty ruled column for it to be a column of the grid.
    min_rules_across: int = 3
    # Narrowest ruled column without text that is kept; narrower is a double rule.
    min_empty_column: float = 1.5
    # A word gap this wide (word spaces are ~0.3) that falls between two columns of the table
    # splits a segment: tight, right-aligned headers leave less than `segment_gap` between them.
    column_split_gap: float = 0.45
    # Group headers are looked for among the first lines of a table only.
    header_zone_lines: int = 4
    # Columns of aligned text are the runs of x that the table's lines leave open, measured every
    # `cover_step` points. A one-segment line (a wrapped line of a long cell) covers at a fifth of a
    # line's weight in tables of more than three lines; a run covered by no more than `open_share`
    # of the multi-segment lines (or `min_open_cover`, whichever is more) is still open, so a few
    # spanning headers do not join two columns.
    cover_step: float = 0.5
    single_segment_cover: float = 0.2
    open_share: float = 0.12
    min_open_cover: float = 0.25
    # Pieces of vertical rule at x this close (points) are one rule (a rule drawn cell by cell);
    # a rule cuts the table into columns where it crosses this share of the table's height.
    rule_join: float = 1.5
    rule_cross_share: float = 0.5


@dataclass(frozen=True)
class PageSettings:
    # Tables across pages and cards (`extractors.tables.detect`, `extractors.tables.cards`).
    # Share of the page height at its head and foot where running heads, feet and page numbers sit.
    margin: float = 0.1
    # Header texts of two pages this similar (rapidfuzz ratio) are one header repeated (OCR misreads).
    repeated_header_match: float = 90
    # Cards: boxes whose width and height agree this closely (share) are of one size; lefts (tops)
    # this close (points) make one column (row); this many boxes make a set of cards.
    card_size_tolerance: float = 0.06
    card_align: float = 3.0
    min_cards: int = 3


@dataclass(frozen=True)
class RoleSettings:
    # Column roles and headings (`extractors.tables.roles`).
    max_header_words: int = 12  # longer is a sentence, not a column heading
    header_weight: float = 3.0  # a role named by the header
    cell_weight: float = 2.0  # a role every body cell speaks for
    min_share: float = 0.5  # share of a column's body cells that must speak for a role before they vote
    min_score: float = 1.0
    heading_gap: float = 3.0  # text heights between a heading and the table under it (or the heading under it)
    max_heading_words: int = 18
    short_heading: int = 8  # words: a line this short, capitalised and unpunctuated, over a table is its heading


@dataclass(frozen=True)
class TableSettings:
    level: LevelSettings = field(default_factory=LevelSettings)
    rulings: RulingSettings = field(default_factory=RulingSettings)
    segments: SegmentSettings = field(default_factory=SegmentSettings)
    regions: RegionSettings = field(default_factory=RegionSettings)
    grid: GridSettings = field(default_factory=GridSettings)
    pages: PageSettings = field(default_factory=PageSettings)
    roles: RoleSettings = field(default_factory=RoleSettings)


SETTINGS = TableSettings()
