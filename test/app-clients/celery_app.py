"""Celery with Redis as broker and result backend, configured from one key of the connection Secret.

The app's Deployment sets CELERY_BROKER_URL from the Secret's `pythonUrl` key (which carries
`ssl_cert_reqs=required` when TLS is on, as Celery's Redis backend demands). The same URL serves
as broker and result backend. A real worker runs the task.

    python celery_app.py           # starts a worker, sends add(2, 3), prints the result
    python celery_app.py worker    # the worker alone
"""
import os
import subprocess
import sys

from celery import Celery

url = os.environ["CELERY_BROKER_URL"]
app = Celery("e2e", broker=url, backend=url)
app.conf.update(broker_connection_retry_on_startup=False, broker_connection_max_retries=2,
                result_expires=600, worker_hijack_root_logger=False)


@app.task(name="e2e.add")
def add(x: int, y: int) -> int:
    return x + y


def main() -> int:
    if sys.argv[1:] == ["worker"]:
        app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip",
                         "--without-mingle", "--without-heartbeat"])
        return 0
    worker = subprocess.Popen([sys.executable, os.path.abspath(__file__), "worker"])
    try:
        print(f"add(2, 3) = {add.delay(2, 3).get(timeout=30)}")
    except Exception as e:  # the message never holds the URL or the password
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    finally:
        worker.terminate()
        worker.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
