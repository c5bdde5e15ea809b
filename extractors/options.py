"""Settings shared by every ingestion path."""
from __future__ import annotations

import os
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractors.errors import BadOption, InputTooLarge

# Pillow's own decompression-bomb limit is ~179 Mpx; an A0 page at 300 dpi is ~140 Mpx, which no
# report needs. 100 Mpx keeps one rendered page under ~300 MB of RGB.
DEFAULT_MAX_PIXELS = 100_000_000
# The longest government report we know is a few thousand pages; a file claiming a million pages
# is broken or hostile, and reading it would write a page error (or a page) per claimed page.
DEFAULT_MAX_PAGES = 10_000
# A document's JSON above this is refused rather than written (disk, and every reader of the
# dataset): ~25 KB a dense page, so 10,000 such pages fit.
DEFAULT_MAX_OUTPUT_MB = 1_000
# `bilan batch`: one document's extraction (or one OCR'd page of a split scan) that runs longer is
# stopped and that document failed. A 400-page born-digital report reads in well under a minute,
# an OCR'd page in seconds: ten minutes only stops what is stuck.
DEFAULT_TIMEOUT_PER_DOC = 600.0


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
    max_pages: int = Field(default=DEFAULT_MAX_PAGES, ge=1, description="refuse files with more pages than this")
    max_output_mb: int = Field(default=DEFAULT_MAX_OUTPUT_MB, ge=1, description="refuse to write a document JSON larger than this")
    repair: bool = Field(default=True, description="repair OCR damage on OCR'd, text-dump and untrustworthy pages")
    records: bool = Field(default=True, description="extract measures and other records from the pages")
    ocr_alternatives: bool = Field(default=False, description=(
        "keep Tesseract's runner-up readings of OCR'd words (Word.alternatives); costs ~20 % more OCR time"))

    @field_validator("lang")
    @classmethod
    def _lang_shape(cls, value: str) -> str:
        parts = value.split("+")
        if not all(p.isascii() and p.replace("_", "").isalnum() for p in parts):
            raise ValueError(f"not a Tesseract language list: {value!r}")
        return value


def check_page_count(path, page_count: int, options: IngestOptions) -> None:
    """Refuse a file with more pages than `options.max_pages`, before reading any."""
    if page_count > options.max_pages:
        raise InputTooLarge(path, f"{page_count} pages, above the limit of {options.max_pages} (--max-pages)")


def check_output_size(path, text: str, options: IngestOptions) -> None:
    """Refuse a document JSON larger than `options.max_output_mb`."""
    size = len(text.encode("utf-8")) if len(text) * 4 > options.max_output_mb * 1_000_000 else len(text)
    if size > options.max_output_mb * 1_000_000:
        raise InputTooLarge(path, f"its JSON would be {size / 1e6:.0f} MB, above the limit of "
                                  f"{options.max_output_mb} MB (--max-output-mb)")


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
