"""Records extracted from documents. Field names are a contract that other tools read: change
them only with a schema version bump."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from schemas.base import BBox, Frozen


class Provenance(Frozen):
    file: str
    page: Optional[int] = Field(default=None, description="page number from 1 (None for whole-document records)")
    bbox: Optional[BBox] = Field(default=None, description="(x0, top, x1, bottom) in PDF points, origin top-left")
    line: Optional[int] = Field(default=None, description="first line index on the page, for inputs without boxes")


class Indicator(Frozen):
    text: str
    target: Optional[str] = None
    deadline: Optional[str] = None


class ProgressPart(Frozen):
    percent: Optional[float] = Field(default=None, ge=0, description="as printed; may exceed 100")
    label: Optional[str] = None
    status: Optional[str] = None


class Action(Frozen):
    action_id: Optional[str] = None
    text: str
    lead: list[str] = Field(default_factory=list)


# Progress categories, whatever words a document uses ("Réalisée", "Cible dépassée", "En cours"...).
STATUS_CATEGORIES = ("done", "partly_done", "not_done", "exceeded", "ongoing", "no_target")
StatusCategory = Literal["done", "partly_done", "not_done", "exceeded", "ongoing", "no_target"]


class Measure(Frozen):
    measure_id: Optional[str] = Field(default=None, description='as printed: "1", "2.3"; None when unnumbered')
    parent_id: Optional[str] = None
    theme: Optional[str] = Field(default=None, description="section, axis or objective the measure falls under")
    group: Optional[str] = Field(default=None, description="sub-heading inside the theme, e.g. a row-spanning first column")
    title: str
    description: Optional[str] = None
    lead: list[str] = Field(default_factory=list, description="organisations in charge")
    collaborators: list[str] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    deadline: Optional[str] = Field(default=None, description="for tables with a single deadline column")
    resources: Optional[str] = None
    progress_percent: Optional[float] = Field(default=None, ge=0, description="as printed; above 100 when a target is exceeded")
    progress: list[ProgressPart] = Field(default_factory=list, description="when a measure reports several parts")
    status_text: Optional[str] = Field(default=None, description="what the document prints about the measure's "
                                       "progress: its commentary, whole")
    status: Optional[StatusCategory] = Field(default=None, description="progress as a category: done, partly_done "
                                             "(below target), not_done, exceeded (above target), ongoing, no_target "
                                             "(no target this period)")
    status_inferred: bool = Field(default=False, description="the document prints no status: `status` was derived "
                                  "from a percentage or a sentence")
    actions: list[Action] = Field(default_factory=list)
    provenance: Provenance
    confidence: float = Field(default=1.0, ge=0, le=1)
    flagged: bool = Field(default=False, description="low confidence: kept, but worth a human look")


class Recommendation(Frozen):
    id: Optional[str] = None
    title: str
    items: list[str] = Field(default_factory=list)
    provenance: Provenance
    confidence: float = Field(default=1.0, ge=0, le=1)
    flagged: bool = False


class Count(Frozen):
    value: float
    text: str = Field(description="the count as printed with what it counts, e.g. '1 200 personnes'")


class Announcement(Frozen):
    date: Optional[str] = Field(default=None, description="ISO 8601 date")
    place: Optional[str] = None
    title: str
    ministers: list[str] = Field(default_factory=list)
    amount_text: Optional[str] = Field(default=None, description="as printed, e.g. '15,5 M$'")
    amount_dollars: Optional[float] = None
    counts: list[Count] = Field(default_factory=list)
    provenance: Provenance
    confidence: float = Field(default=1.0, ge=0, le=1)
    flagged: bool = False


class StatRow(Frozen):
    label: str
    column: Optional[str] = Field(default=None, description="column header when the table has several value columns")
    value: Optional[float] = None
    unit: Optional[str] = Field(default=None, description="'%', '$', ...")


class StatTable(Frozen):
    title: Optional[str] = None
    rows: list[StatRow] = Field(default_factory=list)
    provenance: Provenance
    confidence: float = Field(default=1.0, ge=0, le=1)
    flagged: bool = False


class Statistic(Frozen):
    """A measured figure reported in a sentence of prose ("76 % des organismes répondants estiment...")."""

    value: float = Field(description="as printed, without sign words or unit: '39,6 %' -> 39.6")
    unit: Optional[str] = Field(default=None, description="'%', 'points', '$', or for a count the counted noun as "
                                "printed ('personnes', 'organismes')")
    statement: str = Field(description="the sentence as printed")
    subject: Optional[str] = Field(default=None, description="the population of a share as the sentence names it "
                                   "('organismes répondants' in '76 % des organismes répondants...')")
    provenance: Provenance
    confidence: float = Field(default=1.0, ge=0, le=1)
    flagged: bool = False


class Records(Frozen):
    measures: list[Measure] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    announcements: list[Announcement] = Field(default_factory=list)
    tables: list[StatTable] = Field(default_factory=list)
    statistics: list[Statistic] = Field(default_factory=list)
