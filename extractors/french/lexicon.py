"""The French lexicon used by OCR-damage repair: every valid word form, its frequency, and an
accent-insensitive index, built once into a compact cache that loads in well under a second.

Sources, both general (nothing here knows any particular document):

* validity: Debian's `hunspell-fr` dictionary ("classique" variant, /usr/share/hunspell/fr.dic and
  fr.aff). Its 84,000 stems are expanded here in pure Python with the affix file's suffix and
  prefix rules (no `unmunch`, whose output for this affix file is littered with flag debris).
  Elided forms (`l'`, `d'`, `qu'`... prefixes) are not expanded: repair splits elisions itself.
* ranking: `wordfreq` (PyPI) Zipf frequencies. wordfreq is built from web text, so it also lists
  damaged forms (`ministére` 1.9); it is only ever used to rank forms hunspell says are valid, and to
  recognise that an unknown token is a common word of the web (`email`, `covid`).

The cache is a `marshal` file (the fastest Python loader for plain dicts of strings) under
`$XDG_CACHE_HOME/bilan/` (default `~/.cache/bilan/`), keyed by the sizes and dates of the hunspell
files, the wordfreq version and BUILD_VERSION; `BILAN_CACHE_DIR` overrides the folder. Build it
ahead with `python -m extractors.french.lexicon` (about 20 s); otherwise the first repair builds it.
"""
from __future__ import annotations

import marshal
import os
import re
import sys
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from extractors.errors import LexiconUnavailable

