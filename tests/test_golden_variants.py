"""End to end, as a user runs it: `bilan extract` then `bilan validate --min-f1 0.95`, for every
input variant that each golden file lists (text dump, HTML, born-digital PDF, scanned PDF)."""
import json

import pytest

from tests.conftest import CORPUS, ROOT, run_bilan

GOLDEN = ROOT / "golden"
# Variants known to stay under the target (strict xfail, so reaching it shows). None today: seed
# 000 as flattened text, whose annex columns are interleaved, scores 0.973 since records_annex.
KNOWN_SHORT: set[tuple[str, str]] = set()


def variants():
    for golden in sorted(GOLDEN.glob("*.json")):
        for variant in json.loads(golden.read_text(encoding="utf-8"))["variants"]:
            marks = []
            if variant.endswith("_scan.pdf") or variant.endswith("_legacy_ocr.pdf"):
                marks.append(pytest.mark.ocr)
            if (golden.name, variant) in KNOWN_SHORT:
                marks.append(pytest.mark.xfail(strict=True, reason="flattened annex table: columns interleaved in the text"))
            yield pytest.param(golden, variant, marks=marks, id=f"{golden.stem}:{variant}")


@pytest.mark.parametrize("golden, variant", list(variants()))
def test_variant_reaches_f1_target(golden, variant, tmp_path):
    out = tmp_path / "out.json"
    extracted = run_bilan("extract", CORPUS / variant, "-o", out)
    assert extracted.returncode == 0, extracted.stderr
    validated = run_bilan("validate", out, "--golden", golden, "--min-f1", "0.95", "--json")
    scores = json.loads(validated.stdout)
    assert validated.returncode == 0, f"F1 {scores['f1']:.3f}: {validated.stderr}"
