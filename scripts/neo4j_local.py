"""A local Neo4j for maillage, without Docker: build, start, stop, status.

Neo4j 5.26 LTS Community (the last line that runs on Java 17) is resolved from Maven Central
by the tiny Maven project in ``neo4j/`` and run as an embedded DBMS with its Bolt connector
on (``neo4j/src/main/java/maillage/neo4j/Main.java``). Needs ``java`` (17+) and ``mvn``.

- ``build``: ``mvn -q package`` once; the jars stay in the local Maven repository
  (``~/.m2``) and ``neo4j/target/lib`` (never committed). Later starts reuse them.
- ``start``: builds if needed, starts the JVM in the background and waits until Bolt answers
  ``RETURN 1``. Data, logs (``logs/console.log``, ``logs/debug.log``) and the pid file live in
  the home directory, by default ``.maillage/neo4j`` (the project's ignored state directory).
- ``stop``: SIGTERM (the launcher's shutdown hook closes the store cleanly), then waits.
- ``status``: running or not, pid, Bolt address.

A home holds one server: ``start``, ``stop`` and ``status`` find it on the port it was started
with (``run/neo4j.port``), whatever ``--port`` says; ``start`` on another port than the running
server's is refused (a second JVM on the same data fails and used to leave the pid file
pointing at it, the running server then out of ``stop``'s reach).

Authentication is **off** by default (the server listens on 127.0.0.1 only); set
``MAILLAGE_NEO4J_PASSWORD`` (before ``start``, and for the clients) to turn it on with user
``neo4j``. Settings: ``--port`` / ``$MAILLAGE_NEO4J_PORT`` (7687), ``--home`` /
``$MAILLAGE_NEO4J_HOME``, ``--heap`` / ``$MAILLAGE_NEO4J_HEAP`` (2g), ``--pagecache-mb`` /
``$MAILLAGE_NEO4J_PAGECACHE_MB`` (512).

Also importable (the test suite's session fixture uses :func:`start` and :func:`stop`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "neo4j"
LIB = PROJECT / "target" / "lib"
CLASSES = PROJECT / "target" / "classes"
MAIN_CLASS = "maillage.neo4j.Main"
DEFAULT_HOME = ROOT / ".maillage" / "neo4j"

# The flags a Neo4j 5.x server starts its JVM with (from its neo4j.conf), kept for the embedded DBMS.
JVM_FLAGS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
]


class Neo4jLocalError(RuntimeError):
    """The local Neo4j could not be built, started or stopped; the message says why."""


@dataclass
class Instance:
    home: Path
    port: int
    address: str = "127.0.0.1"

    @property
    def uri(self) -> str:
        return f"bolt://{self.address}:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def port_file(self) -> Path:
        """The port the home's running server listens on, written by :func:`start`."""
        return self.home / "run" / "neo4j.port"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def debug_log(self) -> Path:
        return self.home / "logs" / "debug.log"


def instance(home: str | Path | None = None, port: int | None = None) -> Instance:
    h = Path(home or os.environ.get("MAILLAGE_NEO4J_HOME") or DEFAULT_HOME)
    p = int(port or os.environ.get("MAILLAGE_NEO4J_PORT") or 7687)
    return Instance(h if h.is_absolute() else ROOT / h, p)


def missing_tools() -> list[str]:
    """The tools a local Neo4j needs that are not on PATH (empty when it can be built)."""
    return [t for t in ("java", "mvn") if shutil.which(t) is None]


def _seconds(s: float) -> str:
    """Seconds as the messages say them, in French: « 2,5 s »."""
    return f"{s:.1f}".replace(".", ",") + " s"


def is_built() -> bool:
    return (CLASSES / "maillage" / "neo4j" / "Main.class").is_file() and LIB.is_dir() and any(LIB.glob("neo4j-*.jar"))


