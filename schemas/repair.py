"""Explanations of OCR-damage repairs: every change bilan makes to a text, and why."""
from __future__ import annotations

from typing import Optional

from pydantic import Field

from schemas.base import Frozen


class Repair(Frozen):
    """One change. `line` and `column` locate `before` in the ORIGINAL text (1-based line, 0-based column)."""

    line: int = Field(ge=1)
    column: int = Field(ge=0)
    before: str
    after: str
    rule: str = Field(description="which rule made the change, e.g. 'accent', 'ligature', 'elision', 'hyphen-join'")
    score: float = Field(ge=0, le=1, description="confidence in the change")
    page: Optional[int] = Field(default=None, description="page number, when repairing a Document")


class RepairResult(Frozen):
    text: str
    repairs: list[Repair] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="why text was left alone, e.g. not French")
