"""Start and stop the cluster's pieces, recording each in ``cluster.json`` as it starts.

Every process is started in a session of its own, so stopping it (its process group) stops
its children too (gunicorn's workers) and nothing else. PostgreSQL is started and stopped
with ``pg_ctl`` on its own data folder. PostgreSQL refuses to run as root: as root, its
commands run as the ``postgres`` user (``runuser``).
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))

HAPROXY_PORT = 18080
APP_PORTS = (18081, 18082)
PRIMARY_PORT = 15432
REPLICA_PORT = 15433
PAGES_REDIS_PORT = 16379
COUNTERS_REDIS_PORT = 16380
DATABASE = "scholia_cluster"
NETNS_PREFIX = "scholia-cluster-app"
# Each app server's link to the host: the host's end is .1, the server's .2.
SUBNET = "10.199.{n}.{host}"


@dataclass
class AppServer:
    name: str
    port: int
    netns: str | None  # the namespace it runs in, or None on the host's 127.0.0.1
    address: str  # where HAProxy reaches it
    services: str  # where it reaches PostgreSQL and Redis


@dataclass
class Cluster:
    folder: Path
    apps: list[AppServer] = field(default_factory=list)
    processes: dict[str, int] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)  # PostgreSQL data folders
    namespaces: list[str] = field(default_factory=list)
    seeded: dict = field(default_factory=dict)

    @property
    def state_file(self) -> Path:
        return self.folder / "cluster.json"

    def save(self) -> None:
        state = {
            "apps": [app.__dict__ for app in self.apps],
            "processes": self.processes,
            "databases": self.databases,
            "namespaces": self.namespaces,
            "seeded": self.seeded,
        }
        self.state_file.write_text(json.dumps(state, indent=2))

    @classmethod
    def load(cls, folder: Path) -> "Cluster":
        state = json.loads((folder / "cluster.json").read_text())
        return cls(
            folder=folder,
            apps=[AppServer(**app) for app in state["apps"]],
            processes=state["processes"],
            databases=state["databases"],
            namespaces=state["namespaces"],
            seeded=state["seeded"],
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{HAPROXY_PORT}"

    def app_url(self, index: int) -> str:
        app = self.apps[index]
        return f"http://{app.address}:{app.port}"

    @property
    def primary_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DATABASE}"


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    finished = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if finished.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({finished.returncode}):\n{finished.stderr[-3000:]}"
        )
    return finished


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


# Namespaces -----------------------------------------------------------------------------


def namespaces_work() -> bool:
    if os.environ.get("CLUSTER_NETNS", "auto") == "off" or shutil.which("ip") is None:
        return False
    probe = f"{NETNS_PREFIX}-probe"
    try:
        run(["ip", "netns", "add", probe])
    except (RuntimeError, OSError):
        return False
    run(["ip", "netns", "del", probe])
    return True


def namespace_create(cluster: Cluster, n: int) -> AppServer:
    name, host_end, app_end = f"{NETNS_PREFIX}{n}", f"scl-app{n}-h", f"scl-app{n}-n"
    host_ip, app_ip = SUBNET.format(n=n, host=1), SUBNET.format(n=n, host=2)
    subprocess.run(["ip", "netns", "del", name], capture_output=True)  # a leftover
    subprocess.run(["ip", "link", "del", host_end], capture_output=True)
    run(["ip", "netns", "add", name])
    cluster.namespaces.append(name)
    cluster.save()
    run(["ip", "link", "add", host_end, "type", "veth", "peer", "name", app_end])
    run(["ip", "link", "set", app_end, "netns", name])
    run(["ip", "addr", "add", f"{host_ip}/24", "dev", host_end])
    run(["ip", "link", "set", host_end, "up"])
    inside = ["ip", "netns", "exec", name]
    run([*inside, "ip", "addr", "add", f"{app_ip}/24", "dev", app_end])
    run([*inside, "ip", "link", "set", app_end, "up"])
    run([*inside, "ip", "link", "set", "lo", "up"])
    return AppServer(f"app{n}", APP_PORTS[n - 1], name, app_ip, host_ip)


# Processes ------------------------------------------------------------------------------


def spawn(cluster: Cluster, name: str, command: list[str], env: dict | None = None) -> int:
    log = open(cluster.folder / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    cluster.processes[name] = process.pid
    cluster.save()
    return process.pid


def kill(cluster: Cluster, name: str, sig: int = signal.SIGTERM, wait: float = 10) -> None:
    """Stop the process group ``name`` started (its children with it) and forget it."""
    pid = cluster.processes.pop(name, None)
    cluster.save()
    if pid is None:
        return
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            break
        _reap(pid)
        time.sleep(0.1)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


# PostgreSQL -----------------------------------------------------------------------------


def _pg(tool: str) -> str:
    return str(PG_BIN / tool)


def postgres_start(cluster: Cluster, data: Path, port: int) -> None:
    run(
        as_postgres(
            [_pg("pg_ctl"), "-D", str(data), "-l", str(data.parent / f"{data.name}.log")]
            + ["-o", f"-p {port}", "-w", "-t", "60", "start"]
        )
    )


def postgres_stop(data: Path, mode: str = "fast") -> None:
    subprocess.run(
        as_postgres([_pg("pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop"]),
        capture_output=True,
    )


def postgres_create(cluster: Cluster, listen: list[str]) -> None:
    folder = cluster.folder / "pg"
    folder.mkdir()
    archive = cluster.folder / "wal-archive"
    archive.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(archive, "postgres", "postgres")
    primary, replica = folder / "primary", folder / "replica"
    run(as_postgres([_pg("initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust"]))
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(
            f"listen_addresses = '{','.join(listen)}'\n"
            "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
            # Continuous archiving: every finished WAL segment is copied aside.
            "archive_mode = on\n"
            f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'\n"
            "archive_timeout = 60\n"
            # A replica's query is not cancelled by the primary's vacuum.
            "hot_standby_feedback = on\n"
            "max_connections = 200\nshared_buffers = 64MB\n"
            # A throwaway cluster: a crash of the machine may lose it whole. A restart
            # (pg_ctl stop -m fast) writes everything first, so the checks hold without it.
            "fsync = off\n"
        )
    with (primary / "pg_hba.conf").open("a") as hba:
        for network in ("127.0.0.1/32", "10.199.0.0/16"):
            hba.write(f"host all all {network} trust\nhost replication all {network} trust\n")
    cluster.databases.append(str(primary))
    cluster.save()
    postgres_start(cluster, primary, PRIMARY_PORT)
    # The replica: a base backup of the primary, streaming from it (-R writes the settings).
    run(
        as_postgres(
            [_pg("pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres"]
            + ["-D", str(replica), "-R", "-X", "stream", "-c", "fast"]
        )
    )
    with (replica / "postgresql.conf").open("a") as conf:
        conf.write("archive_mode = off\n")
    cluster.databases.append(str(replica))
    cluster.save()
    postgres_start(cluster, replica, REPLICA_PORT)
    run(
        [_pg("psql"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres"]
        + ["-c", f"CREATE DATABASE {DATABASE}"]
    )


def replica_lag_bytes() -> int:
    query = (
        "SELECT COALESCE(MAX(pg_wal_lsn_diff(sent_lsn, replay_lsn)), 0) FROM pg_stat_replication"
    )
    out = run(
        [_pg("psql"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres", "-At"]
        + ["-c", query]
    )
    return int(float(out.stdout.strip() or 0))


# Redis ----------------------------------------------------------------------------------


def redis_start(cluster: Cluster, name: str, port: int, listen: list[str], policy: str) -> None:
    command = ["redis-server", "--port", str(port), "--bind", *listen]
    command += ["--protected-mode", "no", "--save", "", "--appendonly", "no"]
    command += ["--maxmemory-policy", policy]
    if policy == "allkeys-lru":
        command += ["--maxmemory", "128mb"]
    spawn(cluster, name, command)
    wait_until(lambda: answers("127.0.0.1", port), f"Redis on {port}")


# The application ------------------------------------------------------------------------


def app_environment(cluster: Cluster, services: str) -> dict:
    env = dict(os.environ)
    for variable in ("DJANGO_SETTINGS_MODULE", "SQLITE_TEST_NAME", "SCHOLIA_COUNTERS_DIR"):
        env.pop(variable, None)
    hosts = ["127.0.0.1", "localhost"] + [app.address for app in cluster.apps]
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
        DEBUG="false",
        SECRET_KEY="cluster-only-secret-key-" + "k" * 40,
        ALLOWED_HOSTS=",".join(hosts),
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        DATABASE_URL=f"postgres://postgres@{services}:{PRIMARY_PORT}/{DATABASE}",
        DATABASE_REPLICA_URL=f"postgres://postgres@{services}:{REPLICA_PORT}/{DATABASE}",
        DATABASE_CONNECT_TIMEOUT="2",
        REDIS_URL=f"redis://{services}:{PAGES_REDIS_PORT}/0",
        REDIS_COUNTERS_URL=f"redis://{services}:{COUNTERS_REDIS_PORT}/0",
        CACHE_KEY_PREFIX="scholia-cluster",
        SCHOLIA_TASKS="database",
        SCHOLIA_NEW_MEMBER_HELD="0",
        # Low, so the cluster test reaches it in a few posts (staff are exempt: the load).
        SCHOLIA_COMMENT_RATE="5/60",
        SCHOLIA_METRICS="true",
        # Every data export is written by the task worker: the checks see it work.
        SCHOLIA_EXPORT_INLINE_COMMENTS="0",
        LOG_FORMAT="json",
        SCHOLIA_REQUEST_LOG="true",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(cluster: Cluster, *arguments: str) -> str:
    return run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=app_environment(cluster, "127.0.0.1")
    ).stdout


def app_start(cluster: Cluster, app: AppServer) -> None:
    command = [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--workers", "2"]
    command += ["--bind", f"{app.address}:{app.port}", "--graceful-timeout", "5"]
    # No control socket: its default path is one per user, shared with any other gunicorn.
    command += ["--timeout", "30", "--no-control-socket"]
    if app.netns:
        command = ["ip", "netns", "exec", app.netns, *command]
    spawn(cluster, app.name, command, env=app_environment(cluster, app.services))

    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"http://{app.address}:{app.port}/readyz", timeout=2):
                return True
        except OSError:
            return False

    wait_until(ready, f"{app.name} at {app.address}:{app.port}", seconds=60)


def haproxy_config(cluster: Cluster) -> str:
    servers = "\n".join(
        f"    server {app.name} {app.address}:{app.port} check inter 1s fall 2 rise 2"
        for app in cluster.apps
    )
    return f"""global
    maxconn 2000
    stats socket {cluster.folder}/haproxy.sock mode 600 level admin
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    option redispatch 1
    retries 3
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s

