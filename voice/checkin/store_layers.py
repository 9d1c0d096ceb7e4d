"""What a check-in asks of its store beyond begin/log/end: tonight's order, and taking back
a misheard answer.

The driver is given a CheckinStore, which may be a wrapper (listen's EventStore counts
entries and passes only begin/log/end on). These ask whichever layer can answer,
following `.store`, so a wrapper need not forward every capability.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

LAYERS = 3
"""How deep wrappers are followed (EventStore -> SafeStore -> Store)."""


def _layers(store: Any) -> Iterator[Any]:
    for _ in range(LAYERS):
        if store is None:
            return
        yield store
        store = getattr(store, "store", None)


def tonight_order(store: Any, partners: tuple[str, str]) -> tuple[str, str]:
    """`partners` in tonight's order: the one who did not go first last time goes first.

    A store that cannot say (an unreadable database) keeps the order given: the
    check-in matters more than the turn."""
    from store.errors import StoreError
    from store.store import Store
    from store.turns import tonight_order as from_store

    for layer in _layers(store):
        order = getattr(layer, "turn_order", None)
        if callable(order):
            return tuple(order(partners))  # type: ignore[return-value]
        if isinstance(layer, Store):
            try:
                return from_store(layer, partners)
            except StoreError:
                return partners
    return partners


def retract(store: Any, entry: Any) -> bool:
    """Take back the entry `log_entry` returned `entry` for; False when no layer can."""
    from store.corrections import MISHEARD, delete_entry
    from store.store import Store

    for layer in _layers(store):
        withdraw = getattr(layer, "withdraw", None)
        if callable(withdraw):
            withdraw(entry)
            return True
        if isinstance(layer, Store) and isinstance(entry, int):
            delete_entry(layer, entry, MISHEARD)
            return True
    return False


def pin_first(partners: tuple[str, str], first: str) -> tuple[str, str]:
    """`partners` with `first` first (`--first NAME`); CheckinError if it names neither."""
    from voice.errors import CheckinError

    for index, name in enumerate(partners):
        if name.casefold() == first.strip().casefold():
            return (partners[index], partners[1 - index])
    raise CheckinError(
        f"--first {first!r} is neither of the partners ({partners[0]} and {partners[1]}); "
        "give one of their names"
    )
