"""Login attempts, counted by django-axes in the database (shared by every worker process, kept
across restarts).

Two counts lock: the wrong passwords of one login name from one address (AXES_FAILURE_LIMIT),
so that a stranger elsewhere cannot lock a real user out, and the wrong passwords from one
address whatever the name (LOGIN_ADDRESS_FAILURE_LIMIT), against trying a few passwords on many
names. Each lock lifts by itself after the cool-off (AXES_COOLOFF_TIME)."""

import datetime
import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.http import HttpRequest

# The attempts are kept in a CharField of 255 characters; no login name is longer than this.
USERNAME_MAX = get_user_model()._meta.get_field("username").max_length or 150


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the address they report
    (the Nth entry from the right of their header, N being the number of proxies, since each
    proxy appends the address it saw and anything further left came from the client). A header
    that holds no address (a proxy set up wrongly) falls back to REMOTE_ADDR."""
    candidates = [request.META.get("REMOTE_ADDR", "")]
    if settings.TRUSTED_PROXY_HEADER:
        key = "HTTP_" + settings.TRUSTED_PROXY_HEADER.upper().replace("-", "_")
        entries = [e.strip() for e in request.META.get(key, "").split(",") if e.strip()]
        if entries:
            candidates.insert(0, entries[-min(settings.TRUSTED_PROXY_COUNT, len(entries))])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def client_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The login name as typed, cut to the longest a user can have (so that a very long name
    cannot break the attempt's row) and without NUL characters (which PostgreSQL refuses)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    if username is None:
        return None
    return str(username).replace("\0", "")[:USERNAME_MAX]


def _lifted_at(attempts: list[tuple[datetime.datetime, int]], limit: int, cool_off):
    """When a lock on these (last failure, failures) rows lifts, or None if they do not lock:
    a row stops counting a cool-off after its last failure, and the lock lifts as soon as
    fewer than `limit` failures still count."""
    remaining = sum(n for _, n in attempts)
    if remaining < limit:
        return None
    for at, n in sorted(attempts):
        remaining -= n
        if remaining < limit:
            return at + cool_off
    return None


class LockoutHandler(AxesDatabaseHandler):
    """The database handler, with its own limit for the address count."""

    def _counts(self, request, credentials=None) -> tuple[int, int]:
        by_name_and_address, by_address = self.get_user_attempts(request, credentials)
        return (
            by_name_and_address.aggregate(n=Sum("failures_since_start"))["n"] or 0,
            by_address.aggregate(n=Sum("failures_since_start"))["n"] or 0,
        )

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares one number with AXES_FAILURE_LIMIT: an address over its own limit
        # counts as that limit reached.
        by_name_and_address, by_address = self._counts(request, credentials)
        if by_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_name_and_address, settings.AXES_FAILURE_LIMIT)
        return by_name_and_address

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A success clears the failures of that name from that address only: logging in to one
        # account must not wipe an address's count of failures on other names.
        by_name_and_address = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_name_and_address.delete()
        return count

    def locked_until(self, request, credentials=None) -> datetime.datetime | None:
        """When the client may try again, or None if it is not locked."""
        cool_off = get_cool_off(request)
        by_name_and_address, by_address = self.get_user_attempts(request, credentials)
        ends = [
            _lifted_at(
                list(qs.values_list("attempt_time", "failures_since_start")), limit, cool_off
            )
            for qs, limit in (
                (by_name_and_address, settings.AXES_FAILURE_LIMIT),
                (by_address, settings.LOGIN_ADDRESS_FAILURE_LIMIT),
            )
        ]
        ends = [e for e in ends if e is not None]
        return max(ends) if ends else None


def locked_until(request: HttpRequest, credentials: dict | None = None):
    """When the client of this request may try to log in again, or None."""
    AxesProxyHandler.update_request(request)
    return LockoutHandler().locked_until(request, credentials)
