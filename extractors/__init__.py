"""bilan: French government publications to validated records, every word with its provenance.

The stages are packages, each a plain function from one typed object to the next:

    ingest/   any file (PDF, scan, image, HTML, text dump) -> schemas.Document, pages triaged
    ocr/      page images, Tesseract, bold from ink, the worker pool, rulings of scans
    french/   the lexicon, line joining, vocabularies shared by the stages
    repair/   OCR damage repaired in French, every change explained
    tables/   tables from word boxes and drawn rulings
    records/  measures, recommendations, announcements, stat tables from tables and text
    validation  records scored against a golden file, field by field
    batch/    a folder, in parallel and resumably -> per-document JSON and a dataset

The Python API is these four functions (imported on first use, so `import extractors` stays cheap):

    >>> import extractors
    >>> document = extractors.extract("rapport.pdf")            # schemas.Document
    >>> extractors.repair_text("Le ministére a annoncé").text  # 'Le ministère a annoncé'
    >>> extractors.run_batch("publications/", "out/")           # Summary; dataset in out/
    >>> extractors.validate(document, "golden/rapport.json").total.f1
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from extractors.batch.run import Summary
    from extractors.options import IngestOptions
    from extractors.validation import Report
    from schemas import Document, RepairResult

from extractors.version import __version__
__all__ = ["extract", "repair_text", "run_batch", "validate", "__version__"]


def extract(path: str | Path, options: Optional["IngestOptions"] = None, **settings: Any) -> "Document":
    """Read one file into a Document: ingest, repair, records. `settings` are IngestOptions fields
    (`ocr="always"`, `lang="fra"`, `pages="2-5"`, ...) for callers who do not build the object."""
    from extractors.options import IngestOptions
    from extractors.pipeline import file_to_document

    if settings:
        options = (options or IngestOptions()).model_copy(update=settings)
    return file_to_document(path, options)


def repair_text(text: str) -> "RepairResult":
    """OCR damage in French text repaired; `.text` the result, `.repairs` every change explained."""
    from extractors.repair.stage import repair_text as repair

    return repair(text)


def run_batch(input_dir: str | Path, out_dir: str | Path, options: Optional["IngestOptions"] = None,
              **settings: Any) -> "Summary":
    """Every publication below `input_dir` into `out_dir`; `settings` are those of
    `extractors.batch.run.run_batch` (`workers=2`, `exclude=["bad/*"]`, `executor="dask"`, ...)."""
    from extractors.batch.run import run_batch as run
    from extractors.options import IngestOptions

    return run(Path(input_dir), Path(out_dir), options or IngestOptions(), **settings)


def validate(extracted: "Document | dict | str | Path", golden: "dict | str | Path") -> "Report":
    """Field-by-field score of a Document (or its JSON, or a path to it) against a golden file."""
    import json

    from extractors.validation import compare_records, golden_for, records_of

    def load(value):
        if isinstance(value, (str, Path)):
            return json.loads(Path(value).read_text(encoding="utf-8"))
        if hasattr(value, "model_dump"):
            return value.model_dump(mode="json")
        return value

    extracted = load(extracted)
    return compare_records(golden_for(load(golden), extracted), records_of(extracted))
