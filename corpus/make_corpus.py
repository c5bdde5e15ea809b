"""Build the bilan test corpus from the five seed texts in ../shared/seeds/.

    python corpus/make_corpus.py          (from the project root)

Deterministic: every run writes byte-identical files (reportlab invariant mode, fixed
random seeds, no timestamps).  Outputs, all in corpus/:

  seeds/*.txt              copies of the seed texts
  000_restored.txt         seed 000 with its OCR damage repaired through the hand-written
                           table 000_restorations.tsv (same tokens, same order)
  *_report/_plan/_communiques/_avis.pdf   born-digital PDFs (reportlab platypus)
  001_page.html            seed 001 as a ministry web page
  *_scan.pdf               image-only "office scan" of each born-digital PDF
  000_legacy_ocr.pdf       scan of 000_report.pdf + invisible text layer holding the
                           ORIGINAL damaged OCR words
  bad/*                    small malformed inputs
  manifest.json            every file with kind, variant, origin, sha256, pages, licence

Hand-curated inputs: 000_restorations.tsv, 000_annex.json, corpus_data.py.
"""
import sys

sys.dont_write_bytecode = True  # keep corpus/ free of __pycache__

import hashlib
import io
import json
import random
import re
import shutil
import time
import zlib
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

import corpus_data as D
import corpus_typeset as T
from pdf_raw import _serialise, raw_pdf

HERE = Path(__file__).resolve().parent          # corpus/
ROOT = HERE.parent                              # project root
SEEDS = ROOT / D.SEED_DIR

SCAN_DPI = 300
JPEG_QUALITY = 60     # with BLUR_RADIUS, keeps the whole corpus under ~30 MB
BLUR_RADIUS = 0.7
LICENCE_SEED = "© Gouvernement du Québec; used for testing"
LICENCE_SYNTH = "generated for this project; no third-party content"

BORN_DIGITAL = {  # output name -> (seed key, builder description)
    "000_report.pdf": "000",
    "001_plan.pdf": "001",
    "002_plan.pdf": "002",
    "003_communiques.pdf": "003",
    "004_avis.pdf": "004",
}


def stable_seed(*parts):
    """A random seed that does not depend on Python's hash randomisation."""
    return zlib.crc32("/".join(map(str, parts)).encode("utf-8"))


def read(path):
    return Path(path).read_text(encoding="utf-8")


# ====================================================================== restoration
WORD_BOUNDARY = r"(?<!\w)(?:{})(?!\w)"


def load_restorations(path):
    rows = []
    for raw in read(path).split("\n"):
        if raw and not raw.startswith("#"):
            parts = raw.split("\t")
            if len(parts) not in (2, 3) or any(c.isspace() for c in "".join(parts[:2])):
                raise ValueError(f"bad restoration row: {raw!r}")
            rows.append((parts[0], parts[1], parts[2] if len(parts) == 3 else ""))
    return rows


def boundary_regex(keys):
    alts = "|".join(re.escape(k) for k in sorted(keys, key=lambda k: (-len(k), k)))
    return re.compile(WORD_BOUNDARY.format(alts))


def restore(text, rows):
    """Apply the restoration table token by token; whitespace is kept as it is."""
    table = {d: c for d, c, ctx in rows if not ctx}
    contextual = [(d, c, ctx) for d, c, ctx in rows if ctx]
    pattern = boundary_regex(table)
    lines = text.split("\n")
    tokens = [(i, m) for i, line in enumerate(lines) for m in re.finditer(r"\S+", line)]
    edits = defaultdict(list)
    for n, (i, m) in enumerate(tokens):
        word = m.group()
        prev = tokens[n - 1][1].group() if n else ""
        nxt = tokens[n + 1][1].group() if n + 1 < len(tokens) else ""
        new = None
        for damaged, correct, ctx in contextual:
            if word != damaged:
                continue
            kind, _, arg = ctx.partition(":")
            ok = {"next": lambda: re.fullmatch(arg, nxt) is not None,
                  "not-next": lambda: re.fullmatch(arg, nxt) is None,
                  "prev": lambda: re.fullmatch(arg, prev) is not None,
                  "line": lambda: int(arg) == i + 1}[kind]()
            if ok:
                new = correct
                break
        if new is None:
            new = pattern.sub(lambda mm: table[mm.group()], word)
        if new != word:
            edits[i].append((m.start(), m.end(), new))
    for i, line_edits in edits.items():
        s = lines[i]
        for a, b, new in reversed(line_edits):
            s = s[:a] + new + s[b:]
        lines[i] = s
    restored = "\n".join(lines)
    assert len(restored.split()) == len(text.split()), "restoration changed the token count"
    return restored


