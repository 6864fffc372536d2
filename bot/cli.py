"""Command line: `aikyn-bot import|list|show|search|analyze|run|console|check|backup|restore`.

Each command is one function `(arguments, settings) -> exit code`, listed in COMMANDS; `_parser` declares its
arguments. Exit codes: 0 done, 1 something the command was asked to do failed (a file, an article), 2 the command
could not run at all (usage, settings, database). Expected failures are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.config import Settings, SettingsError, load_settings
from bot.records import Analysis, ArticleDraft
from storage import Database, DatabaseUnavailable
from storage.articles import Article

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2
MAX_ARTICLE_ID = 2**63 - 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aikyn-bot", description="Aikyn channel bot and article archive.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("import", help="import article files and folders (recursively)")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--url", help="the web address of a saved .html page")
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        help="processes that read and analyse a large batch (default: one per core; 1: no worker processes)",
    )
    sub.add_parser("list", help="all articles, newest first")
    p = sub.add_parser("show", help="one article in full")
    p.add_argument("id")
    p = sub.add_parser("search", help="full-text search in Kazakh")
    p.add_argument("words", nargs="+")
    p = sub.add_parser("analyze", help="analyse an article file: quotes, events, entities, summary")
    p.add_argument("path", type=Path, nargs="?")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--url", help="the web address of a saved .html page")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help='read JSON Lines records {"title", "lead", "body"} from standard input, write one JSON result per line',
    )
    sub.add_parser("run", help="run the Telegram bot (needs BOT_TOKEN)")
    p = sub.add_parser("backup", help="a verified, consistent copy of the database (safe while the bot runs)")
    p.add_argument("path", nargs="?", type=Path, help="file or folder (default: BACKUP_DIR)")
    p = sub.add_parser("restore", help="put a backup in place of the database (the bot must be stopped)")
    p.add_argument("path", type=Path)
    sub.add_parser("check", help="check settings, database, backups and Telegram without starting the bot")
    p = sub.add_parser("console", help="the same bot in this terminal, with no token and no network")
    p.add_argument("--user-id", type=int, default=None, help="act as this Telegram user id (an admin by default)")
    p.add_argument("--language", default="kk", help="the console user's Telegram language (kk or ru)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # output piped into `head`: not an error
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        print("\naikyn-bot: interrupted", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
    # Opt in to python-telegram-bot's coming behaviour: durations such as RetryAfter.retry_after as timedelta.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = _parser().parse_args(argv)
    if args.command == "check":  # it reports bad settings itself, as one of its checks
        from bot.deployment_check import check_command

        return check_command()
    try:
        settings = load_settings()
    except SettingsError as exc:
        return fail(str(exc), EXIT_UNUSABLE)
    if args.command not in ("run", "console"):
        _quiet_logging()
    try:
        return COMMANDS[args.command](args, settings)
    except DatabaseUnavailable as exc:
        return fail(database_problem(exc), EXIT_UNUSABLE)


def fail(message: str, code: int = EXIT_FAILED) -> int:
    """One line on stderr, and the exit code to return."""
    print(f"aikyn-bot: {message}", file=sys.stderr)
    return code


def database_problem(exc: DatabaseUnavailable) -> str:
    """The one line an operator reads when the database cannot be used."""
    return f"cannot use the database at DATABASE_PATH={exc.path}: {exc.reason}"


def _quiet_logging() -> None:
    """Commands report what matters themselves; the modules' warnings (with tracebacks) are for the bot's log."""
    logging.basicConfig(level=logging.ERROR, format="aikyn-bot: %(message)s")


def _silence_stdout() -> None:
    """After the reader of our output went away, later writes (and the one at exit) go nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.run_lock import run_exclusively
    from bot.serve import run_bot

    return run_exclusively(settings.database_path, lambda: run_bot(settings))


def _console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console
    from bot.run_lock import run_exclusively

    return run_exclusively(
        settings.database_path, lambda: run_console(settings, user_id=args.user_id, language=args.language)
    )


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backups import backup_command

    return backup_command(settings, args.path)


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backups import restore_command

    return restore_command(settings, args.path)


