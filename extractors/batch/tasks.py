"""What the batch schedules: one input file, named by its place in the input folder."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    doc_id: str  # path relative to the input folder, '/'-separated
    path: str
    sha256: str
    size: int
