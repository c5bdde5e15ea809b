"""bilan's text layer written straight onto the pages of the original PDF with pikepdf (the
searchable PDF's own writer, `extractors.export.pdf`): an old invisible text layer is removed,
then the words are appended as one content stream in their own `q ... Q`, in the frame of the
page as displayed (its crop box, /Rotate and size), with the fonts of
`extractors.export.textlayer`.
"""
from __future__ import annotations

from extractors.export.layout import PageLayout
from extractors.export.textlayer import GlyphlessFonts, font_name, place_words, read_to_displayed, text_operators, used_fonts
from schemas import Page

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
INVISIBLE = 3  # text render mode: neither filled nor stroked


def _compose(first: tuple[float, ...], then: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying `first`, then `then` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def page_matrix(pdf_page, page: Page) -> tuple[float, ...]:
    """From bilan's frame of the page (y up) to the PDF page's user space."""
    x0, y0, x1, y1 = (float(v) for v in pdf_page.cropbox)
    rotate = int(pdf_page.obj.get("/Rotate", 0)) % 360
    width, height = page.width or (x1 - x0), page.height or (y1 - y0)
    shown_w, shown_h = (height, width) if page.rotation in (90, 270) else (width, height)
    pdf_w, pdf_h = (y1 - y0, x1 - x0) if rotate in (90, 270) else (x1 - x0, y1 - y0)
    matrix = read_to_displayed(page.rotation, width, height)
    matrix = _compose(matrix, (pdf_w / shown_w, 0, 0, pdf_h / shown_h, 0, 0))
    matrix = _compose(matrix, read_to_displayed(rotate, pdf_w, pdf_h))
    return _compose(matrix, (1, 0, 0, 1, x0, y0))


def _strip_operators(operations, resources, pdf, seen: dict) -> tuple[list, bool]:
    """Text shown in render mode 3 taken out of a content stream (and of the forms it draws);
    other operators are kept as they are, and `'`/`"` keep their line moves."""
    import pikepdf
    from pikepdf import Name, Operator

    kept, changed = [], False
    mode, stack = 0, []
    for item in operations:
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            kept.append(item)
            continue
        operands, operator = item.operands, item.operator
        op = str(operator)
        if op == "q":
            stack.append(mode)
        elif op == "Q":
            mode = stack.pop() if stack else 0
        elif op == "Tr" and operands:
            mode = int(operands[0])
        elif op in TEXT_SHOWING and mode == INVISIBLE:
            changed = True
            if op == "'":
                kept.append(pikepdf.ContentStreamInstruction([], Operator("T*")))
            elif op == '"':
                kept.append(pikepdf.ContentStreamInstruction([operands[0]], Operator("Tw")))
                kept.append(pikepdf.ContentStreamInstruction([operands[1]], Operator("Tc")))
                kept.append(pikepdf.ContentStreamInstruction([], Operator("T*")))
            continue
        elif op == "Do" and operands and resources is not None:
            xobjects = resources.get(Name.XObject)
            form = xobjects.get(operands[0]) if xobjects is not None else None
            if form is not None and form.get(Name.Subtype) == Name.Form:
                replacement = _stripped_form(form, pdf, seen)
                if replacement is not None:
                    new_name = Name(f"{operands[0]}_bilan")
                    xobjects[new_name] = replacement
                    kept.append(pikepdf.ContentStreamInstruction([new_name], operator))
                    changed = True
                    continue
        kept.append(item)
    return kept, changed


def _stripped_form(form, pdf, seen: dict):
    """A copy of a form XObject without its invisible text, or None when it has none. The copy is
    new, since the form may be drawn on pages that keep their text."""
    import pikepdf
    from pikepdf import Name

    key = form.objgen
    if key not in seen:
        seen[key] = None  # a form drawing itself is left alone
        operations = pikepdf.parse_content_stream(form)
        kept, changed = _strip_operators(operations, form.get(Name.Resources), pdf, seen)
        if changed:
            copy = pdf.make_stream(pikepdf.unparse_content_stream(kept))
            for k, v in form.items():
                if k not in ("/Length", "/Filter", "/DecodeParms"):
                    copy[k] = v
            seen[key] = copy
    return seen[key]


def strip_invisible_text(pdf, pdf_page) -> None:
    """Remove the page's old invisible text layer (an earlier OCR's), wherever it is drawn from."""
    import pikepdf

    operations = pikepdf.parse_content_stream(pdf_page)
    kept, changed = _strip_operators(operations, pdf_page.obj.get("/Resources"), pdf, {})
    if changed:
        pdf_page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))


def add_text_layer(pdf, pdf_page, page: Page, layout: PageLayout, fonts: GlyphlessFonts) -> None:
    """Append bilan's words to the page, invisible, each at its box."""
    from pikepdf import Dictionary, Name

    lines = place_words(page, layout, single_font=False)
    if not lines:
        return
    if Name.Resources not in pdf_page.obj:
        pdf_page.obj.Resources = Dictionary()
    resources = pdf_page.obj.Resources
    if Name.Font not in resources:
        resources.Font = Dictionary()
    for metrics in used_fonts(lines):
        resources.Font[Name(font_name(metrics, single_font=False))] = fonts.get(metrics)
    matrix = " ".join(f"{v:.6f}" for v in page_matrix(pdf_page, page))
    body = text_operators(lines, page.height or 0, single_font=False)
    pdf_page.contents_coalesce()
    pdf_page.contents_add(pdf.make_stream(f"q\n{matrix} cm\n{body}\nQ\n".encode()), prepend=False)
    # the page's own content may leave the graphics state changed: wrap it so the layer starts clean
    pdf_page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    contents = pdf_page.obj.Contents
    contents.insert(len(contents) - 1, pdf.make_stream(b"\nQ\n"))
