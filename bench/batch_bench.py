"""`bilan batch` throughput and memory, side by side with the practical limits.

    .venv/bin/python bench/batch_bench.py scans   [--repeats 3] [--files 'corpus/*_scan.pdf'] [--copies 1] [--contenders ...] [--base REF]
    .venv/bin/python bench/batch_bench.py digital [--repeats 5] [--copies 3] [--no-diagnostic]
    .venv/bin/python bench/batch_bench.py memory  [--digital-sets 11] [--scan-sets 1] [--timeline] [--pool-fix]
    .venv/bin/python bench/batch_bench.py profile [--pdf corpus/002_plan.pdf] [--top 30]

Every Tesseract runs single-threaded (OMP_THREAD_LIMIT=1 in the environment of every command), and
every contender is given the same number of cores (--workers, default 2). Within a repetition the
contenders run one after another, in an order that rotates (and flips) from one repetition to the
next, so that no contender always runs on a warmer or quieter machine; medians over repetitions
are reported, with ratios both as "ratio of the medians" and "median of the per-repetition ratios"
(the second pairs runs of the same repetition). CPU seconds are those of the command and
everything it started (getrusage(RUSAGE_CHILDREN) of this script, which starts each contender and
waits for it); the 1-minute load average before each run is printed with it.

* scans: the image-only corpus scans (55 pages at 300 ppi), or with `--files '/ABS/GLOB'` page
  images (the real scans: `--files '../devdocs/scans/transcribed/*/*'`, notes and XML left
  out). bilan: `bilan batch DIR -o OUT --workers 2 --ocr auto` (default `--lang fra+eng`, and
  `--lang fra`), fresh OUT each run; bilan-cli: the same with BILAN_OCR_ENGINE=cli (the
  fallback engine). tesseract: the same pages (PDFs pre-rendered, not timed, with
  `pdftoppm -r 300 -gray -png`; image files as they are), `tesseract PAGE OUT -l LANG tsv`, two
  at a time through `xargs -P 2`. warm-loop: the practical limit, Tesseract kept loaded in two
  processes (tesserocr, the library bilan uses), each page decoded to grey and handed over from
  memory, nothing else (WARM_LOOP_SCRIPT). ocrmypdf (Debian package,
  bench only): `ocrmypdf -l fra --sidecar OUT.txt --jobs 2 --output-type pdf IN OUT` file after
  file (ocrmypdf-j2-seq), or `--jobs 1` with two files at a time (ocrmypdf-j1-par). bilan-base
  (with --base REF): the same bilan command run from the code of git revision REF (`git archive`
  into a temporary folder, first on PYTHONPATH), for a before/after comparison within one run.
  `--files corpus/002_plan_scan.pdf` is the one-big-scan case (17 pages in one file).
* digital: born-digital PDFs (five corpus documents and five real ones, 92 pages a set) copied
  --copies times, each copy's bytes made different (a `%bilan-bench-N` comment line after %%EOF)
  so that no content-addressed cache can skip one. bilan: `bilan batch`, fresh OUT each run.
  pdfplumber: a small script calling `page.extract_words()` on every page of every file, two
  processes (multiprocessing fork pool, one file per task, largest first). A third contender,
  diagnostic only, runs bilan with the CPython gh-115634 fix applied (POOL_FIX_LAUNCHER below).
* memory: one `bilan batch` over about 1,000 pages (born-digital sets plus the scans, every copy
  with different bytes), polling every 0.2 s the VmHWM (peak RSS) in /proc/PID/status of the
  batch process and of every process below it; also the ru_maxrss of the whole tree. A batch
  left without workers and without progress for --stall seconds is reported as hung and stopped.
* profile: cProfile of extractors.pipeline.file_to_document on one born-digital PDF (cold: first
  call in a fresh process, imports included; warm: second call); per-file timings against bare
  pdfplumber; pdfium's text API as a lead; cProfile of the `bilan batch` process itself on the
  born-digital set; and the fixed cost of a `bilan batch` run on a 3-page folder.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REAL_PDFS = ROOT.parent / "shared" / "datasets" / "real-pdfs"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
DIGITAL_CORPUS = ["000_report.pdf", "001_plan.pdf", "002_plan.pdf", "003_communiques.pdf", "004_avis.pdf"]
DIGITAL_REAL = ["2023-06-20-PV.pdf", "RGL-1310-Identification-Maple-Leaf-adoption.pdf", "zonage_crlf.pdf",
                "issue-71-duplicate-chars-2.pdf", "fr_olap.pdf"]

PDFPLUMBER_SCRIPT = r'''
import os, sys
from multiprocessing import Pool
import pdfplumber

def words_of(path):
    pages = words = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words += len(page.extract_words())
            pages += 1
    return pages, words

if __name__ == "__main__":
    folder, workers = sys.argv[1], int(sys.argv[2])
    files = sorted((os.path.join(folder, f) for f in os.listdir(folder)), key=lambda p: -os.path.getsize(p))
    with Pool(workers) as pool:
        done = list(pool.imap_unordered(words_of, files))
    print(sum(p for p, _ in done), sum(w for _, w in done))
'''


# --- helpers -------------------------------------------------------------------------------------

# The practical limit of the machine for scans: Tesseract kept loaded in one process per core (the
# library bilan uses, tesserocr), each page image decoded as bilan decodes it (colour kept, its own
# resolution or none) and handed over from memory, its
# words read as TSV; nothing else. Pages are shared out largest first, one at a time.
WARM_LOOP_SCRIPT = r'''
import os, sys
from multiprocessing import get_context
import numpy as np
from PIL import Image

api = None

def start(datapath, lang):
    global api
    import tesserocr
    api = tesserocr.PyTessBaseAPI(path=datapath, lang=lang)

def read(path):
    # the page as bilan hands it over (extractors.ocr.render.load_image_for_ocr): colour kept,
    # the resolution told only when the file records a plausible one
    with Image.open(path) as image:
        dpi = image.info.get("dpi")
        colour = image.mode not in ("L", "1", "LA", "I", "I;16")
        pixels = np.ascontiguousarray(np.asarray(image.convert("RGB" if colour else "L")))
    height, width = pixels.shape[:2]
    channels = 3 if pixels.ndim == 3 else 1
    api.SetImageBytes(pixels.tobytes(), width, height, channels, width * channels)
    try:
        if dpi and 50 <= float(dpi[0]) <= 2400:
            api.SetSourceResolution(round(float(dpi[0])))
    except (TypeError, ValueError):
        pass
    api.Recognize()
    words = api.GetTSVText(0).count("\n")
    api.Clear()
    return words

if __name__ == "__main__":
    workers, datapath, lang, *paths = sys.argv[1:]
    paths.sort(key=lambda p: -os.path.getsize(p))
    # fork: this script runs as `python -c`, which spawned workers could not import again
    with get_context("fork").Pool(int(workers), initializer=start, initargs=(datapath, lang)) as pool:
        print(sum(pool.imap_unordered(read, paths)))
'''


def bilan_command() -> list[str]:
    script = Path(sys.executable).with_name("bilan")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from extractors.cli import app; app()"]


# DIAGNOSTIC ONLY, not what users run: `bilan` started with the fix of CPython gh-115634 applied
# in the batch process (merged upstream in 2025, not in the 3.11 this venv runs). On 3.11-3.14 a
# ProcessPoolExecutor worker that exits at max_tasks_per_child is not replaced when the pool's
# idle-worker semaphore holds a stale token (it always does once a backlog is queued), so bilan's
# pool loses a worker every RECYCLE_WORKERS_AFTER documents and hangs when none is left. The fix
# replaces an exited worker whenever the pool is below max_workers. It tells what the batch would
# do once bilan avoids the bug; bilan's own code is not touched.
POOL_FIX_LAUNCHER = r'''
import sys, threading
import concurrent.futures.process as cfp
_adjust = cfp.ProcessPoolExecutor._adjust_process_count
def _adjust_fixed(self):
    if isinstance(threading.current_thread(), cfp._ExecutorManagerThread):  # a worker exited
        if len(self._processes) < self._max_workers:
            self._spawn_process()
        return
    _adjust(self)
cfp.ProcessPoolExecutor._adjust_process_count = _adjust_fixed
sys.argv[0] = "bilan"
from extractors.cli import app
app()
'''


def bilan_pool_fix_command() -> list[str]:
    return [sys.executable, "-c", POOL_FIX_LAUNCHER]


def cpu_seconds() -> float:
    """CPU time of this process and of every child (and their children) it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def load1() -> float:
    return os.getloadavg()[0]


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(str(path)) as pdf:
        return len(pdf)