def build(force: bool = False, quiet: bool = False) -> float:
    """``mvn -q package`` in ``neo4j/`` unless already built; returns the seconds it took."""
    if is_built() and not force:
        newest_source = max(p.stat().st_mtime for p in [PROJECT / "pom.xml", *PROJECT.glob("src/**/*.java")])
        if newest_source <= (CLASSES / "maillage" / "neo4j" / "Main.class").stat().st_mtime:
            return 0.0
    missing = missing_tools()
    if missing:
        absent = "absents" if len(missing) > 1 else "absent"
        raise Neo4jLocalError(f"impossible de construire le Neo4j local : {' et '.join(missing)} {absent} du PATH "
                              "(il lui faut Java 17 ou plus et Maven)")
    t = time.monotonic()
    if not quiet:
        print(f"neo4j : construction de {PROJECT} (mvn -q package ; la première fois, environ 130 Mo de jars "
              "sont téléchargés depuis Maven Central)", file=sys.stderr)
    # A registry hiccup (connection reset, 5xx) fails a download; what was fetched stays in ~/.m2,
    # so a second or third attempt only fetches the rest.
    for attempt in range(1, 4):
        r = subprocess.run(["mvn", "-q", "-B", "package", "-DskipTests"], cwd=PROJECT, capture_output=True, text=True)
        if r.returncode == 0:
            break
        if attempt < 3:
            print(f"neo4j : mvn package a échoué (essai {attempt}/3), nouvel essai dans {5 * attempt} s :\n"
                  f"{(r.stdout + r.stderr)[-1500:]}", file=sys.stderr)
            time.sleep(5 * attempt)
    else:
        raise Neo4jLocalError(f"mvn package a échoué dans {PROJECT} après 3 essais :\n{(r.stdout + r.stderr)[-4000:]}")
    took = time.monotonic() - t
    if not quiet:
        print(f"neo4j : construit en {_seconds(took)}", file=sys.stderr)
    return took


def _pid(inst: Instance) -> int | None:
    """The pid of this instance's JVM if it is running (a stale pid file is ignored)."""
    try:
        pid = int(inst.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return None
    return pid if MAIN_CLASS.encode() in cmdline else None


def running(inst: Instance) -> Instance | None:
    """The home's server as it runs — its own port, whichever ``inst`` asks for — or None when
    no JVM of this home runs. A home holds one server: its data cannot be opened twice."""
    if _pid(inst) is None:
        return None
    try:
        port = int(inst.port_file.read_text().strip())
    except (OSError, ValueError):  # started by an older launcher: the port asked
        port = inst.port
    return Instance(inst.home, port, inst.address)


def _port_open(inst: Instance) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((inst.address, inst.port)) == 0


def answers(inst: Instance, timeout: float = 5.0) -> bool:
    """True when Bolt at the instance's address answers ``RETURN 1``."""
    if not _port_open(inst):
        return False
    try:
        import neo4j
    except ImportError:  # no driver here: an open port that our launcher reported as started will do
        return "maillage-neo4j: started" in _tail(inst.console_log, 50)
    from maillage.graph.neo4j_store import driver_auth

    try:  # a plain session: no retries (execute_query would retry for 30 s)
        with neo4j.GraphDatabase.driver(inst.uri, auth=driver_auth(), connection_timeout=timeout) as d, \
                d.session() as s:
            return s.run("RETURN 1 AS one").single()["one"] == 1
    except Exception:  # noqa: BLE001 (not ready yet, whatever the reason)
        return False


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def logs(inst: Instance, lines: int = 40) -> str:
    """The end of the console and debug logs, for error messages and CI."""
    out = []
    for p in (inst.console_log, inst.debug_log):
        t = _tail(p, lines)
        if t:
            out.append(f"--- {p} ({lines} dernières lignes)\n{t}")
    return "\n".join(out) or f"(aucun journal dans {inst.home / 'logs'})"


def start(inst: Instance | None = None, heap: str | None = None, pagecache_mb: int | None = None,
          timeout: float = 180.0, quiet: bool = False) -> bool:
    """Start the instance unless it already runs; wait until Bolt answers. Returns True when this
    call started it (False: it was already running)."""
    inst = inst or instance()
    current = running(inst)
    if current is not None:
        if current.port != inst.port:
            raise Neo4jLocalError(f"le Neo4j de {inst.home} tourne déjà à {current.uri} (pid {_pid(inst)}) : "
                                  f"utilisez --port {current.port} (make neo4j-start NEO4J_PORT={current.port}), ou "
                                  "arrêtez-le d'abord")
        t = time.monotonic()
        while not answers(current):  # still starting: wait for it, never a second JVM on the same data
            if time.monotonic() - t > timeout or running(inst) is None:
                raise Neo4jLocalError(f"le Neo4j de {inst.home} (pid {_pid(inst)}) ne répond pas à "
                                      f"{current.uri}\n{logs(inst)}")
            time.sleep(0.5)
        return False
    if _port_open(inst):
        raise Neo4jLocalError(f"le port {inst.port} est déjà pris par un autre programme : "
                              f"choisissez-en un autre avec --port ou $MAILLAGE_NEO4J_PORT")
    build(quiet=quiet)
    (inst.home / "logs").mkdir(parents=True, exist_ok=True)
    inst.pid_file.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MAILLAGE_NEO4J_HOME": str(inst.home), "MAILLAGE_NEO4J_PORT": str(inst.port),
           "MAILLAGE_NEO4J_ADDRESS": inst.address}
    if pagecache_mb:
        env["MAILLAGE_NEO4J_PAGECACHE_MB"] = str(pagecache_mb)
    heap = heap or os.environ.get("MAILLAGE_NEO4J_HEAP") or "2g"
    cmd = ["java", f"-Xmx{heap}", f"-Xms{min_heap(heap)}", *JVM_FLAGS, "-cp", f"{LIB}/*:{CLASSES}", MAIN_CLASS]
    t = time.monotonic()
    with open(inst.console_log, "ab") as log:
        log.write(f"\n== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
        log.flush()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=ROOT, env=env, start_new_session=True)  # survives this process
    inst.pid_file.write_text(str(proc.pid))
    inst.port_file.write_text(str(inst.port))
    while time.monotonic() - t < timeout:
        if proc.poll() is not None:
            raise Neo4jLocalError(f"Neo4j s'est arrêté en démarrant (code de sortie {proc.returncode})\n{logs(inst)}")
        if answers(inst):
            if not quiet:
                print(f"neo4j : en service à {inst.uri} (pid {proc.pid}, démarré en "
                      f"{_seconds(time.monotonic() - t)} ; journaux dans {inst.home / 'logs'})", file=sys.stderr)
            return True
        time.sleep(0.5)
    proc.terminate()
    raise Neo4jLocalError(f"Neo4j n'a pas répondu à {inst.uri} en {timeout:.0f} s : arrêté\n{logs(inst)}")