frontend www
    bind 127.0.0.1:{HAPROXY_PORT}
    # One id per request, in HAProxy's log and in the app's (X-Request-ID).
    unique-id-format %{{+X}}o%ci%cp%fp%Ts%rt%pid
    http-request set-header X-Request-ID %[unique-id]
    # Metrics are scraped from each server directly, never through the public door.
    http-request deny deny_status 404 if {{ path_beg /metrics }}
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
{servers}
"""


def haproxy_start(cluster: Cluster) -> None:
    config = cluster.folder / "haproxy.cfg"
    config.write_text(haproxy_config(cluster))
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    run([haproxy, "-c", "-q", "-f", str(config)])
    spawn(cluster, "haproxy", [haproxy, "-db", "-f", str(config)])
    wait_until(lambda: answers("127.0.0.1", HAPROXY_PORT), "HAProxy")


def haproxy_command(cluster: Cluster, command: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as admin:
        admin.connect(str(cluster.folder / "haproxy.sock"))
        admin.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := admin.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def haproxy_servers_up(cluster: Cluster) -> dict[str, str]:
    """Each app server's state as HAProxy's checks see it (UP, DOWN, MAINT…)."""
    lines = haproxy_command(cluster, "show stat").splitlines()
    header = lines[0].lstrip("# ").split(",")
    states = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        if row.get("pxname") == "app" and row.get("svname", "").startswith("app"):
            states[row["svname"]] = row["status"]
    return states


# The whole ------------------------------------------------------------------------------


def _prerequisites() -> None:
    """What the cluster runs that is not in the lock: Debian's packages, named when missing."""
    missing = []
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").is_file()):
        missing.append("haproxy")
    if not (PG_BIN / "pg_basebackup").is_file():
        missing.append(f"postgresql-15 (no {PG_BIN}/pg_basebackup; or set PG_BIN)")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if missing:
        raise SystemExit("Missing: " + ", ".join(missing) + " (apt-get install them).")


