"""OCR with Tesseract: page images, the engine, bold from ink, the worker pool, page jobs, rulings of scans."""
