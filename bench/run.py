"""Benchmarks: import throughput, command latency, end-to-end throughput, search baseline, storage, memory.

    python bench/run.py            # 1k / 10k / 100k articles (several minutes)
    python bench/run.py --quick    # 1k / 5k, fewer repetitions (under a minute)
    python bench/run.py --replies  # only replies end to end (latency, throughput) on 1k articles (--sizes N)

Each figure that can be is also given as a ratio against a baseline measured in the same run. Needs the test
and bench extras (`pip install -e ".[test,bench]"`: the aiogram baseline). Articles are synthetic, built from
real sentences of seeds/ and, when it is beside the checkout, ../shared/corpus/.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bench.synthetic import articles, real_sentences, write_files  # noqa: E402

SOURCES = [ROOT / "seeds", ROOT.parent / "shared" / "corpus"]
ECHO_BOT = ROOT / "bench" / "echo_bot.py"
AIOGRAM_ECHO_BOT = ROOT / "bench" / "aiogram_echo_bot.py"
ALMATY = ZoneInfo("Asia/Almaty")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


# ---- workers (each in its own process, so peak memory is its own) -------------------------------------------


def _import_worker(start: int, count: int, db_path: Path) -> dict[str, float]:
    """Import articles start … start + count - 1 as `aikyn-bot import FOLDER` does (worker processes on every core,
    one writer; bot/bulk_import.py). The articles are written as Aikyn-layout .txt files first, untimed; only the
    import is timed. Peak memory: this process (the importer and its writer) and the largest worker."""
    from bot.article_files import find_article_files
    from bot.bulk_import import import_in_bulk

    sentences = real_sentences([s for s in SOURCES if s.exists()])
    folder = db_path.parent / f"files_{start}"
    write_files(folder, articles(count, sentences, start=start))
    files = list(find_article_files([folder]))
    asyncio.run(_migrate(db_path))
    before = _analysis_baseline()
    waits: list[float] = []
    stop = threading.Event()
    bot = threading.Thread(target=_bot_writes, args=(db_path, stop, waits))
    bot.start()
    started = time.perf_counter()
    try:
        report = import_in_bulk(db_path, files, jobs=os.cpu_count() or 1)
    finally:
        elapsed = time.perf_counter() - started
        stop.set()
        bot.join()
    analysis_rate = (before + _analysis_baseline()) / 2  # just before and just after: the same load as the import
    shutil.rmtree(folder)
    if report.failed or report.imported != count:
        raise RuntimeError(f"{report.summary()}: {report.errors[:3]}")
    with sqlite3.connect(db_path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = start + count
    return {
        "articles": total,
        "imported": count,
        "seconds": elapsed,
        "per_second": count / elapsed,
        "analysis_per_second": analysis_rate,
        "bot_write_wait_max_ms": max(waits, default=0.0) * 1000,
        "bot_write_wait_p99_ms": _percentile(waits, 0.99) * 1000 if waits else 0.0,
        "peak_rss_mb": _peak_rss_mb(),
        "worker_peak_rss_mb": report.worker_peak_rss_mb,
        "db_mb_per_1000": db_path.stat().st_size / 1e6 / total * 1000,
    }


def _bot_writes(db_path: Path, stop: threading.Event, waits: list[float]) -> None:
    """A running bot beside the import: a small write every 50 ms on its own connection with the bot's busy
    timeout; how long each waited for the write lock."""
    from storage.db import BUSY_TIMEOUT_MS

    connection = sqlite3.connect(db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        connection.execute("CREATE TABLE IF NOT EXISTS bench_bot_writes (at REAL)")
        while not stop.wait(0.05):
            started = time.monotonic()
            connection.execute("BEGIN IMMEDIATE")
            waits.append(time.monotonic() - started)
            connection.execute("INSERT INTO bench_bot_writes VALUES (?)", (started,))
            connection.execute("COMMIT")
    finally:
        connection.close()


async def _migrate(db_path: Path) -> None:
    from storage import open_database

    db = await open_database(db_path)
    await db.close()  # aiosqlite's thread is not a daemon: an unclosed connection keeps the process alive


async def _handler_worker(db_path: Path, repeats: int) -> dict[str, dict[str, float]]:
    """Each reader command's service call plus rendering, timed alone (no Telegram)."""

    from storage import open_database

    # uncached: the database work of every call, as a reader asking something no one asked a moment ago
    db = await open_database(db_path, cache_reads=False)
    try:
        return await _time_handlers(db, repeats)
    finally:
        await db.close()


