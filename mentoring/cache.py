"""The shared cache on Redis, which a Redis outage turns into "nothing cached", not a 500.

Nothing the app needs to keep lives in the cache: sessions and login throttling are in
PostgreSQL. So while Redis is away a read finds nothing and a write is dropped (both
logged), each after at most the socket timeouts of ``CACHES["default"]["OPTIONS"]``.
"""

import logging

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _unavailable(operation, error):
    logger.warning("cache %s skipped, Redis unavailable: %s", operation, error)


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis cannot be reached.

    ``incr`` and ``decr`` still raise: a counter that silently stops counting is worse
    than an error.
    """

    @property
    def _errors(self):
        return (redis.RedisError, OSError)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except self._errors as error:
            _unavailable("add", error)
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except self._errors as error:
            _unavailable("get", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except self._errors as error:
            _unavailable("set", error)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except self._errors as error:
            _unavailable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except self._errors as error:
            _unavailable("delete", error)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except self._errors as error:
            _unavailable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except self._errors as error:
            _unavailable("has_key", error)
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except self._errors as error:
            _unavailable("set_many", error)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except self._errors as error:
            _unavailable("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except self._errors as error:
            _unavailable("clear", error)
            return False
