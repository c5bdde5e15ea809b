"""bilan's pipeline stages, one module per stage.

Ingestion: `ingest.file_to_document` dispatches to `pdf_input`, `image_input`, `html_input`,
`text_input`, each returning a `schemas.Document`.
"""
__version__ = "0.1.0"