async def _time_handlers(db, repeats: int) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    from bot import reading
    from bot.analysis.morphology import search_stems
    from storage import articles as stored_articles

    ctx = reading.ReaderContext(db, "kk", ALMATY)
    total = await stored_articles.count(db)
    ids = [1 + (i * 7919) % total for i in range(repeats)]
    names = ["Абдуллов", "Жұмабаевтың", "Серікбаевқа", "Тоқтаров", "Ахметова"]
    words = ["жоба", "мектеп", "қазақстан", "жол", "ауыл", "театр"]
    cases = {
        "/latest": lambda i: reading.latest(ctx, (i % 20) * 5),
        "/article": lambda i: reading.article_messages(ctx, ids[i]),
        "/quotes name": lambda i: reading.quotes(ctx, names[i % len(names)]),
        "/related": lambda i: reading.related(ctx, str(ids[i])),
        "/events word": lambda i: reading.events(ctx, words[i % len(words)]),
        "/search": lambda i: reading.search(ctx, words[i % len(words)], 0),
    }
    results: dict[str, dict[str, float]] = {}
    for name, call in cases.items():
        await call(0)
        samples = []
        for i in range(repeats):
            started = time.perf_counter()
            await call(i)
            samples.append((time.perf_counter() - started) * 1000)
        results[name] = {"p50": statistics.median(samples), "p99": _percentile(samples, 0.99)}
    for label, group in (("common", words), ("rare", ["гидротехник", "этномедиация", "голштин", "зымыран"])):
        like, fts = [], []
        for word in group:
            started = time.perf_counter()
            await stored_articles.search_by_substring(db, [word], limit=5)
            like.append(time.perf_counter() - started)
            started = time.perf_counter()
            await stored_articles.search(db, search_stems(word), limit=5)
            fts.append(time.perf_counter() - started)
        results[f"search LIKE vs FTS ({label})"] = {
            "like_ms": statistics.median(like) * 1000,
            "fts_ms": statistics.median(fts) * 1000,
        }
    return results


def _bot_env(db_path: Path, base_url: str, token: str) -> dict[str, str]:
    return {
        **os.environ,
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": base_url,
        "DATABASE_PATH": str(db_path),
        "CHANNEL_ID": "@bench_channel",
        "ADMIN_IDS": "42",
        "POST_TIMES": "",
        "SEND_RATE_LIMIT": "0",
        "PYTHONPATH": str(ROOT),
        "SEEDS_DIR": str(ROOT / "seeds"),
    }


BASELINES = {
    "aikyn": "Aikyn bot, /latest",
    "aiogram": "aiogram 3 echo bot",
    "echo": "PTB echo bot",
    "page": "PTB bot sending the same /latest page, on the Aikyn bot's transport",
}
BOT_COMMANDS = {
    "aikyn": [sys.executable, "-m", "bot", "run"],
    "aiogram": [sys.executable, str(AIOGRAM_ECHO_BOT)],
    "echo": [sys.executable, str(ECHO_BOT)],
    "page": [sys.executable, str(ECHO_BOT)],
}


