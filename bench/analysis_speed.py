"""What the whole analysis costs per 4,000 characters, alone or against another checkout's analysis in one process.

    python bench/analysis_speed.py CORPUS [--baseline CHECKOUT] [--runs N]

The corpus texts are joined and cut into 20 articles of 4,000 characters. Each article is analysed once to warm
the word caches, then timed `--runs` times; its figure is its fastest run, in CPU time (on a shared machine other
work only ever adds time), and the result is the median over the articles.

With `--baseline` (a checkout of older code, e.g. `git worktree add /tmp/at-filing 771640e~1`), that checkout's
`bot/analysis` (and `bot/records.py` where it has one) is loaded beside ours under another package name, and the
two are timed in turns, run by run, on the same article: whatever else the machine does falls on both alike, so
their ratio holds where absolute figures on this machine move by half from one minute to the next.
"""

from __future__ import annotations

import argparse
import importlib
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.analysis import analyze_article  # noqa: E402

Analyse = Callable[[str, str, str], object]
_OWN_MODULES = re.compile(r"\bbot\.(analysis|records)\b")


def benchmark_articles(corpus: Path, count: int = 20, length: int = 4000) -> list[str]:
    joined = "\n".join(t.read_text(encoding="utf-8") for t in sorted(corpus.glob("*.txt")))
    return [joined[i : i + length] for i in range(0, len(joined) - length, length)][:count]


def load_baseline(checkout: Path, workdir: Path) -> Analyse:
    """The `analyze_article` of another checkout, imported as package `baseline_bot` (its own imports of
    bot.analysis and bot.records rewritten to point there), so both versions live in this process."""
    package = workdir / "baseline_bot"
    shutil.copytree(checkout / "bot" / "analysis", package / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    (package / "__init__.py").write_text("", encoding="utf-8")
    if (checkout / "bot" / "records.py").exists():
        shutil.copy(checkout / "bot" / "records.py", package / "records.py")
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        source.write_text(_OWN_MODULES.sub(r"baseline_bot.\1", text), encoding="utf-8")
    sys.path.insert(0, str(workdir))
    module = importlib.import_module("baseline_bot.analysis")
    analyse: Analyse = module.analyze_article
    return analyse


def _cpu_ms(analyse: Analyse, text: str) -> float:
    started = time.process_time()
    analyse("Тақырып", "", text)
    return (time.process_time() - started) * 1000


def measure(articles: list[str], versions: list[Analyse], runs: int) -> list[float]:
    """For each version, the median over the articles of its fastest run; versions alternate run by run."""
    fastest: list[list[float]] = [[] for _ in versions]
    for text in articles:
        for analyse in versions:
            analyse("Тақырып", "", text)
        best = [float("inf")] * len(versions)
        for _ in range(runs):
            for i, analyse in enumerate(versions):
                best[i] = min(best[i], _cpu_ms(analyse, text))
        for i, value in enumerate(best):
            fastest[i].append(value)
    return [statistics.median(values) for values in fastest]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--baseline", type=Path, help="a checkout of older code to time beside ours")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    articles = benchmark_articles(args.corpus)
    versions: list[Analyse] = [analyze_article]
    with tempfile.TemporaryDirectory() as workdir:
        if args.baseline:
            versions.append(load_baseline(args.baseline.resolve(), Path(workdir)))
        figures = measure(articles, versions, args.runs)
    print(f"ours {figures[0]:.3f}")
    if args.baseline:
        print(f"baseline {figures[1]:.3f}")
        print(f"ratio {figures[0] / figures[1]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
