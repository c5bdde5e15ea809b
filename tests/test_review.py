"""bilan review without a browser: the files of the site, the data they carry, golden marks, repairs
placed on their words, escaping, bad input. The browser side is tests/test_review_browser.py."""
from __future__ import annotations

import json
import re

import pytest

import extractors
from extractors.review.images import PAGE_DPI
from extractors.review.marks import golden_marks
from extractors.review.site import build_review, safe_json
from extractors.review.view import golden_records, record_forms, repairs_by_word
from extractors.validation import compare_records
from schemas import Document, Records
from tests.conftest import CORPUS, ROOT, run_bilan
from tests.markup_pdf import IMAGE, SCRIPT, write_markup_pdf

GOLDEN_004 = ROOT / "golden" / "004_advice.json"


def js_payload(path) -> list:
    """The arguments of the call a data file makes (BilanReview.document(...) or .page(n, ...))."""
    text = path.read_text(encoding="utf-8")
    match = re.fullmatch(r"BilanReview\.(?:document|page)\((.*)\);\n", text, re.S)
    assert match, text[:200]
    return json.loads(f"[{match.group(1)}]")


@pytest.fixture(scope="module")
def advice(tmp_path_factory):
    """corpus/004_avis.pdf extracted (born-digital: recommendations, stat tables, one flagged)."""
    folder = tmp_path_factory.mktemp("advice")
    path = folder / "004_avis.json"
    path.write_text(extractors.extract(CORPUS / "004_avis.pdf").model_dump_json(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def legacy_repaired():
    """The damaged legacy-OCR text layer of corpus/000_legacy_ocr.pdf (pages 1-4), repaired as bilan
    repairs OCR'd pages. (`bilan extract` OCRs these pages again, which takes minutes; the repair
    stage and the boxes are the same.)"""
    from extractors.repair.stage import repair_document

    document = extractors.extract(CORPUS / "000_legacy_ocr.pdf", ocr="never", pages="1-4")
    as_ocr = document.model_copy(update={"pages": [p.model_copy(update={"origin": "ocr"}) for p in document.pages]})
    return repair_document(as_ocr)


def test_site_files_and_page_data(advice, tmp_path):
    out = tmp_path / "review"
    summary = build_review(advice, out)
    document = Document.model_validate_json(advice.read_text(encoding="utf-8"))
    (row,) = summary.rows
    # 6 recommendations, 2 stat tables and 35 statistics (golden/004_advice.json), nothing else
    kinds = {kind: len(getattr(document.records, kind)) for kind in type(document.records).model_fields}
    assert {k: n for k, n in kinds.items() if n} == {"recommendations": 6, "tables": 2, "statistics": 35}
    flagged = sum(r.flagged for kind in kinds for r in getattr(document.records, kind))
    assert (row.pages, row.records, row.flagged) == (13, 43, flagged) and flagged <= 3
    assert summary.rendered == 13 and not summary.without_image
    for name in ("index.html", "static/review.js", "static/records.js", "static/index.js", "static/review.css",
                 f"documents/{row.slug}.html", f"data/{row.slug}/document.js"):
        assert (out / name).is_file(), name
    (view,) = js_payload(out / "data" / row.slug / "document.js")
    assert [r["fields"] for r in view["records"] if r["kind"] == "recommendations"] == golden_records(document)["recommendations"]
    from PIL import Image

    for page in document.pages:
        number, data = js_payload(out / "data" / row.slug / f"p{page.number:04d}.js")
        assert number == page.number
        assert [w[0] for w in data["words"]] == [w.text for w in page.words]
        assert [tuple(w[1]) for w in data["words"]] == [w.bbox for w in page.words]
        info = view["pages"][page.number - 1]
        with Image.open(out / info["image"]) as image:  # the image has the page's proportions at PAGE_DPI
            assert abs(image.width - page.width * PAGE_DPI / 72) <= 1 and abs(image.height - page.height * PAGE_DPI / 72) <= 1
    # The tables of the page (Document.tables): page 9's table of 6 rows.
    _, page9 = js_payload(out / "data" / row.slug / "p0009.js")
    assert page9["tables"] and len({c["row"] for c in page9["cells"]}) >= 6
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="documents/{row.slug}.html"' in index and "004_avis" in index


def test_page_images_are_rendered_once(advice, tmp_path):
    out = tmp_path / "review"
    first = build_review(advice, out)
    image = out / js_payload(out / "data" / first.rows[0].slug / "document.js")[0]["pages"][0]["image"]
    stamp = image.stat().st_mtime_ns
    second = build_review(advice, out)
    assert (second.rendered, second.reused) == (0, 13)
    assert image.stat().st_mtime_ns == stamp


def test_golden_marks_are_the_validators(advice):
    """An edited golden: the edited field is marked on its record, a golden record nothing pairs with
    is listed as missing, and the F1 shown is bilan validate's."""
    extracted = golden_records(Document.model_validate_json(advice.read_text(encoding="utf-8")))
    golden = json.loads(GOLDEN_004.read_text(encoding="utf-8"))
    untouched = golden_marks(extracted, golden)
    assert not any(m["differs"] for m in untouched["records"]["recommendations"])
    golden["records"]["recommendations"][2]["title"] = "Un titre que personne n'a imprimé"
    golden["records"]["recommendations"].append({"id": "5.9", "title": "Une recommandation oubliée", "items": [], "page": 13})
    marks = golden_marks(extracted, golden)
    recommendation_3 = next(i for i, r in enumerate(extracted["recommendations"]) if r["id"] == golden["records"]["recommendations"][2]["id"])
    assert marks["records"]["recommendations"][recommendation_3]["differs"] == {"title": "Un titre que personne n'a imprimé"}
    assert [r["id"] for r in marks["missing"]["recommendations"]] == ["5.9"]
    assert marks["f1"] == round(compare_records(golden["records"], extracted).total.f1, 4) < untouched["f1"]


def test_every_repair_lands_on_the_word_it_changed(legacy_repaired):
    placed_count = 0
    for page in legacy_repaired.pages:
        repairs = [r for r in legacy_repaired.repairs if r.page == page.number]
        placed, unplaced = repairs_by_word(page, repairs)
        assert not unplaced, unplaced
        for index, changes in placed.items():
            word = page.words[index]
            assert word.original is not None and word.bbox is not None
            for change in changes:
                assert change.before.split("\n")[0] in word.original and change.after.split("\n")[0] in word.text
        placed_count += sum(len(c) for c in placed.values())
    assert placed_count == len(legacy_repaired.repairs) > 100


def test_forms_follow_the_record_schema():
    """Every field of every record kind is editable, except those the golden format leaves out."""
    forms = record_forms()
    assert list(forms) == list(Records.model_fields)
    measure = {f["name"]: f for f in forms["measures"]}
    assert "provenance" not in measure and "confidence" not in measure and "flagged" not in measure
    assert measure["title"]["type"] == "text" and measure["lead"]["type"] == "texts"
    assert measure["progress_percent"]["type"] == "number"
    assert [f["name"] for f in measure["indicators"]["fields"]] == ["text", "target", "deadline"]


def test_document_text_never_reaches_the_html_raw(tmp_path):
    pdf = write_markup_pdf(tmp_path / "markup.pdf")
    path = tmp_path / "markup.json"
    path.write_text(extractors.extract(pdf).model_dump_json(), encoding="utf-8")
    assert SCRIPT in path.read_text(encoding="utf-8")  # the markup is in the extraction...
    out = tmp_path / "review"
    build_review(path, out)
    for file in out.rglob("*"):
        if file.suffix in (".html", ".js") and "static" not in file.parts:
            text = file.read_text(encoding="utf-8")
            assert "<script>alert" not in text and "<img src=x" not in text and "</textarea>" not in text, file
    assert json.loads(safe_json(f"{SCRIPT}{IMAGE}\u2028&")) == f"{SCRIPT}{IMAGE}\u2028&"


def test_static_scripts_never_parse_text_as_html():
    for script in (ROOT / "extractors" / "review" / "static").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in text, f"{script.name} uses {sink}"


def test_batch_folder_with_a_bad_file(advice, tmp_path):
    batch = tmp_path / "out"
    (batch / "documents" / "sub").mkdir(parents=True)
    (batch / "documents" / "sub" / "004_avis.pdf.json").write_text(advice.read_text(encoding="utf-8"), encoding="utf-8")
    (batch / "documents" / "broken.pdf.json").write_text('{"source": ', encoding="utf-8")
    result = run_bilan("review", batch)
    assert result.returncode == 0, result.stderr
    assert "broken.pdf: not reviewed: not JSON" in result.stderr
    assert result.stdout.startswith("1 documents (13 pages)") and "1 files not reviewed" in result.stdout
    index = (batch / "review" / "index.html").read_text(encoding="utf-8")
    assert "sub/004_avis.pdf" in index and "broken.pdf" in index and "unreadable" in index


@pytest.mark.parametrize("make, words, code", [
    (lambda d: d / "absent.json", ["no such file"], 3),
    (lambda d: d, ["documents/"], 4),
    (lambda d: (d / "x.json").write_text("{", encoding="utf-8") and d / "x.json", ["not json"], 5),
    (lambda d: (d / "y.json").write_text('{"a": 1}', encoding="utf-8") and d / "y.json", ["not a `bilan extract` document"], 4),
])
def test_bad_input_is_one_line(tmp_path, make, words, code):
    path = make(tmp_path)
    result = run_bilan("review", path, "-o", tmp_path / "site")
    assert result.returncode == code, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"bilan: {path}") and all(w in line.lower() for w in words), line


def test_moved_source_pages_shown_without_images(advice, tmp_path):
    document = Document.model_validate_json(advice.read_text(encoding="utf-8"))
    moved = document.model_copy(update={"source": document.source.model_copy(update={"path": "gone/004_avis.pdf"})})
    path = tmp_path / "moved.json"
    path.write_text(moved.model_dump_json(), encoding="utf-8")
    summary = build_review(path, tmp_path / "site")
    assert summary.rendered == 0 and len(summary.without_image) == 13
    assert {why for _, _, why in summary.without_image} == {"source file not found"}
    found = build_review(path, tmp_path / "site2", sources=CORPUS)  # --sources: looked up by name
    assert found.rendered == 13


def test_a_turned_scan_is_shown_upright(tmp_path):
    """A page OCR'd after turning it (Page.rotation 90) is drawn turned the same way, so its words,
    whose boxes are upright, land on it: the image equals the upright rendering of the scan."""
    import numpy as np
    import pypdfium2 as pdfium

    from extractors.review.images import page_images
    from schemas import Page, Source

    with pdfium.PdfDocument(str(CORPUS / "001_plan_scan.pdf")) as pdf:
        width, height = pdf[1].get_size()
        upright = pdf[1].render(scale=PAGE_DPI / 72).to_pil().convert("L")
    sideways = tmp_path / "sideways.png"
    upright.rotate(90, expand=True, fillcolor=255).save(sideways, dpi=(PAGE_DPI, PAGE_DPI))  # turned counter-clockwise
    page = Page(number=1, width=width, height=height, rotation=90, origin="ocr")
    document = Document(source=Source(path=str(sideways), sha256="0" * 64, kind="image", page_count=1), pages=[page], status="success")
    (image,) = page_images(tmp_path / "site", document, sideways).values()
    from PIL import Image

    with Image.open(tmp_path / "site" / image.name) as shown:
        assert shown.size == upright.size
        difference = np.abs(np.asarray(shown.convert("L"), dtype=float) - np.asarray(upright, dtype=float))
    assert difference.mean() < 4  # JPEG noise only; a wrong turn differs by tens
