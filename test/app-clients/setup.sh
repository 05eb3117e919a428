#!/usr/bin/env bash
# Installs (or reuses) the real clients the end-to-end test connects with, and the IAM linter:
#   - a Python virtualenv with requirements.txt (redis-py, Celery/kombu, Django, django-redis, parliament),
#   - ioredis with package-lock.json (npm ci) in its own directory,
#   - Lettuce: java/pom.xml's classpath (mvn dependency:build-classpath) and LettuceApp.java compiled against it.
#
#   APP_CLIENTS_CACHE  where both live (default ~/.cache/rediscache-operator/app-clients)
#   APP_CLIENTS_PYTHON interpreter used to create the venv (default python3)
#
# Idempotent: the sha256 of requirements.txt and of package-lock.json is stored next to each;
# when it matches, nothing is installed. Prints three lines on standard output:
#   venv <path of the virtualenv>
#   node_modules <path of the node_modules directory>
#   java_classpath <classpath of LettuceApp: its classes directory and Lettuce's jars>
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${APP_CLIENTS_CACHE:-$HOME/.cache/rediscache-operator/app-clients}"
PYTHON="${APP_CLIENTS_PYTHON:-python3}"
VENV="$CACHE/venv"
NODE="$CACHE/node"
hash_of() { sha256sum "$1" | cut -d' ' -f1; }
mkdir -p "$CACHE"

WANT_PY="$(hash_of "$HERE/requirements.txt")"
if [[ -x "$VENV/bin/python" && "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" == "$WANT_PY" ]] \
   && "$VENV/bin/python" -c 'import redis, celery, django_redis, parliament' >/dev/null 2>&1; then
  echo "app-clients venv up to date" >&2
else
  echo "creating app-clients venv at $VENV with $("$PYTHON" --version 2>&1)" >&2
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$HERE/requirements.txt" >&2
  "$VENV/bin/python" -c 'import redis; assert redis.__version__ == "8.1.0", redis.__version__' >&2
  echo "$WANT_PY" > "$VENV/.requirements.sha256"
fi

WANT_JS="$(hash_of "$HERE/package-lock.json")"
if [[ -d "$NODE/node_modules/ioredis" && "$(cat "$NODE/.package-lock.sha256" 2>/dev/null)" == "$WANT_JS" ]]; then
  echo "app-clients node_modules up to date" >&2
else
  command -v npm >/dev/null || { echo "npm is needed for the ioredis client (Node.js 18+)" >&2; exit 1; }
  echo "installing ioredis into $NODE with npm ci" >&2
  rm -rf "$NODE"
  mkdir -p "$NODE"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$NODE/"
  (cd "$NODE" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$WANT_JS" > "$NODE/.package-lock.sha256"
fi

JAVA="$CACHE/java"
WANT_JAVA="$(cat "$HERE/java/pom.xml" "$HERE/java/LettuceApp.java" | sha256sum | cut -d' ' -f1)"
jars_present() { local jar; IFS=: read -ra jars < "$JAVA/classpath"; for jar in "${jars[@]}"; do [[ -f "$jar" ]] || return 1; done; }
if [[ -f "$JAVA/classes/LettuceApp.class" && "$(cat "$JAVA/.sources.sha256" 2>/dev/null)" == "$WANT_JAVA" ]] && jars_present; then
  echo "app-clients Lettuce app up to date" >&2
else
  echo "resolving Lettuce and compiling LettuceApp into $JAVA" >&2
  rm -rf "$JAVA"
  mkdir -p "$JAVA/classes"
  mvn -B -q -f "$HERE/java/pom.xml" dependency:build-classpath -Dmdep.outputFile="$JAVA/classpath" >&2
  javac -d "$JAVA/classes" -cp "$(cat "$JAVA/classpath")" "$HERE/java/LettuceApp.java" >&2
  echo "$WANT_JAVA" > "$JAVA/.sources.sha256"
fi

echo "venv $VENV"
echo "node_modules $NODE/node_modules"
echo "java_classpath $JAVA/classes:$(cat "$JAVA/classpath")"
