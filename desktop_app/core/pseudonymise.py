"""Pseudonymisation rules: find identifiers in text and replace them, tolerant of case, accents, inflection.

Pure functions over strings. An identifier ("Anna Svensson", "Malmö") matches whole words in any
case, with or without accents ("Malmo"), across any run of spaces, and with a genitive or
possessive ending kept after the pseudonym ("Anna's" -> "[P5]'s", Swedish/German "Annas" ->
"[P5]s"). Longer identifiers win over shorter ones that overlap them ("Anna Svensson" before
"Anna"). Text between :data:`KEEP_START` and :data:`KEEP_END` is left as it is (a hit the user
chose to skip); the markers themselves never reach the output.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

KEEP_START, KEEP_END = "\ue000", "\ue001"  # private-use characters: "keep this as spoken"
# Genitive/possessive endings kept after a pseudonym: English 's / ' and Swedish/German -s.
INFLECTION = r"(?:['\u2019]s|['\u2019]|s)?"


@dataclass(frozen=True)
class PseudonymEntry:
    identifier: str
    pseudonym: str


@dataclass(frozen=True)
class Hit:
    start: int  # character offsets into the text, the ending included
    end: int
    text: str  # as written, e.g. "Annas"
    identifier: str
    pseudonym: str
    suffix: str  # the inflection kept, e.g. "s"

    @property
    def replacement(self) -> str:
        return self.pseudonym + self.suffix


def fold(text: str) -> str:
    """Lower case without accents, one character for one (so offsets stay valid)."""
    return "".join(_fold_char(c) for c in text)


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def _pattern(identifier: str) -> re.Pattern[str]:
    words = [re.escape(fold(w)) for w in identifier.split()]
    return re.compile(r"(?<![\w\ue000])" + r"\s+".join(words) + "(?P<suffix>" + INFLECTION + r")(?![\w])")


def find_hits(text: str, entries: Iterable[PseudonymEntry]) -> list[Hit]:
    """Every place an identifier occurs in ``text``, left to right, never overlapping."""
    folded = fold(text)
    kept = _kept_ranges(text)
    candidates: list[Hit] = []
    for entry in entries:
        if not entry.identifier.split():
            continue
        for match in _pattern(entry.identifier).finditer(folded):
            start, end = match.span()
            if any(a <= start < b for a, b in kept):
                continue
            suffix = text[match.start("suffix") : match.end("suffix")]
            candidates.append(Hit(start, end, text[start:end], entry.identifier, entry.pseudonym, suffix))
    candidates.sort(key=lambda h: (h.start, -(h.end - h.start)))
    hits: list[Hit] = []
    for hit in candidates:
        if not hits or hit.start >= hits[-1].end:
            hits.append(hit)
    return hits


def find_word_hits(words: list[str], entries: Iterable[PseudonymEntry]) -> list[tuple[Hit, list[int]]]:
    """Hits in ``words`` read as one text (joined by spaces), each with the indices of the words it covers.

    A name said over two timed words ("Anna" "Svensson") is found as one hit covering both.
    """
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    return [
        (hit, [i for i, s in enumerate(starts) if s < hit.end and s + len(words[i]) > hit.start])
        for hit in find_hits(" ".join(words), entries)
    ]


def _kept_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(f"{KEEP_START}[^{KEEP_END}]*{KEEP_END}", text)]


def replace_hits(text: str, hits: Iterable[Hit]) -> str:
    """``text`` with each hit replaced by its pseudonym (hits from :func:`find_hits`)."""
    parts: list[str] = []
    position = 0
    for hit in sorted(hits, key=lambda h: h.start):
        parts.append(text[position : hit.start])
        parts.append(hit.replacement)
        position = hit.end
    parts.append(text[position:])
    return "".join(parts)


def keep(text: str) -> str:
    """Mark ``text`` to be left as spoken by :func:`pseudonymise`."""
    return f"{KEEP_START}{text}{KEEP_END}"


def pseudonymise(text: str, entries: Iterable[PseudonymEntry]) -> str:
    """Every identifier replaced; kept spans left as they are, without their markers."""
    replaced = replace_hits(text, find_hits(text, list(entries)))
    return replaced.replace(KEEP_START, "").replace(KEEP_END, "")


# --- suggestions -------------------------------------------------------------------------------

INTRODUCTIONS = re.compile(
    r"\b(?:my\s+name\s+is|my\s+name's|i'm|i\s+am|call\s+me|this\s+is|jag\s+heter|mitt\s+namn\s+är|"
    r"ich\s+heiße|ich\s+heisse|mein\s+name\s+ist)\s+",
    re.IGNORECASE,
)
NAME_TOKEN = r"[A-ZÀ-ÖØ-Þ][\w\-]*"
NAME_AFTER = re.compile(rf"({NAME_TOKEN}(?:\s+{NAME_TOKEN})?)")
CAPITALISED_RUN = re.compile(rf"{NAME_TOKEN}(?:\s+{NAME_TOKEN})*")
SENTENCE_END = re.compile(r"[.!?…:\"“”]\s*$")
POSSESSIVE = re.compile(r"['\u2019]s?$")
# Capitalised words that are not names (English, Swedish, German): pronouns, days, months, fillers.
NOT_NAMES = frozenset(
    re.findall(
        r"\S+",
        """i i'm i've i'll i'd ok okay yes no yeah so and but or um uh mm hmm well oh
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december english swedish german christmas easter god covid
    jag ja nej och men så du vi de den det ich und aber nein doch wir sie er es""",
    )
)
GENERIC_SPEAKERS = re.compile(
    r"^(?:s\d+|speaker\s*\d*|interviewer|interviewee|participant\s*\d*|moderator|facilitator|"
    r"intervjuare|deltagare\s*\d*|unknown speaker)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Suggestion:
    identifier: str
    reason: str  # "introduction" | "speaker" | "capitalised"
    count: int
    example: str = ""


def suggest_identifiers(
    texts: Iterable[str], speaker_names: Iterable[str] = (), known: Iterable[str] = ()
) -> list[Suggestion]:
    """Likely names and places in a study's transcripts, most certain first, minus ``known`` ones."""
    texts = list(texts)
    known_folded = {fold(k) for k in known}
    found: dict[str, tuple[str, str, str]] = {}  # folded -> (identifier, reason, example)
    for name in speaker_names:
        if name and name.strip() and not GENERIC_SPEAKERS.match(name.strip()):
            found.setdefault(fold(name.strip()), (name.strip(), "speaker", ""))
    for text in texts:
        for identifier in _introduced_names(text):
            found.setdefault(fold(identifier), (identifier, "introduction", text))
    for text in texts:
        for identifier in _capitalised_names(text):
            found.setdefault(fold(identifier), (identifier, "capitalised", text))
    order = {"speaker": 0, "introduction": 1, "capitalised": 2}
    suggestions = [
        Suggestion(identifier, reason, _count(identifier, texts), example)
        for key, (identifier, reason, example) in found.items()
        if key not in known_folded
    ]
    return sorted(suggestions, key=lambda s: (order[s.reason], -s.count, s.identifier))


def _introduced_names(text: str) -> list[str]:
    names = []
    for intro in INTRODUCTIONS.finditer(text):
        match = NAME_AFTER.match(text, intro.end())
        if match:
            name = _clean(match.group(1))
            if name and fold(name.split()[0]) not in NOT_NAMES:
                names.append(name)
    return names


def _capitalised_names(text: str) -> list[str]:
    names = []
    for match in CAPITALISED_RUN.finditer(text):
        before = text[: match.start()]
        if not before.strip() or SENTENCE_END.search(before):
            continue  # a sentence start says nothing about a name
        words = [w for w in _clean(match.group(0)).split() if fold(w) not in NOT_NAMES]
        if words and not (len(words) == 1 and len(words[0]) < 2):
            names.append(" ".join(words))
    return names


def _clean(name: str) -> str:
    return " ".join(POSSESSIVE.sub("", word) for word in name.split())


def _count(identifier: str, texts: list[str]) -> int:
    entry = [PseudonymEntry(identifier, "")]
    return sum(len(find_hits(text, entry)) for text in texts)