def start(folder: Path) -> Cluster:
    _prerequisites()
    if (folder / "cluster.json").exists():
        raise SystemExit(f"A cluster is recorded in {folder}: `make cluster-stop` first.")
    for port in (HAPROXY_PORT, *APP_PORTS, PRIMARY_PORT, REPLICA_PORT, PAGES_REDIS_PORT):
        if answers("127.0.0.1", port):
            raise SystemExit(f"Port {port} is taken: is a cluster already running?")
    if folder.exists() and (folder / "pg").exists():
        shutil.rmtree(folder)  # the logs of a stopped cluster
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # PostgreSQL's user reaches its folders inside
    cluster = Cluster(folder=folder)
    cluster.save()
    try:
        _start(cluster)
    except BaseException:
        stop(folder, keep_logs=True)
        raise
    return cluster


def _start(cluster: Cluster) -> None:
    started = time.monotonic()

    def say(text: str) -> None:
        print(f"[{time.monotonic() - started:5.1f} s] {text}", flush=True)

    if namespaces_work():
        cluster.apps = [namespace_create(cluster, n) for n in (1, 2)]
        say("app servers: network namespaces " + ", ".join(cluster.namespaces))
    else:
        cluster.apps = [
            AppServer(f"app{n}", APP_PORTS[n - 1], None, "127.0.0.1", "127.0.0.1") for n in (1, 2)
        ]
        say("app servers: on 127.0.0.1 (ip netns is not available here)")
    cluster.save()
    listen = ["127.0.0.1"] + sorted({app.services for app in cluster.apps} - {"127.0.0.1"})
    postgres_create(cluster, listen)
    say(f"PostgreSQL: primary on {PRIMARY_PORT}, streaming replica on {REPLICA_PORT}")
    redis_start(cluster, "redis-pages", PAGES_REDIS_PORT, listen, "allkeys-lru")
    redis_start(cluster, "redis-counters", COUNTERS_REDIS_PORT, listen, "noeviction")
    say(f"Redis: pages and sessions on {PAGES_REDIS_PORT}, counters on {COUNTERS_REDIS_PORT}")
    manage(cluster, "migrate", "--no-input")
    manage(cluster, "collectstatic", "--no-input", "--verbosity", "0")
    cluster.seeded = json.loads(
        manage(cluster, "shell", "-c", "from bench.cluster.seed import main; main()")
        .strip()
        .splitlines()[-1]
    )
    cluster.save()
    say("database: migrated and seeded")
    for app in cluster.apps:
        app_start(cluster, app)
        say(f"{app.name}: gunicorn at {app.address}:{app.port}")
    # db_worker exits when the database goes away; a supervisor starts it again, as
    # systemd's Restart=always does in production (docs/deploy.md).
    supervised = f"while true; do {PYTHON} manage.py db_worker; sleep 1; done"
    spawn(cluster, "worker", ["sh", "-c", supervised], app_environment(cluster, "127.0.0.1"))
    say("task worker: manage.py db_worker, started again whenever it exits")
    haproxy_start(cluster)
    wait_until(lambda: set(haproxy_servers_up(cluster).values()) == {"UP"}, "HAProxy's checks", 30)
    say(f"HAProxy: {cluster.base_url}/ (both app servers UP)")


def stop(folder: Path, *, keep_logs: bool = False) -> None:
    if not (folder / "cluster.json").exists():
        print(f"No cluster recorded in {folder}.")
        return
    cluster = Cluster.load(folder)
    for name in ("haproxy", "worker", *[app.name for app in cluster.apps]):
        kill(cluster, name)
    for name in list(cluster.processes):
        kill(cluster, name)
    for data in reversed(cluster.databases):
        postgres_stop(Path(data))
    for namespace in cluster.namespaces:
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        n = namespace.removeprefix(NETNS_PREFIX)
        subprocess.run(["ip", "link", "del", f"scl-app{n}-h"], capture_output=True)
    if keep_logs:
        (folder / "cluster.json").unlink()
        print(f"Stopped; logs kept in {folder}.")
    else:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"Stopped and removed {folder}.")