def _jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 256:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes from 1 to 256")
    return int(value)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from bot import importer
    from bot.article_files import display_name, find_article_files

    if args.url and (len(args.paths) != 1 or args.paths[0].is_dir()):
        return fail("--url gives the address of one saved page: name one .html file", EXIT_UNUSABLE)
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        fail(f"{display_name(path)}: no such file or folder")
    files = list(find_article_files([p for p in args.paths if p.exists()]))
    asyncio.run(_migrate(settings.database_path))
    aborted = None
    try:
        report = _import_files(settings, files, args.url, args.jobs)
    except importer.ImportAborted as exc:
        report, aborted = exc.report, str(exc)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    report.failed += len(missing)
    print(report.summary())
    if aborted:
        return fail(f"import stopped: {aborted}. Articles listed above are saved.")
    return EXIT_FAILED if report.failed else EXIT_OK


async def _migrate(path: Path) -> None:
    """Create or upgrade the database before anything is imported into it."""
    from storage import open_database

    db = await open_database(path)
    await db.close()


def _import_files(settings: Settings, files: list[Path], page_url: str | None, jobs: int) -> Any:
    """A large batch on every core (bot/bulk_import.py), a small one on the simple path; the ImportReport."""
    from bot import bulk_import

    def changed(article_id: int, outcome: str, title: str) -> None:  # called once the article is committed
        print(f"{article_id:>6}  {outcome:<8}  {title}", flush=True)

    if bulk_import.worth_it(files, jobs):
        return bulk_import.import_in_bulk(
            settings.database_path,
            files,
            jobs=jobs,
            progress=lambda p: _progress_line(f"{p.articles:,} articles", p.done, p.rate, p.seconds_left),
            on_change=changed,
            on_notice=lambda message: print(f"aikyn-bot: {message}", file=sys.stderr, flush=True),
            page_url=page_url,
        )
    return asyncio.run(_import_simply(settings, files, page_url, changed))


async def _import_simply(settings: Settings, files: list[Path], page_url: str | None, changed: Any) -> Any:
    from bot import importer
    from storage import open_database

    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        if total >= 50 and (done % 50 == 0 or done == total):
            elapsed = time.monotonic() - started
            _progress_line(
                f"{done}/{total} files", done / total, done / max(elapsed, 1e-9), elapsed * (total / done - 1)
            )

    db = await open_database(settings.database_path)
    try:
        return await importer.import_paths(db, files, progress=progress, on_change=changed, page_url=page_url)
    finally:
        await db.close()


def _progress_line(what: str, done: float, rate: float, seconds_left: float | None) -> None:
    """«… 12,345 articles, 41%, 1,850/s, about 48 s left» on stderr."""
    left = f", about {seconds_left:,.0f} s left" if seconds_left is not None else ""
    print(f"… {what}, {done:.0%}, {rate:,.0f}/s{left}", file=sys.stderr, flush=True)


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def run(db: Database) -> int:
        from storage import articles

        headlines = await articles.newest(db, limit=1_000_000)
        for headline in headlines:
            local = headline.shown_at.astimezone(settings.timezone)
            print(f"{headline.id:>6}  {local:%Y-%m-%d}  {headline.title}")
        if not headlines:
            fail("the archive is empty; add articles with `aikyn-bot import PATH`", EXIT_OK)
        return EXIT_OK

    return asyncio.run(_reading(settings, run))


def _show(args: argparse.Namespace, settings: Settings) -> int:
    value = str(args.id).strip().lstrip("#№")
    if not re.fullmatch(r"[0-9]{1,19}", value) or not 0 < int(value) <= MAX_ARTICLE_ID:
        return fail(f"{args.id!r} is not an article id (a positive whole number, as `aikyn-bot list` shows)")

    async def run(db: Database) -> int:
        from storage import article_analysis, articles

        article = await articles.get(db, int(value))
        if article is None:
            return fail(f"no article with id {value}")
        print(_format_article(article, settings, await article_analysis.analysis_error(db, article.id)))
        return EXIT_OK

    return asyncio.run(_reading(settings, run))


def _search(args: argparse.Namespace, settings: Settings) -> int:
    from bot.reading import search_terms

    stems, ignored = search_terms(" ".join(args.words))
    if ignored:
        fail(f"words shorter than 3 letters are not searched: {', '.join(ignored)}", EXIT_OK)
    if not stems:
        return fail("give at least one word of 3 letters or more")

    async def run(db: Database) -> int:
        from storage import articles

        found, total = await articles.search(db, stems, limit=50)
        for headline in found:
            print(f"{headline.id:>6}  {headline.title}")
        print(f"{total}{'+' if total >= articles.RANKED_MATCHES else ''} found")
        return EXIT_OK

    return asyncio.run(_reading(settings, run))