def copy_marked(source: Path, target: Path, mark: str) -> None:
    """A copy whose bytes differ from every other copy: a PDF comment line after %%EOF (still a
    valid PDF: readers look for the last startxref), a last line for text files, bytes after the
    end of an image (JPEG and PNG decoders stop at the image's end marker)."""
    data = source.read_bytes()
    if source.suffix.lower() == ".pdf":
        data += b"\n%" + mark.encode() + b"\n"
    else:
        data += b"\n" + mark.encode() + b"\n"
    target.write_bytes(data)


def copy_sets(sources: list[Path], sets: int, inputs: Path, prefix: str) -> int:
    """`sets` marked copies of every source in `inputs` (`<prefix><set>_<name>`); their page count."""
    for copy in range(sets):
        for source in sources:
            copy_marked(source, inputs / f"{prefix}{copy}_{source.name}", f"bilan-bench-{copy}")
    return sets * sum(pdf_pages(source) for source in sources)


def run_timed(command, env=None, **kwargs) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall s, CPU s of the command and its descendants, result)."""
    cpu, started = cpu_seconds(), time.perf_counter()
    done = subprocess.run(command, env=env or ENV, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - started, cpu_seconds() - cpu, done


def check(done: subprocess.CompletedProcess, name: str, ok=(0,)) -> None:
    if done.returncode not in ok:
        sys.exit(f"{name} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}")


def batch_origins(out: Path) -> dict[str, int]:
    """Pages of a bilan batch output by origin (text-layer, ocr, ...), from the per-document JSON."""
    origins: dict[str, int] = {}
    for path in (out / "documents").rglob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        for page in document["pages"]:
            origins[page["origin"]] = origins.get(page["origin"], 0) + 1
    return origins


def rotation(contenders: list[str], rep: int) -> list[str]:
    shift = rep % len(contenders)
    order = contenders[shift:] + contenders[:shift]
    return order[::-1] if rep % 2 else order


def report(results: dict[str, list[dict]], pages: int, baselines: list[tuple[str, str]]) -> None:
    """Medians per contender, and ratios (pages/s of A over pages/s of B) for each (A, B)."""
    print(f"\n{pages} pages per run; medians over {len(next(iter(results.values())))} repetitions\n")
    print("| contender | wall s (median) | pages/s | CPU s (median) | CPU s/page | walls | load1 before |")
    print("|---|---|---|---|---|---|---|")
    for name, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        walls = ", ".join(f"{r['wall']:.1f}" for r in runs)
        loads = ", ".join(f"{r['load']:.1f}" for r in runs)
        print(f"| {name} | {wall:.2f} | {pages / wall:.2f} | {cpu:.1f} | {cpu / pages:.3f} | {walls} | {loads} |")
    if baselines:
        print("\n| ratio (pages/s) | of medians | median of paired reps | per rep | CPU ratio (B/A, median) |")
        print("|---|---|---|---|---|")
    for a, b in baselines:
        if a not in results or b not in results:
            continue
        ra, rb = results[a], results[b]
        of_medians = statistics.median(r["wall"] for r in rb) / statistics.median(r["wall"] for r in ra)
        paired = [y["wall"] / x["wall"] for x, y in zip(ra, rb)]
        cpu_ratio = statistics.median(y["cpu"] / x["cpu"] for x, y in zip(ra, rb))
        print(f"| {a} / {b} | {of_medians:.3f} | {statistics.median(paired):.3f} | "
              f"{', '.join(f'{p:.2f}' for p in paired)} | {cpu_ratio:.2f} |")


# --- scans ---------------------------------------------------------------------------------------

SCAN_CONTENDERS = ["bilan", "bilan-fra", "tesseract", "tesseract-fra", "warm-loop", "warm-loop-fra", "bilan-cli",
                   "ocrmypdf-j2-seq", "ocrmypdf-j1-par", "bilan-base"]
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def base_checkout(ref: str, into: Path) -> dict[str, str]:
    """The code of git revision `ref` in `into`; the environment that runs bilan from it."""
    into.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "extractors", "schemas"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return {**ENV, "PYTHONPATH": str(into)}


def scans(args) -> None:
    files = sorted(ROOT.glob(args.files)) if not Path(args.files).is_absolute() else sorted(Path("/").glob(args.files[1:]))
    if not files:
        sys.exit(f"no file matches {args.files} (run `python corpus/make_corpus.py` first; the real scans are "
                 "in devdocs/scans/transcribed/, outside the repository, on the development machine only)")
    files = [p for p in files if p.suffix.lower() in IMAGE_SUFFIXES | {".pdf"}]  # a folder's notes and XML left out
    assert len({p.name for p in files}) == len(files), "two inputs with the same name"
    images = all(p.suffix.lower() in IMAGE_SUFFIXES for p in files)
    contenders = args.contenders or [c for c in SCAN_CONTENDERS if c != "bilan-base"
                                     and not (images and c.startswith("ocrmypdf"))]
    for tool in ["tesseract", "pdftoppm", "xargs"] + (["ocrmypdf"] if any(c.startswith("ocrmypdf") for c in contenders) else []):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed" + (" (apt-get install -y ocrmypdf)" if tool == "ocrmypdf" else ""))
    workers = args.workers
    work = Path(tempfile.mkdtemp(prefix="bilan-batch-bench-"))
    try:
        inputs = work / "in"
        inputs.mkdir()
        if args.copies == 1:
            for path in files:
                shutil.copyfile(path, inputs / path.name)
        else:  # a longer batch: every file N times, each copy's bytes made different (copy_marked)
            for copy in range(args.copies):
                for path in files:
                    copy_marked(path, inputs / f"c{copy}_{path.name}", f"bilan-bench-{copy}")
        copies = sorted(inputs.iterdir())
        if images:  # every contender reads the image files themselves
            pngs = copies
            pages = len(pngs)
        else:
            pngs_dir = work / "png"
            pngs_dir.mkdir()
            for path in copies:  # not timed
                subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(path), str(pngs_dir / path.stem)], check=True)
            pngs = sorted(pngs_dir.glob("*.png"))
            pages = sum(pdf_pages(p) for p in copies)
            assert len(pngs) == pages, (len(pngs), pages)
        print(f"{len(copies)} files ({args.copies} x {len(files)}), {pages} pages: {', '.join(p.name for p in files)}; workers {workers}; "
              f"bilan {bilan_command()[0]}; load1 {load1():.2f}", flush=True)

        base_env = base_checkout(args.base, work / "base") if "bilan-base" in contenders else None

        def bilan(rep: int, lang: str, env=None) -> tuple[float, float]:
            out = work / f"out-bilan-{lang}-{rep}-{int(env is not None)}"
            command = [sys.executable, "-c", "from extractors.cli import app; app()"] if env else bilan_command()
            wall, cpu, done = run_timed([*command, "batch", str(inputs), "-o", str(out), "--workers", str(workers),
                                         "--ocr", "auto", "--lang", lang], env=env, cwd=work)  # cwd: not ROOT's code first
            check(done, "bilan batch")
            origins = batch_origins(out)
            if origins.get("ocr", 0) != pages:
                print(f"  warning: bilan pages by origin {origins}", flush=True)
            shutil.rmtree(out)
            return wall, cpu

        def tesseract(rep: int, lang: str) -> tuple[float, float]:
            out = work / f"out-tess-{lang}-{rep}"
            out.mkdir()
            listing = "".join(f"{p}\n" for p in pngs)
            command = ["xargs", "-P", str(workers), "-I{}", "sh", "-c",
                       f'tesseract "$1" "{out}/$(basename "$1")" -l {lang} tsv 2>/dev/null', "sh", "{}"]
            wall, cpu, done = run_timed(command, input=listing)
            check(done, "tesseract")
            assert len(list(out.glob("*.tsv"))) == pages
            shutil.rmtree(out)
            return wall, cpu

        def warm_loop(rep: int, lang: str) -> tuple[float, float]:
            from extractors.ocr.tesseract_lib import tessdata_dir

            command = [sys.executable, "-c", WARM_LOOP_SCRIPT, str(workers), tessdata_dir(), lang, *map(str, pngs)]
            wall, cpu, done = run_timed(command)
            check(done, "warm loop")
            return wall, cpu

        def ocrmypdf(rep: int, parallel_files: bool) -> tuple[float, float]:
            out = work / f"out-ocrmypdf-{int(parallel_files)}-{rep}"
            out.mkdir()
            # largest first, as bilan schedules
            ordered = sorted((inputs / p.name for p in files), key=lambda p: -p.stat().st_size)
            one = 'ocrmypdf -q -l fra --sidecar "{out}/$(basename "$1").txt" --jobs {jobs} --output-type pdf "$1" "{out}/$(basename "$1")"'
            if parallel_files:
                command = ["xargs", "-P", str(workers), "-I{}", "sh", "-c", one.format(out=out, jobs=1), "sh", "{}"]
            else:
                command = ["xargs", "-P", "1", "-I{}", "sh", "-c", one.format(out=out, jobs=workers), "sh", "{}"]
            wall, cpu, done = run_timed(command, input="".join(f"{p}\n" for p in ordered))
            check(done, "ocrmypdf")
            assert len(list(out.glob("*.txt"))) == len(files)
            shutil.rmtree(out)
            return wall, cpu

        runners = {
            "bilan": lambda rep: bilan(rep, "fra+eng"),
            "bilan-fra": lambda rep: bilan(rep, "fra"),
            "bilan-base": lambda rep: bilan(rep, "fra+eng", base_env),
            "bilan-cli": lambda rep: bilan(rep, "fra+eng", {**ENV, "BILAN_OCR_ENGINE": "cli"}),
            "warm-loop": lambda rep: warm_loop(rep, "fra+eng"),
            "warm-loop-fra": lambda rep: warm_loop(rep, "fra"),
            "tesseract": lambda rep: tesseract(rep, "fra+eng"),
            "tesseract-fra": lambda rep: tesseract(rep, "fra"),
            "ocrmypdf-j2-seq": lambda rep: ocrmypdf(rep, parallel_files=False),
            "ocrmypdf-j1-par": lambda rep: ocrmypdf(rep, parallel_files=True),
        }
        results = {name: [] for name in contenders}
        for rep in range(args.repeats):
            for name in rotation(contenders, rep):
                load = load1()
                wall, cpu = runners[name](rep)
                results[name].append({"wall": wall, "cpu": cpu, "load": load})
                print(f"  rep {rep + 1} {name:16} {wall:7.2f} s wall {cpu:7.1f} s CPU  {pages / wall:5.2f} pages/s  (load1 {load:.2f})", flush=True)
        report(results, pages, [("bilan", "tesseract"), ("bilan-fra", "tesseract-fra"), ("bilan-fra", "tesseract"),
                                ("bilan", "warm-loop"), ("bilan-fra", "warm-loop-fra"), ("bilan-cli", "tesseract"),
                                ("bilan", "ocrmypdf-j2-seq"), ("bilan-fra", "ocrmypdf-j2-seq"),
                                ("bilan", "ocrmypdf-j1-par"), ("bilan-fra", "ocrmypdf-j1-par"), ("bilan", "bilan-base")])
        print(f"\nuptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- born-digital ----------------------------------------------------------------------------------

def digital_sources() -> list[Path]:
    sources = [CORPUS / name for name in DIGITAL_CORPUS] + [REAL_PDFS / name for name in DIGITAL_REAL]
    missing = [str(p) for p in sources if not p.exists()]
    if missing:
        sys.exit(f"missing inputs: {', '.join(missing)}")
    return sources


def digital(args) -> None:
    workers = args.workers
    work = Path(tempfile.mkdtemp(prefix="bilan-batch-bench-"))
    try:
        inputs = work / "in"
        inputs.mkdir()
        sources = digital_sources()
        pages = copy_sets(sources, args.copies, inputs, "c")
        script = work / "plumber_words.py"
        script.write_text(PDFPLUMBER_SCRIPT)
        print(f"{args.copies} copies x {len(sources)} files = {args.copies * len(sources)} files, {pages} pages; "
              f"workers {workers}; load1 {load1():.2f}", flush=True)

        def bilan(rep: int, launcher=bilan_command) -> tuple[float, float]:
            out = work / f"out-{rep}"  # fresh: an earlier run's cache would skip everything
            wall, cpu, done = run_timed([*launcher(), "batch", str(inputs), "-o", str(out), "--workers", str(workers)],
                                        timeout=args.timeout)
            check(done, "bilan batch")
            origins = batch_origins(out)
            if sum(origins.values()) != pages or set(origins) != {"text-layer"}:
                print(f"  note: bilan pages by origin {origins}", flush=True)
            shutil.rmtree(out)
            return wall, cpu

        def plumber(rep: int) -> tuple[float, float]:
            wall, cpu, done = run_timed([sys.executable, str(script), str(inputs), str(workers)])
            check(done, "pdfplumber script")
            assert int(done.stdout.split()[0]) == pages, done.stdout
            return wall, cpu

        runners = {"bilan": bilan, "pdfplumber-extract_words": plumber,
                   "bilan+pool-fix (diagnostic)": lambda rep: bilan(rep, bilan_pool_fix_command)}
        if args.no_diagnostic:
            del runners["bilan+pool-fix (diagnostic)"]
        results = {name: [] for name in runners}
        for rep in range(args.repeats):
            for name in rotation(list(runners), rep):
                load = load1()
                wall, cpu = runners[name](rep)
                results[name].append({"wall": wall, "cpu": cpu, "load": load})
                print(f"  rep {rep + 1} {name:26} {wall:7.2f} s wall {cpu:6.1f} s CPU  {pages / wall:6.2f} pages/s  (load1 {load:.2f})", flush=True)
        report(results, pages, [("bilan", "pdfplumber-extract_words"),
                                ("bilan+pool-fix (diagnostic)", "pdfplumber-extract_words"),
                                ("bilan+pool-fix (diagnostic)", "bilan")])
        print(f"\nuptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- memory ----------------------------------------------------------------------------------------

def proc_status(pid: int) -> dict[str, int]:
    values = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    key, value = line.split(":", 1)
                    values[key] = int(value.split()[0])  # kB
    except OSError:
        pass
    return values


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of one process so far, with its children it has waited for
    (a worker's Tesseract runs)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def descendants(root: int) -> dict[int, int]:
    """{pid: parent pid} of every process below root."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        parents[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
    below, frontier = {}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in below:
                below[child] = parent
                frontier.append(child)
    return below


