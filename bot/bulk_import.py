"""A large import on every core: worker processes read and analyse, one writer stores in large transactions.

`aikyn-bot import` of a large batch comes here; a small one keeps the simple path (bot/importer.py). What is stored
is exactly what the simple path stores: the same checks (`checked_draft`), the same decision per article
(`store_step`), the same SQL with the same parameters (storage/bulk_writer.py), in the same order (results are
written in the order of the files, whatever order the workers finish in), so the rows and their ids are the same.

- Workers read files (and analyse each article outside any transaction); a JSON or JSON Lines file is read here
  and its records sent to the workers in groups. A worker looks up read-only whether an article is stored already,
  so a second run skips what the first one stored without analysing it again; when this run has written since to
  what such an article was compared with, the writer decides again in its turn (`_Writer`).
- The writer stores what was analysed at least every FLUSH_SECONDS (or FLUSH_ARTICLES articles) in one transaction
  with a savepoint per article (one that fails is rolled back alone and reported) and reports each article only once
  its transaction has committed. Between two transactions it leaves the write lock free long enough for the
  running bot to take it (storage/bulk_writer.py).
- A worker that dies (killed, out of memory) breaks the pool: the groups it may have held are tried again one
  article file at a time in a new pool, and one that kills a worker again fails alone, by name.
- At most WINDOW_PER_JOB groups per worker are in flight, so memory stays flat however large the archive.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.analysis import ANALYSIS_VERSION
from bot.article_files import ArticleFileError, display_name, read_article_file
from bot.importer import (
    Analysed,
    ArticleRejected,
    ImportAborted,
    ImportReport,
    OnChange,
    analyse,
    checked_draft,
    nothing_to_store,
    report_saved,
    safe_text,
    store_step,
)
from bot.records import Analysis, ArticleDraft, Entity, Event, Quote
from storage.articles import SavedArticle
from storage.bulk_writer import BulkWriter, find_stored_read_only, open_reader
from storage.timestamps import utc_now

log = logging.getLogger(__name__)

# Workers yield the processor to the writer (which is what holds the import back when it falls behind) and to a
# bot running beside the import.
WORKER_NICENESS = 5
GROUP_ARTICLES = 32  # files (or JSON records) a worker gets at once: the round trip is paid once for them
WINDOW_PER_JOB = 6  # groups in flight per worker: enough to keep it busy while the writer holds the lock
FLUSH_ARTICLES = 512
FLUSH_SECONDS = 0.3
MAX_PENDING = 4096  # analysed articles waiting for the writer, at most
# The longest a transaction holds the write lock: what the running bot may have to wait for a write.
TRANSACTION_SECONDS = 0.25
JSON_SUFFIXES = {".json", ".jsonl"}
# Below this many articles (a file each, or a JSON file's bytes / JSON_BYTES_PER_ARTICLE) the simple path is as
# quick: starting the workers costs about a second.
BULK_MIN_ARTICLES = 200
JSON_BYTES_PER_ARTICLE = 4000


def worth_it(files: list[Path], jobs: int) -> bool:
    """Is this batch large enough for worker processes?"""
    if jobs < 2:
        return False
    articles = 0
    for path in files:
        articles += _size(path) // JSON_BYTES_PER_ARTICLE if path.suffix.lower() in JSON_SUFFIXES else 1
        if articles >= BULK_MIN_ARTICLES:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Failed:
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A checked draft that a worker found stored already as it is (article `stored`), in the database as it was
    then: the writer decides again, in order, when this run has written since to that article or to one with the
    draft's `identity` or `content` key (which could now be the one it is a version of)."""

    source: str
    stored: int
    identity: str
    content: str
    draft: ArticleDraft


Outcome = Failed | Unchanged | Analysed


@dataclass(slots=True)
class Group:
    """Files, or records of a JSON file, to read and analyse together; or outcomes known already (a JSON file
    that could not be read), which keep their place in the order."""

    files: list[Path] = field(default_factory=list)
    records: list[tuple[str, ArticleDraft]] = field(default_factory=list)
    known: list[Outcome] = field(default_factory=list)
    size: int = 0  # bytes of the files it stands for (progress)

    def single(self) -> Iterator[Group]:
        """Its files and records one at a time (after a worker died holding them)."""
        share = self.size // max(1, len(self.files) + len(self.records))
        yield from (Group(files=[path], size=share) for path in self.files)
        yield from (Group(records=[record], size=share) for record in self.records)

    def name(self) -> str:
        return display_name(self.files[0]) if self.files else self.records[0][0]

    def died(self) -> Failed:
        what = f"{self.records[0][1].title[:60]!r}: " if self.records else ""
        return Failed(self.name(), f"{what}the analysis process died on it (killed, or out of memory)")


