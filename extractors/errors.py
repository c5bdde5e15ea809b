"""Typed exceptions raised by the library. Only the CLI turns them into exit codes and messages.

Each error names the file and says what is wrong in one line; `exit_code` is the documented
code the CLI exits with (see README, "Exit codes").
"""
from __future__ import annotations

from pathlib import Path


class BilanError(Exception):
    exit_code = 1

    def __init__(self, path: str | Path | None, problem: str):
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


class InputNotFound(BilanError):
    exit_code = 3


class UnsupportedInput(BilanError):
    """The bytes are not a kind bilan reads (e.g. a non-PDF named .pdf, a binary blob)."""

    exit_code = 4


class CorruptInput(BilanError):
    """Unreadable or truncated file of a supported kind."""

    exit_code = 5


class EncryptedPDF(BilanError):
    exit_code = 6


class EmptyDocument(BilanError):
    """Zero pages, or nothing readable on any page."""

    exit_code = 7


class InputTooLarge(BilanError):
    """An image or page above the pixel limit (decompression-bomb guard)."""

    exit_code = 8


class OutputError(BilanError):
    exit_code = 9


class OCRUnavailable(BilanError):
    """Tesseract or the requested language data is missing."""

    exit_code = 11


class ExportUnavailable(BilanError):
    """An export format needs an optional package that is not installed (the searchable PDF needs
    OCRmyPDF: `pip install 'bilan[pdf]'`). Exit code 11, like a missing OCR engine."""

    exit_code = 11


class BadOption(BilanError):
    exit_code = 2


class LexiconUnavailable(BilanError):
    """The French lexicon that OCR-damage repair needs cannot be built: the Debian package
    hunspell-fr (/usr/share/hunspell/fr.dic, fr.aff) or the Python package wordfreq is missing.
    Exit code 13."""

    exit_code = 13
