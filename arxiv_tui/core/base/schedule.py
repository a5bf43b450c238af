"""arXiv's announcement calendar, and which submissions each listing holds.

arXiv announces Sunday to Thursday at 20:00 US Eastern; the RSS feed is rebuilt at Eastern
midnight, so a listing dated D (Monday to Friday) holds the announcement made the evening
before. That announcement covers submissions between two consecutive 14:00 Eastern cut-offs:
the one on the weekday before D, and the one on the weekday before that. Holidays are not
modelled: a holiday's window simply comes back from the API with no papers.
"""

from __future__ import annotations

import datetime as dt
import functools


@functools.cache
def eastern() -> dt.tzinfo:
    """US Eastern time (loaded when first needed: a start has no use for it)."""
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover
        return dt.timezone(dt.timedelta(hours=-5), "EST")
    try:
        return ZoneInfo("America/New_York")
    except ZoneInfoNotFoundError:  # no tz database (some Windows installs)
        return dt.timezone(dt.timedelta(hours=-5), "EST")


CUTOFF = dt.time(14, 0)
ANNOUNCEMENT = dt.time(20, 0)
ARXIV_BEGAN = dt.date(1991, 8, 14)
FUTURE_DAYS = 3  # a listing is dated in New York; no time zone is further ahead than this


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def date_problem(day: dt.date, today: dt.date | None = None) -> str:
    """Why `day` cannot be a listing date (before arXiv began, or days in the future), or ""."""
    today = today or utc_today()
    if day < ARXIV_BEGAN:
        return f"{day:%d %b %Y} is before arXiv began (14 Aug 1991)"
    if day > today + dt.timedelta(days=FUTURE_DAYS):
        return f"{day:%d %b %Y} is in the future"
    return ""


def is_listing_day(day: dt.date) -> bool:
    """Listings are dated Monday to Friday."""
    return day.weekday() < 5


def previous_weekday(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not is_listing_day(day):
        day -= dt.timedelta(days=1)
    return day


def listing_days_between(after: dt.date, before: dt.date) -> list[dt.date]:
    """Listing dates strictly between `after` and `before`, oldest first.

    Both ends are clamped to arXiv's lifetime, so no date here can overflow.
    """
    after = max(after, ARXIV_BEGAN - dt.timedelta(days=1))
    before = min(before, utc_today() + dt.timedelta(days=FUTURE_DAYS + 1))
    if after >= before:
        return []
    days = []
    day = after + dt.timedelta(days=1)
    while day < before:
        if is_listing_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _cutoff(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, CUTOFF, tzinfo=eastern()).astimezone(dt.UTC)


def submission_window(listing_date: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC interval of submissions announced in the listing dated `listing_date`."""
    end_day = previous_weekday(listing_date)
    return _cutoff(previous_weekday(end_day)), _cutoff(end_day)


def next_announcement(now: dt.datetime) -> dt.datetime:
    """The next announcement (Sunday to Thursday, 20:00 Eastern) after `now`, in Eastern time."""
    local = now.astimezone(eastern())
    day = local.date()
    for _ in range(8):
        moment = dt.datetime.combine(day, ANNOUNCEMENT, tzinfo=eastern())
        # Python weekday: Monday 0 ... Sunday 6; announcements on Sun (6) and Mon-Thu (0-3).
        if (day.weekday() in (6, 0, 1, 2, 3)) and moment > local:
            return moment
        day += dt.timedelta(days=1)
    raise AssertionError("unreachable: an announcement happens every week")


EST, EDT = dt.timezone(dt.timedelta(hours=-5), "EST"), dt.timezone(dt.timedelta(hours=-4), "EDT")


def eastern_offset(moment: dt.datetime) -> dt.timezone:
    """US Eastern's offset at `moment`, by the rules in force since 2007 (summer time from the
    second Sunday of March to the first Sunday of November, each at 2:00 local time): a start
    tells whether a listing is due without loading the tz database (4 ms). A test checks it
    against the database hour by hour."""
    year = moment.astimezone(dt.UTC).year
    march_8th = dt.datetime(year, 3, 8, 7, tzinfo=dt.UTC)  # 2:00 EST; the 2nd Sunday is the 8th-14th
    begins = march_8th + dt.timedelta(days=(6 - march_8th.weekday()) % 7)
    november_1st = dt.datetime(year, 11, 1, 6, tzinfo=dt.UTC)  # 2:00 EDT; the 1st Sunday is the 1st-7th
    ends = november_1st + dt.timedelta(days=(6 - november_1st.weekday()) % 7)
    return EDT if begins <= moment < ends else EST


def feed_date(now: dt.datetime, zone: dt.tzinfo | None = None) -> dt.date:
    """The date of the newest listing the RSS feed can hold at `now` (holidays aside): it is
    rebuilt at Eastern midnight, so from then on it holds that weekday's listing (the evening
    announcement before it); on a weekend, Friday's. `zone`: Eastern, or one of its offsets."""
    day = now.astimezone(zone or eastern()).date()
    return day if is_listing_day(day) else previous_weekday(day)


def latest_listing_date(now: dt.datetime, zone: dt.tzinfo | None = None) -> dt.date:
    """The date of the newest listing announced by `now` (holidays aside): an announcement at
    20:00 Eastern, Sunday to Thursday, is dated the next day. `zone`: Eastern, or one offset."""
    local = now.astimezone(zone or eastern())
    day = local.date()
    if local.time() >= ANNOUNCEMENT and day.weekday() in (6, 0, 1, 2, 3):
        return day + dt.timedelta(days=1)
    return day if is_listing_day(day) else previous_weekday(day)
