"""OCR-damage repair of French text: every change explained, the original kept."""
