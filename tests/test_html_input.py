from extractors.pipeline import file_to_document

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Plan d'action</title>
<style>p{color:red}</style></head><body>
<nav><ol><li><a href="/">Accueil</a></li><li>Publications</li></ol></nav>
<main><h1>Plan d’action 2021-2023</h1>
<p>Le plan est coordonné par le <strong>ministère</strong> de l’<em>Immigration</em>,<br>de la Francisation.</p>
<h2>Mesure 1</h2>
<ul><li>Action 1.1 : informer les personnes (MIFI)
      <ol><li>Sous-action détaillée</li></ol></li>
    <li>Action 1.2 : outiller les ordres (OPQ)</li></ul>
<table><thead><tr><th>Axe</th><th>Échéance</th></tr></thead>
<tbody><tr><td>Information</td><td>2023</td></tr><tr><td>Reconnaissance<br>des compétences</td><td>2024</td></tr></tbody></table>
<!-- commentaire invisible -->
</main><footer>© Gouvernement du Québec</footer><script>var x = "invisible";</script></body></html>"""


def test_html_keeps_headings_lists_tables_and_drops_chrome(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    document = file_to_document(path)
    assert document.status == "success" and document.source.kind == "html"
    blocks = document.pages[0].blocks
    assert [(b.kind, b.level) for b in blocks] == [
        ("heading", 1), ("paragraph", None), ("heading", 2),
        ("list_item", 1), ("list_item", 2), ("list_item", 1), ("table", None),
    ]
    assert blocks[1].text == "Le plan est coordonné par le ministère de l’Immigration, de la Francisation."
    assert blocks[4].text == "Sous-action détaillée"
    assert [b.ordered for b in blocks if b.kind == "list_item"] == [False, True, False]
    assert blocks[6].rows == [["Axe", "Échéance"], ["Information", "2023"], ["Reconnaissance des compétences", "2024"]]
    text = document.pages[0].text
    for chrome in ("Accueil", "invisible", "Gouvernement", "color"):
        assert chrome not in text
    # every block points at its lines, and a table has one line per row
    assert [document.pages[0].lines[i].text for i in blocks[6].line_ids][1] == "Information | 2023"


def test_html_in_latin1_declared_by_meta(tmp_path):
    path = tmp_path / "ancien.htm"
    path.write_bytes('<html><head><meta charset="iso-8859-1"></head><body><p>Ministère de l\'Éducation</p></body></html>'.encode("latin-1"))
    document = file_to_document(path)
    assert document.pages[0].blocks[0].text == "Ministère de l'Éducation"


def test_html_without_visible_text_fails_cleanly(tmp_path):
    path = tmp_path / "vide.html"
    path.write_text("<html><body><script>1</script><nav>menu</nav></body></html>", encoding="utf-8")
    document = file_to_document(path)
    assert document.status == "failed"
    assert "no visible text" in document.errors[0].message