async def _end_to_end(db_path: Path, command_repeats: int, burst: int, rounds: int) -> dict[str, object]:
    """The bot as a real process (`aikyn-bot run`) against the HTTP fake: latency, throughput, memory.

    Three baselines: a minimal aiogram 3 echo bot (the one to beat), a minimal PTB echo bot (stock settings), and a
    PTB bot answering every message with the page the Aikyn bot sends for /latest, sent as the Aikyn bot sends it
    on its transport and event loop (what PTB alone costs for that reply). Rounds alternate between the four, each
    bot started alone on a fresh fake (with a third Python process alive, every burst on this 2-core machine cost
    twice the CPU), warmed up, then sent one measured burst; ratios are taken per round, so a slow minute on this
    shared machine hits all four alike. `command_repeats` 0 skips the latency of single commands."""
    from bot import reading
    from storage import open_database

    db = await open_database(db_path)
    try:
        page = await reading.latest(reading.ReaderContext(db, "kk", ALMATY))
    finally:
        await db.close()
    page_file = db_path.with_suffix(".page.json")
    page_file.write_text(
        json.dumps({"text": page.text, "buttons": [[(b.label, b.data) for b in row] for row in page.buttons]})
    )
    texts = {"aikyn": "/latest", "aiogram": "hi", "echo": "hi", "page": "hi"}
    out: dict[str, object] = {"latency": {}}
    if command_repeats:
        async with _running("aikyn", db_path, page_file) as (fake, pid):
            out["latency"] = await _latencies(fake, command_repeats)
    users = iter(range(100_000, 10_000_000, burst))  # every burst comes from readers not seen before
    samples: dict[str, list[tuple[float, float, float]]] = {label: [] for label in BASELINES}
    for _ in range(rounds):
        for label in BASELINES:
            async with _running(label, db_path, page_file) as (fake, pid):
                await _burst(fake, pid, burst, texts[label], next(users))  # warm-up
                samples[label].append(await _burst(fake, pid, burst, texts[label], next(users)))
                if label == "aikyn":
                    out["bot rss_mb"] = _rss_of(pid)
        print(f"… round {len(samples['aikyn'])} of {rounds}, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    out["throughput"] = samples
    return out


@asynccontextmanager
async def _running(label: str, db_path: Path, page_file: Path):  # type: ignore[no-untyped-def]
    """One bot process polling a fake of its own; yields (fake, pid) once it polls, and stops it after."""
    from bot.fakeapi.server import FakeBotApiServer

    command = BOT_COMMANDS[label]
    async with FakeBotApiServer() as server:
        env = _bot_env(db_path, server.base_url, server.token)
        if label == "page":
            env["ECHO_PAGE"] = str(page_file)
        process = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
        )
        try:
            await server.fake.wait_for(lambda: server.fake.sent("getUpdates", ok_only=False), timeout=60)
            yield server.fake, process.pid
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)


