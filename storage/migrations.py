"""Append-only schema migrations, versioned by PRAGMA user_version.

Never edit a migration that has shipped; add the next one. Scripts are plain literals (no interpolated
constants), so nothing outside a migration can change what an old one did. `executescript` commits whatever is pending
and ignores isolation, so each script carries its own BEGIN … COMMIT and sets user_version inside it.
"""

from __future__ import annotations

import aiosqlite

MIGRATIONS: list[str] = [
    # 1: articles and their full-text index
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        identity TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        lead TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        url TEXT,
        published_at TEXT,
        views INTEGER,
        source TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        updated_at TEXT,
        sort_at TEXT GENERATED ALWAYS AS (coalesce(published_at, imported_at)) VIRTUAL
    );
    CREATE INDEX articles_by_hash ON articles(content_hash);
    CREATE INDEX articles_newest ON articles(sort_at DESC, id DESC);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, lead, body, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, lead, body) VALUES (new.id, new.title, new.lead, new.body);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, lead, body)
        VALUES ('delete', old.id, old.title, old.lead, old.body);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, lead, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, lead, body)
        VALUES ('delete', old.id, old.title, old.lead, old.body);
        INSERT INTO articles_fts(rowid, title, lead, body) VALUES (new.id, new.title, new.lead, new.body);
    END;
    """,
    # 2: stored results of the text analysis
    """
    ALTER TABLE articles ADD COLUMN summary TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN analysis_version INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT,
        speaker_surname TEXT,
        role TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'dialogue'))
    );
    CREATE INDEX quotes_by_article ON quotes(article_id, position);
    CREATE INDEX quotes_by_surname ON quotes(speaker_surname, article_id);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        when_text TEXT NOT NULL,
        year INTEGER NOT NULL,
        year_end INTEGER,
        day TEXT,
        what TEXT NOT NULL
    );
    CREATE INDEX events_by_article ON events(article_id, position);
    CREATE VIRTUAL TABLE events_fts USING fts5(
        what, content='events', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
    );
    CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
        INSERT INTO events_fts(rowid, what) VALUES (new.id, new.what);
    END;
    CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
        INSERT INTO events_fts(events_fts, rowid, what) VALUES ('delete', old.id, old.what);
    END;
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('person', 'org', 'place')),
        name TEXT NOT NULL,
        article_count INTEGER NOT NULL DEFAULT 0,
        UNIQUE (key, kind)
    );
    CREATE TABLE article_entities (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        mentions INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_entities_by_entity ON article_entities(entity_id, article_id);
    CREATE TRIGGER article_entities_count_up AFTER INSERT ON article_entities BEGIN
        UPDATE entities SET article_count = article_count + 1 WHERE id = new.entity_id;
    END;
    CREATE TRIGGER article_entities_count_down AFTER DELETE ON article_entities BEGIN
        UPDATE entities SET article_count = article_count - 1 WHERE id = old.entity_id;
    END;
    """,
    # 3: channel posts, one row per post; the row is the truth, the job queue only the clock
    """
    CREATE TABLE posts (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        due_at TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('slot', 'admin', 'now')),
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'missed', 'cancelled')),
        created_by INTEGER,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        claimed_at TEXT,
        sent_at TEXT,
        message_id INTEGER,
        last_error TEXT
    );
    CREATE INDEX posts_by_status_due ON posts(status, due_at);
    CREATE INDEX posts_by_article ON posts(article_id);
    CREATE UNIQUE INDEX posts_one_per_slot ON posts(due_at) WHERE origin = 'slot';
    """,
    # 4: the article count kept by triggers, so pages and ranking do not count a large archive each time
    """
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO counters (name, value) SELECT 'articles', count(*) FROM articles;
    CREATE TRIGGER articles_count_up AFTER INSERT ON articles BEGIN
        UPDATE counters SET value = value + 1 WHERE name = 'articles';
    END;
    CREATE TRIGGER articles_count_down AFTER DELETE ON articles BEGIN
        UPDATE counters SET value = value - 1 WHERE name = 'articles';
    END;
    """,
    # 5: feeds polled, the items seen in them, and the image of an article
    """
    ALTER TABLE articles ADD COLUMN image_url TEXT;
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_poll_at TEXT,
        last_ok_at TEXT,
        last_result TEXT
    ) WITHOUT ROWID;
    CREATE TABLE feed_items (
        item_url TEXT PRIMARY KEY,
        feed_url TEXT NOT NULL,
        entry_updated TEXT NOT NULL DEFAULT '',
        article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
        etag TEXT,
        last_modified TEXT,
        seen_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 6: prefix indexes for the article index: searches are prefix queries (қазақстан* finds Қазақстанның),
    # which otherwise merge every term sharing the prefix (measured 5× slower at 10,000 articles)
    """
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, lead, body, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 0',
        prefix='3 4 5 6'
    );
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, lead, body) VALUES (new.id, new.title, new.lead, new.body);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, lead, body)
        VALUES ('delete', old.id, old.title, old.lead, old.body);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, lead, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, lead, body)
        VALUES ('delete', old.id, old.title, old.lead, old.body);
        INSERT INTO articles_fts(rowid, title, lead, body) VALUES (new.id, new.title, new.lead, new.body);
    END;
    """,
    # 7: how each quote's speaker was found (a channel post shows only certain ones), and a year's timeline
    # across the archive (/events 1995)
    """
    ALTER TABLE quotes ADD COLUMN speaker_source TEXT NOT NULL DEFAULT 'unknown';
    CREATE INDEX events_by_year ON events(year, article_id);
    """,
    # 8: ingestion. Articles: held for editors (with when they were told), a fingerprint of the exact text beside
    # the content key, and which version of the identity rules their keys follow (storage/article_keys.py re-keys
    # older rows when the database is opened). Feed items: first-seen time, last check, failures and their backoff,
    # given up or dropped by an editor. Feeds: the last poll's counts and problem, so /status can word them.
    """
    ALTER TABLE articles ADD COLUMN held_reason TEXT;
    ALTER TABLE articles ADD COLUMN held_notified_at TEXT;
    ALTER TABLE articles ADD COLUMN version_hash TEXT;
    ALTER TABLE articles ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX articles_held ON articles(held_notified_at) WHERE held_reason IS NOT NULL;
    CREATE INDEX articles_by_keys_version ON articles(keys_version);
    ALTER TABLE feed_items ADD COLUMN title TEXT NOT NULL DEFAULT '';
    ALTER TABLE feed_items ADD COLUMN published_at TEXT;
    ALTER TABLE feed_items ADD COLUMN checked_at TEXT;
    ALTER TABLE feed_items ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feed_items ADD COLUMN retry_at TEXT;
    ALTER TABLE feed_items ADD COLUMN last_error TEXT;
    ALTER TABLE feed_items ADD COLUMN gave_up_at TEXT;
    ALTER TABLE feed_items ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX feed_items_by_feed ON feed_items(feed_url, gave_up_at);
    CREATE INDEX feed_items_by_article ON feed_items(article_id);
    ALTER TABLE feeds ADD COLUMN last_counts TEXT;
    ALTER TABLE feeds ADD COLUMN last_problem TEXT;
    """,
    # 9: editors in control of the channel. posts is rebuilt (SQLite cannot change a CHECK) to add the 'deleted'
    # status, why a post failed (a code editors are told in their language) and when they were told, the HTML
    # now in the channel (what /edit and change notices compare with), and the approval of automatic posts.
    # editor_actions records who did what when; editors keeps each editor's language for messages from jobs;
    # article_changes queues "an article with a sent post changed" for the bot to tell editors, whichever
    # process (feed, upload, CLI import) changed it.
    """
    CREATE TABLE posts_rebuilt (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        due_at TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('slot', 'admin', 'now')),
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'missed', 'cancelled', 'deleted')),
        created_by INTEGER,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        claimed_at TEXT,
        sent_at TEXT,
        message_id INTEGER,
        last_error TEXT,
        fail_reason TEXT,
        reported_at TEXT,
        sent_text TEXT,
        sent_as_caption INTEGER NOT NULL DEFAULT 0,
        approval TEXT CHECK (approval IN ('waiting', 'publish', 'skip')),
        decided_by INTEGER,
        decided_at TEXT,
        deleted_by INTEGER,
        deleted_at TEXT
    );
    INSERT INTO posts_rebuilt (
        id, article_id, due_at, origin, status, created_by, created_at, attempts, next_attempt_at, claimed_at,
        sent_at, message_id, last_error, fail_reason, reported_at
    )
    SELECT
        id, article_id, due_at, origin, status, created_by, created_at, attempts, next_attempt_at, claimed_at,
        sent_at, message_id, last_error,
        CASE status WHEN 'failed' THEN 'unexpected' WHEN 'missed' THEN 'missed' END,
        CASE WHEN status IN ('failed', 'missed') THEN created_at END
    FROM posts;
    DROP TABLE posts;
    ALTER TABLE posts_rebuilt RENAME TO posts;
    CREATE INDEX posts_by_status_due ON posts(status, due_at);
    CREATE INDEX posts_by_article ON posts(article_id);
    CREATE UNIQUE INDEX posts_one_per_slot ON posts(due_at) WHERE origin = 'slot';
    CREATE INDEX posts_unreported ON posts(status) WHERE reported_at IS NULL;
    CREATE TABLE editor_actions (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        editor_id INTEGER,
        action TEXT NOT NULL,
        post_id INTEGER,
        article_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE editors (
        user_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL,
        seen_at TEXT NOT NULL
    );
    CREATE TABLE article_changes (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        changed_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TRIGGER articles_changed_after_post AFTER UPDATE OF title, lead, body ON articles
    WHEN (old.title IS NOT new.title OR old.lead IS NOT new.lead OR old.body IS NOT new.body)
        AND EXISTS (SELECT 1 FROM posts WHERE article_id = new.id AND status = 'sent')
    BEGIN
        INSERT INTO article_changes (article_id, changed_at)
        VALUES (new.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        ON CONFLICT (article_id) DO UPDATE SET changed_at = excluded.changed_at;
    END;
    """,
    # 10: an article whose analysis failed is kept and shown, flagged with why; it is analysed again after an upgrade
    """
    ALTER TABLE articles ADD COLUMN analysis_error TEXT;
    """,
    # 11: readers following people, places, organisations and words; the notifications outbox (one row per
    # message to a reader: an article, or a digest of those over the daily cap); the last article id the
    # matcher has looked at (articles already stored when this runs are not news); entities by their key's last
    # word (a person's surname: «руслан абдуллин» → «абдуллин»); articles shared inline
    """
    CREATE TABLE followers (
        user_id INTEGER PRIMARY KEY,
        language TEXT NOT NULL DEFAULT 'kk',
        paused_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES followers(user_id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('entity', 'words')),
        key TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (user_id, kind, key)
    );
    CREATE INDEX subscriptions_by_key ON subscriptions(kind, key);
    CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('article', 'digest')),
        article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
        subscription_id INTEGER,
        reason TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'sending', 'sent',
            'unconfirmed', 'capped', 'digested', 'held', 'expired', 'failed')),
        local_day TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        sent_at TEXT,
        message_id INTEGER,
        digest_id INTEGER,
        last_error TEXT
    );
    CREATE UNIQUE INDEX notifications_one_per_article ON notifications(user_id, article_id);
    CREATE INDEX notifications_by_status ON notifications(status, id);
    CREATE INDEX notifications_by_reader_day ON notifications(user_id, local_day);
    CREATE INDEX notifications_by_digest ON notifications(digest_id) WHERE digest_id IS NOT NULL;
    INSERT INTO counters (name, value) SELECT 'articles_matched', coalesce(max(id), 0) FROM articles;
    CREATE INDEX entities_by_surname ON entities(kind, substr(key, length(rtrim(key, replace(key, ' ', ''))) + 1));
    CREATE TABLE inline_shares (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        shares INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 12: how many quotes a person has, read from an index alone (a page of «/quotes Name» counted every quote of
    # the person through the table: 97 ms at 100,000 articles for a frequent speaker, now about 1 ms)
    """
    CREATE INDEX quotes_by_speaker ON quotes(speaker_surname, speaker);
    """,
]

LATEST_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    """The database was written by a newer bot than this one."""

    def __init__(self, version: int) -> None:
        super().__init__(
            f"database schema version {version} is newer than this bot knows ({LATEST_VERSION}); upgrade the bot"
        )


async def schema_version(connection: aiosqlite.Connection) -> int:
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(connection: aiosqlite.Connection, *, target_version: int | None = None) -> int:
    """Apply every migration above the database's version (up to `target_version`); return the new version."""
    target = LATEST_VERSION if target_version is None else target_version
    version = await schema_version(connection)
    if version > LATEST_VERSION:
        raise SchemaTooNew(version)
    for number in range(version + 1, target + 1):
        script = MIGRATIONS[number - 1]
        try:
            await connection.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
        except BaseException:
            if connection.in_transaction:
                await connection.rollback()
            raise
    return max(version, target)
