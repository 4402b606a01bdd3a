"""docker-compose.yml (for users with Docker): it cannot run here (no Docker engine), so it is
validated by ``docker compose config`` when a Compose client is present, and read as YAML always."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from _env import unavailable

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / "docker-compose.env.example"


def compose_client() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def _target(volume) -> str:
    """A volume's mount point in either form the clients print: long (v2) or short (v1)."""
    return volume["target"] if isinstance(volume, dict) else str(volume).split(":")[1]


def test_compose_pins_the_neo4j_line_the_local_server_runs():
    spec = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    pom = (ROOT / "neo4j" / "pom.xml").read_text(encoding="utf-8")
    (version,) = re.findall(r"<neo4j.version>(\d+\.\d+)\.\d+</neo4j.version>", pom)
    assert spec["services"]["neo4j"]["image"] == f"neo4j:{version}"
    assert (ROOT / "Dockerfile").is_file() and spec["services"]["maillage"]["build"] == "."


def test_docker_compose_config_validates(tmp_path):
    client = compose_client()
    if client is None:
        unavailable("no Docker Compose client (docker compose / docker-compose): docker-compose.yml not validated")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    r = subprocess.run([*client, "-f", str(COMPOSE), "--env-file", str(ENV_EXAMPLE), "config"],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    spec = yaml.safe_load(r.stdout)
    neo4j, app = spec["services"]["neo4j"], spec["services"]["maillage"]
    assert neo4j["image"] == "neo4j:5.26"
    assert neo4j["environment"]["NEO4J_AUTH"] == "neo4j/change-me-please"  # from the env file
    assert neo4j["environment"]["NEO4J_PLUGINS"] == '["apoc"]'
    assert neo4j["environment"]["NEO4J_server_memory_heap_max__size"] == "1G"
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert {_target(v) for v in neo4j["volumes"]} == {"/data", "/logs"}
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    command = " ".join(app["command"])
    assert "bolt://neo4j:7687" in command and app["environment"]["MAILLAGE_NEO4J_PASSWORD"]
    # loads the reference dataset on first start only, then serves the API on the published port
    assert "test -f /data/demo/summary.json" in command and "demo --out /data/demo" in command
    assert command.index("demo --out") < command.index("exec maillage --store bolt://neo4j:7687 serve --host 0.0.0.0")
    assert any(str(p).startswith("127.0.0.1:8000:8000") or (isinstance(p, dict) and p.get("published") in (8000, "8000")
                                                           and p.get("host_ip") == "127.0.0.1")
               for p in app["ports"])
    assert "/ready" in " ".join(app["healthcheck"]["test"])
    # no password, no Neo4j: the message says where to set it
    no_env = tmp_path / "empty.env"
    no_env.write_text("")
    empty = subprocess.run([*client, "-f", str(COMPOSE), "--env-file", str(no_env), "config"],
                           capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "NEO4J_PASSWORD" in empty.stderr and "NEO4J_AUTH" not in empty.stdout
