"""Planning the repairs of one text: which spans change, to what, by which rule, how surely.

Order of work, each step reading the document's own evidence gathered first (repair_profile):
1. cut the text into chunks and words (repair_tokens); digits, URLs and e-mails are never touched;
2. join words hyphenated across a line break, when the joined word is valid;
3. damaged elisions (`I'`, `|'`, `U'`, a lone `'`, `d’'`) and damaged acronyms (towards known ones);
4. invalid words: the believable reading that clearly beats every other (repair_profile.choose);
5. valid words in context (repair_context).
Edits never overlap and never cross a line break, except a hyphen join, which moves the joined word
to the end of the first line.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Optional

from extractors.french.language import english_spans
from extractors.french.lexicon import Lexicon
from extractors.french.vocabulary import MONTH_NAMES
from extractors.repair.context import Slot, context_changes, decide_a, prefer
from extractors.repair.profile import Profile, believable, build_profile, choose
from extractors.repair.tokens import APOSTROPHES, Chunk, Word, chunks
from extractors.repair.words import candidates, render

VOWEL_OR_H = set("aàâäeéèêëiîïoôöuùûüyhœæAÀÂÄEÉÈÊËIÎÏOÔÖUÙÛÜYHŒÆ")
DAMAGED_ELISION = {"I", "|", "U", "1", ""}
LONE_A_GLYPHS = {"4", "&"}
# Two-character tokens that are a short word misread by glyph (ot/ow for où, 1a for la).
GLYPH_PAIR = re.compile(r"o[tw]|1[a-z]")
# é before consonants and a final mute e (Laromiguiére, Genévre): è in French spelling, names too.
NAME_GRAVE = re.compile(r"é(?=[bcdfgjklmnpqrstvz]{1,2}(?:e|es)$)")  # what an English model writes for a lone à on a typewritten page
MONTHS = set(MONTH_NAMES)  # as printed: repair decides on the accented spelling
SENTENCE_END = re.compile(r"[.!?:;]$")
# Learned prefixes French glues to words without a hyphen, none of them written with an accent.
PREFIXES = ("socio", "inter", "intra", "multi", "pluri", "trans", "auto", "anti", "micro", "macro", "post", "supra",
            "infra", "ultra", "mini", "semi", "psycho", "bio", "geo", "co")


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    after: str
    rule: str
    score: float


@dataclass
class WordRef:
    chunk: Chunk
    word: Word
    line: int


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _word_valid(lexicon: Lexicon, text: str) -> bool:
    return lexicon.is_valid(text) or lexicon.known(text)


def _acronym_key(token: str) -> Optional[str]:
    """MIF| -> MIFI, OllIAQ -> OIAQ (runs of I-like glyphs collapsed): the shape damaged acronyms keep."""
    if not re.fullmatch(r"[A-Z|l1I]{2,10}", token) or sum(c.isupper() for c in token) < 2:
        return None
    return re.sub(r"I+", "I", re.sub(r"[|l1]", "I", token))


def acronym_repair(token: str, targets: set[str]) -> Optional[str]:
    if token in targets or not re.search(r"[|l1]|II", token):
        return None
    key = _acronym_key(token)
    if key is None:
        return None
    matches = {t for t in targets if _acronym_key(t) == key and t != token}
    return matches.pop() if len(matches) == 1 else None


class Planner:
    def __init__(self, text: str, lexicon: Lexicon, profile: Optional[Profile] = None, reaccent: bool = False):
        self.text = text
        self.reaccent = reaccent  # the text is known to be accent-stripped
        self.given_profile = profile  # a whole document's, when this text is one of its pages
        self.lexicon = lexicon
        self.edits: list[Edit] = []
        self.notes: list[str] = []
        self.refs: list[WordRef] = []
        self.chunk_list: list[tuple[int, Chunk]] = []
        self.consumed: set[int] = set()  # word start offsets handled by a hyphen join
        self.after_word: dict[int, str] = {}  # word start -> repaired text
        self.word_at: dict[int, Word] = {}
        self.profile_damaged = False
        self.english_sentences = 0
        self.lone_a: list[tuple[Chunk, int]] = []  # `4` or `&` standing alone, index of the next word
        self.fragments: set[int] = set()  # starts of the pieces of hyphen-cut words

    # -- 1. cut -------------------------------------------------------------------------------
    def cut(self) -> None:
        # Sentences in English (a quoted title, a partner's paragraph) are not French to repair:
        # `in a process` must not become `in à process`. Their words are neither repaired nor counted.
        english = english_spans(self.text)
        self.english_sentences = len(english)
        span_starts = [a for a, _ in english]
        cut_before = False
        previous_chunk: Optional[Chunk] = None
        for number, (start, line) in enumerate(_lines(self.text)):
            for chunk in chunks(line, start):
                at = bisect.bisect_right(span_starts, chunk.start) - 1
                if at >= 0 and chunk.start < english[at][1]:
                    continue
                self.chunk_list.append((number, chunk))
                if chunk.text in LONE_A_GLYPHS:
                    self.lone_a.append((chunk, len(self.refs)))
                if chunk.words and (cut_before or (chunk.text.endswith("-") and not chunk.text.endswith("--"))):
                    # pieces of a word cut by a hyphen (`ta-` `ble`) are no words: the hyphen join may
                    # rebuild the word; otherwise they are left as they are
                    if chunk.text.endswith("-"):
                        self.fragments.add(chunk.words[-1].start)
                    if cut_before:
                        self.fragments.add(chunk.words[0].start)
                if chunk.text.startswith("-") and chunk.words and previous_chunk is not None and previous_chunk.words:
                    last, first_word = previous_chunk.words[-1], chunk.words[0]
                    if self.lexicon.is_valid(last.text + first_word.text) and not self.lexicon.is_valid(last.text):
                        self.fragments.update((last.start, first_word.start))  # géné -ral
                previous_chunk = chunk
                cut_before = chunk.text.endswith("-") and not chunk.text.endswith("--") and bool(chunk.words)
                for first, second in zip(chunk.words, chunk.words[1:]):
                    # a word cut by a hyphen that stayed on one line (géné-ral): its pieces are no words
                    if self.text[first.end : second.start] == "-" and not second.elision \
                            and self.lexicon.is_valid(first.text + second.text) \
                            and not (self.lexicon.is_valid(first.text) and self.lexicon.is_valid(second.text)):
                        self.fragments.update((first.start, second.start))
                for word in chunk.words:
                    self.refs.append(WordRef(chunk, word, number))
                    self.word_at[word.start] = word

    def profile(self) -> Profile:
        return build_profile((r.word.text for r in self.refs), self.lexicon, self.reaccent, self.needs())

    def needs(self) -> Counter:
        """Letters needed by what is not a word: each `4` or `&` between two words is an `à` read so."""
        lone = sum(1 for chunk, after in self.lone_a if 0 < after < len(self.refs))
        return Counter({"à": lone}) if lone else Counter()

    # -- 2. hyphen joins ------------------------------------------------------------------------
    def hyphen_joins(self, profile: Profile) -> None:
        lines = _lines(self.text)
        by_line: dict[int, list[Chunk]] = {}
        for number, chunk in self.chunk_list:
            by_line.setdefault(number, []).append(chunk)
        for number in range(len(lines) - 1):
            first, second = by_line.get(number), by_line.get(number + 1)
            if not first or not second:
                continue
            tail, head = first[-1], second[0]
            if not tail.text.endswith("-") or tail.text.endswith("--") or head.protected or not head.words:
                continue
            if tail.protected or not tail.words:
                continue
            frag1 = tail.words[-1]
            frag2 = head.words[0]
            if len(head.words) > 1 and head.core[len(frag2.text) : len(frag2.text) + 1] == "-":
                continue  # the continuation is itself a compound: leave the layout alone
            if frag2.elision or not frag2.text[:1].islower() or not frag1.text[-1:].isalpha():
                continue
            if tail.start + len(tail.text) - 1 != frag1.end:
                continue  # something stands between the word and its hyphen
            joined = frag1.text + frag2.text
            rule = "hyphen-join"
            if not self.lexicon.is_valid(joined):
                choice = choose(joined, candidates(self.lexicon, joined), profile, self.lexicon)
                if choice is None or choice.score < 0.8:
                    continue
                joined = render(choice.candidate, joined)
                rule = "hyphen-join+" + choice.rule
            line2_start, line2 = lines[number + 1]
            rest_start = head.start + len(head.text)
            while rest_start < line2_start + len(line2) and self.text[rest_start] == " ":
                rest_start += 1
            trailing = self.text[frag2.end : head.start + len(head.text)]
            newline = "\r\n" if self.text[line2_start - 2 : line2_start] == "\r\n" else "\n"
            after = joined + trailing + newline
            self.edits.append(Edit(frag1.start, rest_start, after, rule, 0.9))
            self.consumed.update({frag1.start, frag2.start})

    # -- 3/4. words --------------------------------------------------------------------------------
    def words(self, profile: Profile) -> None:
        # Damaged acronyms are repaired only towards the document's own (MIF| -> MIFI where MIFI is written).
        targets = {a for a in profile.acronyms if re.fullmatch(r"[A-Z]{2,8}", a)}
        for index, ref in enumerate(self.refs):
            word = ref.word
            if word.start in self.consumed:
                continue
            text = word.text
            self._elision(ref)
            if re.fullmatch(r"[A-Z|l1I]+", text) and sum(c.isupper() for c in text) >= 2:
                fixed = acronym_repair(text, targets)
                if fixed:
                    self._set(word, fixed, "acronym", 0.85)
                    continue
                # An upper-case word (QUEBEC) is read as a word; an acronym (MIFI) never.
                if len(text) < 4 or not text.isalpha():
                    continue
            # Web-known tokens (acces, premiere, Etat) still go to choose(), which weighs their own frequency.
            if self.lexicon.is_valid(text) or self._compound_valid(ref) or word.start in self.fragments:
                continue
            letters = sum(c.isalpha() for c in text)
            if letters < 2 or (letters == 2 and not GLYPH_PAIR.fullmatch(text)):
                continue  # fragments (é, Sé, mé, a lone €): too little to read a word from, but `ot`, `1a`
            found = candidates(self.lexicon, text)
            if letters == 2:
                found = tuple(c for c in found if c.glyph_ops)
            # Readings of different kinds (bénéficie/bénéficié): the neighbours decide first.
            if self._by_neighbours(index, text, believable(text, found, profile, self.lexicon)):
                continue
            choice = choose(text, found, profile, self.lexicon)
            if choice is not None:
                self._set(word, render(choice.candidate, text), choice.rule, choice.score)
                continue
            self._current = word.start
            if not found and self._unknown_name(text, profile):
                continue
            if profile.damaged and self._prefixed(word, profile):
                continue
            if profile.damaged:
                self._missing_apostrophe(ref)
        self._ordinals()

    def _previous_words(self, index: int) -> tuple[str, str]:
        """The two words before refs[index] in the same clause (repaired ones as repaired), lower case."""
        out = []
        ref = self.refs[index]
        if ref.word.elision:
            out.append(ref.word.elision.rstrip(APOSTROPHES).lower())
        position = ref.word.elision_start if ref.word.elision else ref.word.start
        j = index - 1
        while len(out) < 2 and j >= 0:
            previous = self.refs[j].word
            if re.search(r"[.!?;:,()«»\"“”]", self.text[previous.end : position]):
                break
            out.append(self.after_word.get(previous.start, previous.text).lower())
            if previous.elision:
                out.append(previous.elision.rstrip(APOSTROPHES).lower())
            position = previous.elision_start if previous.elision else previous.start
            j -= 1
        out += ["", ""]
        return out[0], out[1]

    def _by_neighbours(self, index: int, text: str, options) -> bool:
        """Readings equally believable (bénéficie/bénéficié): the previous words may decide."""
        forms = sorted({c.form for c in options})
        if not 2 <= len(forms) <= 3:
            return False
        prev, prev2 = self._previous_words(index)
        nxt = ""
        if index + 1 < len(self.refs):
            following = self.refs[index + 1].word
            if not re.search(r"[.!?;:,()«»\"“”]", self.text[self.refs[index].word.end : following.start]):
                nxt = following.text.lower()
        picked = prefer(prev, prev2, [""] + forms, self.lexicon, nxt)
        if not picked:
            return False
        candidate = next(c for c in options if c.form == picked)
        self._set(self.refs[index].word, render(candidate, text), "context-accent", 0.7)
        return True

    def _unknown_name(self, text: str, profile: Profile) -> bool:
        """Laromiguiére -> Laromiguière: a name no lexicon knows, with é before consonants and a final
        mute e, in a document whose OCR never writes è. French spells that é as è, names included."""
        if not (text[:1].isupper() and text[1:].islower() and "è" in profile.lost and profile.present["è"] == 0):
            return False
        found = NAME_GRAVE.search(text)
        if not found:
            return False
        fixed = text[: found.start()] + "è" + text[found.start() + 1 :]
        self._set(self.word_at[self._current], fixed, "accent", 0.7)
        return True

    def _prefixed(self, word: Word, profile: Profile) -> bool:
        """socioeconomiques -> socioéconomiques: a learned prefix glued to a word the lexicon knows."""
        lower = word.text.lower()
        for prefix in PREFIXES:
            if lower.startswith(prefix) and len(lower) - len(prefix) >= 5:
                rest = word.text[len(prefix) :]
                if self.lexicon.is_valid(rest):
                    return False
                choice = choose(rest, candidates(self.lexicon, rest), profile, self.lexicon)
                if choice is not None and not choice.candidate.glyph_ops:
                    self._set(word, word.text[: len(prefix)] + render(choice.candidate, rest), "accent", round(choice.score * 0.9, 2))
                    return True
        return False

    def _compound_valid(self, ref: WordRef) -> bool:
        core = ref.chunk.core
        return len(ref.chunk.words) > 1 and self.lexicon.is_valid(core)

    def _set(self, word: Word, after: str, rule: str, score: float) -> None:
        if after != word.text:
            self.after_word[word.start] = after
            self.edits.append(Edit(word.start, word.end, after, rule, score))

    def _elision(self, ref: WordRef) -> None:
        word = ref.word
        if not word.elision:
            return
        head = word.elision.rstrip(APOSTROPHES)
        apostrophes = word.elision[len(head) :]
        start = word.elision_start
        # I' and U' are what an English model reads for l': fixed where the OCR is visibly damaged
        # (old print sometimes really has I'Hôtel, and its transcriptions keep it); | never is a letter.
        if head in DAMAGED_ELISION and word.text[:1] in VOWEL_OR_H and (self.profile_damaged or head == "|"):
            if not (_word_valid(self.lexicon, word.text) or candidates(self.lexicon, word.text)):
                return
            if head == "":
                # A lone apostrophe: only in a document whose OCR is visibly damaged, where a word
                # starts, and not as an opening quote.
                if not self.profile_damaged:
                    return
                line_end = self.text.find("\n", start)
                line_text = self.text[start : line_end if line_end >= 0 else min(len(self.text), start + 2000)]
                if start != ref.chunk.start or re.search(rf"\w[{APOSTROPHES}](?:\s|$)", line_text[1:]):
                    return
                if start > 0 and not self.text[start - 1].isspace():
                    return
            letter = "L" if ref.chunk.start == start and self._sentence_start(start) else "l"
            self.edits.append(Edit(start, word.start, letter + apostrophes[0], "elision", 0.85 if head else 0.75))
        elif len(apostrophes) > 1 and head:
            self.edits.append(Edit(start + len(head), word.start, apostrophes[0], "apostrophe", 0.95))

    def _sentence_start(self, offset: int) -> bool:
        before = self.text[max(0, offset - 200) : offset].rstrip()
        return before == "" or before[-1] in ".!?"

    def _missing_apostrophe(self, ref: WordRef) -> None:
        """limmigration -> l'immigration: an elided article glued to a valid word."""
        text = ref.word.text
        if ref.word.elision or len(text) < 6 or text[0] not in "ld" or text[1] not in VOWEL_OR_H:
            return
        rest = text[1:]
        if self.lexicon.is_valid(rest) and self.lexicon.has_lower_entry(rest) and self.lexicon.zipf(rest) >= 3.0:
            self._set(ref.word, text[0] + "'" + rest, "elision", 0.7)

    def _ordinals(self) -> None:
        """1° avril -> 1er avril: a degree sign read for the superscript of `1er` before a month."""
        for match in re.finditer(r"(?<![\w°])1°(?=\s+(\w+))", self.text):
            if match.group(1).lower() in MONTHS:
                self.edits.append(Edit(match.start(), match.end(), "1er", "ordinal", 0.9))

    # -- 5. context --------------------------------------------------------------------------------
    def context(self, profile: Profile) -> None:
        slots: list[Slot] = []
        starts: list[int] = []
        previous_end = None
        for ref in self.refs:
            word = ref.word
            if word.start in self.consumed or word.start in self.fragments:
                previous_end = None
                continue
            gap = self.text[previous_end : word.elision_start if word.elision else word.start] if previous_end is not None else "."
            broke = bool(re.search(r"[.!?:;,()«»\"“”]", gap)) or previous_end is None
            sentence = previous_end is None or bool(re.search(r"[.!?:]\s*$", gap.strip()) or "\n\n" in gap)
            text = self.after_word.get(word.start, word.text)
            elision = word.elision.rstrip(APOSTROPHES).lower() if word.elision else ""
            if elision in DAMAGED_ELISION - {""} or word.elision[:1] in APOSTROPHES:
                elision = "l"
            slots.append(Slot(text, bool(word.elision), elision, sentence, broke,
                              between_numbers=self._between_numbers(word),
                              after_hyphen=self.text[word.start - 1 : word.start] == "-" and not word.elision,
                              before_hyphen=self.text[word.end : word.end + 1] == "-"))
            starts.append(word.start)
            previous_end = word.end
        slot_of = {start: n for n, start in enumerate(starts)}
        for chunk, after in self.lone_a:
            if chunk.text == "&" and self._ampersand_between_words(chunk):
                self.edits.append(Edit(chunk.start, chunk.start + len(chunk.text), "à", "glyph", 0.8))
            elif "à" in profile.lost and 0 < after < len(self.refs):
                # `4` (or `&`) where the OCR wrote no à: read as `a` between its neighbours, the
                # preposition rules decide (rendiss 4 sa rencontre 4 Arras; not `les 4 membres`).
                change = self._glyph_as_a(chunk, after, slots, slot_of)
                if change is not None:
                    self.edits.append(Edit(chunk.start, chunk.start + len(chunk.text), change.after, "glyph", change.score))
        replaced: set[int] = set()  # word starts whose word-level edit a context change replaces
        changes = []
        for change in context_changes(slots, self.lexicon, profile.lost, profile.evidence):
            start = starts[change.index]
            end = start + len(self._original_word(start))
            if start in self.after_word:
                replaced.add(start)
            changes.append(Edit(start, end, change.after, change.rule, change.score))
        if replaced:  # one pass, not one per change: a long text has thousands of them
            self.edits = [e for e in self.edits if e.start not in replaced]
        self.edits.extend(changes)

    def _ampersand_between_words(self, chunk: Chunk) -> bool:
        """`&` standing for `à` between two lower-case words (maladie & coronavirus, invités & ajouter)."""
        before = self.text[max(0, chunk.start - 30) : chunk.start].split()
        after = self.text[chunk.start + 1 : chunk.start + 31].split()
        if not (before and after and before[-1].isalpha() and before[-1].islower() and after[0][:1].islower()):
            return False
        following = after[0].strip(".,;:").split("'")[-1].split("’")[-1] or "x"
        if len(following) < 2 and "'" not in after[0] and "’" not in after[0]:
            return False  # `collines & s`: a stray letter is no word to reach
        return self.lexicon.is_valid(before[-1].lower()) and self.lexicon.is_valid(following)

    def _glyph_as_a(self, chunk: Chunk, after: int, slots: list[Slot], slot_of: dict[int, int]):
        """decide_a on the glyph's neighbours, the glyph read as `a`."""
        previous, following = self.refs[after - 1].word, self.refs[after].word
        if previous.start not in slot_of or following.start not in slot_of:
            return None
        punct = re.compile(r"[.!?:;,()«»\"“”]")
        if punct.search(self.text[chunk.start + len(chunk.text) : following.start]):
            return None
        # punctuation before the glyph starts a clause with it (distinctifs, & appeler l'attention)
        broke = bool(punct.search(self.text[previous.end : chunk.start]))
        if re.search(r"[.!?\n]", self.text[previous.end : chunk.start]):
            return None  # neither a sentence nor a line starts with the glyph (4 Fournir: a number)
        i, j = slot_of[previous.start], slot_of[following.start]
        window = slots[max(0, i - 1) : i + 1] + [Slot("a", after_break=broke)] + [replace(slots[j], after_break=False)] \
            + slots[j + 1 : j + 2]
        return decide_a(window, min(i, 1) + 1, self.lexicon)

    def _between_numbers(self, word: Word) -> bool:
        """A word standing alone between two numbers on its line (de 9 a 17 h)."""
        before = self.text[max(0, word.start - 12) : word.start]
        after = self.text[word.end : word.end + 12]
        return bool(re.search(r"\d[ \t]+$", before) and re.match(r"[ \t]+\d", after))

    def _original_word(self, start: int) -> str:
        word = self.word_at.get(start)
        return word.text if word else ""

    def run(self) -> tuple[list[Edit], list[str]]:
        self.cut()
        profile = self.given_profile or self.profile()
        if self.english_sentences and not self.refs:
            self.notes.append("left unchanged: does not look like French (it reads as English)")
            return [], self.notes
        if profile.words >= 8 and profile.french_share < 0.55:
            self.notes.append(f"left unchanged: does not look like French ({profile.describe()})")
            return [], self.notes
        if profile.words and profile.strict:
            self.notes.append(f"low lexicon coverage ({profile.french_share:.0%}): archaic or heavily damaged text, "
                              "only repairs backed by the document's own evidence or impossible glyphs")
        self.notes.append(profile.describe())
        if self.english_sentences:
            self.notes.append(f"left {self.english_sentences} stretch(es) of English alone")
        self.profile_damaged = profile.damaged
        self.hyphen_joins(profile)
        self.words(profile)
        if not profile.strict:
            self.context(profile)
        return sorted(self.edits, key=lambda e: e.start), self.notes