def min_heap(heap: str) -> str:
    """The JVM's initial heap: the max heap up to 512m (a small start keeps tests light)."""
    units = {"k": 1 / 1024, "m": 1, "g": 1024}
    mb = float(heap[:-1]) * units.get(heap[-1].lower(), 1) if heap[-1].isalpha() else float(heap) / 2**20
    return f"{int(min(mb, 512))}m"


def stop(inst: Instance | None = None, timeout: float = 60.0, quiet: bool = False) -> bool:
    """SIGTERM the instance's JVM and wait for it to exit. Returns False when it was not running."""
    inst = inst or instance()
    pid = _pid(inst)
    if pid is None:
        inst.pid_file.unlink(missing_ok=True)
        inst.port_file.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    t = time.monotonic()
    while time.monotonic() - t < timeout:
        if _pid(inst) is None or not Path(f"/proc/{pid}").exists():
            break
        try:  # reap it when it is our child (the test fixture's case)
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.2)
    else:
        os.kill(pid, signal.SIGKILL)
        raise Neo4jLocalError(f"Neo4j (pid {pid}) ne s'est pas arrêté en {timeout:.0f} s : arrêt forcé (SIGKILL)\n"
                              f"{logs(inst)}")
    inst.pid_file.unlink(missing_ok=True)
    inst.port_file.unlink(missing_ok=True)
    if not quiet:
        print(f"neo4j : arrêté (pid {pid}) en {_seconds(time.monotonic() - t)}", file=sys.stderr)
    return True


def status(inst: Instance | None = None) -> str:
    current = running(inst or instance())
    if current is None:
        return f"arrêté ({(inst or instance()).home})"
    return (f"en service à {current.uri}, pid {_pid(current)}, "
            f"{'répond' if answers(current) else 'ne répond pas encore'} ({current.home})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Un Neo4j local pour maillage, sans Docker : construire (build), "
                                             "démarrer (start), arrêter (stop), état (status), journaux (logs).")
    ap.add_argument("command", choices=["build", "start", "stop", "status", "logs"], help="ce qu'il faut faire")
    ap.add_argument("--home", help="dossier du serveur (données, journaux) : .maillage/neo4j par défaut")
    ap.add_argument("--port", type=int, help="port Bolt (7687 par défaut)")
    ap.add_argument("--heap", help="tas maximal de la JVM, par exemple 2g ($MAILLAGE_NEO4J_HEAP, sinon 2g)")
    ap.add_argument("--pagecache-mb", type=int, help="cache de pages en Mio (512 par défaut)")
    ap.add_argument("--timeout", type=float, default=180.0, help="secondes d'attente de Bolt au démarrage (start)")
    args = ap.parse_args(argv)
    inst = instance(args.home, args.port)
    try:
        if args.command == "build":
            took = build(force=True)
            print(f"{PROJECT} construit en {_seconds(took)}")
        elif args.command == "start":
            if not start(inst, heap=args.heap, pagecache_mb=args.pagecache_mb, timeout=args.timeout):
                print(f"neo4j : déjà en service à {inst.uri}", file=sys.stderr)
        elif args.command == "stop":
            if not stop(inst):
                print(f"neo4j : déjà arrêté ({inst.home})", file=sys.stderr)
        elif args.command == "status":
            print(status(inst))
        elif args.command == "logs":
            print(logs(inst, 100))
    except Neo4jLocalError as e:
        print(f"neo4j : erreur : {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
