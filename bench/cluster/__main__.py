"""``python -m bench.cluster start|stop|test [--folder DIR]``: see the package's doc."""

import argparse
import os
import time
from pathlib import Path

from bench.cluster import machines

DEFAULT_FOLDER = Path(os.environ.get("CLUSTER_DIR", "/tmp/scholia-cluster"))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster")
    parser.add_argument("action", choices=["start", "stop", "test"])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument(
        "--keep", action="store_true", help="test: leave the cluster running afterwards"
    )
    args = parser.parse_args()
    if args.action == "start":
        cluster = machines.start(args.folder)
        print(
            f"\nScholia runs at {cluster.base_url}/ (logs in {args.folder}); "
            "`make cluster-stop` stops it."
        )
    elif args.action == "stop":
        machines.stop(args.folder)
    else:
        from bench.cluster.checks import run_checks

        started = time.monotonic()
        cluster = machines.start(args.folder)
        print(f"cluster started in {time.monotonic() - started:.0f} s\n")
        try:
            failures = run_checks(cluster)
        finally:
            if not args.keep:
                machines.stop(args.folder, keep_logs=True)
        print(f"\ncluster test finished in {time.monotonic() - started:.0f} s")
        raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
