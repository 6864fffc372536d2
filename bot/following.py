"""Readers following a person, place, organisation or words: what /follow, /following and /unfollow answer.

A name follows the entity whatever its case form (Абдуллиннің → Абдуллин): keys are the case-folded nominatives
the analysis stores for entities. One word that names people follows the surname (every Абдуллин); a full name
follows that name. Anything that is not a known or name-like entity follows a full-text query, matched the way
/search matches (word forms by prefix). Knows the database, not Telegram.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import escape

from bot.analysis.lexicon import FIXED_ORGS, PLACES
from bot.analysis.morphology import fold, is_surname_like, name_nominative, search_stems, word_stem
from bot.follow_keys import LABEL_CHARS, Target, entity_target, surname_label
from bot.reading import ReaderContext, ReaderMistake, check_length
from bot.render import Button, Reply, shorten
from storage import outbox, subscriptions
from storage.fts import INDEXED_PREFIX
from storage.subscriptions import Subscription

MAX_SUBSCRIPTIONS = 50
HELD_FOR = timedelta(days=1)
_WORDS = re.compile(r"[^\W\d_][\w-]*")
_QUOTED = re.compile(r"«([^«»]{2,80})»")
# places and organisations the analysis knows by name, followed before the archive mentions them
_KNOWN_NAMES = {fold(name): name for name in (*PLACES, *FIXED_ORGS)}


def _last_word_forms(word: str) -> list[str]:
    """A word in the forms an entity key may have: as typed, as a name's nominative, without a case ending."""
    forms = [fold(word), fold(name_nominative(word)), word_stem(word)]
    return list(dict.fromkeys(form for form in forms if form))


def _candidate_keys(argument: str, words: list[str]) -> list[str]:
    """Entity keys the argument may mean: a quoted name («AMANAT» → «amanat»), or the words
    with the last one in each of its forms (Kazakh inflects a name's last word only)."""
    keys = [fold(name) for name in _QUOTED.findall(argument)]
    head = " ".join(fold(w) for w in words[:-1])
    keys += [f"{head} {form}".strip() for form in _last_word_forms(words[-1])]
    return list(dict.fromkeys(keys))


async def resolve(ctx: ReaderContext, argument: str) -> Target:
    """What `/follow <argument>` follows; ReaderMistake with the reply when the argument is unusable."""
    argument = check_length(ctx, argument)
    words = _WORDS.findall(argument)
    if not words:
        raise ReaderMistake(ctx.t("follow_need"))
    candidates = _candidate_keys(argument, words)
    known = await subscriptions.entities_by_keys(ctx.db, candidates)
    if not known:
        known = await subscriptions.organisations_named(ctx.db, candidates[0])
    if known:
        return Target("entity", known[0].key, shorten(known[0].name, LABEL_CHARS))
    named = next((key for key in candidates if key in _KNOWN_NAMES), None)
    if named is not None:
        return Target("entity", named, _KNOWN_NAMES[named])
    if len(words) == 1:
        for form in _last_word_forms(words[0]):
            people = await subscriptions.people_by_surname(ctx.db, form, limit=1)
            if people:
                return Target("entity", form, surname_label(people[0], form))
    nominative = name_nominative(words[-1])
    if is_surname_like(nominative) and all(w[:1].isupper() for w in words[:-1]) and len(words) <= 3:
        name = " ".join([*words[:-1], nominative])  # a person not written about yet
        return Target("entity", fold(name), shorten(name, LABEL_CHARS))
    stems = [s for s in search_stems(argument) if not s.isdigit()]
    if not any(len(s) >= 3 for s in stems):
        raise ReaderMistake(ctx.t("follow_need"))
    key = " ".join(sorted({s[:INDEXED_PREFIX] for s in stems}))
    return Target("words", key, f"«{shorten(' '.join(words), LABEL_CHARS)}»")


async def _subscribe(ctx: ReaderContext, user_id: int, target: Target, now: datetime) -> Reply:
    added = await subscriptions.add(
        ctx.db,
        user_id,
        target.kind,
        target.key,
        target.label,
        language=ctx.language,
        now=now,
        limit=MAX_SUBSCRIPTIONS,
    )
    if added is None:
        return Reply(ctx.t("follow_limit", limit=MAX_SUBSCRIPTIONS))
    sub = added.subscription
    key = "follow_done" if added.created else "follow_already"
    return Reply(ctx.t(key, label=escape(sub.label)), [[unfollow_button(ctx, sub)]])