def kind_of(pid: int, parent: int, batch_pid: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    if "resource_tracker" in cmdline:
        return "resource tracker"
    if "multiprocessing" in cmdline and parent == batch_pid:
        return "worker"
    if cmdline.startswith("tesseract") or "/tesseract " in cmdline:
        return "tesseract"
    return "other: " + cmdline[:60]


def memory(args) -> None:
    workers = args.workers
    work = Path(tempfile.mkdtemp(prefix="bilan-batch-bench-"))
    try:
        inputs = work / "in"
        inputs.mkdir()
        sources = digital_sources()
        scan_files = sorted(CORPUS.glob("*_scan.pdf"))
        digital_pages = copy_sets(sources, args.digital_sets, inputs, "d")
        scan_pages = copy_sets(scan_files, args.scan_sets, inputs, "s")
        files = len(list(inputs.iterdir()))
        print(f"{files} files: {digital_pages} born-digital pages ({args.digital_sets} sets of {len(sources)} PDFs) + "
              f"{scan_pages} scanned pages ({args.scan_sets} sets of {len(scan_files)} scans) = {digital_pages + scan_pages} "
              f"pages, every copy's bytes different; workers {workers}; load1 {load1():.2f}", flush=True)
        out = work / "out"
        # A small wrapper so that ru_maxrss of RUSAGE_CHILDREN covers the batch tree and nothing else.
        wrapper = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
                   "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
                   "sys.exit(done.returncode)")
        launcher = bilan_pool_fix_command() if args.pool_fix else bilan_command()
        if args.pool_fix:
            print("DIAGNOSTIC run: bilan started with the CPython gh-115634 fix applied in its batch process", flush=True)
        command = [sys.executable, "-c", wrapper, *launcher, "batch", str(inputs), "-o", str(out), "--workers", str(workers)]
        cpu, started = cpu_seconds(), time.perf_counter()
        process = subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peaks: dict[int, dict] = {}  # pid -> {"kind", "hwm", "rss"}
        max_total = [0, 0.0]
        stop = threading.Event()

        hung = []  # [documents done] once the batch is seen stuck
        timeline: dict[str, float] = {}  # document -> seconds from the start when its JSON appeared

        def poll() -> None:
            batch_pid = None
            progress, since = -1, time.perf_counter()
            while not stop.is_set():
                tree = descendants(process.pid)
                # Stuck: documents left, no worker alive and no new document for --stall seconds.
                finished = list((out / "documents").glob("*.json")) if (out / "documents").is_dir() else []
                done_now = len(finished)
                for path in finished:
                    timeline.setdefault(path.name[:-5], time.perf_counter() - started)
                if done_now != progress:
                    progress, since = done_now, time.perf_counter()
                workers_alive = any(peaks.get(pid, {}).get("kind") == "worker" for pid in tree)
                if (batch_pid and not workers_alive and 0 < done_now < files
                        and time.perf_counter() - since > args.stall and not hung):
                    hung.append(done_now)
                    os.kill(batch_pid, 15)
                if batch_pid is None:
                    batch_pid = next((pid for pid, parent in tree.items() if parent == process.pid), None)
                total = 0
                for pid, parent in tree.items():
                    status = proc_status(pid)
                    if not status:
                        continue
                    if pid not in peaks:
                        kind = "batch (parent)" if pid == batch_pid else kind_of(pid, parent, batch_pid)
                        peaks[pid] = {"kind": kind, "hwm": 0, "rss": 0, "cpu": 0.0,
                                      "first": time.perf_counter() - started, "last": 0.0}
                    peaks[pid]["cpu"] = max(peaks[pid]["cpu"], cpu_of(pid))
                    peaks[pid]["last"] = time.perf_counter() - started
                    peaks[pid]["hwm"] = max(peaks[pid]["hwm"], status.get("VmHWM", 0))
                    peaks[pid]["rss"] = max(peaks[pid]["rss"], status.get("VmRSS", 0))
                    if pid != process.pid:
                        total += status.get("VmRSS", 0)
                if total > max_total[0]:
                    max_total[:] = [total, time.perf_counter() - started]
                stop.wait(args.interval)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        stdout, stderr = process.communicate()
        stop.set()
        poller.join()
        wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        maxrss = int(re.search(r"MAXRSS (\d+)", stderr).group(1))
        origins = batch_origins(out)
        if hung:
            print(f"HUNG: after {hung[0]} of {files} documents ({sum(origins.values())} pages) no worker was left and "
                  f"nothing moved for {args.stall:.0f} s; the batch process was stopped (SIGTERM) at {wall:.0f} s")
        elif process.returncode not in (0, 10):
            sys.exit(f"bilan batch failed ({process.returncode}): {stderr[-2000:]}")
        else:
            print(stdout.strip().splitlines()[0])
        print(f"wall {wall:.1f} s, CPU {cpu:.1f} s, {sum(origins.values()) / wall:.1f} pages/s; pages by origin {origins}")
        by_kind: dict[str, list[dict]] = {}
        for info in peaks.values():
            by_kind.setdefault(info["kind"], []).append(info)
        print("\n| process | count | peak RSS (VmHWM), max | median of their peaks |")
        print("|---|---|---|---|")
        for kind, infos in sorted(by_kind.items(), key=lambda kv: -max(i["hwm"] for i in kv[1])):
            hwms = [i["hwm"] for i in infos]
            print(f"| {kind} | {len(infos)} | {max(hwms) / 1024:.0f} MB | {statistics.median(hwms) / 1024:.0f} MB |")
        print("\nbatch process and workers, in order of start (CPU: its own and its finished children's, i.e. a worker's Tesseract runs):")
        for pid, info in peaks.items():
            if info["kind"] in ("batch (parent)", "worker"):
                print(f"  {info['kind']:15} pid {pid}: seen {info['first']:6.1f}-{info['last']:6.1f} s, "
                      f"CPU {info['cpu']:6.1f} s, peak RSS {info['hwm'] / 1024:.0f} MB")
        if args.timeline:
            print("\ndocuments in order of completion (seconds from the start, within --interval):")
            for name, seconds in sorted(timeline.items(), key=lambda kv: kv[1]):
                print(f"  {seconds:7.1f} s  {name}")
        print(f"\nlargest sum of RSS over the batch tree at one sample: {max_total[0] / 1024:.0f} MB "
              f"(at {max_total[1]:.0f} s); ru_maxrss of the tree (largest single process, exact): {maxrss / 1024:.0f} MB")
        print(f"uptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- profile ---------------------------------------------------------------------------------------

def profile(args) -> None:
    """Runs the profile in a fresh interpreter so that 'cold' includes the imports a worker pays."""
    pdf = Path(args.pdf) if Path(args.pdf).is_absolute() else ROOT / args.pdf
    code = f'''
import cProfile, pstats, sys, time, io
sys.path.insert(0, {str(ROOT)!r})
t0 = time.perf_counter()
cold = cProfile.Profile(); cold.enable()
from extractors.pipeline import file_to_document
from extractors.options import IngestOptions
document = file_to_document({str(pdf)!r}, IngestOptions(workers=1))
cold.disable()
t1 = time.perf_counter()
warm = cProfile.Profile(); warm.enable()
document = file_to_document({str(pdf)!r}, IngestOptions(workers=1))
warm.disable()
t2 = time.perf_counter()
pages = len(document.pages)
origins = sorted({{p.origin for p in document.pages}})
print(f"{{pdf_name}}: {{pages}} pages ({{', '.join(origins)}}); cold call (imports included) {{t1 - t0:.2f}} s, warm call {{t2 - t1:.2f}} s = {{pages / (t2 - t1):.1f}} pages/s (under cProfile)")
import pdfplumber
t3 = time.perf_counter()
with pdfplumber.open({str(pdf)!r}) as plumber:
    for page in plumber.pages:
        page.extract_words()
t4 = time.perf_counter()
print(f"bare pdfplumber extract_words on the same file, warm, no profiler: {{t4 - t3:.2f}} s")
t5 = time.perf_counter()
file_to_document({str(pdf)!r}, IngestOptions(workers=1))
t6 = time.perf_counter()
print(f"file_to_document, warm, no profiler: {{t6 - t5:.2f}} s = {{pages / (t6 - t5):.1f}} pages/s")
for name, prof in (("WARM", warm), ("COLD", cold)):
    for key in ("cumulative", "tottime"):
        stream = io.StringIO()
        pstats.Stats(prof, stream=stream).sort_stats(key).print_stats({args.top})
        text = stream.getvalue()
        print(f"\\n===== {{name}} call, sorted by {{key}} =====")
        print(text[text.find("ncalls") - 3:] if "ncalls" in text else text)
'''.replace("{pdf_name}", pdf.name)
    done = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, cwd=ROOT)
    check(done, "profile")
    print(done.stdout)
    # Per file, in one process (warm: second call), no profiler: what one worker spends per document.
    sources = [str(p) for p in digital_sources()]
    code = f'''
import sys, time
sys.path.insert(0, {str(ROOT)!r})
import pdfplumber
from extractors.pipeline import file_to_document
from extractors.options import IngestOptions
print("| file | pages | file_to_document s (warm) | pages/s | bare pdfplumber extract_words s | ratio |")
print("|---|---|---|---|---|---|")
total = [0, 0.0, 0.0]
for path in {sources!r}:
    file_to_document(path, IngestOptions(workers=1))
    t0 = time.perf_counter()
    document = file_to_document(path, IngestOptions(workers=1))
    t1 = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
    t2 = time.perf_counter()
    n = len(document.pages)
    total[0] += n; total[1] += t1 - t0; total[2] += t2 - t1
    print(f"| {{path.rsplit('/', 1)[-1]}} | {{n}} | {{t1 - t0:.2f}} | {{n / (t1 - t0):.1f}} | {{t2 - t1:.2f}} | {{(t1 - t0) / (t2 - t1):.2f}} |")
print(f"| all | {{total[0]}} | {{total[1]:.2f}} | {{total[0] / total[1]:.1f}} | {{total[2]:.2f}} | {{total[1] / total[2]:.2f}} |")
'''
    done = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, cwd=ROOT)
    check(done, "per-file timing")
    print("===== one process, per born-digital file, second call (warm), no profiler =====")
    print(done.stdout)
    # A lead, not a drop-in: pdfium's own text API on the same pages (characters, boxes, font size
    # and weight; no word grouping, font names or rulings), against pdfplumber's extract_words.
    code = f'''
import time
import pypdfium2 as pdfium, pypdfium2.raw as raw
import pdfplumber
files = {sources!r}
def pdfium_chars(path):
    pages = chars = 0
    pdf = pdfium.PdfDocument(path)
    for i in range(len(pdf)):
        page = pdf[i]; textpage = page.get_textpage()
        count = textpage.count_chars()
        textpage.get_text_range()
        for c in range(count):
            textpage.get_charbox(c)
            raw.FPDFText_GetFontSize(textpage, c)
            raw.FPDFText_GetFontWeight(textpage, c)
        chars += count; pages += 1
        textpage.close(); page.close()
    pdf.close()
    return pages, chars
def plumber_words(path):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
for f in files:
    pdfium_chars(f); plumber_words(f)
t0 = time.process_time(); done = [pdfium_chars(f) for f in files]; t1 = time.process_time()
for f in files:
    plumber_words(f)
t2 = time.process_time()
pages = sum(p for p, _ in done)
print(f"{{pages}} pages, {{sum(c for _, c in done)}} characters, one process, warm, CPU s: pypdfium2 text page + box + font size/weight of every character {{t1 - t0:.2f}} ({{pages / (t1 - t0):.0f}} pages/s); pdfplumber extract_words {{t2 - t1:.2f}} ({{pages / (t2 - t1):.0f}} pages/s)")
'''
    done = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, cwd=ROOT)
    check(done, "pdfium comparison")
    print("===== a lead: pdfium's text API on the 10 born-digital PDFs =====")
    print(done.stdout)
    # Fixed cost of one batch run: start-up, imports, worker pool, dataset writing.
    work = Path(tempfile.mkdtemp(prefix="bilan-batch-bench-"))
    try:
        # Where the batch process itself (not its workers) spends its time, on one born-digital set.
        digital_set = work / "digital"
        digital_set.mkdir()
        for source in digital_sources():
            copy_marked(source, digital_set / source.name, "bilan-bench-0")
        stats = work / "parent.prof"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats), *bilan_command(), "batch",
                               str(digital_set), "-o", str(work / "out-digital"), "--workers", str(args.workers)],
                              env=ENV, capture_output=True, text=True, cwd=ROOT)
        check(done, "bilan batch under cProfile")
        print(f"===== `bilan batch` of the 10 born-digital PDFs (92 pages), batch process under cProfile "
              f"({time.perf_counter() - started:.1f} s wall), by cumulative time =====")
        import io
        import pstats

        stream = io.StringIO()
        pstats.Stats(str(stats), stream=stream).sort_stats("cumulative").print_stats(args.top)
        text = stream.getvalue()
        print(text[text.find("ncalls") - 3:] if "ncalls" in text else text)
        one = work / "one"
        one.mkdir()
        shutil.copyfile(REAL_PDFS / "zonage_crlf.pdf", one / "a.pdf")
        shutil.copyfile(REAL_PDFS / "2023-06-20-PV.pdf", one / "b.pdf")
        walls = []
        for rep in range(args.repeats):
            wall, cpu, done = run_timed([*bilan_command(), "batch", str(one), "-o", str(work / f"out{rep}"), "--workers", str(args.workers)])
            check(done, "bilan batch")
            walls.append((wall, cpu))
        print(f"fixed cost: `bilan batch` of a folder of 2 small PDFs (3 pages), --workers {args.workers}: "
              f"median {statistics.median(w for w, _ in walls):.2f} s wall, {statistics.median(c for _, c in walls):.2f} s CPU "
              f"(runs: {', '.join(f'{w:.2f}' for w, _ in walls)})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("scans", help="scanned pages: bilan batch vs tesseract CLI vs ocrmypdf")
    p.add_argument("--files", default="corpus/*_scan.pdf", help="glob, relative to the repository (default: all 5 corpus scans, 55 pages)")
    p.add_argument("--contenders", nargs="*", choices=SCAN_CONTENDERS)
    p.add_argument("--base", default="HEAD", help="git revision run as the bilan-base contender")
    p.add_argument("--copies", type=int, default=1, help="a longer batch: every file this many times, each copy's bytes different")
    p.set_defaults(run=scans)
    p = sub.add_parser("digital", help="born-digital PDFs: bilan batch vs pdfplumber extract_words")
    p.add_argument("--copies", type=int, default=3, help="copies of the 10-file set (92 pages each)")
    p.add_argument("--no-diagnostic", action="store_true", help="leave out the bilan+pool-fix diagnostic contender")
    p.add_argument("--timeout", type=float, default=600, help="seconds before a bilan run counts as hung")
    p.set_defaults(run=digital)
    p = sub.add_parser("memory", help="peak memory of a ~1,000-page batch")
    p.add_argument("--digital-sets", type=int, default=11, help="copies of the 10 born-digital PDFs (92 pages each)")
    p.add_argument("--scan-sets", type=int, default=1, help="copies of the 5 corpus scans (55 pages each)")
    p.add_argument("--interval", type=float, default=0.2, help="polling interval, seconds")
    p.add_argument("--timeline", action="store_true", help="also list when each document finished")
    p.add_argument("--stall", type=float, default=30, help="seconds without a worker nor a new document = hung")
    p.add_argument("--pool-fix", action="store_true",
                   help="DIAGNOSTIC: start bilan with the CPython gh-115634 fix applied (see POOL_FIX_LAUNCHER)")
    p.set_defaults(run=memory)
    p = sub.add_parser("profile", help="cProfile of file_to_document on one born-digital PDF")
    p.add_argument("--pdf", default="corpus/002_plan.pdf")
    p.add_argument("--top", type=int, default=30)
    p.set_defaults(run=profile)
    for p in sub.choices.values():
        p.add_argument("--repeats", type=int, default=3)
        p.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
