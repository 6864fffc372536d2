"""Measure names and word forms against third-party gold, and what they cost.

    python bench/evaluate_names.py [--kaznerd DIR] [--ud DIR] [--details N] [--skip-jsonl]

(DIR defaults: ../shared/eval/datasets/kaznerd and ../shared/eval/datasets/ud_kazakh_ktb)

- KazNERD test split (the tagger learnt only from the validation split): exact-span precision, recall and F1 of
  people, organisations and places as `extract_entities` finds them in each sentence (tokens joined by
  spaces). KazNERD's PERSON → person, ORGANISATION → org, GPE and LOCATION → place; its other tags are not
  names the bot keeps (dates, positions, facilities, works …) and are ignored.
- UD Kazakh-KTB: `lemma` of every NOUN and PROPN token against the gold lemma, case-folded. The rules were
  developed on the even-numbered sentences of the test file; the odd-numbered ones were held out, and the
  table gives both halves and the whole.
- Cost: `extract_entities` on a 4,000-character text (median of warm runs), beside the whole
  `analyze_article` on the same text.
- `aikyn-bot analyze --jsonl` throughput: 11,000 short records through the real command.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.train_ner import read_iob
from bot.analysis import analyze_article
from bot.analysis.entities import extract_entities
from bot.analysis.morphology import lemma
from bot.analysis.names import find_people
from bot.analysis.ner import tag as tag_names

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
KINDS = {"PER": "person", "ORG": "org", "LOC": "place"}
TARGETS = {"person": 0.85, "micro": 0.80}


def _gold_spans(sentence: list[tuple[str, str]]) -> tuple[str, set[tuple[int, int, str]]]:
    """The sentence as text (tokens joined by spaces) and its gold names as character spans."""
    starts, position = [], 0
    for token, _ in sentence:
        starts.append(position)
        position += len(token) + 1
    text = " ".join(token for token, _ in sentence)
    spans: set[tuple[int, int, str]] = set()
    begin, kind = -1, ""
    for i, (_, tag) in enumerate([*sentence, ("", "O")]):
        if begin >= 0 and not (tag.startswith("I-") and tag[2:] == kind):
            last = sentence[i - 1][0]
            spans.add((starts[begin], starts[i - 1] + len(last), KINDS[kind]))
            begin = -1
        if tag.startswith("B-") or (tag.startswith("I-") and begin < 0):
            begin, kind = i, tag[2:]
    return text, spans


def evaluate_kaznerd(path: Path, details: int) -> dict[str, tuple[float, float, float, int]]:
    counts: Counter[tuple[str, str]] = Counter()
    misses: list[str] = []
    for sentence in read_iob(path):
        text, gold = _gold_spans(sentence)
        predicted = {(s, e, entity.kind) for entity in extract_entities(text) for s, e in entity.spans}
        for kind in KINDS.values():
            p = {x for x in predicted if x[2] == kind}
            g = {x for x in gold if x[2] == kind}
            counts[kind, "tp"] += len(p & g)
            counts[kind, "predicted"] += len(p)
            counts[kind, "gold"] += len(g)
        if details and predicted != gold and len(misses) < details:
            extra = sorted(f"+{text[s:e]}/{k}" for s, e, k in predicted - gold)
            missed = sorted(f"-{text[s:e]}/{k}" for s, e, k in gold - predicted)
            misses.append(f"{' '.join(extra + missed)}   | {text[:150]}")
    for line in misses:
        print(line)
    table = {}
    for kind in [*KINDS.values(), "micro"]:
        kinds = list(KINDS.values()) if kind == "micro" else [kind]
        tp = sum(counts[k, "tp"] for k in kinds)
        predicted = sum(counts[k, "predicted"] for k in kinds)
        gold = sum(counts[k, "gold"] for k in kinds)
        p = tp / predicted if predicted else 0.0
        r = tp / gold if gold else 0.0
        table[kind] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, gold)
    return table


def _ud_sentences(path: Path) -> list[list[list[str]]]:
    sentences: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line:
            if current:
                sentences.append(current)
                current = []
        elif not line.startswith("#"):
            columns = line.split("\t")
            if columns[0].isdigit():
                current.append(columns)
    if current:
        sentences.append(current)
    return sentences


def evaluate_ud(path: Path) -> dict[str, tuple[float, int]]:
    """Lemma accuracy on nouns and proper nouns: development half, held-out half, all."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for index, sentence in enumerate(_ud_sentences(path)):
        part = "held-out (odd sentences)" if index % 2 else "development (even sentences)"
        for columns in sentence:
            if columns[3] in ("NOUN", "PROPN"):
                ok = lemma(columns[1]) == columns[2].casefold()
                for key in (part, "all"):
                    total[key] += 1
                    right[key] += ok
    return {key: (right[key] / total[key], total[key]) for key in total}


