"""Calendar days in the secretariat's time zone: today (or WTPF_TODAY), and the day a timestamp falls on."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo

from wtpf_cli.errors import InputRejected, UsageError

TODAY_ENV = "WTPF_TODAY"  # a fixed "today" (YYYY-MM-DD) for scripted runs and tests; wins over the clock


def zone_info(name: str, *, where: str = "wtpf.toml") -> dt.tzinfo:
    """The IANA time zone `name` ("Europe/Zurich", "UTC"); an unknown name is refused, naming the setting."""
    if name == "UTC":  # the default works where no time zone database is installed (Windows, slim images)
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, OSError) as exc:
        raise InputRejected(
            f"[report].time_zone {name!r} is not an IANA time zone name (e.g. UTC, Europe/Zurich)", path=where
        ) from exc


def today(zone: str = "UTC") -> str:
    """Today's calendar day in `zone` (ISO), or the day WTPF_TODAY names."""
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed).isoformat()
        except ValueError as exc:
            raise UsageError(f"{TODAY_ENV}={fixed!r} is not a date like 2012-05-15") from exc
    return dt.datetime.now(zone_info(zone)).date().isoformat()


def calendar_day(value: str, zone: str = "UTC") -> str:
    """The day in `zone` of a date ('2012-05-15') or a timestamp ('2012-05-15T23:30:00Z', '...+02:00').

    A timestamp without an offset is read as local time in `zone` (its own date is the day)."""
    text = value.strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{value!r} is not a date like 2012-05-15 or a time like 2012-05-15T23:30:00Z") from exc
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.astimezone(zone_info(zone)).date().isoformat()


def days_between(start: str, end: str) -> int:
    """Whole days from one ISO day to another (negative when `end` is earlier)."""
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days
