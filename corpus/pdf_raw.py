"""A minimal PDF writer for scanned pages: each page shows one grey JPEG over the whole page.

Shared by corpus/make_corpus.py and tests/plans/make_unseen_plans.py. Written by hand (no
reportlab) so the bytes depend only on the JPEGs: no fonts, no resources, no dates.
"""


def raw_pdf(pages):
    """A minimal PDF written by hand: each page (width_pt, height_pt, jpeg or None,
    (px_w, px_h)) shows its grey JPEG over the whole page.  No fonts, no text."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    kids = []
    num = 3
    for w, h, jpeg, pixels in pages:
        page, content, image = num, num + 1, num + 2
        num += 3 if jpeg else 2
        kids.append(b"%d 0 R" % page)
        box = b"[0 0 %s %s]" % (_num(w), _num(h))
        if jpeg:
            draw = b"q %s 0 0 %s 0 0 cm /Im0 Do Q\n" % (_num(w), _num(h))
            objects[image] = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
                              b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode "
                              b"/Length %d >>\nstream\n" % (pixels[0], pixels[1], len(jpeg))
                              + jpeg + b"\nendstream")
            resources = b"<< /XObject << /Im0 %d 0 R >> >>" % image
        else:
            draw, resources = b"", b"<< >>"
        objects[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources %s "
                         b"/Contents %d 0 R >>" % (box, resources, content))
        objects[content] = b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return _serialise(objects)


def _num(x):
    return (b"%.3f" % x).rstrip(b"0").rstrip(b".")


def _serialise(objects):
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