@dataclass(frozen=True, slots=True)
class Progress:
    """How far an import is: articles handled, the share of the input's bytes done, articles per second, and
    the seconds left at that pace (None until there is a pace)."""

    articles: int
    done: float
    rate: float
    seconds_left: float | None


# ---- worker processes --------------------------------------------------------------------------------------------

_reader: sqlite3.Connection | None = None
_page_url: str | None = None


def _start_worker(db_path: Path, page_url: str | None, importer_pid: int) -> None:
    """Each worker: Ctrl-C is the importer's to handle (it stops the pool), a read-only connection, and a watch on
    the importer: a worker ends when the importer is gone, even by kill -9 (each worker holds its own end of the
    pipe it is fed from, and keeps the process that starts workers alive, so nothing else would end it)."""
    global _reader, _page_url
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(WORKER_NICENESS)
    _reader, _page_url = open_reader(db_path), page_url
    threading.Thread(target=_exit_without, args=(importer_pid,), daemon=True).start()


def _exit_without(pid: int) -> None:
    never_set = threading.Event()  # a sleep libfaketime leaves working (storage.bulk_writer._pause)
    while _running(pid):
        never_set.wait(0.5)
    os._exit(1)


def _running(pid: int) -> bool:
    """Is the process there and not a zombie (killed, not yet reaped)?"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def work(group: Group) -> list[Outcome | Packed]:
    """Read and analyse a group (in a worker process); the outcomes in the order of the input, packed."""
    outcomes: list[Outcome] = []
    for path in group.files:
        outcomes += _read_file(path)
    for source, draft in group.records:
        outcomes.append(_prepare_alone(draft, source))
    return [pack(outcome) for outcome in outcomes]


def _read_file(path: Path) -> list[Outcome]:
    name = display_name(path)
    try:
        parsed = read_article_file(path, url=_page_url)
    except ArticleFileError as exc:
        return [Failed(name, str(exc))]
    except Exception as exc:  # a file must fail alone, whatever breaks on it
        log.warning("%s: could not be read", name, exc_info=True)
        return [Failed(name, f"{type(exc).__name__}: {exc}")]
    outcomes: list[Outcome] = [Failed(name, problem) for problem in parsed.problems]
    return outcomes + [_prepare_alone(draft, name) for draft in parsed.drafts]


def _prepare_alone(draft: ArticleDraft, source: str) -> Outcome:
    """`_prepare`, and an article it breaks on (the lookup refused: a locked or damaged database) fails alone."""
    try:
        return _prepare(draft, source)
    except Exception as exc:
        log.warning("%s: could not be prepared %r", source, draft.title[:80], exc_info=True)
        return Failed(source, f"{safe_text(draft.title)[:60]!r}: {type(exc).__name__}: {exc}")


def _prepare(draft: ArticleDraft, source: str) -> Outcome:
    """As the simple path does: checked, looked up (an unchanged article is not analysed again), analysed."""
    try:
        draft = checked_draft(draft)
    except ArticleRejected as exc:
        return Failed(source, f"{safe_text(draft.title)[:60]!r}: {exc}")
    if _reader is not None:
        stored = find_stored_read_only(_reader, draft)
        if stored is not None and nothing_to_store(stored, draft):
            return Unchanged(source, stored.id, draft.identity, draft.content_key, draft)
    return analyse(draft, source)


# What crosses from a worker to the importer: plain tuples (unpickled several times faster than dataclasses), and only
# what is stored — not the sentences or the entities' spans.
Packed = tuple[Any, ...]


def pack(outcome: Outcome) -> Outcome | Packed:
    if isinstance(outcome, Unchanged):
        draft_fields = tuple(getattr(outcome.draft, name) for name in _DRAFT_FIELDS)
        return (_UNCHANGED, outcome.source, outcome.stored, outcome.identity, outcome.content, draft_fields)
    if not isinstance(outcome, Analysed):
        return outcome
    draft, analysis = outcome.draft, outcome.analysis
    return (
        tuple(getattr(draft, name) for name in _DRAFT_FIELDS),
        [(q.text, q.speaker, q.role, q.kind, q.speaker_source) for q in analysis.quotes],
        [(e.when, e.year, e.what, e.date, e.year_end) for e in analysis.events],
        [(e.name, e.kind, e.key, e.mentions) for e in analysis.entities],
        analysis.summary,
        outcome.error,
        outcome.source,
    )


def unpack(data: Outcome | Packed) -> Outcome:
    if not isinstance(data, tuple):
        return data
    if data[0] == _UNCHANGED:
        _, source, stored, identity, content, draft_fields = data
        return Unchanged(source, stored, identity, content, ArticleDraft(*draft_fields))
    draft, quotes, events, entities, summary, error, source = data
    analysis = Analysis(
        quotes=[Quote(*q) for q in quotes],
        events=[Event(*e) for e in events],
        entities=[Entity(*e) for e in entities],
        summary=summary,
    )
    return Analysed(ArticleDraft(*draft), analysis, error, source)


_DRAFT_FIELDS = tuple(f.name for f in fields(ArticleDraft))
_UNCHANGED = "unchanged"  # the first item of a packed Unchanged (a packed Analysed starts with the draft's tuple)


Worker = Callable[["Group"], list[Outcome | Packed]]


# ---- the importer's process --------------------------------------------------------------------------------------


def groups(files: list[Path], page_url: str | None) -> Iterator[Group]:
    """The work, in the order of the files: article files in groups; a JSON file read here, its records in groups."""
    group = Group()
    for path in files:
        size = _size(path)
        if path.suffix.lower() not in JSON_SUFFIXES:
            group.files.append(path)
            group.size += size
            if len(group.files) == GROUP_ARTICLES:
                yield group
                group = Group()
            continue
        if group.files:
            yield group
            group = Group()
        yield from _json_groups(path, size, page_url)
    if group.files:
        yield group


def _json_groups(path: Path, size: int, page_url: str | None) -> Iterator[Group]:
    name = display_name(path)
    try:
        parsed = read_article_file(path, url=page_url)
    except ArticleFileError as exc:
        yield Group(known=[Failed(name, str(exc))], size=size)
        return
    problems: list[Outcome] = [Failed(name, problem) for problem in parsed.problems]
    drafts = parsed.drafts
    share = size // max(1, len(drafts))
    for start in range(0, len(drafts), GROUP_ARTICLES):
        chunk = [(name, draft) for draft in drafts[start : start + GROUP_ARTICLES]]
        yield Group(records=chunk, known=problems if start == 0 else [], size=share * len(chunk))
    if not drafts:
        yield Group(known=problems, size=size)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _Writer:
    """Articles stored in order, many per transaction, each reported once committed.

    A worker decides that an article is unchanged against the database as it was when it looked. When this run has
    written since to the article it found, or to one with the draft's identity or content (which may now be the one
    it is a version of), the one-by-one path, which stores every earlier file first, may decide otherwise: such an
    article is decided again here in its turn, and analysed here (rare) when it has changed after all."""

    def __init__(self, writer: BulkWriter, report: ImportReport, on_change: OnChange | None, now: datetime | None):
        self.writer, self.report, self.on_change, self.now = writer, report, on_change, now
        self.pending: list[Analysed | Unchanged] = []
        self.since = time.monotonic()
        self.written_ids: set[int] = set()
        self.written_keys: set[int] = set()  # hash() of the identities and content keys of what this run wrote

    def add(self, outcome: Outcome) -> None:
        if isinstance(outcome, Failed):
            self.report.fail(outcome.source, outcome.reason)
        elif isinstance(outcome, Unchanged) and not self.pending and not self._touched(outcome):
            self.report.unchanged += 1
        else:
            if not self.pending:
                self.since = time.monotonic()
            self.pending.append(outcome)

    def _touched(self, item: Unchanged) -> bool:
        """Has this run written to what a worker found unchanged, or to what might be found for it instead?"""
        keys = self.written_keys
        return item.stored in self.written_ids or hash(item.identity) in keys or hash(item.content) in keys

    def due(self) -> bool:
        """Time to store: enough is waiting and the bot has had its turn at the lock since the last commit (else
        the importer goes on taking results meanwhile); or so much waits that memory would grow."""
        if len(self.pending) >= MAX_PENDING:
            return True
        enough = len(self.pending) >= FLUSH_ARTICLES or (
            bool(self.pending) and time.monotonic() - self.since >= FLUSH_SECONDS
        )
        return enough and self.writer.ready()

    def flush(self) -> None:
        """One transaction's worth (at most TRANSACTION_SECONDS) of what waits; the rest waits for the next."""
        self.pending = self._commit_some(self.pending)

    def finish(self) -> None:
        while self.pending:
            self.flush()

    def _commit_some(self, items: list[Analysed | Unchanged]) -> list[Analysed | Unchanged]:
        """Store items in one transaction for at most TRANSACTION_SECONDS (the bot waits that long at worst), report
        what was committed, and return the rest: first, analysed now, an article found changed after all."""
        saved: list[tuple[Analysed, SavedArticle]] = []
        failed_before = self.report.failed
        try:
            with self.writer.transaction():
                done, changed = self._store_some(items, saved)
        except sqlite3.Error as exc:
            lost = sum(isinstance(item, Analysed) for item in items) - (self.report.failed - failed_before)
            raise ImportAborted.write_refused(self.report, exc, lost) from exc
        for item, outcome in saved:
            report_saved(self.report, item, outcome, self.on_change)
        rest = items[done:]
        if changed and isinstance(first := rest[0], Unchanged):
            rest[0] = analyse(first.draft, first.source)  # outside the transaction, as the one-by-one path does
        return rest

    def _store_some(
        self, items: list[Analysed | Unchanged], saved: list[tuple[Analysed, SavedArticle]]
    ) -> tuple[int, bool]:
        """Store items in order until TRANSACTION_SECONDS have passed: how many were done, and whether the next one
        is an article found unchanged by a worker that has changed since (to be analysed before it is stored)."""
        deadline = time.monotonic() + TRANSACTION_SECONDS
        for done, item in enumerate(items):
            if isinstance(item, Unchanged):
                if not self._still_unchanged(item):
                    return done, True
                continue
            outcome = self._store_alone(item)
            if outcome is not None:
                saved.append((item, outcome))
            if time.monotonic() > deadline:
                return done + 1, False
        return len(items), False

    def _still_unchanged(self, item: Unchanged) -> bool:
        """Counted unchanged if it still is, in the database as this transaction sees it (only looked up again when
        this run has touched what it was compared with)."""
        if self._touched(item) and not nothing_to_store(self.writer.find_stored(item.draft), item.draft):
            return False
        self.report.unchanged += 1
        return True

    def _store_alone(self, item: Analysed) -> SavedArticle | None:
        """One article in its savepoint: one that fails is rolled back alone and reported; an error that ended the
        whole transaction (a full disk) is raised. What it writes is remembered (see `_touched`)."""
        try:
            with self.writer.savepoint():
                saved = store(self.writer, item, self.now or utc_now())
        except sqlite3.Error as exc:
            if not self.writer.in_transaction:
                raise
            log.warning("%s: could not import %r", item.source, item.draft.title[:80], exc_info=True)
            self.report.fail(item.source, f"{item.draft.title[:60]!r}: {type(exc).__name__}: {exc}")
            return None
        if saved.outcome != "unchanged":
            self.written_ids.add(saved.id)
            self.written_keys.update((hash(item.draft.identity), hash(item.draft.content_key)))
        return saved


