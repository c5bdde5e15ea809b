"""Shared paths. Real inputs only: the corpus in the repo and ../shared next to it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
REAL_PDFS = SHARED / "datasets" / "real-pdfs"
BILAN = Path(sys.executable).parent / "bilan"

# One single-threaded Tesseract per core (OpenMP threads would oversubscribe two cores).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def seed(prefix: str) -> Path:
    """../shared/seeds/<prefix>_*.txt; skips the test when the shared folder is absent."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return matches[0]


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def run_bilan(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(BILAN), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout)