class Damager:
    """The inverse of the restoration table, to put English-model OCR damage back on
    words that are not in the seed's word order (annex table, headers, footers).  A row
    is inverted only where the seed shows the damaged form more often than the correct
    one (so 'CIQ' stays 'CIQ' although one 'cla' was restored to it); where several
    damaged forms exist ('Péle', 'Pdle', 'Pole'...) one is drawn with their seed
    frequencies as weights, from a fixed seed."""

    def __init__(self, rows, seed_text):
        def count(s):
            return len(boundary_regex([s]).findall(seed_text))
        variants = defaultdict(Counter)
        for damaged, correct, _ in rows:
            variants[correct][damaged] = count(damaged)
        self.inverse = {}
        for correct, counter in variants.items():
            if sum(counter.values()) > count(correct):
                forms = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
                self.inverse[correct] = [(f, n) for f, n in forms if n > 0]
        self.pattern = boundary_regex(self.inverse)
        self.rng = random.Random(stable_seed("damager"))

    def _pick(self, correct):
        forms = self.inverse[correct]
        return self.rng.choices([f for f, _ in forms], weights=[n for _, n in forms])[0]

    def __call__(self, word):
        return self.pattern.sub(lambda m: self._pick(m.group()), word)


# ============================================================================ scans
def render_pages(pdf_path, dpi=SCAN_DPI):
    """Rasterise every page (grayscale); yields (PIL image, (width_pt, height_pt))."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for page in pdf:
            size = page.get_size()
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            img = bitmap.to_pil().convert("L")
            page.close()
            yield img, size
    finally:
        pdf.close()


def degrade(img, rng):
    """An office scan: skew, grey paper and ink, light noise, specks, blur, JPEG."""
    angle = rng.uniform(-1.5, 1.5)
    if abs(angle) < 0.2:
        angle = 0.2 if angle >= 0 else -0.2
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    draw = ImageDraw.Draw(img)
    w, h = img.size
    for _ in range(rng.randint(4, 11)):                      # dust specks
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(1.0, 3.2)
        draw.ellipse([x - r, y - r * rng.uniform(0.6, 1.4), x + r, y + r], fill=rng.randint(30, 110))
    a = np.asarray(img, dtype=np.float32)
    a = 14.0 + a * (234.0 / 255.0)                            # paper ~248, ink ~14
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0.0, 2.0, a.shape)
    a = np.clip(a + noise.astype(np.float32), 0, 255).astype(np.uint8)
    img = Image.fromarray(a, mode="L").filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True,
             dpi=(SCAN_DPI, SCAN_DPI))
    return buf.getvalue(), angle


def scan_pdf(pdf_path, name):
    pages = []
    for index, (img, size) in enumerate(render_pages(pdf_path)):
        rng = random.Random(stable_seed("scan", name, index))
        jpeg, angle = degrade(img, rng)
        pages.append({"jpeg": jpeg, "pixels": img.size, "size": size, "angle": angle})
    return pages


def write_scan_pdf(path, pages):
    Path(path).write_bytes(raw_pdf([(p["size"][0], p["size"][1], p["jpeg"], p["pixels"])
                                    for p in pages]))


def write_legacy_pdf(path, pages, text_layers, font="DejaVuSans"):
    """The scanned page images plus invisible text (render mode 3), drawn in the
    rotated frame of each page so that the words sit on their images."""
    T.register_fonts()
    c = canvas.Canvas(str(path), pagesize=pages[0]["size"], invariant=1, pageCompression=1,
                      initialFontName=font)
    c.setCreator("OCR")
    for index, page in enumerate(pages):
        w, h = page["size"]
        c.setPageSize((w, h))
        c.drawImage(ImageReader(io.BytesIO(page["jpeg"])), 0, 0, w, h)
        c.saveState()
        c.translate(w / 2, h / 2)
        c.rotate(page["angle"])       # the scanned content is rotated about the centre
        c.translate(-w / 2, -h / 2)
        for word in text_layers[index]:
            size = word["size"]
            natural = T.pdfmetrics.stringWidth(word["text"], font, size) or 1.0
            t = c.beginText(word["x"], word["y"])
            t.setTextRenderMode(3)
            t.setFont(font, size)
            t.setHorizScale(100.0 * word["width"] / natural)
            t.textOut(word["text"] + " ")  # OCR engines write the space too
            c.drawText(t)
        c.restoreState()
        c.showPage()
    c.save()


# ======================================================================= legacy OCR
def legacy_text_layers(report_pdf, stream, damager):
    """Words of the born-digital report at their positions, each replaced by its damaged
    twin: the seed's own OCR word where the word is part of the prose stream (aligned
    with difflib on the word sequence), the Damager's guess elsewhere."""
    pages = []
    with pdfplumber.open(str(report_pdf)) as pdf:
        for page in pdf.pages:
            words = page.extract_words(x_tolerance=1.5, y_tolerance=2,
                                       extra_attrs=["size", "fontname"])
            pages.append((page.height, words))
    flat = [w["text"] for _, ws in pages for w in ws]
    visible = [r for r, _ in stream]
    twin = {}
    matcher = SequenceMatcher(None, flat, visible, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            twin[a + k] = stream[b + k][1]
    layers, k, matched = [], 0, 0
    for height, words in pages:
        layer = []
        for w in words:
            text = twin.get(k)
            matched += text is not None
            if text is None:
                text = damager(w["text"])
            size = float(w["size"])
            # pdfminer puts a word's bottom at the font's descent below the baseline
            descent = T.pdfmetrics.getFont(w["fontname"].split("+")[-1]).face.descent / 1000
            layer.append({"text": text, "size": size, "x": float(w["x0"]),
                          "y": height - float(w["bottom"]) - descent * size,
                          "width": float(w["x1"]) - float(w["x0"])})
            k += 1
        layers.append(layer)
    return layers, matched, len(flat)


# ======================================================================= bad inputs
def zero_pages_pdf():
    """A syntactically valid PDF whose page tree is empty."""
    return _serialise({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                       2: b"<< /Type /Pages /Kids [] /Count 0 >>"})


def huge_png(width=30000, height=30000):
    """A valid 1-bit white PNG declaring width x height pixels; ~100 KB on disk."""
    def chunk(tag, data):
        return (len(data).to_bytes(4, "big") + tag + data
                + zlib.crc32(tag + data).to_bytes(4, "big"))
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def photo_like_png(path):
    """A small photo-like landscape (sky, hills, field, trees, grain); no text."""
    rng = np.random.default_rng(stable_seed("photo"))
    h, w = 300, 400
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    sky = np.stack([150 + 80 * yy / h, 185 + 50 * yy / h, 235 + 15 * yy / h], -1)
    img = np.broadcast_to(sky, (h, w, 3)).copy()
    sun = np.exp(-((yy - 60) ** 2 + (xx - 300) ** 2) / (2 * 18.0 ** 2))[..., None]
    img = img * (1 - sun) + np.array([255, 250, 225]) * sun
    steps = np.cumsum(rng.normal(0, 1.6, w)).astype(np.float32)       # hill line
    hill = 150 + steps - steps.mean() + 12 * np.sin(xx[0] / 47.0)
    field = 205 + 4 * np.sin(xx[0] / 31.0)
    hills = (yy > hill[None, :])[..., None]
    img = np.where(hills, np.array([78, 104, 70]) + (yy - 150)[..., None] * 0.15, img)
    ground = (yy > field[None, :])[..., None]
    img = np.where(ground, np.array([132, 128, 70]) + (yy - 205)[..., None] * 0.4, img)
    for _ in range(9):                                                  # trees
        cx, cy = rng.uniform(0, w), rng.uniform(165, 215)
        rx, ry = rng.uniform(6, 16), rng.uniform(14, 30)
        tree = (((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 < 1)[..., None]
        img = np.where(tree, np.array([34, 62, 36]) + rng.normal(0, 8, 3), img)
    img = img + rng.normal(0, 5, img.shape)                             # grain
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    out.filter(ImageFilter.GaussianBlur(0.8)).save(path, "PNG", optimize=True)


def make_bad_inputs(bad, seed_001):
    bad.mkdir(exist_ok=True)
    made = []
    plan = (HERE / "001_plan.pdf").read_bytes()
    (bad / "truncated.pdf").write_bytes(plan[: int(len(plan) * 0.6)])
    made.append(("bad/truncated.pdf", "pdf", D.SEEDS["001"], "first 60 % of the bytes of 001_plan.pdf"))
    (bad / "not_a_pdf.pdf").write_bytes(
        "Ceci n'est pas un PDF : simple fichier texte portant l'extension .pdf.\n".encode("utf-8"))
    made.append(("bad/not_a_pdf.pdf", "text", None, "a UTF-8 text file named .pdf"))
    T.build_001(str(bad / "encrypted.pdf"), seed_001,
                encrypt=StandardEncryption("secret", ownerPassword="owner-secret", strength=128))
    made.append(("bad/encrypted.pdf", "pdf", D.SEEDS["001"],
                 "001_plan.pdf built again with RC4-128 encryption, user password 'secret'"))
    (bad / "zero_pages.pdf").write_bytes(zero_pages_pdf())
    made.append(("bad/zero_pages.pdf", "pdf", None,
                 "hand-written valid PDF whose page tree is /Kids [] /Count 0"))
    (bad / "empty_page.pdf").write_bytes(raw_pdf([(A4[0], A4[1], None, None)]))
    made.append(("bad/empty_page.pdf", "pdf", None, "one blank A4 page, empty content stream"))
    (bad / "empty.txt").write_bytes(b"")
    made.append(("bad/empty.txt", "text", None, "0 bytes"))
    (bad / "binary.txt").write_bytes(random.Random(stable_seed("binary")).randbytes(4096))
    made.append(("bad/binary.txt", "text", None, "4096 random bytes (fixed seed) named .txt"))
    (bad / "latin1.txt").write_bytes(
        ("Le ministère a publié l’état d’avancement des mesures : 16 mesures, dont 12 "
         "réalisées à 100 %, au cœur du plan d’action.\n").encode("cp1252"))
    made.append(("bad/latin1.txt", "text", None, "a French sentence encoded in cp1252, not UTF-8"))
    (bad / "huge.png").write_bytes(huge_png())
    made.append(("bad/huge.png", "image", None,
                 "valid 1-bit PNG declaring 30000 x 30000 pixels (decompression-bomb size)"))
    photo_like_png(bad / "not_a_document.png")
    made.append(("bad/not_a_document.png", "image", None,
                 "400 x 300 photo-like colour landscape (sky, hills, trees) with no text"))
    return made


# ========================================================================= manifest
def page_count(path):
    """Pages as PDFium sees them (with the test password if needed); pdfminer's count
    for what PDFium refuses (it rejects a page tree with no pages); None if unreadable."""
    for password in (None, "secret"):
        try:
            pdf = pdfium.PdfDocument(str(path), password=password)
        except Exception:
            continue
        try:
            return len(pdf)
        finally:
            pdf.close()
    try:
        with pdfplumber.open(str(path)) as pdf:
            return len(pdf.pages)
    except Exception:
        return None


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_manifest(entries):
    files = []
    for e in sorted(entries, key=lambda e: e["path"]):
        path = HERE / e["path"]
        item = dict(e)
        item["bytes"] = path.stat().st_size
        item["sha256"] = sha256(path)
        if e["kind"] == "pdf":
            item["pages"] = page_count(path)
        files.append(item)
    doc = {"description": "bilan test corpus, generated by corpus/make_corpus.py from ../shared/seeds/",
           "files": files}
    (HERE / "manifest.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")


# ============================================================================= main
def main(quick=False):
    t0 = time.time()
    entries = []

    def add(path, kind, variant, made_from, how, licence=LICENCE_SEED):
        entries.append({"path": path, "kind": kind, "variant": variant, "made_from": made_from,
                        "how": how, "licence": licence})

    # 1. seed copies
    (HERE / "seeds").mkdir(exist_ok=True)
    seed_text = {}
    for key, name in D.SEEDS.items():
        shutil.copyfile(SEEDS / name, HERE / "seeds" / name)
        seed_text[key] = read(SEEDS / name)
        add(f"seeds/{name}", "text", "seed-text", name, "copy of ../shared/seeds/" + name)

    # 2. restored text of seed 000
    rows = load_restorations(HERE / "000_restorations.tsv")
    restored = restore(seed_text["000"], rows)
    (HERE / "000_restored.txt").write_text(restored, encoding="utf-8")
    add("000_restored.txt", "text", "seed-text", D.SEEDS["000"],
        "seed 000 with 000_restorations.tsv applied word by word (same tokens, same order)")
    print(f"restored 000: {sum(a != b for a, b in zip(seed_text['000'].split(), restored.split()))} "
          f"of {len(restored.split())} words changed")

    # 3. born-digital documents
    annex = json.loads(read(HERE / "000_annex.json"))
    stream = T.build_000(str(HERE / "000_report.pdf"), restored, seed_text["000"], annex)
    T.build_001(str(HERE / "001_plan.pdf"), seed_text["001"])
    T.build_002(str(HERE / "002_plan.pdf"), seed_text["002"])
    T.build_003(str(HERE / "003_communiques.pdf"), seed_text["003"])
    T.build_004(str(HERE / "004_avis.pdf"), seed_text["004"])
    how = {
        "000": "000_restored.txt typeset with reportlab (headings, paragraphs, acronym table); "
               "annex = 16-measure table from 000_annex.json, header row repeated, lead M/O in bold",
        "001": "seed 001 typeset with reportlab (Letter): headings, paragraphs, bullet and numbered lists",
        "002": "seed 002 typeset with reportlab: objectives, 'Mesure N.N' headings, ACTIONS / "
               "INDICATEURS DE PERFORMANCE two-column blocks (corpus_data.TWO_COL_002)",
        "003": "seed 003 typeset with reportlab (Letter): three press releases, one page break between",
        "004": "seed 004 typeset with reportlab: cover, table of contents, sections, survey tables",
    }
    for name, key in BORN_DIGITAL.items():
        add(name, "pdf", "born-digital", D.SEEDS[key], how[key])
    (HERE / "001_page.html").write_text(T.build_001_html(seed_text["001"]), encoding="utf-8")
    add("001_page.html", "html", "html", D.SEEDS["001"],
        "seed 001 as a ministry web page: breadcrumb <nav>, h1/h2/h3, p, ul/ol")
    print(f"born-digital done ({time.time() - t0:.1f} s)")
    if quick:
        return

    # 4. scans
    scans = {}
    for name, key in BORN_DIGITAL.items():
        pages = scan_pdf(HERE / name, name)
        scans[name] = pages
        out = name.replace(".pdf", "_scan.pdf")
        write_scan_pdf(HERE / out, pages)
        add(out, "pdf", "scanned", D.SEEDS[key],
            f"{name} rendered at {SCAN_DPI} dpi grey, skewed ±1.5°, noise, specks, blur {BLUR_RADIUS}, "
            f"JPEG q{JPEG_QUALITY}; image only, no text layer")
        print(f"  {out}: {len(pages)} pages ({time.time() - t0:.1f} s)")

    # 5. legacy OCR: the same page images plus the damaged words, invisible
    damager = Damager(rows, seed_text["000"])
    layers, matched, total = legacy_text_layers(HERE / "000_report.pdf", stream, damager)
    write_legacy_pdf(HERE / "000_legacy_ocr.pdf", scans["000_report.pdf"], layers)
    add("000_legacy_ocr.pdf", "pdf", "legacy-ocr", D.SEEDS["000"],
        "page images of 000_report_scan.pdf + invisible text (render mode 3) with the seed's "
        "damaged OCR words at the visible words' positions")
    print(f"legacy OCR layer: {matched} of {total} words are the seed's own damaged words, "
          "the rest inverse-damaged")

    # 6. bad inputs
    for path, kind, made_from, how_ in make_bad_inputs(HERE / "bad", seed_text["001"]):
        add(path, kind, "bad-input", made_from, how_,
            LICENCE_SEED if made_from else LICENCE_SYNTH)

    # 7. manifest
    write_manifest(entries)
    print(f"{len(entries)} files, manifest written; {time.time() - t0:.1f} s in all")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])  # --quick: text and born-digital files only