def _cpu_ms(run: Callable[[], object], repeats: int = 200) -> tuple[float, float]:
    """Median and fastest thread CPU time of warm runs, in ms (the fastest shows the cost without the other
    sessions that share this machine's two cores)."""
    run()
    times = []
    for _ in range(repeats):
        started = time.thread_time()
        run()
        times.append(time.thread_time() - started)
    return statistics.median(times) * 1000, min(times) * 1000


def _sample_text(length: int = 4000) -> str:
    text = ""
    for path in sorted((SHARED / "corpus").glob("*.txt")) or sorted((ROOT / "seeds").glob("*.txt")):
        text += "\n" + path.read_text(encoding="utf-8")
        if len(text) >= length:
            break
    return text[:length]


def measure_cost() -> dict[str, tuple[float, float]]:
    """Milliseconds of thread CPU time (median of warm runs) per 4,000 characters."""
    text = _sample_text()
    people = find_people(text, strict=False)
    return {
        "tagger alone (ner.tag)": _cpu_ms(lambda: tag_names(text)),
        "extract_entities as analyze_article calls it (names already found)": _cpu_ms(
            lambda: extract_entities(text, people)
        ),
        "whole analyze_article": _cpu_ms(lambda: analyze_article("Тақырып", "", text)),
    }


def measure_jsonl(records: int = 11_000) -> tuple[float, float, int]:
    """Wall and CPU seconds for `aikyn-bot analyze --jsonl` over `records` short records (one bad line)."""
    text = _sample_text(600)
    lines = [
        json.dumps({"title": f"Жаңалық {i}", "lead": "", "body": text[i % 300 :]}, ensure_ascii=False)
        for i in range(records - 1)
    ]
    lines.insert(records // 2, "{not json")
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "analyze", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_PATH": "/nonexistent/x"},
    )
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
    return elapsed, cpu, len(result.stdout.splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kaznerd", type=Path, default=SHARED / "eval" / "datasets" / "kaznerd")
    parser.add_argument("--ud", type=Path, default=SHARED / "eval" / "datasets" / "ud_kazakh_ktb")
    parser.add_argument("--details", type=int, default=0, help="print this many KazNERD sentences with errors")
    parser.add_argument("--skip-jsonl", action="store_true")
    args = parser.parse_args()
    table = evaluate_kaznerd(args.kaznerd / "IOB2_test.txt", args.details)
    print("KazNERD test split, exact spans (learnt from the validation split only)\n")
    print("| kind | precision | recall | F1 | gold | target F1 |\n|---|---|---|---|---|---|")
    for kind, (p, r, f, gold) in table.items():
        target = f"≥ {TARGETS[kind]:.2f}" if kind in TARGETS else ""
        print(f"| {kind} | {p:.3f} | {r:.3f} | {f:.3f} | {gold} | {target} |")
    print("\nUD Kazakh-KTB test file, lemma of NOUN and PROPN tokens (case-folded)\n")
    print("| part | accuracy | tokens | target |\n|---|---|---|---|")
    for part, (accuracy, tokens) in sorted(evaluate_ud(args.ud / "kk_ktb-ud-test.conllu").items()):
        print(f"| {part} | {accuracy:.3f} | {tokens} | ≥ 0.85 |")
    print("\n| cost per 4,000 characters (thread CPU time of warm runs) | median ms | fastest ms |\n|---|---|---|")
    for part, (median, fastest) in measure_cost().items():
        print(f"| {part} | {median:.2f} | {fastest:.2f} |")
    if not args.skip_jsonl:
        wall, cpu, lines = measure_jsonl()
        print(
            f"\n`aikyn-bot analyze --jsonl`: 11,000 records of ~450 characters (one malformed) → {lines} lines"
            f" in {wall:.1f} s ({cpu:.1f} s of CPU)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
