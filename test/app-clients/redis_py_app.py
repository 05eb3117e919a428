"""redis-py as an app uses it, reading the connection Secret mounted as a servicebinding.io binding.

The Secret's keys are files of one directory under $SERVICE_BINDING_ROOT (a ServiceBinding
projects them there, or a plain Secret volume mounted at $SERVICE_BINDING_ROOT/<name>); the
binding of `type` redis is taken. The server certificate is verified against the system trust
store (ElastiCache's certificates chain to a public CA; the test points SSL_CERT_FILE at its CA).

    python redis_py_app.py <key> <value>   # SET key value, GET key, print the value
    python redis_py_app.py <key>           # GET key, print the value

With `clusterMode` "true" in the binding the app uses redis-py's cluster client (the configuration
endpoint; CLUSTER SLOTS discovers the nodes), as the README's "Using the Secret from an app" shows.
"""
import os
import pathlib
import sys

import redis


def binding(kind: str) -> dict[str, str]:
    root = pathlib.Path(os.environ["SERVICE_BINDING_ROOT"])
    for d in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("..")):
        if (d / "type").is_file() and (d / "type").read_text().strip() == kind:
            return {f.name: f.read_text() for f in d.iterdir() if f.is_file() and not f.name.startswith("..")}
    raise SystemExit(f"no binding of type {kind} under {root}")


def main() -> int:
    key, value = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
    secret = binding("redis")
    try:
        if secret.get("clusterMode") == "true":
            from redis.cluster import RedisCluster
            r = RedisCluster.from_url(secret["pythonUrl"], socket_timeout=10)
        else:
            r = redis.from_url(secret["pythonUrl"], socket_timeout=10)
        if value is not None:
            r.set(key, value)
        got = r.get(key)
        print(got.decode() if got is not None else "(nil)")
    except (redis.RedisError, redis.exceptions.RedisClusterException) as e:  # the message never holds the URL or the password
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
