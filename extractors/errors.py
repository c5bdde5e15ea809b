"""Typed exceptions raised by the library, and the exit codes the CLI turns them into.

Each error names the file and says what is wrong in one line; `exit_code` is the documented
code the CLI exits with. `ExitCode` is the one list of codes: the README's table is checked
against it (tests/test_cli_bad_input.py).
"""
from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes of `bilan`, each with the meaning the README gives it."""

    meaning: str

    def __new__(cls, value: int, meaning: str):
        member = int.__new__(cls, value)
        member._value_ = value
        member.meaning = meaning
        return member

    OK = 0, "success (or skipped by choice, e.g. an image under `--ocr never`)"
    INTERNAL_ERROR = 1, "internal error (a bug: `BILAN_DEBUG=1` shows the traceback)"
    BAD_USAGE = 2, "bad usage or option (e.g. `--pages 5-3`, an SQL error in `bilan query`)"
    INPUT_NOT_FOUND = 3, "input not found (a file, a folder, a dataset)"
    UNSUPPORTED_INPUT = 4, "unsupported input: empty file, binary data, a non-PDF named `.pdf`, a folder, a FIFO"
    CORRUPT_INPUT = 5, "corrupt, truncated or unreadable file"
    ENCRYPTED_PDF = 6, "encrypted PDF without the right `--password`"
    EMPTY_DOCUMENT = 7, "empty document (a PDF with zero pages)"
    INPUT_TOO_LARGE = 8, ("input too large: an image or page over 100 megapixels, more pages than `--max-pages`, "
                          "a JSON above `--max-output-mb`")
    OUTPUT_ERROR = 9, "output not writable (disk full, no permission); the previous outputs are kept"
    PARTIAL = 10, "partial result: some pages failed; the JSON is written with `status: partial` and `errors`"
    OCR_UNAVAILABLE = 11, "Tesseract or the requested language data is missing (or OCRmyPDF, for `bilan export --to pdf`)"
    FAILED = 12, ("nothing could be extracted; the JSON is written with `status: failed` "
                  "(for `batch`: some document failed)")
    LEXICON_UNAVAILABLE = 13, "the French lexicon for repair is unavailable (`hunspell-fr` or `wordfreq` missing)"
    BELOW_THRESHOLD = 14, "`bilan validate`: field F1 below `--min-f1`"
    INTERRUPTED = 130, ("interrupted (Ctrl-C or SIGTERM); a batch continues where it stopped with `--resume`")


class BilanError(Exception):
    exit_code = ExitCode.INTERNAL_ERROR

    def __init__(self, path: str | Path | None, problem: str):
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


class InputNotFound(BilanError):
    exit_code = ExitCode.INPUT_NOT_FOUND


class UnsupportedInput(BilanError):
    """The bytes are not a kind bilan reads (e.g. a non-PDF named .pdf, a binary blob)."""

    exit_code = ExitCode.UNSUPPORTED_INPUT


class CorruptInput(BilanError):
    """Unreadable or truncated file of a supported kind."""

    exit_code = ExitCode.CORRUPT_INPUT


class EncryptedPDF(BilanError):
    exit_code = ExitCode.ENCRYPTED_PDF


class EmptyDocument(BilanError):
    """Zero pages, or nothing readable on any page."""

    exit_code = ExitCode.EMPTY_DOCUMENT


class InputTooLarge(BilanError):
    """An image or page above the pixel limit (decompression-bomb guard)."""

    exit_code = ExitCode.INPUT_TOO_LARGE


class OutputError(BilanError):
    exit_code = ExitCode.OUTPUT_ERROR


class OCRUnavailable(BilanError):
    """Tesseract or the requested language data is missing."""

    exit_code = ExitCode.OCR_UNAVAILABLE


class ExportUnavailable(BilanError):
    """An export format needs an optional package that is not installed (the searchable PDF needs
    OCRmyPDF: `pip install 'bilan[pdf]'`). Exit code 11, like a missing OCR engine."""

    exit_code = ExitCode.OCR_UNAVAILABLE


class BadOption(BilanError):
    exit_code = ExitCode.BAD_USAGE


class LexiconUnavailable(BilanError):
    """The French lexicon that OCR-damage repair needs cannot be built: the Debian package
    hunspell-fr (/usr/share/hunspell/fr.dic, fr.aff) or the Python package wordfreq is missing."""

    exit_code = ExitCode.LEXICON_UNAVAILABLE
