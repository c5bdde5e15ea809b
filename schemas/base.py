"""What every model shares: frozen models and the box convention.

Every model is frozen: a stage never edits what the previous stage produced, it builds a new object.
Coordinates are PDF points (1/72 inch) with the origin at the top-left of the page, the convention
pdfplumber uses, so boxes from the text layer and from OCR can be compared directly.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin top-left."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
