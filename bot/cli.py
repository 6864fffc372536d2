"""Command line: `aikyn-bot import|list|show|search|analyze|run|console|backup|restore|check`."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from bot.config import Settings, SettingsError, load_settings
from bot.run_lock import run_exclusively
from storage import Database
from storage.articles import Article


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aikyn-bot", description="Aikyn channel bot and article archive.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("import", help="import article files and folders (recursively), saved .html pages too")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--url", help="the web address of the one saved .html page given")
    sub.add_parser("list", help="all articles, newest first")
    p = sub.add_parser("show", help="one article in full")
    p.add_argument("id", type=int)
    p = sub.add_parser("search", help="full-text search in Kazakh")
    p.add_argument("words", nargs="+")
    p = sub.add_parser("analyze", help="analyse an article file: quotes, events, entities, summary")
    p.add_argument("path", type=Path)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--url", help="the web address of a saved .html page")
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
    except BrokenPipeError:
        sys.stderr.close()  # output piped into `head`: not an error
        return 0


def _main(argv: Sequence[str] | None) -> int:
    # Opt in to python-telegram-bot's coming behaviour: durations such as RetryAfter.retry_after as timedelta.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = _parser().parse_args(argv)
    if args.command == "check":
        from bot.deployment_check import check_command

        return check_command()
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"aikyn-bot: {exc}", file=sys.stderr)
        return 2
    if args.command == "analyze":
        return _analyze(args.path, as_json=args.json, url=args.url)
    if args.command == "run":
        from bot.serve import run_bot

        return run_exclusively(settings.database_path, lambda: run_bot(settings))
    if args.command == "console":
        from bot.console import run_console

        return run_exclusively(
            settings.database_path, lambda: run_console(settings, user_id=args.user_id, language=args.language)
        )
    if args.command in ("backup", "restore"):
        from bot import backups

        command = backups.backup_command if args.command == "backup" else backups.restore_command
        return command(settings, args.path)
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
            return await _import(db, args.paths, url=args.url)
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


async def _import(db: Database, paths: list[Path], *, url: str | None = None) -> int:
    from bot import importer

    if url and (len(paths) != 1 or paths[0].is_dir()):
        print("aikyn-bot: --url gives the address of one saved page: name one .html file", file=sys.stderr)
        return 2
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"aikyn-bot: {path}: no such file or folder", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if total >= 50 and (done % 50 == 0 or done == total):
            print(f"… {done}/{total} files", file=sys.stderr, flush=True)

    def changed(article_id: int, outcome: str, title: str) -> None:
        print(f"{article_id:>6}  {outcome:<8}  {title}")

    report = await importer.import_paths(
        db, [p for p in paths if p.exists()], progress=progress, on_change=changed, page_url=url
    )
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


def _analyze(path: Path, *, as_json: bool, url: str | None = None) -> int:
    from bot.analysis import analyze_article
    from bot.article_files import ArticleFileError, read_article_file

    try:
        parsed = read_article_file(path, url=url)
    except ArticleFileError as exc:
        print(f"aikyn-bot: {path}: {exc}", file=sys.stderr)
        return 1
    for draft in parsed.drafts:
        analysis = analyze_article(draft.title, draft.lead, draft.body, draft.published_at)
        record = {
            "title": draft.title,
            "lead": draft.lead,
            # what was extracted, so a page's extraction can be checked from outside
            "body": [p for p in draft.body.split("\n\n") if p.strip()],
            "published_at": draft.published_at.isoformat() if draft.published_at else None,
            "image": draft.image_url,
            "url": draft.url,
            "views": draft.views,
            "held": draft.hold_reason or None,
            "summary": analysis.summary,
            "sentences": analysis.sentences,
            "quotes": [asdict(q) for q in analysis.quotes],
            "events": [
                {
                    "when": e.when,
                    "year": e.year,
                    "year_end": e.year_end,
                    "date": e.date.isoformat() if e.date else None,
                    "what": e.what,
                }
                for e in analysis.events
            ],
            "entities": [{"name": e.name, "kind": e.kind, "mentions": e.mentions} for e in analysis.entities],
        }
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