BUILD_VERSION = 6
HUNSPELL_DIRS = [Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"), Path("/usr/share/myspell")]
HUNSPELL_NAMES = ["fr_FR", "fr"]

# Flags of the affix file whose prefixes are elisions (l', d', qu', jusqu'...): not expanded.
ELIDED_PREFIX = re.compile(r"['’]")

# Bit flags stored per lowercase form.
LOWER_ENTRY = 1  # the dictionary has the form in lower case: valid lower, Capitalised and UPPER
CASED_ENTRY = 2  # the dictionary has it with capitals only (Québec, MIFI): valid as written or UPPER


def skeleton(word: str) -> str:
    """Lower case, accents removed, ligatures spelled out: the key of the accent-insensitive index."""
    word = word.lower().replace("œ", "oe").replace("æ", "ae")
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- hunspell affix expansion ---------------------------------------------------------------------


@dataclass(frozen=True)
class AffixRule:
    strip: str
    add: str
    flags: str  # continuation flags of the affix
    condition: re.Pattern
    tags: int  # part-of-speech bits of the morphological fields (po:ppas, is:fem...)


# Part-of-speech bits, from the dictionary's morphological fields (po:nom, po:ppas, is:fem...).
NOUN, ADJ, INF, PPAS, PPRE, FINITE, PROPER, ADV, FUNC, FEM, MAS, SG, PL = (1 << i for i in range(13))
_TAG_BITS = {
    "po:nom": NOUN, "po:adj": ADJ, "po:infi": INF, "po:ppas": PPAS, "po:ppre": PPRE,
    "po:ipre": FINITE, "po:iimp": FINITE, "po:ipsi": FINITE, "po:ifut": FINITE, "po:cond": FINITE,
    "po:spre": FINITE, "po:simp": FINITE, "po:impe": FINITE,
    "po:npr": PROPER, "po:prn": PROPER, "po:patr": PROPER, "po:adv": ADV, "po:negadv": ADV,
    "is:fem": FEM, "is:mas": MAS, "is:sg": SG, "is:pl": PL, "is:epi": FEM | MAS, "is:inv": SG | PL,
}
_FUNCTION_TAGS = ("po:mg", "po:prep", "po:det", "po:pro", "po:cj", "po:loc", "po:nb")


def morph_bits(fields: list[str]) -> int:
    bits = 0
    for field in fields:
        field = field.rstrip("!")
        if field in _TAG_BITS:
            bits |= _TAG_BITS[field]
        elif field.startswith(_FUNCTION_TAGS):
            bits |= FUNC
    return bits


def _split_flags(flags: str) -> list[str]:
    """FLAG long: every flag is two characters."""
    return [flags[i : i + 2] for i in range(0, len(flags), 2)]


def parse_aff(path: Path) -> tuple[dict, dict, dict]:
    """Return (prefixes, suffixes, options); affix tables map flag -> (cross_product, [AffixRule])."""
    prefixes: dict[str, tuple[bool, list[AffixRule]]] = {}
    suffixes: dict[str, tuple[bool, list[AffixRule]]] = {}
    options: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            parts = raw.split()
            if not parts or parts[0].startswith("#"):
                continue
            kind = parts[0]
            if kind in ("PFX", "SFX") and len(parts) >= 4:
                table = prefixes if kind == "PFX" else suffixes
                flag = parts[1]
                if flag not in table and parts[2] in ("Y", "N") and parts[3].isdigit():
                    table[flag] = (parts[2] == "Y", [])
                    continue
                if len(parts) < 5 or flag not in table:
                    continue
                strip = "" if parts[2] == "0" else parts[2]
                add, _, cont = parts[3].partition("/")
                add = "" if add == "0" else add
                cond = parts[4]
                pattern = re.compile(("^" + cond) if kind == "PFX" else (cond + "$")) if cond != "." else re.compile("")
                table[flag][1].append(AffixRule(strip, add, cont, pattern, morph_bits(parts[5:])))
            elif kind in ("NEEDAFFIX", "FORBIDDENWORD", "FLAG", "CIRCUMFIX", "KEEPCASE", "NOSUGGEST") and len(parts) > 1:
                options[kind] = parts[1]
    if options.get("FLAG") != "long":
        raise LexiconUnavailable(path, f"affix file uses FLAG {options.get('FLAG')!r}; only 'long' is supported")
    return prefixes, suffixes, options


def _apply_suffix(word: str, rule: AffixRule) -> Optional[str]:
    if rule.strip and not word.endswith(rule.strip):
        return None
    if not rule.condition.search(word):
        return None
    return word[: len(word) - len(rule.strip)] + rule.add


def _apply_prefix(word: str, rule: AffixRule) -> Optional[str]:
    if rule.strip and not word.startswith(rule.strip):
        return None
    if not rule.condition.search(word):
        return None
    return rule.add + word[len(rule.strip) :]


def expand_dic(dic: Path, aff: Path) -> dict[str, int]:
    """Every word form the dictionary accepts (elided forms excepted) -> its part-of-speech bits."""
    prefixes, suffixes, options = parse_aff(aff)
    need_affix = options.get("NEEDAFFIX", "")
    forbidden = options.get("FORBIDDENWORD", "")
    forms: dict[str, int] = {}
    banned: set[str] = set()

    def add(form: str, bits: int) -> None:
        forms[form] = forms.get(form, 0) | bits

    with dic.open(encoding="utf-8") as handle:
        next(handle, None)  # the first line is the entry count
        for raw in handle:
            fields = raw.split()
            if not fields:
                continue
            stem, _, flag_text = fields[0].partition("/")
            stem_bits = morph_bits(fields[1:])
            flags = _split_flags(flag_text)
            if forbidden and forbidden in flags:
                banned.add(stem)
                continue
            if need_affix not in flags:
                add(stem, stem_bits)
            suffix_forms = _add_suffixed(stem, stem_bits, flags, suffixes, need_affix, add)
            _add_prefixed(stem, stem_bits, flags, prefixes, suffixes, need_affix, suffix_forms, add)
    for form in banned:
        forms.pop(form, None)
    return {f: b for f, b in forms.items() if f and (not ELIDED_PREFIX.search(f) or _is_lexical_apostrophe(f))}


def _add_suffixed(stem: str, stem_bits: int, flags, suffixes: dict, need_affix: str,
                  add: Callable[[str, int], None]) -> list[tuple[str, bool, int]]:
    """The stem's suffixed forms, added with their bits (those whose rule needs a further affix are
    not words alone); returned as (form, may take a cross-product prefix, bits) for the prefixes."""
    suffix_forms: list[tuple[str, bool, int]] = []
    for flag in flags:
        if flag not in suffixes:
            continue
        cross, rules = suffixes[flag]
        for rule in rules:
            form = _apply_suffix(stem, rule)
            if form is None:
                continue
            # A verb's forms carry the suffix's tags (po:ppas...), a noun's the stem's plus is:pl.
            bits = rule.tags | (stem_bits & ~(FEM | MAS | SG | PL) if not rule.tags & (INF | PPAS | PPRE | FINITE) else 0)
            if rule.tags & (FEM | MAS) == 0:
                bits |= stem_bits & (FEM | MAS)
            if rule.tags & (INF | PPAS | PPRE | FINITE) and stem_bits & (NOUN | ADJ) and form == stem:
                bits |= stem_bits
            if need_affix not in _split_flags(rule.flags):
                add(form, bits)
            suffix_forms.append((form, cross, bits))
    return suffix_forms


def _add_prefixed(stem: str, stem_bits: int, flags, prefixes: dict, suffixes: dict, need_affix: str,
                  suffix_forms: list[tuple[str, bool, int]], add: Callable[[str, int], None]) -> None:
    """The stem's prefixed forms (and its suffixed forms' where the prefix combines with them);
    elided prefixes (l', d') are left out: the lexicon holds words, not elisions."""
    for flag in flags:
        if flag not in prefixes:
            continue
        cross, rules = prefixes[flag]
        for rule in rules:
            if ELIDED_PREFIX.search(rule.add):
                continue
            bases = [(stem, stem_bits)] + ([(f, b) for f, c, b in suffix_forms if c] if cross else [])
            cont = _split_flags(rule.flags)
            for base, bits in bases:
                form = _apply_prefix(base, rule)
                if form is None:
                    continue
                if base == stem and need_affix in cont:
                    # the prefix needs a suffix too (kilo- + mètre + s): apply the prefix's own suffixes
                    for cflag in cont:
                        if cflag in suffixes:
                            for srule in suffixes[cflag][1]:
                                sform = _apply_suffix(form, srule)
                                if sform is not None:
                                    add(sform, bits | srule.tags)
                    continue
                add(form, bits)


def _is_lexical_apostrophe(form: str) -> bool:
    """aujourd'hui, prud'homme, presqu'île: an apostrophe inside the word itself, not an elision."""
    head = re.split(r"['’]", form, maxsplit=1)[0].lower()
    return len(head) > 3 and head not in ("jusqu", "lorsqu", "puisqu", "quoiqu", "quelqu")


def find_hunspell() -> tuple[Path, Path]:
    for directory in HUNSPELL_DIRS:
        for name in HUNSPELL_NAMES:
            dic, aff = directory / f"{name}.dic", directory / f"{name}.aff"
            if dic.exists() and aff.exists():
                return dic, aff
    raise LexiconUnavailable(None, "French hunspell dictionary not found (install the Debian package hunspell-fr)")


# --- the compact index --------------------------------------------------------------------------


class Lexicon:
    """Every valid form and what repair needs to know about it, in two plain dicts.

    `entries`: lowercase form -> one int packing the case flags (bits 0-1), the part-of-speech bits
    (bits 2-14) and the wordfreq Zipf frequency x10 (bits 16+); one dict loads faster than three.
    `by_skeleton`: accent-insensitive key -> space-separated forms, most frequent first, stored only
    where the key is not simply the one form itself (most unaccented words), which halves the index.
    `web`: wordfreq Zipf x10 of common words hunspell lacks (email, covid, cégeps).
    """

    def __init__(self, entries: dict[str, int], by_skeleton: dict[str, str], web: dict[str, int]):
        self.entries = entries
        self.by_skeleton = by_skeleton
        self.web = web

    def is_valid(self, token: str) -> bool:
        """hunspell's case rules: lower-case entries accept Capitalised and UPPER; cased ones only themselves or UPPER."""
        lower = token.lower()
        packed = self.entries.get(lower)
        if packed is None:
            return False
        if packed & LOWER_ENTRY:
            return token == lower or token[:1].isupper()
        return token[:1].isupper()

    def has_lower_entry(self, word: str) -> bool:
        return bool(self.entries.get(word.lower(), 0) & LOWER_ENTRY)

    def known(self, token: str) -> bool:
        return self.is_valid(token) or token.lower() in self.web

    def tag(self, word: str) -> int:
        """Part-of-speech bits (NOUN, PPAS...) of every reading of the word; 0 when unknown."""
        return (self.entries.get(word.lower(), 0) >> 2) & 0x3FFF

    def zipf(self, word: str) -> float:
        lower = word.lower()
        packed = self.entries.get(lower)
        if packed is None:
            return self.web.get(lower, 0) / 10
        return (packed >> 16) / 10

    def same_skeleton(self, key: str) -> list[str]:
        found = self.by_skeleton.get(key)
        if found:
            return found.split(" ")
        return [key] if key in self.entries else []


def build_lexicon(dic: Path, aff: Path) -> dict:
    import wordfreq

    forms = expand_dic(dic, aff)
    entries: dict[str, int] = {}
    for form, bits in forms.items():
        if " " in form or len(form) > 40:
            continue
        lower = form.lower()
        entries[lower] = entries.get(lower, 0) | (LOWER_ENTRY if form == lower else CASED_ENTRY) | (bits << 2)
    freq = wordfreq.get_frequency_dict("fr", wordlist="best")
    web: dict[str, int] = {}
    zipf: dict[str, int] = {}
    for word, value in freq.items():
        z = max(0, int(round(wordfreq.freq_to_zipf(value) * 10)))
        word = unicodedata.normalize("NFC", word)
        if word in entries:
            zipf[word] = max(z, zipf.get(word, 0))
        elif z >= 30 and word.replace("-", "").isalpha():
            web[word] = z
    for word, z in zipf.items():
        entries[word] |= z << 16
    groups: dict[str, list[str]] = {}
    for lower in entries:
        groups.setdefault(skeleton(lower), []).append(lower)
    by_skeleton = {
        key: " ".join(sorted(forms_, key=lambda f: -zipf.get(f, 0)))
        for key, forms_ in groups.items()
        if forms_ != [key]
    }
    return {"entries": entries, "by_skeleton": by_skeleton, "web": web}


def cache_dir() -> Path:
    if os.environ.get("BILAN_CACHE_DIR"):
        return Path(os.environ["BILAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bilan"


def cache_key(dic: Path, aff: Path) -> str:
    # The installed version, read from its metadata: importing wordfreq (only a build needs it)
    # costs 0.26 CPU-s, paid by every process that loads the lexicon.
    try:
        wf = _dist_version("wordfreq")
    except ImportError as e:  # importlib.metadata.PackageNotFoundError is an ImportError
        raise LexiconUnavailable(None, "the Python package wordfreq is missing (pip install wordfreq)") from e
    stamp = "-".join(str(int(p.stat().st_size)) for p in (dic, aff))
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"  # marshal's format follows the Python version
    return f"lexicon-fr-v{BUILD_VERSION}-{stamp}-wf{wf}-{py}.marshal"


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


_LOCK = threading.Lock()
_LOADED: Optional[Lexicon] = None


def load_lexicon(rebuild: bool = False) -> Lexicon:
    """The process-wide lexicon: read from the cache, building the cache first if needed."""
    global _LOADED
    with _LOCK:
        if _LOADED is not None and not rebuild:
            return _LOADED
        dic, aff = find_hunspell()
        path = cache_dir() / cache_key(dic, aff)
        data = None
        if path.exists() and not rebuild:
            try:
                data = marshal.loads(path.read_bytes())
            except (ValueError, EOFError, TypeError, OSError):
                data = None  # a truncated or foreign cache file: rebuild it
        if data is None:
            data = build_lexicon(dic, aff)
            _write_cache(path, data)
        _LOADED = Lexicon(data["entries"], data["by_skeleton"], data["web"])
        return _LOADED


def _write_cache(path: Path, data: dict) -> None:
    """Atomic: concurrent first runs (two test workers) never read a half-written cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(marshal.dumps(data))
        os.replace(tmp, path)
        for old in path.parent.glob("lexicon-fr-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)  # caches of older builds or dictionaries
    except OSError:
        pass  # a read-only home: the lexicon still works, it is just rebuilt next time


def main(argv: Iterable[str] | None = None) -> None:
    import time

    start = time.perf_counter()
    lexicon = load_lexicon(rebuild=True)
    built = time.perf_counter() - start
    global _LOADED
    _LOADED = None
    start = time.perf_counter()
    load_lexicon()
    loaded = time.perf_counter() - start
    dic, aff = find_hunspell()
    print(f"{cache_dir() / cache_key(dic, aff)}: {len(lexicon.entries)} forms, {len(lexicon.by_skeleton)} skeletons, "
          f"{len(lexicon.web)} web-only words; built in {built:.1f} s, loads in {loaded:.2f} s")


if __name__ == "__main__":
    main()