def store(writer: BulkWriter, item: Analysed, now: datetime) -> SavedArticle:
    """importer._store on the bulk writer's connection: the same steps, statements and parameters."""
    draft, analysis = item.draft, item.analysis
    stored = writer.find_stored(draft)
    step = store_step(stored, draft)
    if stored is not None and step == "unchanged":
        return SavedArticle(stored.id, "unchanged")
    if stored is not None and step == "address":
        writer.add_address(stored.id, draft, now=now)
        return SavedArticle(stored.id, "updated")
    if stored is None:
        article_id = writer.insert_article(draft, summary=analysis.summary, analysis_version=ANALYSIS_VERSION, now=now)
    else:
        article_id = stored.id
        writer.update_article(article_id, draft, summary=analysis.summary, analysis_version=ANALYSIS_VERSION, now=now)
    writer.replace_analysis(article_id, analysis, new_article=stored is None)
    if item.error is not None or stored is not None:
        writer.mark_analysis(article_id, error=item.error)
    return SavedArticle(article_id, "imported" if stored is None else "updated")


class _Pool:
    """The worker processes, made again when one dies."""

    def __init__(self, jobs: int, db_path: Path, page_url: str | None, worker: Worker) -> None:
        self.jobs, self.args, self.worker = jobs, (db_path, page_url, os.getpid()), worker
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["bot.bulk_import"])
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self.context, initializer=_start_worker, initargs=self.args)

    def submit(self, group: Group) -> Future[list[Outcome | Packed]]:
        return self.executor.submit(self.worker, group)

    def restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()

    def close(self, *, wait: bool = True) -> None:
        self.executor.shutdown(wait=wait, cancel_futures=True)

    def peak_rss_mb(self) -> float:
        """The largest peak resident memory of the workers alive now (Linux; 0 elsewhere)."""
        peaks = [0.0]
        for pid in list(getattr(self.executor, "_processes", None) or {}):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            peaks += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")]
        return max(peaks)


