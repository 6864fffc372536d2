"""Command line: `aikyn-bot import|list|show|search|analyze|run|console`."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Settings, SettingsError, load_settings
from storage import Database
from storage.articles import Article


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aikyn-bot", description="Aikyn channel bot and article archive.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("import", help="import article files and folders (recursively)")
    p.add_argument("paths", nargs="+", type=Path)
    sub.add_parser("list", help="all articles, newest first")
    p = sub.add_parser("show", help="one article in full")
    p.add_argument("id", type=int)
    p = sub.add_parser("search", help="full-text search in Kazakh")
    p.add_argument("words", nargs="+")
    p = sub.add_parser("analyze", help="analyse an article file: quotes, events, entities, summary")
    p.add_argument("path", type=Path, nargs="?")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help='read JSON Lines records {"title", "lead", "body"} from standard input, write one JSON result per line',
    )
    sub.add_parser("run", help="run the Telegram bot (needs BOT_TOKEN)")
    p = sub.add_parser("console", help="the same bot in this terminal, with no token and no network")
    p.add_argument("--user-id", type=int, default=None, help="act as this Telegram user id (an admin by default)")
    p.add_argument("--language", default="kk", help="the console user's Telegram language (kk or ru)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        sys.stderr.close()  # output piped into `head`: not an error
        return 0


def _main(argv: Sequence[str] | None) -> int:
    # Opt in to python-telegram-bot's coming behaviour: durations such as RetryAfter.retry_after as timedelta.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"aikyn-bot: {exc}", file=sys.stderr)
        return 2
    if args.command == "analyze":
        if args.jsonl:
            from bot.batch_analysis import analyze_lines

            return analyze_lines(sys.stdin, sys.stdout)
        if args.path is None:
            print("aikyn-bot: analyze needs a file, or --jsonl with records on standard input", file=sys.stderr)
            return 2
        return _analyze(args.path, as_json=args.json)
    if args.command == "run":
        from bot.serve import run_bot

        return run_bot(settings)
    if args.command == "console":
        from bot.console import run_console

        return run_console(settings, user_id=args.user_id, language=args.language)
    return asyncio.run(_archive_command(settings, args))


async def _archive_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot import importer
    from bot.analysis.morphology import search_stems
    from storage import articles, open_database

    db = await open_database(settings.database_path)
    try:
        if args.command != "import":
            await importer.import_seeds_if_empty(db, settings.seeds_dir)
        if args.command == "import":
            return await _import(db, args.paths)
        if args.command == "list":
            for headline in await articles.newest(db, limit=1_000_000):
                local = headline.shown_at.astimezone(settings.timezone)
                print(f"{headline.id:>6}  {local:%Y-%m-%d}  {headline.title}")
            return 0
        if args.command == "show":
            article = await articles.get(db, args.id)
            if article is None:
                print(f"aikyn-bot: no article with id {args.id}", file=sys.stderr)
                return 1
            print(_format_article(article, settings))
            return 0
        if args.command == "search":
            found, total = await articles.search(db, search_stems(" ".join(args.words)), limit=50)
            for headline in found:
                print(f"{headline.id:>6}  {headline.title}")
            print(f"{total} found")
            return 0
    finally:
        await db.close()
    return 2


async def _import(db: Database, paths: list[Path]) -> int:
    from bot import importer

    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"aikyn-bot: {path}: no such file or folder", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if total >= 50 and (done % 50 == 0 or done == total):
            print(f"… {done}/{total} files", file=sys.stderr, flush=True)

    def changed(article_id: int, outcome: str, title: str) -> None:
        print(f"{article_id:>6}  {outcome:<8}  {title}")

    report = await importer.import_paths(db, [p for p in paths if p.exists()], progress=progress, on_change=changed)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    report.failed += len(missing)
    print(report.summary())
    return 1 if report.failed else 0


def _format_article(article: Article, settings: Settings) -> str:
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
    return "\n".join(lines)


def _analyze(path: Path, *, as_json: bool) -> int:
    from bot.article_files import ArticleFileError, read_article_file
    from bot.batch_analysis import analysis_record

    try:
        parsed = read_article_file(path)
    except ArticleFileError as exc:
        print(f"aikyn-bot: {path}: {exc}", file=sys.stderr)
        return 1
    for draft in parsed.drafts:
        record = analysis_record(draft.title, draft.lead, draft.body, draft.published_at)
        if as_json:
            print(json.dumps(record, ensure_ascii=False, indent=2))
        else:
            print(_readable_analysis(record))
    return 0


def _readable_analysis(record: dict) -> str:
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
