"""Settings shared by every ingestion path."""
from __future__ import annotations

import os
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractors.errors import BadOption

# Pillow's own decompression-bomb limit is ~179 Mpx; an A0 page at 300 dpi is ~140 Mpx, which no
# report needs. 100 Mpx keeps one rendered page under ~300 MB of RGB.
DEFAULT_MAX_PIXELS = 100_000_000


# The OCR language chosen by measurement (bench/README.md, "OCR language"): `fra` reads French pages
# with the fewest accent errors and the least CPU; `fra+eng` reads English pages better. `auto`
# reads every page in French and reads again, in both, a page whose words read as English.
AUTO_LANG = "auto"
FIRST_LANG = "fra"
ENGLISH_PAGE_LANG = "fra+eng"


def tesseract_languages(lang: str) -> str:
    """Every Tesseract language a `lang` setting may use (for the installation check)."""
    return f"{FIRST_LANG}+eng" if lang == AUTO_LANG else lang


class IngestOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    ocr: Literal["auto", "always", "never"] = "auto"
    lang: str = Field(default=AUTO_LANG, description=(
        "Tesseract languages; `auto` (the default): French, and a page whose words read as English is "
        "read again with fra+eng (bench/README.md, \"OCR language\")"))
    pages: Optional[str] = Field(default=None, description='page selection such as "2-5,8"; None = all')
    password: Optional[str] = None
    dpi: int = Field(default=300, ge=72, le=600)
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    max_pixels: int = DEFAULT_MAX_PIXELS
    repair: bool = Field(default=True, description="repair OCR damage on OCR'd, text-dump and untrustworthy pages")
    records: bool = Field(default=True, description="extract measures and other records from the pages")

    @field_validator("lang")
    @classmethod
    def _lang_shape(cls, value: str) -> str:
        parts = value.split("+")
        if not all(p.isascii() and p.replace("_", "").isalnum() for p in parts):
            raise ValueError(f"not a Tesseract language list: {value!r}")
        return value


def parse_pages(spec: Optional[str], page_count: int) -> list[int]:
    """'2-5,8' -> [2, 3, 4, 5, 8] (1-based), clipped to the document; open ranges '3-' allowed."""
    if spec is None or spec.strip() == "":
        return list(range(1, page_count + 1))
    chosen: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        try:
            if "-" in part:
                first, _, last = part.partition("-")
                lo = int(first) if first else 1
                hi = int(last) if last else page_count
            else:
                lo = hi = int(part)
        except ValueError as e:
            raise BadOption(None, f"--pages: cannot read {part!r} (expected e.g. 2-5,8)") from e
        if lo < 1 or hi < lo:
            raise BadOption(None, f"--pages: bad range {part!r}")
        chosen.update(range(lo, min(hi, page_count) + 1))
    if not chosen:
        raise BadOption(None, f"--pages {spec!r} selects no page (the document has {page_count})")
    return sorted(chosen)