async def follow(ctx: ReaderContext, user_id: int, argument: str, now: datetime) -> Reply:
    """/follow <name | place | organisation | words>."""
    if not argument.strip():
        return Reply(ctx.t("follow_need"))
    return await _subscribe(ctx, user_id, await resolve(ctx, argument), now)


async def follow_entity(ctx: ReaderContext, user_id: int, entity_id: int, now: datetime) -> Reply:
    """The follow button under an article: a person by surname, a place or organisation by its key."""
    entity = await subscriptions.entity_by_id(ctx.db, entity_id)
    if entity is None:
        raise ReaderMistake(ctx.t("stale_button"))
    return await _subscribe(ctx, user_id, entity_target(entity), now)


async def follow_surname(ctx: ReaderContext, user_id: int, surname_key: str, now: datetime) -> Reply:
    """The follow button under a person's quotes."""
    people = await subscriptions.people_by_surname(ctx.db, surname_key, limit=1)
    label = surname_label(people[0], surname_key) if people else surname_key.capitalize()
    return await _subscribe(ctx, user_id, Target("entity", surname_key, label), now)


def unfollow_button(ctx: ReaderContext, sub: Subscription, *, in_list: bool = False) -> Button:
    return Button(ctx.t("unfollow_button", label=sub.label), data=f"{'ul' if in_list else 'uf'}:{sub.id}")


async def following(ctx: ReaderContext, user_id: int) -> Reply:
    """/following: this reader's subscriptions, each with an unfollow button."""
    subs = await subscriptions.of_reader(ctx.db, user_id)
    if not subs:
        return Reply(ctx.t("following_empty"))
    lines = "\n".join(f"{n}. {escape(s.label)}" for n, s in enumerate(subs, start=1))
    buttons = [[unfollow_button(ctx, s, in_list=True)] for s in subs]
    return Reply(f"{ctx.t('following_title', count=len(subs))}\n\n{lines}\n\n{ctx.t('following_note')}", buttons)


async def unfollow(ctx: ReaderContext, user_id: int, argument: str) -> Reply:
    """/unfollow <number in /following | name | words>; without an argument, the list to choose from."""
    argument = check_length(ctx, argument)
    if not argument:
        return await following(ctx, user_id)
    subs = await subscriptions.of_reader(ctx.db, user_id)
    chosen = _chosen_subscription(subs, argument)
    if chosen is None:
        target = await resolve(ctx, argument) if _WORDS.search(argument) else None
        chosen = next((s for s in subs if target and (s.kind, s.key) == (target.kind, target.key)), None)
    if chosen is None or await subscriptions.remove(ctx.db, user_id, chosen.id) is None:
        return Reply(ctx.t("unfollow_none", value=escape(shorten(argument, 60))))
    return Reply(ctx.t("unfollow_done", label=escape(chosen.label)))


def _chosen_subscription(subs: list[Subscription], argument: str) -> Subscription | None:
    """A subscription named by its number in /following or by its label as shown."""
    if re.fullmatch(r"\d{1,3}", argument):
        number = int(argument)
        return subs[number - 1] if 0 < number <= len(subs) else None
    wanted = fold(argument.strip("«»"))
    return next((s for s in subs if fold(s.label.strip("«»")) == wanted), None)


async def unfollow_by_button(ctx: ReaderContext, user_id: int, subscription_id: int) -> str:
    """An unfollow button: the short answer shown to the reader (only their own subscriptions can be removed)."""
    removed = await subscriptions.remove(ctx.db, user_id, subscription_id)
    if removed is None:
        return ctx.t("unfollow_gone")
    return ctx.t("unfollow_toast", label=removed.label)


async def came_back(ctx: ReaderContext, user_id: int, now: datetime) -> bool:
    """/start from a reader the bot had paused (they had blocked it): notifications resume, and those held for
    them in the last HELD_FOR go out after all (older ones are no longer news). True when they had been paused."""
    if not await subscriptions.is_paused(ctx.db, user_id):  # a read: /start is the busiest command
        return False
    if not await subscriptions.resume(ctx.db, user_id, language=ctx.language):
        return False
    await outbox.release_held(ctx.db, user_id, since=now - HELD_FOR)
    return True
