from extractors.pipeline import file_to_document
from extractors.options import IngestOptions
from tests.conftest import seed


def test_seed_000_dump_keeps_every_line_as_is():
    path = seed("000")
    raw = path.read_text(encoding="utf-8")
    document = file_to_document(path, IngestOptions(repair=False))
    assert document.status == "success"
    assert document.source.kind == "text"
    assert len(document.pages) == 1 and document.pages[0].origin == "text"
    # Lines as they are: damaged OCR stays damaged at ingestion (repair is a later stage).
    assert document.pages[0].text == raw.rstrip("\n")
    assert any(w.text == "ministére" for w in document.pages[0].words)
    assert all(w.bbox is None and w.origin == "text" for w in document.pages[0].words)
    assert document.repairs == []


def test_legacy_dump_is_repaired_with_originals_kept():
    document = file_to_document(seed("000"))
    words = document.pages[0].words
    repaired = [w for w in words if w.original is not None]
    assert ("ministère", "ministére") in {(w.text, w.original) for w in repaired}
    assert len(document.repairs) >= len(repaired) > 100
    # every repaired word is explained by a change at its page
    assert {r.page for r in document.repairs} == {1}
    assert not any(w.original == w.text for w in repaired)


def test_form_feeds_split_pages_and_pages_option_selects(tmp_path):
    dump = tmp_path / "dump.txt"
    dump.write_text("Page un\nligne deux\fPage deux\fPage trois\n\f", encoding="utf-8")
    document = file_to_document(dump)
    assert [p.number for p in document.pages] == [1, 2, 3]
    assert document.source.page_count == 3
    assert document.pages[0].lines[1].text == "ligne deux"
    chosen = file_to_document(dump, IngestOptions(pages="2-"))
    assert [p.number for p in chosen.pages] == [2, 3]
    assert chosen.pages[0].text == "Page deux"


def test_word_ids_point_at_the_line_words():
    document = file_to_document(seed("001"))
    page = document.pages[0]
    for line in page.lines[:50]:
        assert " ".join(page.words[i].text for i in line.word_ids) == " ".join(line.text.split())


def test_cp1252_dump_is_decoded_with_a_warning(tmp_path):
    dump = tmp_path / "vieux.txt"
    dump.write_bytes("Le ministère de l’Éducation à Québec".encode("cp1252"))
    document = file_to_document(dump)
    assert document.status == "success"
    assert document.pages[0].text == "Le ministère de l’Éducation à Québec"
    assert [(e.stage, e.level) for e in document.errors] == [("decode", "warning")]
