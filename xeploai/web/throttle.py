"""Login throttling: after five failed attempts for one login name from one address, that
pair waits fifteen minutes."""

from django.core.cache import cache

LIMIT = 5
WINDOW_SECONDS = 15 * 60


def _key(username: str, address: str) -> str:
    return f"login-failures:{username.lower()}:{address}"


def is_blocked(username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= LIMIT


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    cache.add(key, 0, WINDOW_SECONDS)
    cache.incr(key)


def clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))
