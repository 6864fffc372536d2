"""People, organisations and places in running Kazakh text, found by a linear-chain CRF.

The model was trained with python-crfsuite on KazNERD's validation split (bench/train_ner.py) and ships as
weights per (offset, word attribute) in models/ner.json.gz; tagging needs no crfsuite. Every attribute
describes one word at a fixed offset from the tagged one, so the sum of a word's weights at each offset is
computed once per word and cached: tagging a token costs five vector additions. Only words that can be in a
name are tagged at all — a capitalised word (unless the training text never had it in one: Бүгін,
Елбасы, Президент) and the lower-case words seen inside names after one (облысы, министрлігі, және); the
rest is outside any name, and Viterbi runs over each stretch of candidates between them.
"""

from __future__ import annotations

import gzip
import itertools
import json
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal, NamedTuple, TypeVar

from bot.analysis.lexicon import ORG_HEADS, PLACE_HEADS
from bot.analysis.morphology import lemma

NameKind = Literal["person", "org", "place"]
_KINDS: dict[str, NameKind] = {"PER": "person", "ORG": "org", "LOC": "place"}
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]|\n")
_SENTENCE_END = frozenset(".!?…")
_ENDS = _SENTENCE_END | {"\n"}
_OFFSETS = (-2, -1, 1, 2)
_NEVER = float("-inf")
_OPENERS = frozenset('«"“„–—-:(')

Vector = tuple[float, ...]
_T = TypeVar("_T")
_LEXICON_HEADS = frozenset(lemma(head) for head in (*ORG_HEADS, *PLACE_HEADS) if head.isalpha() and head.islower())


class NameSpan(NamedTuple):
    """A name as written at [start, end) of the text, its words and its kind."""

    start: int
    end: int
    kind: NameKind
    words: tuple[str, ...]


def _shape(word: str) -> str:
    first = word[0]
    if first.isupper():
        return "U" if len(word) > 1 and word.isupper() else "T"
    if first.isdigit():
        return "D"
    return "l" if first.isalpha() else first


