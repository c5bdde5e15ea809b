"""Archival outputs of a Document: a searchable PDF of the original pages with the repaired words
as its text layer, ALTO 4, hOCR, Markdown, plain text, and every table as CSV.

`dispatch.export_document(document, fmt, target)` writes one format; `bilan export` and
`bilan batch --export` call it. One module per format (pdf with its OCRmyPDF plugin, alto,
hocr, markdown, text, tables), `layout` for the reading order they share.
"""
