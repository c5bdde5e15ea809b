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

# name -> model; `bilan schema` writes schemas/json/<name>.schema.json for each.
EXPORTED = {"document": Document}

__all__ = ["BBox", "Block", "Document", "Line", "Page", "PageTriage", "Source", "StageError", "Word", "EXPORTED"]
