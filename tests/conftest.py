"""Shared paths and helpers. Real inputs only: what is committed to the repository, and the
shared datasets at ../shared when they are there.

Imported one way everywhere: `from tests.conftest import ...`.

Two kinds of input, two rules:
* committed files (corpus/, corpus/seeds/, tests/data/, golden/): a missing one is a broken
  checkout, so the test fails (`committed`, `seed`, `data_file`), never skips;
* the shared datasets (../shared, or $BILAN_SHARED): a user's clone has none. Tests that read them
  are marked `@pytest.mark.shared` and skip with a reason when the folder is absent; `shared_file`
  fails a test that reads them without the mark, so `pytest -m "not shared"` with the folder hidden
  (what `make test` runs first) proves the default suite needs nothing outside the repository.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = CORPUS / "seeds"  # byte copies of ../shared/seeds (corpus/README.md)
DATA = ROOT / "tests" / "data"  # small real files from public test suites (tests/data/README.md)
# BILAN_SHARED=/nonexistent hides the shared datasets, as in a user's clone.
SHARED = Path(os.environ.get("BILAN_SHARED") or ROOT.parent / "shared")
REAL_PDFS = SHARED / "datasets" / "real-pdfs"
ICDAR_TABLES = SHARED / "datasets" / "icdar2013-tables"
ICDAR_POSTOCR = SHARED / "datasets" / "icdar-postocr-fr"
BILAN = Path(sys.executable).parent / "bilan"

# One single-threaded Tesseract per core (OpenMP threads would oversubscribe two cores).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

_current: dict[str, pytest.Item] = {}


def pytest_runtest_setup(item: pytest.Item) -> None:
    _current["item"] = item
    if item.get_closest_marker("shared") and not SHARED.is_dir():
        pytest.skip(f"needs the shared datasets, absent at {SHARED}")


def committed(path: Path) -> Path:
    """A file committed to git: missing means a broken checkout, a failure."""
    if not path.exists():
        pytest.fail(f"{path} is committed to the repository but missing")
    return path


def seed(prefix: str) -> Path:
    """corpus/seeds/<prefix>_*.txt (committed)."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.fail(f"seed {prefix} is committed under {SEEDS} but missing")
    return matches[0]


def data_file(name: str) -> Path:
    """tests/data/<name> (committed)."""
    return committed(DATA / name)


def shared_file(path: Path) -> Path:
    """A file of the shared datasets; only for tests marked `shared` (skipped when absent)."""
    item = _current.get("item")
    if item is None or not item.get_closest_marker("shared"):
        pytest.fail(f"reads {path} from the shared datasets but is not marked @pytest.mark.shared")
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def run_bilan(*args: str, cwd: Path = ROOT, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(BILAN), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          **kwargs)
