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
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from bot.analysis.lexicon import ORG_HEADS, PLACE_HEADS
from bot.analysis.morphology import lemma

NameKind = Literal["person", "org", "place"]
_KINDS: dict[str, NameKind] = {"PER": "person", "ORG": "org", "LOC": "place"}
# Each match is the space before a token and the token, so the matches tile the text and give each offset.
_TOKEN = re.compile(r"([^\S\n]*)(\w+(?:[-'’]\w+)*|[^\w\s]|\n)")
_SENTENCE_END = frozenset(".!?…")
_OFFSETS = (-2, -1, 1, 2)
_OPENERS = frozenset('«"“„–—-:(')

Vector = tuple[float, ...]
_LEXICON_HEADS = frozenset(lemma(head) for head in (*ORG_HEADS, *PLACE_HEADS) if head.isalpha() and head.islower())


@dataclass(frozen=True, slots=True)
class NameSpan:
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
    beginnings: tuple[int, ...]  # O and the B- labels
    predecessors: tuple[tuple[int, ...], ...]  # for each label, the labels that may stand before it
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
    return _Model(
        labels=labels,
        transitions=transitions,
        weights=weights,
        inside=frozenset(data["inside"]),
        heads=frozenset(data["heads"]) | _LEXICON_HEADS,
        never=frozenset(data["never"]),
        common=frozenset(data.get("common", ())),
        bias=weights.get("b", zero),
        bos=weights.get("BOS", zero),
        eos=weights.get("EOS", zero),
        every=every,
        beginnings=tuple(y for y in every if not labels[y].startswith("I-")),
        predecessors=tuple(tuple(x for x in every if _allowed(labels[x], labels[y])) for y in every),
        to_outside=tuple(row[0] for row in transitions),
        no_transition=zero,
    )


def _sum(vectors: Sequence[Vector]) -> Vector:
    return tuple(map(sum, zip(*vectors, strict=True)))


@lru_cache(maxsize=131072)
def _word_vectors(word: str) -> dict[int, Vector]:
    """A word's summed weights at each offset from the tagged token (0: the word itself, with the constant)."""
    model = _model()
    own, context = word_attributes(word)
    zero = (0.0,) * len(model.labels)
    vectors = {0: _sum([zero, model.bias, *(model.weights[f"0:{a}"] for a in own if f"0:{a}" in model.weights)])}
    for k in _OFFSETS:
        found = [model.weights[f"{k}:{a}"] for a in context if f"{k}:{a}" in model.weights]
        vectors[k] = _sum([zero, *found])
    return vectors


def tag(text: str) -> list[NameSpan]:
    """Names in `text`, in order, with their character spans."""
    model = _model()
    found = []
    for tokens, starts in _sentences(_TOKEN.findall(text)):
        for first, last in _candidate_runs(tokens, model):
            for begin, end, kind in _decode(tokens, first, last, model):
                span_end = starts[end - 1] + len(tokens[end - 1])
                found.append(NameSpan(starts[begin], span_end, _KINDS[kind], tuple(tokens[begin:end])))
    return found


def _sentences(pieces: list[tuple[str, str]]) -> list[tuple[list[str], list[int]]]:
    """Tokens and their offsets, cut into sentences at line ends and at . ! ? … (not after an initial)."""
    sentences: list[tuple[list[str], list[int]]] = []
    tokens: list[str] = []
    starts: list[int] = []
    position = 0
    for space, token in pieces:
        position += len(space)
        if token == "\n":
            position += 1
            if tokens:
                sentences.append((tokens, starts))
                tokens, starts = [], []
            continue
        tokens.append(token)
        starts.append(position)
        position += len(token)
        if token in _SENTENCE_END and not (len(tokens) > 1 and len(tokens[-2]) == 1 and tokens[-2].isupper()):
            sentences.append((tokens, starts))
            tokens, starts = [], []
    if tokens:
        sentences.append((tokens, starts))
    return sentences


