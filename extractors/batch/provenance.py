"""What made a dataset: bilan's version, the programs, libraries and data its output depends on,
and the options. The same facts key the document cache (extractors.batch.run.settings_key): a new
Tesseract, other language data, another dictionary or another pdfium re-extracts every document,
and the `runs` table of the dataset says which ones made it.
"""
from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from extractors.ocr.engine import engine_identity
from extractors.options import IngestOptions
from extractors.version import __version__

# Python packages whose behaviour shapes the documents (reading, OCR image handling, repair ranking,
# HTML parsing, tables and validation of the models).
LIBRARIES = ("pypdfium2", "pdfplumber", "pdfminer.six", "Pillow", "numpy", "wordfreq", "rapidfuzz", "lxml",
             "beautifulsoup4", "pydantic")


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def library_versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


@lru_cache(maxsize=None)
def tesseract_facts(lang: str) -> dict:
    """Tesseract's version and a digest of each requested language's data file ("absent" when not
    installed: a batch under --ocr never, or of born-digital files, still runs)."""
    try:
        done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False, timeout=30)
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return {"tesseract": "absent", "tessdata": {}}
    lines = (done.stdout or done.stderr).splitlines()
    tesseract = lines[0].strip() if lines else "unknown"
    # 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):'
    header = listed.stdout.splitlines()[0] if listed.stdout else ""
    folder = Path(header.split('"')[1]) if header.count('"') >= 2 else None
    data = {}
    for code in [*lang.split("+"), "osd"]:
        path = folder / f"{code}.traineddata" if folder else None
        data[code] = file_digest(path) if path is not None and path.is_file() else "absent"
    return {"tesseract": tesseract, "tessdata": data}


@lru_cache(maxsize=None)
def dictionary_facts() -> dict:
    """The French hunspell dictionary behind repair: a digest of its two files."""
    from extractors.errors import LexiconUnavailable
    from extractors.french.lexicon import find_hunspell

    try:
        dic, aff = find_hunspell()
    except LexiconUnavailable:
        return {"hunspell_fr": "absent"}
    return {"hunspell_fr": f"{file_digest(dic)}+{file_digest(aff)}"}


def environment(options: IngestOptions) -> dict:
    """Everything besides a file's bytes that decides its Document."""
    return {
        "bilan": __version__,
        "python": platform.python_version(),
        **tesseract_facts(options.lang),
        "ocr_engine": engine_identity(),  # the library's Tesseract may read other words than the CLI's
        **dictionary_facts(),
        "libraries": library_versions(),
        "options": output_options(options),
    }


def output_options(options: IngestOptions) -> dict:
    """The options that change what a document's JSON holds (not workers: same output either way;
    not pages or password: a batch reads whole files)."""
    return options.model_dump(exclude={"workers", "pages", "password"})


def settings_digest(facts: dict) -> str:
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:16]
