"""What a pôle animator reads after a load in several transactions was killed (docs/neo4j.md,
« Large sources »): its pending marker refuses other writes while its lease runs, and the first
write after it rolls it back. Both were said in English — the refusal as the error, the roll-back
as Python's bare log line (« rolling back the interrupted write of source … ») — and the
roll-back of a reload, which leaves the source absent, was said nowhere else. Now both are in
French and say what to do.

The killed writer is played by its marker, as step 1 of ``neo4j_chunks.write_chunked`` leaves
it (a reload of a loaded source, its actors touched)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from neo4j_fixtures import empty_neo4j_store

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = "Nom;N° SIRET;Code postal;Commune;Rôle\nLe Pinceau Roquois;43285060000011;31120;Roques;adhérent\n"
OTHER = "Nom;Code postal;Commune;Rôle\nAtelier Vélo Solidaire;31400;Toulouse;adhérent\n"


def cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("MAILLAGE_")}
    return subprocess.run([sys.executable, "-m", "maillage.cli", *args], capture_output=True, text=True,
                          timeout=180, cwd=cwd, env={**base, "PYTHONPATH": str(ROOT), **env})


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_a_killed_chunked_reload_is_refused_then_rolled_back_in_french(neo4j_uri, tmp_path):
    from maillage.graph.neo4j_chunks import _mark

    (tmp_path / "adherents.csv").write_text(MEMBERS, encoding="utf-8")
    (tmp_path / "autre.csv").write_text(OTHER, encoding="utf-8")
    store = empty_neo4j_store(neo4j_uri)
    res = cli("--store", neo4j_uri, "load", "adherents.csv", "--pole", "Pôle de Roques", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    sid = "members:adherents.csv"
    touched = [r["a"] for r in store.run_cypher(
        "MATCH (st:Statement {source_id: $sid}) RETURN DISTINCT st.actor_id AS a", sid=sid)]
    store._write(lambda tx: _mark(tx, store._lock(tx), sid, "reload", 1, touched))  # then the writer died

    res = cli("--store", neo4j_uri, "load", "autre.csv", "--pole", "Pôle de Roques", cwd=tmp_path,
              MAILLAGE_NEO4J_LEASE_S="3600")
    out = one_line(res.stderr)
    assert res.returncode == 1
    assert (f"erreur : {neo4j_uri} : la source {sid} est en cours d'écriture en plusieurs transactions "
            "(écriture ") in out, out
    assert ("réessayez quand elle sera terminée ; si son écriture a été interrompue (programme tué, machine "
            "arrêtée), la première écriture après 3600 s de silence l'annule") in out, out
    assert "is being written" not in out

    res = cli("--store", neo4j_uri, "load", "autre.csv", "--pole", "Pôle de Roques", cwd=tmp_path,
              MAILLAGE_NEO4J_LEASE_S="0")
    out = one_line(res.stderr + res.stdout)
    assert res.returncode == 0, out
    assert (f"remarque : l'écriture interrompue de la source {sid} (écriture ") in out, out
    assert ("a été annulée ; sa version précédente avait déjà été effacée : chargez de nouveau son fichier") in out
    assert "rolled back" not in out  # Python's bare English log line, printed before
    assert [s.id for s in store.sources()] == ["members:autre.csv"]  # what the note warns of
    store.close()
