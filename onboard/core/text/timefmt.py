"""Human, relative times ("3 days ago"): newcomers judge freshness at a glance, not by dates."""

from __future__ import annotations

from datetime import UTC, datetime


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return "unknown"
    now = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "just now"
    units = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600))
    for unit, size in units:
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    minutes = seconds // 60
    return f"{minutes} min ago"