def _rss_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _latencies(fake, repeats: int) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    commands = ["/latest", "/article 1", "/quotes Абдуллов", "/related 2", "/events жоба", "/search мектеп"]
    results = {}
    for command in commands:
        samples = []
        for i in range(repeats):
            user = 1000 + i
            before = len(fake.sent("sendMessage", chat_id=user))
            started = time.perf_counter()
            fake.add_update(fake.user_message(command, user_id=user))
            await fake.wait_for(lambda u=user, b=before: len(fake.sent("sendMessage", chat_id=u)) > b, timeout=30)
            samples.append((time.perf_counter() - started) * 1000)
        results[
            command.split()[0] + (" " + command.split()[1] if command.startswith(("/quotes", "/events")) else "")
        ] = {"p50": statistics.median(samples), "p99": _percentile(samples, 0.99)}
    return results


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _burst(fake, pid: int, burst: int, text: str, first_user: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """`burst` readers send `text` at once; returns updates answered per second and the CPU ms per update of the
    bot and of the fake (this process: it checks every reply's HTML, so a long page costs it more than "hi")."""
    fake.calls.clear()
    gc.collect()
    gc.disable()  # as timeit does: the fake's own collections would show up as the bot's slowness
    try:
        before, cpu_before, fake_before = fake.ok_counts["sendMessage"], _cpu_seconds(pid), time.process_time()
        started = time.perf_counter()
        for i in range(burst):
            fake.add_update(fake.user_message(text, user_id=first_user + i))
        await fake.wait_for(lambda: fake.ok_counts["sendMessage"] - before >= burst, timeout=300)
        elapsed = time.perf_counter() - started
        fake_cpu = time.process_time() - fake_before
    finally:
        gc.enable()
    return burst / elapsed, (_cpu_seconds(pid) - cpu_before) / burst * 1000, fake_cpu / burst * 1000


def _worker(argv: list[str]) -> None:
    kind, arg, path = argv[0], argv[1], Path(argv[2])
    if kind == "import":
        start, count = (int(x) for x in arg.split(","))
        result: object = _import_worker(start, count, path)
    elif kind == "handlers":
        result = asyncio.run(_handler_worker(path, int(arg)))
    else:
        repeats, burst, rounds = (int(x) for x in arg.split(","))
        result = asyncio.run(_end_to_end(path, repeats, burst, rounds))
    print(json.dumps(result))


def _run_worker(*args: str) -> dict:  # type: ignore[type-arg]
    output = subprocess.run(
        [sys.executable, __file__, "--worker", *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=1800,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _analysis_baseline(count: int = 600) -> float:
    """Articles per second for the analysis alone, on one core, on the same kind of synthetic articles the import
    gets (the import's floor: on N cores, at best N times this). The first articles warm the caches, untimed."""
    from bot.analysis import analyze_article

    drafts = list(articles(count + 100, real_sentences([s for s in SOURCES if s.exists()]), seed=11))
    for d in drafts[:100]:
        analyze_article(d.title, d.lead, d.body)
    started = time.perf_counter()
    for d in drafts[100:]:
        analyze_article(d.title, d.lead, d.body)
    return count / (time.perf_counter() - started)


def _cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} ({platform.machine()})"
    return platform.processor() or platform.machine()


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", default=None, help="comma-separated archive sizes")
    parser.add_argument("--import-only", action="store_true", help="only the import table (no handlers, no bots)")
    parser.add_argument(
        "--replies", action="store_true", help="only replies end to end (latency, throughput), on one archive"
    )
    parser.add_argument("--rounds", type=int, default=None, help="throughput rounds (7; --quick 3)")
    args = parser.parse_args()
    sizes = [int(s) for s in (args.sizes or ("1000,5000" if args.quick else "1000,10000,100000")).split(",")]
    repeats = 30 if args.quick else 200
    e2e = f"{10 if args.quick else 50},{300 if args.quick else 1000},{args.rounds or (3 if args.quick else 7)}"
    print(
        f"# Aikyn bot benchmarks — {time.strftime('%Y-%m-%d')}, {_cpu_name()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    if args.replies:
        return _replies_only(sizes[-1] if args.sizes else 1000, e2e)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        done = 0
        for size in sizes:  # one archive that grows: 1k, then 9k more, then 90k more
            imported = _run_worker("import", f"{done},{size - done}", str(db_path))
            done = size
            handlers = {} if args.import_only else _run_worker("handlers", str(repeats), str(db_path))
            rows[size] = (imported, handlers)
            print(f"… {size} articles done", file=sys.stderr)
        if args.import_only:
            _print_imports(rows)
            return 0
        end_to_end = _run_worker("e2e", e2e, str(db_path))
    _print_imports(rows)
    print("## Handler latency (database work + rendering), ms\n")
    commands = [c for c in rows[sizes[0]][1] if not c.startswith("search LIKE")]
    print("| command | " + " | ".join(f"p50 / p99 at {s:,}" for s in sizes) + " | growth exponent |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for command in commands:
        cells = [f"{rows[s][1][command]['p50']:.2f} / {rows[s][1][command]['p99']:.2f}" for s in sizes]
        first, last = rows[sizes[0]][1][command]["p50"], rows[sizes[-1]][1][command]["p50"]
        exponent = f"{math.log(last / first) / math.log(sizes[-1] / sizes[0]):.2f}" if len(sizes) > 1 else "—"
        print(f"| {command} | " + " | ".join(cells) + f" | {exponent} |")
    print(f"\nSearch at {sizes[-1]:,} articles, newest 5 matches, median ms:\n")
    print("| words | LIKE '%word%' | FTS5 | LIKE / FTS5 |\n|---|---|---|---|")
    for label in ("common", "rare"):
        like = rows[sizes[-1]][1][f"search LIKE vs FTS ({label})"]
        print(f"| {label} | {like['like_ms']:.2f} | {like['fts_ms']:.2f} | {like['like_ms'] / like['fts_ms']:.1f} |")
    print()
    _print_end_to_end(end_to_end, sizes[-1], int(e2e.split(",")[1]))
    print(f"Resident memory of the running bot with {sizes[-1]:,} articles: {end_to_end['bot rss_mb']:.0f} MB.")
    _print_targets(sizes, rows, end_to_end)
    return 0


def _print_imports(rows: dict) -> None:  # type: ignore[type-arg]
    print(f"## Import and analysis (`aikyn-bot import FOLDER`: {os.cpu_count()} worker processes, one writer)\n")
    print(
        "| archive size | added | seconds | articles/s | analysis alone, one core, articles/s | ratio "
        "| importer peak RSS MB | worker peak RSS MB | DB MB per 1,000 | bot's write wait, p99 / max ms |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    for size, (imported, _) in rows.items():
        rate, alone = imported["per_second"], imported["analysis_per_second"]
        print(
            f"| {size:,} | {imported['imported']:,} | {imported['seconds']:.1f} | {rate:.0f} | {alone:.0f} | "
            f"{rate / alone:.2f} | {imported['peak_rss_mb']:.0f} | {imported['worker_peak_rss_mb']:.0f} | "
            f"{imported['db_mb_per_1000']:.2f} | {imported['bot_write_wait_p99_ms']:.0f} / "
            f"{imported['bot_write_wait_max_ms']:.0f} |"
        )
    total = sum(imported["seconds"] for imported, _ in rows.values())
    print(
        "\nAnalysis alone: the same kind of synthetic articles analysed in one process, just before and just after "
        f"each import (so under the same load). The whole archive ({max(rows):,} articles) imported in {total:.1f} s. "
        "The bot's write: another connection writing every 50 ms during the import, as a running bot would.\n"
    )


def _print_end_to_end(end_to_end: dict, articles_count: int, burst: int) -> None:  # type: ignore[type-arg]
    print(f"## End to end through python-telegram-bot and the HTTP Bot API fake, {articles_count:,} articles\n")
    if end_to_end["latency"]:
        print("| command | p50 ms | p99 ms |\n|---|---|---|")
        for command, values in end_to_end["latency"].items():
            print(f"| {command} | {values['p50']:.1f} | {values['p99']:.1f} |")
    throughput = end_to_end["throughput"]
    print(
        f"\nThroughput: bursts of {burst} new readers at once, alternating between the bot and three baselines, "
        f"{len(throughput['aikyn'])} rounds each, each bot started alone on a fresh fake and warmed up. Medians, "
        f"with the range of rounds; ratios are taken per round (a slow minute on a shared machine hits all alike):\n"
    )
    print(
        "| bot | updates/s, median (range) | bot CPU ms per update, median (range) | fake's CPU ms per update | "
        "Aikyn bot's updates/s as a ratio of this: median (range) | its CPU per update as a ratio of this |"
    )
    print("|---|---|---|---|---|---|")
    ours = throughput["aikyn"]
    for label, title in BASELINES.items():
        samples = throughput[label]
        rates, cpus = [s[0] for s in samples], [s[1] for s in samples]
        fake_cpu = statistics.median(s[2] for s in samples)
        ratios = [a[0] / b[0] for a, b in zip(ours, samples, strict=True)]
        cpu_ratios = [a[1] / b[1] for a, b in zip(ours, samples, strict=True)]
        ratio = "" if label == "aikyn" else f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"
        cpu_ratio = "" if label == "aikyn" else f"{statistics.median(cpu_ratios):.2f}"
        print(
            f"| {title} | {statistics.median(rates):.0f} ({min(rates):.0f}–{max(rates):.0f}) | "
            f"{statistics.median(cpus):.2f} ({min(cpus):.2f}–{max(cpus):.2f}) | {fake_cpu:.2f} | {ratio} | "
            f"{cpu_ratio} |"
        )
    print()


def _print_targets(sizes: list[int], rows: dict, end_to_end: dict) -> None:  # type: ignore[type-arg]
    """The issue's targets against this run, in one table."""
    largest = sizes[-1]
    import_seconds = sum(imported["seconds"] for imported, _ in rows.values())
    import_peak = max(imported["peak_rss_mb"] for imported, _ in rows.values())
    handlers = rows[largest][1]
    worst = max((c for c in handlers if not c.startswith("search LIKE")), key=lambda c: handlers[c]["p99"])
    scaled = import_seconds * 100_000 / largest
    analysed = sum(i["imported"] / i["analysis_per_second"] for i, _ in rows.values())  # seconds on one core
    import_ratio = analysed / import_seconds
    checks = [
        (
            f"100,000 articles imported and analysed in ≤ 60 s, {os.cpu_count()} cores",
            f"{scaled:.0f} s" + ("" if largest == 100_000 else f" (scaled from {largest:,})"),
            scaled <= 60,
        ),
        (
            "import rate ≥ 1.7 × the analysis alone on one core (1.5 at the least)",
            f"{import_ratio:.2f}",
            import_ratio >= 1.7,
        ),
        ("importer peak memory under 500 MB", f"{import_peak:.0f} MB", import_peak < 500),
        (
            f"handler p99 ≤ 10 ms at {largest:,}",
            f"{handlers[worst]['p99']:.2f} ms (slowest: {worst})",
            handlers[worst]["p99"] <= 10,
        ),
        *_reply_checks(end_to_end, largest),
    ]
    _print_checks(checks)


def _reply_checks(end_to_end: dict, articles_count: int) -> list[tuple[str, str, bool]]:  # type: ignore[type-arg]
    throughput = end_to_end["throughput"]
    ours = statistics.median(s[0] for s in throughput["aikyn"])
    ratios = [a[0] / e[0] for a, e in zip(throughput["aikyn"], throughput["aiogram"], strict=True)]
    ratio = statistics.median(ratios)
    cpu = {label: statistics.median(s[1] for s in throughput[label]) for label in ("aikyn", "aiogram")}
    return [
        (
            "throughput ≥ 1.0 of the aiogram 3 echo bot",
            f"{ratio:.2f} (median of rounds, range {min(ratios):.2f}–{max(ratios):.2f}); CPU per update "
            f"{cpu['aikyn']:.2f} ms against {cpu['aiogram']:.2f} ms",
            ratio >= 1.0,
        ),
        ("throughput ≥ 500 updates/s", f"{ours:.0f} updates/s (median)", ours >= 500),
        (
            f"bot resident memory under 200 MB at {articles_count:,}",
            f"{end_to_end['bot rss_mb']:.0f} MB",
            end_to_end["bot rss_mb"] < 200,
        ),
    ]


def _print_checks(checks: list[tuple[str, str, bool]]) -> None:
    print("\n## Targets\n\n| target | this run | met |\n|---|---|---|")
    for target, measured, met in checks:
        print(f"| {target} | {measured} | {'yes' if met else '**no**'} |")


def _replies_only(size: int, e2e: str) -> int:
    """`--replies`: one archive of `size` articles, then only the end-to-end section and its targets."""
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        _run_worker("import", f"0,{size}", str(db_path))
        end_to_end = _run_worker("e2e", e2e, str(db_path))
    _print_end_to_end(end_to_end, size, int(e2e.split(",")[1]))
    print(f"Resident memory of the running bot with {size:,} articles: {end_to_end['bot rss_mb']:.0f} MB.")
    _print_checks(_reply_checks(end_to_end, size))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