async def _reading(settings: Settings, command: Callable[[Database], Any]) -> int:
    """A read command on the archive opened read-only: nothing is created, migrated, seeded or written."""
    from storage import open_database

    db = await open_database(settings.database_path, read_only=True)
    try:
        return int(await command(db))
    finally:
        await db.close()


def _format_article(article: Article, settings: Settings, analysis_error: str | None) -> str:
    local = article.shown_at.astimezone(settings.timezone)
    lines = [f"#{article.id}  {article.title}", f"{local:%Y-%m-%d %H:%M}"]
    if article.views is not None:
        lines[-1] += f" · {article.views:,} views"
    if article.url:
        lines.append(article.url)
    if article.lead:
        lines += ["", article.lead]
    lines += ["", article.body]
    if article.summary:
        lines += ["", "Summary: " + article.summary]
    if analysis_error:
        lines += ["", f"Analysis failed ({analysis_error}); it runs again after an upgrade."]
    return "\n".join(lines)


def _analyze(args: argparse.Namespace, settings: Settings) -> int:
    from bot.analysis import analyze_article
    from bot.article_files import ArticleFileError, display_name, read_article_file

    if args.jsonl:
        from bot.batch_analysis import analyze_lines

        return analyze_lines(sys.stdin, sys.stdout)
    if args.path is None:
        return fail("analyze needs a file, or --jsonl with records on standard input", EXIT_UNUSABLE)
    name = display_name(args.path)
    try:
        parsed = read_article_file(args.path, url=args.url)
    except ArticleFileError as exc:
        return fail(f"{name}: {exc}")
    failed = len(parsed.problems)
    for problem in parsed.problems:
        fail(f"{name}: {problem}")
    for draft in parsed.drafts:
        try:
            analysis = analyze_article(draft.title, draft.lead, draft.body, draft.published_at)
        except Exception as exc:  # one article that breaks the analysis does not stop the others
            failed += 1
            fail(f"{name}: {draft.title[:60]!r}: analysis failed: {type(exc).__name__}: {exc}")
            continue
        record = analysis_record(draft, analysis)
        print(json.dumps(record, ensure_ascii=False, indent=2) if args.json else _readable_analysis(record))
    return EXIT_FAILED if failed else EXIT_OK


def analysis_record(draft: ArticleDraft, analysis: Analysis) -> dict[str, Any]:
    """An article's extraction and analysis as plain JSON-ready data (`analyze --json`)."""
    from bot.batch_analysis import analysis_fields

    return {
        "title": draft.title,
        "lead": draft.lead,
        # what was extracted, so a page's extraction can be checked from outside
        "body": [p for p in draft.body.split("\n\n") if p.strip()],
        "published_at": draft.published_at.isoformat() if draft.published_at else None,
        "image": draft.image_url,
        "url": draft.url,
        "views": draft.views,
        "held": draft.hold_reason or None,
        **analysis_fields(analysis, draft.title, draft.lead, draft.body),
    }


def _readable_analysis(record: dict[str, Any]) -> str:
    out = [record["title"], "", "Summary: " + record["summary"], "", f"Sentences: {len(record['sentences'])}"]
    out.append(f"Quotes ({len(record['quotes'])}):")
    for q in record["quotes"]:
        who = q["speaker"] or "?"
        role = f" ({q['role']})" if q["role"] else ""
        out.append(f"  [{q['kind']}] {who}{role}: «{q['text']}»")
    out.append(f"Events ({len(record['events'])}):")
    for e in record["events"]:
        out.append(f"  {e['year']}{'–' + str(e['year_end']) if e['year_end'] else ''}  {e['when']}: {e['what']}")
    out.append("Entities: " + ", ".join(f"{e['name']} [{e['kind']}]" for e in record["entities"]))
    return "\n".join(out)


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "import": _import,
    "list": _list,
    "show": _show,
    "search": _search,
    "analyze": _analyze,
    "run": _run,
    "console": _console,
    "backup": _backup,
    "restore": _restore,
}
