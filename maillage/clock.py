"""The clock of what people read: every time maillage shows a user (reports, console, exports,
the notes of maps and API views) is Paris time, whatever the machine's zone; stored times are UTC.

:func:`paris_time` is the one place that decides the zone. Two styles write it, each for its place:
``report.when_text`` as a sentence says it in the reports (« 6 décembre 2026 à 03 h 12 »), and
:func:`short_when` in lists, console lines and export notes (« 06/12/2026 03:12 »).
"""

from __future__ import annotations

from datetime import datetime, timezone

#: French local time: « 03 h 12 » for 02:12 UTC in winter, « 04 h 12 » in summer.
TIMEZONE = "Europe/Paris"


def paris_time(t: datetime | None = None) -> datetime:
    """``t`` in Paris time (``t`` naive: UTC; None: now). Without a time-zone database (the
    ``tzdata`` package missing on Windows) the machine's zone, the only one then known.

    >>> paris_time(datetime(2026, 12, 6, 2, 12)).strftime("%H:%M %Z")
    '03:12 CET'
    >>> paris_time(datetime(2026, 7, 1, 8, 5, tzinfo=timezone.utc)).strftime("%H:%M %Z")
    '10:05 CEST'
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    t = datetime.now(timezone.utc) if t is None else (t if t.tzinfo else t.replace(tzinfo=timezone.utc))
    try:
        return t.astimezone(ZoneInfo(TIMEZONE))
    except ZoneInfoNotFoundError:
        return t.astimezone()


def short_when(t: datetime | None, lang: str = "fr") -> str:
    """« 06/12/2026 03:12 » (English "2026-12-06 03:12"): a time in Paris time as lists and
    console lines write it; "" for no time.

    >>> short_when(datetime(2026, 12, 6, 2, 12)), short_when(datetime(2026, 12, 6, 2, 12), "en")
    ('06/12/2026 03:12', '2026-12-06 03:12')
    """
    if not t:
        return ""
    return paris_time(t).strftime("%Y-%m-%d %H:%M" if lang == "en" else "%d/%m/%Y %H:%M")