@lru_cache(maxsize=131072)
def word_attributes(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the tagger knows of a word: as the tagged word itself, and as a neighbour of it."""
    lower = word.casefold()
    shape = _shape(word)
    stem = lemma(word) if word[0].isalpha() else lower
    own = [f"w={lower}", f"s={shape}", f"x2={lower[-2:]}", f"x3={lower[-3:]}", f"x4={lower[-4:]}", f"st={stem}"]
    own.append(f"p3={lower[:3]}")
    if "-" in word:
        own.append("hy")
    return tuple(own), (f"w={lower}", f"s={shape}", f"x3={lower[-3:]}", f"st={stem}")


def sequence_attributes(tokens: Sequence[str]) -> list[list[str]]:
    """The attributes of every token of one sentence, as the trainer sees them (the tagger adds the same)."""
    rows = []
    for i, word in enumerate(tokens):
        row = ["b", *(f"0:{a}" for a in word_attributes(word)[0])]
        if i == 0:
            row.append("BOS")
        if i == len(tokens) - 1:
            row.append("EOS")
        for k in _OFFSETS:
            if 0 <= i + k < len(tokens):
                row.extend(f"{k}:{a}" for a in word_attributes(tokens[i + k])[1])
        rows.append(row)
    return rows


class WordCache(dict[str, _T]):
    """What is derived from a word, computed on first sight and kept: a plain dict read (`cache[word]`, or
    mapped over a text's tokens) costs much less than calling an lru_cache, and the analysis reads such values
    for most words of a text. Emptied when it holds `limit` words, to bound its memory."""

    def __init__(self, derive: Callable[[str], _T], limit: int) -> None:
        super().__init__()
        self._derive = derive
        self._limit = limit

    def __missing__(self, word: str) -> _T:
        if len(self) >= self._limit:
            self.clear()
        value = self[word] = self._derive(word)
        return value


@dataclass(frozen=True, slots=True)
class _Model:
    labels: tuple[str, ...]
    transitions: tuple[Vector, ...]
    weights: dict[str, Vector]
    inside: frozenset[str]
    heads: frozenset[str]
    never: frozenset[str]
    common: frozenset[str]
    bias: Vector
    bos: Vector
    eos: Vector
    every: tuple[int, ...]  # label indices
    opening: int  # how many labels a stretch may open with: O and the B- labels, which come first
    continues: tuple[bool, ...]  # is each label an I- one (a name's word after its first)
    cannot_open: Vector  # the scores of the I- labels at a stretch's first token
    kinds: tuple[str, ...]  # PER, ORG, LOC of each label ("" for O)
    columns: tuple[tuple[tuple[int, float], ...], ...]  # for each label: (label before it, transition weight)
    from_first: tuple[tuple[tuple[int, float], ...], ...]  # the same without the I- labels before it
    to_outside: Vector  # transition from each label to O
    no_transition: Vector


@cache
def _model() -> _Model:
    raw = resources.files("bot.analysis").joinpath("models/ner.json.gz").read_bytes()
    return build_model(json.loads(gzip.decompress(raw)))


def build_model(data: dict[str, Any]) -> _Model:
    """The tagger from exported weights (as bench/train_ner.py writes them)."""
    labels = tuple(data["labels"])
    zero = (0.0,) * len(labels)
    weights = {attribute: tuple(vector) for attribute, vector in data["weights"].items()}
    transitions = tuple(tuple(row) for row in data["transitions"])
    every = tuple(range(len(labels)))
    opening = sum(not label.startswith("I-") for label in labels)
    if any(label.startswith("I-") for label in labels[:opening]):
        raise ValueError("the exported labels must put O and the B- labels before the I- labels")
    columns = tuple(tuple((x, transitions[x][y]) for x in every if _allowed(labels[x], labels[y])) for y in every)
    return _Model(
        labels=labels,
        transitions=transitions,
        weights=weights,
        inside=frozenset(word for word in data["inside"] if word.isalpha()),
        heads=frozenset(data["heads"]) | _LEXICON_HEADS,
        never=frozenset(data["never"]),
        common=frozenset(data.get("common", ())),
        bias=weights.get("b", zero),
        bos=weights.get("BOS", zero),
        eos=weights.get("EOS", zero),
        every=every,
        opening=opening,
        continues=tuple(label.startswith("I-") for label in labels),
        cannot_open=(_NEVER,) * (len(labels) - opening),
        kinds=tuple(label[2:] for label in labels),
        columns=columns,
        from_first=tuple(tuple((x, weight) for x, weight in column if x < opening) for column in columns),
        to_outside=tuple(row[0] for row in transitions),
        no_transition=zero,
    )


def _sum(vectors: Sequence[Vector]) -> Vector:
    return tuple(map(sum, zip(*vectors, strict=True)))


def _word_vectors(word: str) -> tuple[Vector, Vector, Vector, Vector, Vector]:
    """A word's summed weights at each offset k from the tagged token, found at index k of the tuple (so -1 and
    -2 index from its end; 0: the word itself, with the constant)."""
    model = _model()
    own, context = word_attributes(word)
    zero = (0.0,) * len(model.labels)
    mine = _sum([zero, model.bias, *(model.weights[f"0:{a}"] for a in own if f"0:{a}" in model.weights)])
    at = {
        k: _sum([zero, *(model.weights[f"{k}:{a}"] for a in context if f"{k}:{a}" in model.weights)]) for k in _OFFSETS
    }
    return mine, at[1], at[2], at[-2], at[-1]


_VECTORS = WordCache(_word_vectors, 131072)


def tag(text: str) -> list[NameSpan]:
    """Names in `text`, in order, with their character spans."""
    model = _model()
    matches = list(_TOKEN.finditer(text))
    tokens = list(map(operator.itemgetter(0), matches))
    ends = _sentence_ends(tokens)
    found = []
    for first, last in _candidate_runs(tokens, ends, model):
        for begin, end, kind in _decode(tokens, ends, first, last, model):
            found.append(
                NameSpan(matches[begin].start(), matches[end - 1].end(), _KINDS[kind], tuple(tokens[begin:end]))
            )
    return found


def _sentence_ends(tokens: list[str]) -> list[bool]:
    """For each token: is it a line end, or a . ! ? … that closes a sentence (not the dot after an initial,
    Қ. Тоқаев)? Found once per text, as the tagger asks it of most tokens several times."""
    ends = list(map(_ENDS.__contains__, tokens))
    for i in itertools.compress(itertools.count(), ends):
        if i > 0 and tokens[i] != "\n" and len(tokens[i - 1]) == 1 and tokens[i - 1].isupper():
            ends[i] = False
    return ends


def _candidate_runs(tokens: list[str], ends: list[bool], model: _Model) -> list[tuple[int, int]]:
    """Stretches [first, last] of tokens that may be in a name: a capitalised word not known to stand
    outside names, then capitalised words and the lower-case words that continue names (облысы, және) or
    lead to a head noun that closes one (бірыңғай зейнетақы қоры)."""
    runs: list[tuple[int, int]] = []
    last = -1
    capitalised = list(map(str.isupper, map(operator.itemgetter(0), tokens)))
    for i in itertools.compress(itertools.count(), capitalised):
        if i <= last or not _may_open(tokens, ends, i):
            continue
        last = i
        while last + 1 < len(tokens):
            following = tokens[last + 1]
            if capitalised[last + 1]:
                if following in model.never:
                    break
            elif not (_INSIDE[following] or _head_follows(tokens, last + 1)):
                break
            last += 1
        runs.append((i, last))
    return runs


_OPENS, _COMMON, _OUTSIDE = range(3)


def _standing(token: str) -> int:
    """How a capitalised word stands to names: _OUTSIDE, known to stand outside them (Бүгін, Президент);
    _COMMON, a word the training text had often in lower case and never in a name, which opens a name only
    within a sentence; _OPENS, any other."""
    model = _model()
    if token in model.never:
        return _OUTSIDE
    return _COMMON if token.casefold() in model.common else _OPENS


_STANDING = WordCache(_standing, 65536)


def _may_open(tokens: list[str], ends: list[bool], i: int) -> bool:
    """Can a name start at capitalised token i? Not a word known to stand outside names (Бүгін, Президент),
    nor a common word capitalised only because it opens a sentence («Мазмұны …»)."""
    standing = _STANDING[tokens[i]]
    if standing != _COMMON:
        return standing == _OPENS
    return not (i == 0 or ends[i - 1] or tokens[i - 1] in _OPENERS)  # the start of a sentence


def _inside(token: str) -> bool:
    """Does this lower-case word continue a name (облысы, және, or a head noun)?"""
    model = _model()
    lower = token.casefold()
    return lower in model.inside or (lower.isalpha() and lemma(lower) in model.heads)


_INSIDE = WordCache(_inside, 65536)


def is_common_word(word: str) -> bool:
    """Is this a word the training text had often in lower case and never in a name (бүгін, орта, шығыс)?"""
    model = _model()
    return word in model.never or word.casefold() in model.common


def is_name_head(word: str) -> bool:
    """Does this lower-case word close names of several words (облысы, министрлігі, қоры)?"""
    return word.isalpha() and lemma(word) in _model().heads


def _head_follows(tokens: list[str], i: int, *, reach: int = 3) -> bool:
    """Does a head noun (қоры, палатасы, облысы) close the lower-case words from token i on?"""
    for token in tokens[i : i + reach + 1]:
        head = _HEAD_OR_STOP[token]
        if head is not None:
            return head
    return False


def _head_or_stop(token: str) -> bool | None:
    """For `_head_follows`: True for a head noun, False for what ends the search (not a lower-case word), None
    for a lower-case word it reads past."""
    if not token.isalpha() or token[0].isupper():
        return False
    return True if lemma(token) in _model().heads else None


_HEAD_OR_STOP = WordCache(_head_or_stop, 65536)


def _context(tokens: list[str], ends: list[bool], i: int, model: _Model) -> tuple[Vector, ...]:
    """What the tagger adds up for token i: the word's own weights, and its neighbours' (within the sentence)
    at offsets -2, -1, +1 and +2 from it."""
    zero = model.no_transition
    n = len(tokens)
    if i == 0 or ends[i - 1]:
        a, b = zero, model.bos
    else:
        b = _VECTORS[tokens[i - 1]][-1]
        a = zero if i == 1 or ends[i - 2] else _VECTORS[tokens[i - 2]][-2]
    if i + 1 == n or tokens[i + 1] == "\n":
        c, d = model.eos, zero
    else:
        c = _VECTORS[tokens[i + 1]][1]
        stop = i + 2 == n or tokens[i + 2] == "\n" or ends[i + 1]
        d = zero if stop else _VECTORS[tokens[i + 2]][2]
    return _VECTORS[tokens[i]][0], a, b, c, d


def _decode(tokens: list[str], ends: list[bool], first: int, last: int, model: _Model) -> list[tuple[int, int, str]]:
    """Viterbi over tokens[first..last], with outside-name tokens on both sides; the names found in it. Each
    emission is own + a + b + c + d in this order: the same sums as crfsuite's."""
    # An outside token before the stretch brings its transition, one after it too; a sentence's ends have none.
    opening = model.no_transition if first == 0 or ends[first - 1] else model.transitions[0]
    at_end = last + 1 == len(tokens) or tokens[last + 1] == "\n"
    closing = model.no_transition if at_end else model.to_outside
    own, a, b, c, d = _context(tokens, ends, first, model)
    if first == last:  # most stretches are one word: it takes O or a B- label (these come first), never an I-
        label, best = 0, _NEVER
        for y in range(model.opening):
            value = opening[y] + (own[y] + a[y] + b[y] + c[y] + d[y]) + closing[y]
            if value > best:
                label, best = y, value
        return [(first, first + 1, model.kinds[label])] if label else []
    # the first token cannot take an I- label either
    score = [opening[y] + (own[y] + a[y] + b[y] + c[y] + d[y]) for y in range(model.opening)]
    score.extend(model.cannot_open)
    back: list[list[int]] = []
    columns = model.from_first  # no path comes from the first token's I- labels
    for i in range(first + 1, last + 1):
        row, new = [], []
        own, a, b, c, d = _context(tokens, ends, i, model)
        for y in model.every:
            best_x, best = 0, _NEVER
            for x, weight in columns[y]:
                value = score[x] + weight
                if value > best:
                    best_x, best = x, value
            row.append(best_x)
            new.append(best + (own[y] + a[y] + b[y] + c[y] + d[y]))
        back.append(row)
        score, columns = new, model.columns
    return _spans(model, _best_path(score, closing, back), first)


def _best_path(score: list[float], closing: Vector, back: list[list[int]]) -> list[int]:
    """The labels of the best path, from the last token's scores back through each token's best label before."""
    final = [s + c for s, c in zip(score, closing, strict=True)]
    y = final.index(max(final))  # the first of equals, as a strict > over the labels in order takes it
    path = [y]
    for row in reversed(back):
        y = row[y]
        path.append(y)
    path.reverse()
    return path


def _allowed(before: str, label: str) -> bool:
    """IOB2: a name continues (I-) only right after its own kind."""
    return not label.startswith("I-") or before[2:] == label[2:]


def _spans(model: _Model, path: list[int], first: int) -> list[tuple[int, int, str]]:
    """[begin, end) token ranges and kinds of the names on a label path that starts at token `first`."""
    spans: list[tuple[int, int, str]] = []
    start = -1
    for offset, y in enumerate(path):
        if start >= 0 and not model.continues[y]:
            spans.append((first + start, first + offset, model.kinds[path[start]]))
            start = -1
        if model.kinds[y] and not model.continues[y]:
            start = offset
    if start >= 0:
        spans.append((first + start, first + len(path), model.kinds[path[start]]))
    return spans
