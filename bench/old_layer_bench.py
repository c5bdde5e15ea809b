"""Old OCR layers with stripped accents: accent errors before and after, by re-OCR and by repair.

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/old_layer_bench.py          # about 5 minutes (OCR cached after)

The layers are SIMULATED (bench/old_layers.py: no real one could be found): each of the 49 scored
real scans of bench/scans.py gets a PDF made by bench/make_old_layers.py, the real page image under
an invisible layer made from its real transcription by the damage model (accents stripped, words
glued, digits for letters). Three texts are compared with the transcription, after
bench/scans.normalise (bag of words, extractors/repair/evaluate.bag_score):

* the layer as it is (what bilan gave before issue 10: triage trusted it, 0.4 % "damaged");
* `bilan extract PAGE.oldlayer.pdf` with its defaults (triage should send the page to OCR again);
* `bilan repair` of the layer's text (the re-accentuation a text dump without image gets).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_old_layers import OUT, make_pdf  # noqa: E402
from scans import normalise, require  # noqa: E402

from extractors.repair.evaluate import BagScore, bag_score  # noqa: E402
from extractors.repair.stage import repair_text  # noqa: E402

BILAN = Path(sys.executable).parent / "bilan"
CACHE = ROOT / "bench" / ".cache" / "oldlayers-extract"


def extract(pdf: Path) -> dict:
    """bilan's Document for one old-layer PDF (cached by the PDF's size and date)."""
    key = CACHE / f"{pdf.stem}.{pdf.stat().st_size}.{int(pdf.stat().st_mtime)}.json"
    if key.exists():
        return json.loads(key.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "doc.json"
        subprocess.run([str(BILAN), "extract", str(pdf), "-o", str(out), "--workers", "1"], check=True,
                       env={**os.environ, "OMP_THREAD_LIMIT": "1"}, capture_output=True)
        document = json.loads(out.read_text(encoding="utf-8"))
    CACHE.mkdir(parents=True, exist_ok=True)
    key.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return document


def main() -> int:
    import pypdfium2 as pdfium

    from extractors.ingest.triage import page_text

    pages = [p for p in require() if p.scored]
    layer_total, ocr_total, repair_total = BagScore(), BagScore(), BagScore()
    decisions: dict[str, int] = {}
    for page in pages:
        pdf = OUT / f"{page.name}.oldlayer.pdf"
        if not pdf.exists():
            OUT.mkdir(parents=True, exist_ok=True)
            make_pdf(page, OUT)
        with pdfium.PdfDocument(str(pdf)) as document:
            layer = page_text(document[0])
        extracted = extract(pdf)
        decision = extracted["pages"][0]["triage"]["decision"]
        decisions[decision] = decisions.get(decision, 0) + 1
        text = "\n".join(line["text"] for line in extracted["pages"][0]["lines"])
        gold = normalise(page.gold)
        scores = [bag_score(gold, normalise(t)) for t in (layer, text, repair_text(layer).text)]
        for total, score in zip((layer_total, ocr_total, repair_total), scores):
            total.add(score)
        print(f"  {page.name:26} triage {decision:10} accent errors {scores[0].accent_errors:3} -> "
              f"extract {scores[1].accent_errors:3}, repair {scores[2].accent_errors:3}", flush=True)
    print(f"SIMULATED old layers over {len(pages)} real scans ({layer_total.gold_words} gold words, "
          f"{layer_total.accented} accented); triage under --ocr auto: {decisions}")
    for name, total in (("layer as it is", layer_total), ("bilan extract (default)", ocr_total),
                        ("bilan repair of the layer", repair_total)):
        gone = 1 - total.accent_errors / layer_total.accent_errors if layer_total.accent_errors else 0.0
        print(f"  {name:28} accent errors {total.accent_errors:5} ({gone:6.1%} gone)  other word errors {total.word_errors:5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
