#!/usr/bin/env python3
"""Starts moto's server with the RedisCache operator's AWS extensions.

    python launcher.py --port 5000 [--host 127.0.0.1] [--creating-seconds 5]
                       [--modifying-seconds 3] [--deleting-seconds 3]
                       [--endpoint-host H] [--endpoint-port P] [--snapshotting-seconds 3]
                       [--eni-release-seconds 0] [--secret-deletion-seconds 2]
                       [--max-nodes-per-customer 300] [--max-replication-groups 300]
                       [--insufficient-capacity-node-types T1,T2] [--failover-seconds 3]
                       [--max-test-failovers-per-day 15] [--quiet]

Prints `READY http://<host>:<port>` (flushed) once the socket is listening.
Point SDKs at that URL with SigV4 signing names elasticache, ec2,
secretsmanager, sts, monitoring and logs, any region (us-east-1 in the tests), dummy credentials.
The extensions are listed in EXTENSIONS.md; the control API lives under
/_emulator/.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("MOTO_PORT", 5000)),
                   help="0 picks a free port (the READY line tells which)")
    p.add_argument("--creating-seconds", type=float, default=5.0)
    p.add_argument("--modifying-seconds", type=float, default=3.0)
    p.add_argument("--deleting-seconds", type=float, default=3.0)
    p.add_argument("--endpoint-host", default=None,
                   help="report this address as every replication group endpoint")
    p.add_argument("--endpoint-port", type=int, default=None,
                   help="report this port as every replication group endpoint port")
    p.add_argument("--snapshotting-seconds", type=float, default=3.0,
                   help="how long CreateSnapshot / an automatic backup keeps a group snapshotting")
    p.add_argument("--eni-release-seconds", type=float, default=0.0,
                   help="how long a deleted group's network interfaces keep its security groups in use")
    p.add_argument("--secret-deletion-seconds", type=float, default=2.0,
                   help="how long a ForceDeleteWithoutRecovery secret stays marked for deletion")
    p.add_argument("--max-nodes-per-customer", type=int, default=300,
                   help="node quota per account and region (AWS default: 300)")
    p.add_argument("--max-replication-groups", type=int, default=300,
                   help="replication group (cluster) quota per account and region")
    p.add_argument("--insufficient-capacity-node-types", default="",
                   help="comma-separated node types that answer InsufficientCacheClusterCapacity")
    p.add_argument("--failover-seconds", type=float, default=3.0,
                   help="TestFailover: time until the replica is promoted, and again until the old primary has recovered")
    p.add_argument("--max-test-failovers-per-day", type=int, default=15,
                   help="TestFailover calls accepted per account in any rolling 24 hours (AWS: 15 node groups)")
    p.add_argument("--quiet", action="store_true", help="do not log each request")
    return p.parse_args(argv)


def build_app() -> object:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from emulator import core_ext, ec2_ext, elasticache_ext, iam_ext, kms_ext, secretsmanager_ext, serverless_ext, sts_ext, users_ext
    from emulator.middleware import EmulatorMiddleware

    core_ext.install()
    iam_ext.install()
    elasticache_ext.install()
    serverless_ext.install()
    users_ext.install()
    ec2_ext.install()
    secretsmanager_ext.install()
    kms_ext.install()
    sts_ext.install()
    return EmulatorMiddleware(DomainDispatcherApplication(create_backend_app))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    warnings.filterwarnings("ignore")
    if args.quiet:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    import moto
    from werkzeug.serving import make_server

    from emulator.state import init_state

    if moto.__version__ != "5.2.1":
        print(f"warning: launcher written for moto 5.2.1, running {moto.__version__}", file=sys.stderr)

    init_state({
        "creatingSeconds": args.creating_seconds,
        "modifyingSeconds": args.modifying_seconds,
        "deletingSeconds": args.deleting_seconds,
        "endpointHost": args.endpoint_host,
        "endpointPort": args.endpoint_port,
        "snapshottingSeconds": args.snapshotting_seconds,
        "eniReleaseSeconds": args.eni_release_seconds,
        "secretDeletionSeconds": args.secret_deletion_seconds,
        "maxNodesPerCustomer": args.max_nodes_per_customer,
        "maxReplicationGroups": args.max_replication_groups,
        "insufficientCapacityNodeTypes": [t for t in args.insufficient_capacity_node_types.split(",") if t.strip()],
        "failoverSeconds": args.failover_seconds,
        "maxTestFailoversPerDay": args.max_test_failovers_per_day,
    })
    app = build_app()
    server = make_server(args.host, args.port, app, threaded=True)
    port = server.server_address[1]
    os.environ.setdefault("MOTO_PORT", str(port))

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    host = args.host if args.host not in ("0.0.0.0", "::") else "127.0.0.1"
    print(f"READY http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
