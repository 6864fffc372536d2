"""Rebuild the models shipped in bot/analysis/models/ from KazNERD's validation split (and nothing else).

    pip install -e ".[train]"
    python bench/train_ner.py ../shared/eval/datasets/kaznerd/IOB2_valid.txt

Two files come out:
- `stems.txt.gz`: for every stem the Kazakh noun endings could leave of the split's word forms, how many
  distinct forms share it (its paradigm). `morphology.lemma` picks the stem with the largest paradigm.
- `ner.json.gz`: a linear-chain CRF (python-crfsuite, L1+L2) over people, organisations and places, exported
  as weights per (offset, word attribute) so the bot tags text without crfsuite (see bot/analysis/ner.py).

KazNERD tags are mapped to three kinds: PERSON → person, ORGANISATION → org, GPE and LOCATION → place (a
country, a city, a region, a river or a mountain range are all places a reader looks up); the other 21 tags
(dates, positions, facilities, works of art …) are outside.
KazNERD: Yeshpanov, Khassanov, Varol, LREC 2022, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.analysis.morphology import analyses, lemma

MODELS = Path(__file__).resolve().parents[1] / "bot" / "analysis" / "models"
KINDS = {"PERSON": "PER", "ORGANISATION": "ORG", "GPE": "LOC", "LOCATION": "LOC"}


def read_iob(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of (token, tag) with KazNERD's tags mapped to PER/ORG/LOC (others become O)."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        token, tag = line.rsplit(" ", 1)
        kind = KINDS.get(tag[2:]) if tag != "O" else None
        current.append((token, f"{tag[:2]}{kind}" if kind else "O"))
    if current:
        sentences.append(current)
    return sentences


def build_stems(sentences: list[list[tuple[str, str]]]) -> dict[str, int]:
    """Paradigm sizes: for each possible stem, the number of distinct attested forms that can be cut to it."""
    forms = {token.casefold() for sentence in sentences for token, _ in sentence if token.isalpha()}
    sizes: Counter[str] = Counter()
    for form in forms:
        for stem in analyses(form):
            sizes[stem] += 1
    return dict(sizes)


def write_stems(sizes: dict[str, int]) -> Path:
    path = MODELS / "stems.txt.gz"
    lines = "".join(f"{stem}\t{count}\n" for stem, count in sorted(sizes.items()) if count >= 1)
    path.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    return path


def train_tagger(sentences: list[list[tuple[str, str]]], *, c1: float, c2: float, iterations: int) -> dict:
    """Train the CRF and return the exported model (labels, transitions, weights, word lists)."""
    import pycrfsuite

    from bot.analysis.ner import sequence_attributes

    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in sentences:
        tokens = [token for token, _ in sentence]
        trainer.append(sequence_attributes(tokens), [tag for _, tag in sentence])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as tmp:
        model_path = str(Path(tmp) / "ner.crfsuite")
        trainer.train(model_path)
        tagger = pycrfsuite.Tagger()
        tagger.open(model_path)
        info = tagger.info()
        labels = sorted(tagger.labels(), key=lambda label: (label != "O", label))
    weights: dict[str, list[float]] = {}
    for (attribute, label), weight in info.state_features.items():
        if abs(weight) >= 1e-3:
            weights.setdefault(attribute, [0.0] * len(labels))[labels.index(label)] = round(weight, 3)
    transitions = [[round(info.transitions.get((a, b), 0.0), 3) for b in labels] for a in labels]
    return {
        "labels": labels,
        "transitions": transitions,
        "weights": weights,
        "inside": sorted(_inside_words(sentences)),
        "heads": sorted(_head_lemmas(sentences)),
        "never": sorted(_never_words(sentences)),
        "common": sorted(_common_words(sentences)),
    }


def _inside_words(sentences: list[list[tuple[str, str]]]) -> set[str]:
    """Lower-case words seen inside a name (облысы, министрлігі, және …): the tagger looks at them after a
    capitalised word; everything else in lower case is outside any name."""
    return {token.casefold() for s in sentences for token, tag in s if tag.startswith("I-") and not token[:1].isupper()}


def _head_lemmas(sentences: list[list[tuple[str, str]]]) -> set[str]:
    """Lemmas of the lower-case words that close a name of several words (облысы, министрлігі, қоры)."""
    heads = set()
    for sentence in sentences:
        for i, (token, tag) in enumerate(sentence):
            closes = i + 1 == len(sentence) or not sentence[i + 1][1].startswith("I-")
            if tag.startswith("I-") and closes and token.isalpha() and token.islower():
                heads.add(lemma(token))
    return heads


def _common_words(sentences: list[list[tuple[str, str]]], *, at_least: int = 2) -> set[str]:
    """Words seen at least `at_least` times in lower case and never capitalised inside a name: at the start
    of a sentence their capital letter says nothing."""
    lower: Counter[str] = Counter()
    named: set[str] = set()
    for sentence in sentences:
        for token, tag in sentence:
            if token.islower():
                lower[token] += 1
            elif tag != "O":
                named.add(token.casefold())
    return {word for word, count in lower.items() if count >= at_least and word not in named}


def _never_words(sentences: list[list[tuple[str, str]]], *, at_least: int = 3) -> set[str]:
    """Capitalised words seen at least `at_least` times and never in a name (Бүгін, Елбасы, Президент)."""
    seen: Counter[str] = Counter()
    named: set[str] = set()
    for sentence in sentences:
        for token, tag in sentence:
            if token[:1].isupper():
                seen[token] += 1
                if tag != "O":
                    named.add(token)
    return {token for token, count in seen.items() if count >= at_least and token not in named}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("valid", type=Path, help="KazNERD IOB2_valid.txt")
    parser.add_argument("--c1", type=float, default=0.05)
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--stems-only", action="store_true")
    args = parser.parse_args()
    sentences = read_iob(args.valid)
    started = time.perf_counter()
    stems = write_stems(build_stems(sentences))
    print(f"{stems}: {stems.stat().st_size:,} bytes")
    if args.stems_only:
        return 0
    model = train_tagger(sentences, c1=args.c1, c2=args.c2, iterations=args.iterations)
    path = MODELS / "ner.json.gz"
    data = json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0))
    print(f"{path}: {path.stat().st_size:,} bytes, {len(model['weights']):,} attributes")
    print(f"trained in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
