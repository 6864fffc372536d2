"""What /follow follows: names in any case form, places, organisations, words; and one message for many reasons."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import following, importer
from bot.follow_keys import Target
from bot.reading import ReaderContext, ReaderMistake
from bot.records import ArticleDraft
from storage import Database, outbox, subscriptions

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


def context(db: Database) -> ReaderContext:
    return ReaderContext(db, "kk", ZoneInfo("Asia/Almaty"))


@pytest.mark.parametrize(
    ("argument", "target"),
    [
        ("Абдуллиннің", Target("entity", "абдуллин", "Абдуллин")),
        ("абдуллинге", Target("entity", "абдуллин", "Абдуллин")),
        ("Руслан Абдуллиннің", Target("entity", "руслан абдуллин", "Руслан Абдуллин")),
        ("Италиеваға", Target("entity", "италиева", "Италиева")),
        ("AMANAT", Target("entity", "amanat партиясы", "«AMANAT» партиясы")),
        (
            "Қазақстан халқы Ассамблеясының",
            Target("entity", "қазақстан халқы ассамблеясы", "Қазақстан халқы Ассамблеясы"),
        ),
        ("Шешенстанға", Target("entity", "шешенстан", "Шешенстан")),
        ("Алматыда", Target("entity", "алматы", "Алматы")),  # a known place the archive does not mention yet
        ("Тоқаевқа", Target("entity", "тоқаев", "Тоқаев")),  # a name-like word no article mentions yet
        ("көпір құрылысы", Target("words", "көпір құрылы", "«көпір құрылысы»")),
    ],
)
async def test_follow_resolves_names_places_organisations_and_words(
    seeded_db: Database, argument: str, target: Target
) -> None:
    assert await following.resolve(context(seeded_db), argument) == target


@pytest.mark.parametrize("argument", ["123", "!!", "ж"])
async def test_follow_refuses_what_cannot_be_followed(seeded_db: Database, argument: str) -> None:
    with pytest.raises(ReaderMistake, match="Кімге немесе неге жазыласыз"):
        await following.resolve(context(seeded_db), argument)


async def test_a_reader_following_a_person_and_words_gets_one_row_naming_both(fresh_db: Database) -> None:
    ctx = context(fresh_db)
    await following.follow(ctx, 7, "Абдуллин", NOW)
    await following.follow(ctx, 7, "керуен", NOW)
    await following.follow(ctx, 8, "керуен", NOW)
    again = await following.follow(ctx, 7, "Абдуллиннің", NOW)
    assert "бұған жазылғансыз" in again.text
    saved = await importer.save_article(
        fresh_db,
        ArticleDraft(
            title="Керуен жолда", body="Керуен басшысы Руслан Абдуллин жастармен кездесті.", url="https://a.kz/1"
        ),
        now=NOW,
    )
    async with fresh_db.transaction() as conn:
        entity_keys = ["руслан абдуллин", "абдуллин"]
        words = await outbox.articles_matching_words(conn, "керуен", after=0, up_to=saved.id)
        made = await outbox.enqueue_for_article(
            conn, saved.id, entity_keys=entity_keys, word_keys=["керуен"], local_day="2026-03-10", now=NOW, daily_cap=5
        )
        again_made = await outbox.enqueue_for_article(
            conn, saved.id, entity_keys=entity_keys, word_keys=["керуен"], local_day="2026-03-10", now=NOW, daily_cap=5
        )
    assert words == [saved.id] and (made, again_made) == (2, 0)
    rows = await outbox.claim(fresh_db, NOW, limit=10)
    reasons = {n.user_id: set(n.reason.split(outbox.REASON_SEPARATOR)) for n in rows}
    assert reasons == {7: {"Абдуллин", "«керуен»"}, 8: {"«керуен»"}}
    assert [s.label for s in await subscriptions.of_reader(fresh_db, 7)] == ["Абдуллин", "«керуен»"]


async def test_unfollowing_drops_messages_only_that_subscription_asked_for(fresh_db: Database) -> None:
    ctx = context(fresh_db)
    await following.follow(ctx, 7, "Абдуллин", NOW)
    await following.follow(ctx, 8, "Абдуллин", NOW)
    await following.follow(ctx, 8, "керуен", NOW)
    saved = await importer.save_article(
        fresh_db, ArticleDraft(title="Керуен", body="Керуен басшысы Руслан Абдуллин сөйледі."), now=NOW
    )
    async with fresh_db.transaction() as conn:
        await outbox.enqueue_for_article(
            conn, saved.id, entity_keys=["абдуллин"], word_keys=["керуен"], local_day="2026-03-10", now=NOW, daily_cap=5
        )
    for user_id in (7, 8):
        assert (await following.unfollow(ctx, user_id, "Абдуллин")).text.startswith("🔕")
    assert [s.label for s in await subscriptions.of_reader(fresh_db, 8)] == ["«керуен»"]
    left = {n.user_id for n in await outbox.claim(fresh_db, NOW, limit=10)}
    assert left == {8}  # reader 8 still follows «керуен», which the article also matches
