"""Shared helpers for the store tests: a small, known week of check-ins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.store import Store

# Monday of ISO week 2026-W07 is 9 February 2026.
WEEK = "2026-W07"
MONDAY = datetime(2026, 2, 9, 20, 30, tzinfo=UTC)


def log_evening(
    store: Store,
    start: datetime,
    *,
    appreciations: tuple[tuple[str, str], ...] = (("Ana", "He made me tea."),),
    needs: tuple[tuple[str, str, str, str, bool | None], ...] = (),
    completed: bool = True,
) -> int:
    """One check-in: appreciations (partner, text) and needs
    (partner, category, text, responder, validated or None for no response)."""
    session = store.begin_session(["Ana", "Ben"], "pocketsphinx", started_at=start)
    clock = start
    for partner, text in appreciations:
        clock += timedelta(seconds=10)
        store.log_entry(
            session, partner=partner, kind="appreciation", text=text, at=clock, confidence=0.9
        )
    for partner, category, text, responder, validated in needs:
        clock += timedelta(seconds=10)
        store.log_entry(
            session, partner=partner, kind="unmet_need", category=category, text=text, at=clock
        )
        if validated is not None:
            clock += timedelta(seconds=10)
            reply = "I understand how you feel." if validated else "You're overreacting."
            store.log_entry(
                session,
                partner=responder,
                kind="response",
                text=reply,
                validated=validated,
                at=clock,
            )
    if completed:
        store.end_session(
            session, completed=True, duration_s=(clock - start).total_seconds(), ended_at=clock
        )
    return session


def log_known_week(store: Store) -> None:
    """W06 with one 'dismissed'; W07 with three check-ins and 'distracted' twice."""
    log_evening(
        store,
        MONDAY - timedelta(days=7),
        needs=(
            ("Ben", "dismissed", "I felt brushed off at lunch", "Ana", True),
            ("Ana", "distracted", "You were on your phone", "Ben", True),
        ),
    )
    log_evening(
        store,
        MONDAY,
        appreciations=(("Ana", "He made me tea."), ("Ben", "She fixed the bike.")),
        needs=(("Ana", "distracted", "I felt unheard when you watched TV", "Ben", True),),
    )
    log_evening(
        store,
        MONDAY + timedelta(days=2),
        needs=(
            ("Ben", "distracted", "You kept checking your phone", "Ana", False),
            ("Ana", "cancelled_plans", "You cancelled our walk", "Ben", None),
        ),
    )
    log_evening(
        store, MONDAY + timedelta(days=4), appreciations=(("Ben", "A long hug"),), completed=False
    )
