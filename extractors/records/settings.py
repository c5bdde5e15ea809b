"""The records stage's tolerances, in one place (as `extractors.tables.settings` for the tables
stage): how a boxed page's words become rows and columns, when a record is flagged, how many of a
thing make a pattern.

Lengths are in points unless a comment says row heights or a share of the page. `SETTINGS` is what
bilan uses; the modules of `extractors.records` read it.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowSettings:
    # Boxed pages as rows (`extractors.records.layout`).
    # Shares of the page height holding running headers and footers.
    margin_top: float = 0.065
    margin_bottom: float = 0.075
    # Skew is measured on lines of this many boxes spanning this many points, on this many lines.
    skew_line_words: int = 4
    skew_line_width: float = 150.0
    skew_lines: int = 3
    # A word joins a row when its centre is within this share of the row's height (a speck or a
    # squashed OCR box takes the row's height; a big word at most twice it).
    row_reach: float = 0.45
    # A gap wider than this many row heights (and at least `min_cell_gap`) separates table cells.
    cell_gap: float = 2.2
    min_cell_gap: float = 12.0


@dataclass(frozen=True)
class ColumnSettings:
    # Two-column blocks read column by column (`extractors.records.layout.split_columns`).
    gutter_min: float = 14.0  # points of white between the two columns of a row
    gutter_heights: float = 1.2  # ... and at least this many row heights
    # The gutter lies in this band of the page width (a table's first column sits further left).
    gutter_band: tuple[float, float] = (0.3, 0.75)
    gutter_drift: float = 16.0  # gutters of one block's rows this close are one
    # Both sides of a row closer than this share of `gutter_min`: a word space, running text.
    running_text_gap: float = 0.7
    block_row_gap: float = 2.0  # row heights: a wider gap ends the block (and bounds its header row)
    heading_height: float = 1.5  # a row this much taller than the block's median is a heading


@dataclass(frozen=True)
class RecordSettings:
    rows: RowSettings = field(default_factory=RowSettings)
    columns: ColumnSettings = field(default_factory=ColumnSettings)
    # A measure read from a table is flagged (never dropped) below this confidence
    # (`extractors.records.from_tables`).
    flag_below: float = 0.6
    # Measures rebuilt from a text dump's flattened annex are all flagged, at this confidence: every
    # one is rebuilt from layout cues (`extractors.records.annex`).
    annex_confidence: float = 0.4
    # An organisation's name in a merged annex row runs to at most this many words.
    max_name_words: int = 8
    # A heading style names measures when at least this many of its headings open a list
    # (`extractors.records.outline`).
    min_measures: int = 3
    # A party named this often in the document is the one speaking (la Ville, le comité)
    # (`extractors.records.recommendations`).
    own_names: int = 3
    # A card's heading lines are this much taller than its text (`extractors.records.table_forms`).
    heading_size: float = 1.25


SETTINGS = RecordSettings()