def _candidate_runs(tokens: list[str], model: _Model) -> list[tuple[int, int]]:
    """Stretches [first, last] of tokens that may be in a name: a capitalised word not known to stand
    outside names, then the lower-case words that continue names (облысы, және) or lead to a head noun
    that closes one (бірыңғай зейнетақы қоры)."""
    runs: list[tuple[int, int]] = []
    start = -1
    for i, token in enumerate(tokens):
        if token[0].isupper() and token not in model.never:
            if start < 0 and (i == 0 or tokens[i - 1] in _OPENERS) and token.casefold() in model.common:
                continue  # «Бүгін», «Мазмұны» opening a sentence: capitalised only for that
            if start < 0:
                start = i
        elif start >= 0 and not (_inside(token, model) or _head_follows(tokens, i, model)):
            runs.append((start, i - 1))
            start = -1
    if start >= 0:
        runs.append((start, len(tokens) - 1))
    return runs


def _inside(token: str, model: _Model) -> bool:
    lower = token.casefold()
    return lower in model.inside or (lower.isalpha() and lemma(lower) in model.heads)


def _head_follows(tokens: list[str], i: int, model: _Model, *, reach: int = 3) -> bool:
    """Does a head noun (қоры, палатасы, облысы) close the lower-case words from token i on?"""
    for token in tokens[i + 1 : i + 1 + reach]:
        if not token.isalpha() or token[0].isupper():
            return False
        if lemma(token) in model.heads:
            return True
    return False


def _emission(tokens: list[str], i: int, model: _Model) -> Vector:
    """The tagged word's own weights plus its neighbours' (within the sentence) at their offsets."""
    zero = model.no_transition
    n = len(tokens)
    own = _word_vectors(tokens[i])[0]
    a = _word_vectors(tokens[i - 2])[-2] if i >= 2 else zero
    b = _word_vectors(tokens[i - 1])[-1] if i >= 1 else model.bos
    c = _word_vectors(tokens[i + 1])[1] if i + 1 < n else model.eos
    d = _word_vectors(tokens[i + 2])[2] if i + 2 < n else zero
    return tuple(map(_add5, own, a, b, c, d))


def _add5(a: float, b: float, c: float, d: float, e: float) -> float:
    return a + b + c + d + e


def _decode(tokens: list[str], first: int, last: int, model: _Model) -> list[tuple[int, int, str]]:
    """Viterbi over tokens[first..last], with outside-name tokens on both sides; the names found in it."""
    labels, trans = model.labels, model.transitions
    # An outside token before the stretch brings its transition, one after it too; a sentence's ends have none.
    opening = trans[0] if first > 0 else model.no_transition
    closing = model.to_outside if last < len(tokens) - 1 else model.no_transition
    emission = _emission(tokens, first, model)
    if first == last:  # most stretches are one word: no I- label can stand alone
        label = max(model.beginnings, key=lambda y: opening[y] + emission[y] + closing[y])
        return [] if label == 0 else [(first, first + 1, labels[label][2:])]
    score = [opening[y] + emission[y] if not labels[y].startswith("I-") else float("-inf") for y in model.every]
    back: list[list[int]] = []
    for i in range(first + 1, last + 1):
        emission = _emission(tokens, i, model)
        row, new = [], []
        for y, before in enumerate(model.predecessors):
            best_x, best = 0, float("-inf")
            for x in before:
                value = score[x] + trans[x][y]
                if value > best:
                    best_x, best = x, value
            row.append(best_x)
            new.append(best + emission[y])
        back.append(row)
        score = new
    y = max(model.every, key=lambda label: score[label] + closing[label])
    path = [y]
    for row in reversed(back):
        y = row[y]
        path.append(y)
    path.reverse()
    return _spans([labels[y] for y in path], first)


def _allowed(before: str, label: str) -> bool:
    """IOB2: a name continues (I-) only right after its own kind."""
    return not label.startswith("I-") or before[2:] == label[2:]


def _spans(path: list[str], first: int) -> list[tuple[int, int, str]]:
    """[begin, end) token ranges and kinds of the names on a label path that starts at token `first`."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for offset, label in enumerate([*path, "O"]):
        if start >= 0 and not label.startswith("I-"):
            spans.append((first + start, first + offset, kind))
            start = -1
        if label.startswith("B-"):
            start, kind = offset, label[2:]
    return spans
