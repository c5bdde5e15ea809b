"""Pydantic models exchanged between bilan's stages, and their JSON Schema export."""
from schemas.document import (
    BBox,
    Block,
    Document,
    Line,
    Page,
    PageTriage,
    Source,
    StageError,
    Word,
)
from schemas.records import (
    Action,
    Announcement,
    Count,
    Indicator,
    Measure,
    ProgressPart,
    Provenance,
    Recommendation,
    Records,
    StatRow,
    Statistic,
    StatTable,
)
from schemas.repair import Repair, RepairResult
from schemas.table import Cell, ColumnRole, Ruling, Shade, Table, TableProvenance, TableSegment

# name -> model; `bilan schema` writes schemas/json/<name>.schema.json for each.
EXPORTED = {"document": Document, "repair": Repair, "records": Records, "table": Table}

__all__ = ["BBox", "Block", "Document", "Line", "Page", "PageTriage", "Source", "StageError", "Word", "Repair", "RepairResult", "EXPORTED",
           "Action", "Announcement", "Count", "Indicator", "Measure", "ProgressPart", "Provenance",
           "Recommendation", "Records", "StatRow", "Statistic", "StatTable",
           "Cell", "ColumnRole", "Ruling", "Shade", "Table", "TableProvenance", "TableSegment"]