@dataclass(slots=True)
class BulkImport:
    """One bulk import: its work in order, the pool, the writer, and how far it is."""

    pool: _Pool
    writer: _Writer
    work_left: Iterator[Group]
    total_bytes: int
    progress: Callable[[Progress], None] | None = None
    on_notice: Callable[[str], None] | None = None
    window: deque[tuple[Group, Future[list[Outcome | Packed]] | None]] = field(default_factory=deque)
    broken: bool = False  # a submit found the pool broken: nothing more is submitted until it is made again
    done_bytes: int = 0
    articles: int = 0
    started: float = field(default_factory=time.monotonic)
    told_at: float = 0.0

    def run(self) -> None:
        while True:
            self._refill()
            if not self.window:
                break
            group, future = self.window.popleft()
            try:
                outcomes = group.known + [unpack(o) for o in (future.result() if future is not None else [])]
            except BrokenProcessPool:
                self._after_a_death(group)
                continue
            self._take(group, outcomes)
        self.writer.finish()
        self._tell(final=True)

    def _refill(self) -> None:
        """Submit groups until the window is full. A pool found broken here (a worker died since the last look)
        does not lose the group: it waits in the window as failed, and goes, in order, the way of a death."""
        limit = self.pool.jobs * WINDOW_PER_JOB
        while not self.broken and len(self.window) < limit and (group := next(self.work_left, None)) is not None:
            self.window.append((group, self._submit(group) if group.files or group.records else None))

    def _submit(self, group: Group) -> Future[list[Outcome | Packed]]:
        try:
            return self.pool.submit(group)
        except BrokenProcessPool as exc:
            self.broken = True
            failed: Future[list[Outcome | Packed]] = Future()
            failed.set_exception(exc)
            return failed

    def _take(self, group: Group, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.writer.add(outcome)
        self.articles += len(outcomes)
        self.done_bytes += group.size
        if self.writer.due():
            self.writer.flush()
        self._tell()

    def _after_a_death(self, first: Group) -> None:
        """A worker died: every group in flight may have been the cause. Each of their files (or records) is tried
        again alone in a new pool, in order; one that kills a worker again fails by name."""
        suspects = [first, *(group for group, _ in self.window)]
        self.window.clear()
        count = sum(len(g.files) + len(g.records) for g in suspects)
        if self.on_notice is not None:
            self.on_notice(f"an analysis process died; its {count} files or records are tried again one by one")
        self.pool.restart()
        self.broken = False
        for group in suspects:
            for known in group.known:
                self.writer.add(known)
            for single in group.single():
                try:
                    outcomes = [unpack(o) for o in self.pool.submit(single).result()]
                except BrokenProcessPool:
                    outcomes = [single.died()]
                    self.pool.restart()
                self._take(single, outcomes)

    def _tell(self, *, final: bool = False) -> None:
        now = time.monotonic()
        if self.progress is None or (not final and now - self.told_at < 1.0):
            return
        self.told_at = now
        elapsed = max(1e-9, now - self.started)
        done = self.done_bytes / self.total_bytes if self.total_bytes else 1.0
        left = elapsed / done - elapsed if done > 0.01 else None
        self.progress(Progress(self.articles, min(1.0, done), self.articles / elapsed, left))


def import_in_bulk(
    db_path: Path,
    files: list[Path],
    *,
    jobs: int,
    progress: Callable[[Progress], None] | None = None,
    on_change: OnChange | None = None,
    on_notice: Callable[[str], None] | None = None,
    now: datetime | None = None,
    page_url: str | None = None,
    worker: Worker = work,
) -> ImportReport:
    """Import `files` (found by find_article_files) into the database at `db_path`, which must be migrated
    already, with `jobs` worker processes, each running `worker` (a module-level function) on each group. Raises
    ImportAborted when the database refuses writes altogether (what was committed before stays); on Ctrl-C the
    open transaction is rolled back and the workers stopped."""
    report = ImportReport()
    pool = _Pool(jobs, db_path, page_url, worker)
    writer = BulkWriter(db_path)
    total = sum(_size(path) for path in files)
    job = BulkImport(pool, _Writer(writer, report, on_change, now), groups(files, page_url), total, progress, on_notice)
    try:
        job.run()
        report.worker_peak_rss_mb = pool.peak_rss_mb()
    finally:
        writer.close()
        pool.close()
    return report
