"""Django's cache through django-redis, configured from one key of the connection Secret.

The Deployment sets REDIS_URL from the Secret's `pythonUrl` key; settings.py names it in CACHES.

    python django_app.py <key> <value>   # cache.set, cache.get, print the value
"""
import os
import sys

import django
from django.conf import settings

settings.configure(CACHES={
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
})
django.setup()

from django.core.cache import cache  # noqa: E402  (after settings)


def main() -> int:
    key, value = sys.argv[1], sys.argv[2]
    try:
        cache.set(key, value, timeout=600)
        print(cache.get(key))
    except Exception as e:  # the message never holds the URL or the password
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
