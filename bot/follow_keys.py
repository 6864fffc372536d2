"""What a subscription is keyed by, shared by /follow, the follow buttons and the matcher of new articles.

Entity keys are the case-folded nominatives the analysis stores (bot/records.py Entity.key). A person is followed
by surname: a follow of «Абдуллин» answers every article that mentions an Абдуллин, whatever the given name.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.analysis.morphology import fold
from bot.render import shorten
from storage.subscriptions import KnownEntity, SubscriptionKind

LABEL_CHARS = 40


@dataclass(frozen=True, slots=True)
class Target:
    """What a reader asked to follow, resolved: an entity key or the prefix terms of a query."""

    kind: SubscriptionKind
    key: str
    label: str


def entity_match_keys(key: str, kind: str) -> list[str]:
    """The subscription keys an article's entity answers to: its own key, and a person's surname."""
    if kind == "person" and " " in key:
        return [key, key.rsplit(" ", 1)[1]]
    return [key]


def surname_label(person: KnownEntity, surname_key: str) -> str:
    """A surname as the archive writes it (Абдуллин), for a key (абдуллин)."""
    last = person.name.split()[-1]
    return last if fold(last) == surname_key else surname_key.capitalize()


def entity_target(entity: KnownEntity) -> Target:
    """What the follow button of an article's entity follows: a person by surname, else the entity itself."""
    if entity.kind == "person" and " " in entity.key:
        surname = entity.key.rsplit(" ", 1)[1]
        return Target("entity", surname, surname_label(entity, surname))
    return Target("entity", entity.key, shorten(entity.name, LABEL_CHARS))
