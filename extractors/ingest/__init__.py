"""Ingestion: any supported file (PDF, image, HTML, text dump) read into a `schemas.Document`, pages triaged."""
