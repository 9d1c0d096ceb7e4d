"""Who goes first tonight: the other partner than at the couple's last check-in.

A session's `partners` are stored in speaking order, so the last check-in of the
same two names already says who went first; nothing else needs storing, and the
order travels with every export and import.
"""

from __future__ import annotations

from collections.abc import Sequence

from store.store import Store, decode_partners

LOOK_BACK = 50
"""How many recent sessions are searched for this couple's last one."""


def last_first(store: Store, partners: Sequence[str]) -> str | None:
    """Who went first at the latest check-in of these two partners, or None if none yet."""
    couple = {name.casefold() for name in partners}
    with store._errors():
        rows = store.conn.execute(
            "SELECT partners FROM sessions ORDER BY started_at DESC, id DESC LIMIT ?",
            (LOOK_BACK,),
        ).fetchall()
    for (stored,) in rows:
        names = decode_partners(stored)
        if {name.casefold() for name in names} == couple and names:
            return names[0]
    return None


def tonight_order(store: Store, partners: tuple[str, str]) -> tuple[str, str]:
    """`partners` in tonight's speaking order: whoever did not go first last time goes first."""
    first = last_first(store, partners)
    if first is not None and first.casefold() == partners[0].casefold():
        return partners[1], partners[0]
    return partners
