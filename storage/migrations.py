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
    # 7: readers following people, places, organisations and words; the notifications outbox (one row per
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
]

LATEST_VERSION = len(MIGRATIONS)


async def schema_version(connection: aiosqlite.Connection) -> int:
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(connection: aiosqlite.Connection, *, target_version: int | None = None) -> int:
    """Apply every migration above the database's version (up to `target_version`); return the new version."""
    target = LATEST_VERSION if target_version is None else target_version
    version = await schema_version(connection)
    if version > LATEST_VERSION:
        raise RuntimeError(
            f"database schema version {version} is newer than this bot knows ({LATEST_VERSION}); upgrade the bot"
        )
    for number in range(version + 1, target + 1):
        script = MIGRATIONS[number - 1]
        try:
            await connection.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
        except BaseException:
            if connection.in_transaction:
                await connection.rollback()
            raise
    return max(version, target)
