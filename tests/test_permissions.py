"""Files, folders and stores this user may not read or write, met for real (tests/_unprivileged.py:
the command runs as a user the permissions apply to, not as root).

Before: a member list one may not read (Excel on Windows locks the file it has open) was refused
by the command line as « valeur invalide pour files : path 'membres.csv' is not readable. », in
English and without what to do; a mapping one may not read was said of the subsidy file; a folder
one may not read was « le dossier ne contient aucun fichier à charger » and a subfolder one may
not read was passed over without a word; a store shared read-only could not even be counted
(« n'est pas une base maillage (SQLite : attempt to write a readonly database) »), nor created in
a folder one may not write (« unable to open database file »); a ``--report`` one may not write
was refused after the store was written."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from _unprivileged import run_maillage, shared_dir  # noqa: F401 (a fixture)

LIST = "Nom;Commune\nÉcosimo;Labège\nLe Périscope;Toulouse\n"


def _list(folder: Path, name: str = "membres.csv") -> Path:
    p = folder / name
    p.write_text(LIST, encoding="utf-8")
    p.chmod(0o644)
    return p


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_a_list_this_user_may_not_read_says_what_to_do(shared_dir):
    _list(shared_dir).chmod(0o000)
    r = run_maillage(["--store", "m.db", "load", "membres.csv", "--pole", "PTCE X"], shared_dir)
    assert r.returncode == 1, r.stdout
    assert ("membres.csv : lecture du fichier refusée (un tableur qui l'a ouvert le verrouille : fermez-le dans le "
            "tableur et chargez-le de nouveau ; sinon, cet utilisateur n'a pas le droit de le lire)") in r.stdout
    assert "is not readable" not in r.stdout + r.stdout
    assert not (shared_dir / "m.db").exists()  # refused before any store is made


def test_a_mapping_this_user_may_not_read_is_named(shared_dir):
    (shared_dir / "aides.csv").write_text("Nom;Montant\nÉcosimo;1000\n", encoding="utf-8")
    mapping = shared_dir / "ma-collectivite.yaml"
    mapping.write_text("attribuant: {}\n", encoding="utf-8")
    mapping.chmod(0o000)
    r = run_maillage(["--store", "m.db", "load", "aides.csv", "--format", "subsidies", "--mapping",
                      "ma-collectivite.yaml"], shared_dir)
    assert r.returncode == 1, r.stdout
    assert ("aides.csv : correspondance ma-collectivite.yaml : lecture refusée : cet utilisateur n'a pas le droit de "
            "la lire") in r.stdout
    assert "lecture du fichier refusée" not in r.stdout  # the subsidy file itself is readable


def test_a_folder_this_user_may_not_read_is_said_so_and_a_subfolder_is_skipped_with_why(shared_dir):
    exports = shared_dir / "exports"
    (exports / "2024").mkdir(parents=True)
    (exports / "2025").mkdir()
    _list(exports / "2024", "membres_2024.csv")
    _list(exports / "2025", "membres_2025.csv")
    for d in (exports, exports / "2024", exports / "2025"):
        d.chmod(0o755)
    (exports / "2024").chmod(0o000)
    r = run_maillage(["--store", "m.db", "load", "exports", "--pole", "PTCE X"], shared_dir)
    assert r.returncode == 0, r.stdout
    assert ("ignoré exports/2024 : lecture du dossier refusée : cet utilisateur n'a pas le droit de le lire ; ses "
            "fichiers ne sont pas chargés") in r.stdout
    assert "membres_2025.csv (liste de membres) : 2 lignes · 2 chargées" in r.stdout
    exports.chmod(0o000)
    r = run_maillage(["--store", "m.db", "load", "exports", "--pole", "PTCE X"], shared_dir)
    assert r.returncode == 2 and "exports : lecture du dossier refusée : cet utilisateur n'a pas le droit de le lire" \
        in r.stdout, r.stdout


def test_a_store_shared_read_only_is_read_and_never_written(shared_dir):
    _list(shared_dir)
    made = run_maillage(["--store", "partage/m.db", "load", "membres.csv", "--pole", "PTCE X"], shared_dir)
    assert made.returncode == 0, made.stdout
    store = shared_dir / "partage" / "m.db"
    assert not Path(f"{store}-wal").exists()  # closed: SQLite removed its WAL files
    for p in (store, store.parent):
        p.chmod(0o555 if p.is_dir() else 0o444)
    before = _digest(store)
    stats = run_maillage(["--store", "partage/m.db", "stats"], shared_dir)
    assert stats.returncode == 0, stats.stdout
    counts = dict(re.findall(r"│ (acteurs|relations|pôles|sources) +│ (\d+) │", stats.stdout))
    assert counts == {"acteurs": "3", "relations": "2", "pôles": "1", "sources": "1"}, stats.stdout  # 2 members, their pôle
    sources = run_maillage(["--store", "partage/m.db", "sources"], shared_dir)
    assert sources.returncode == 0 and "members:membres.csv" in sources.stdout, sources.stdout
    refused = ("partage/m.db : cet utilisateur peut lire cette base mais pas y écrire (le fichier, ou son dossier, est "
               "en lecture seule) ; rien n'a été modifié. Demandez le droit d'écrire à qui la tient, ou travaillez "
               "sur une copie")
    for args in (["load", "membres.csv", "--pole", "PTCE Y"], ["remove", "members:membres.csv", "--yes"],
                 ["analyse"]):
        r = run_maillage(["--store", "partage/m.db", *args], shared_dir)
        assert r.returncode == 1 and refused in r.stdout, (args, r.stdout)
    assert _digest(store) == before and sorted(p.name for p in store.parent.iterdir()) == ["m.db"]


def test_a_store_to_make_where_this_user_may_not_write_names_the_folder(shared_dir):
    _list(shared_dir)
    (shared_dir / "lecture").mkdir(mode=0o555)
    (shared_dir / "lecture").chmod(0o555)
    r = run_maillage(["--store", "lecture/m.db", "load", "membres.csv", "--pole", "PTCE X"], shared_dir)
    assert r.returncode == 1, r.stdout
    assert ("impossible de créer la base lecture/m.db : cet utilisateur n'a pas le droit d'écrire dans son dossier "
            "lecture") in r.stdout
    r = run_maillage(["--store", "lecture/sous/m.db", "load", "membres.csv", "--pole", "PTCE X"], shared_dir)
    assert ("impossible de créer la base lecture/sous/m.db : cet utilisateur n'a pas le droit de créer son dossier "
            "lecture/sous") in r.stdout, r.stdout


def test_a_report_this_user_may_not_write_is_refused_before_the_load(shared_dir):
    _list(shared_dir)
    (shared_dir / "lecture").mkdir()
    (shared_dir / "lecture").chmod(0o555)
    r = run_maillage(["--store", "m.db", "load", "membres.csv", "--pole", "PTCE X", "--report",
                      "lecture/chargement.json"], shared_dir)
    assert r.returncode == 2, r.stdout
    assert ("impossible d'écrire dans lecture : cet utilisateur n'a pas le droit d'écrire dans lecture ; rien n'a été "
            "chargé") in r.stdout
    assert not (shared_dir / "m.db").exists()  # the store was not written (it was: the report failed after it)


REFUSED = LIST + ";Toulouse\n"  # a row without a name: rejected, so a rejects file is written


def test_a_rejects_folder_this_user_may_not_write_is_refused_before_the_load(shared_dir):
    """The rejects go to ``rejets/`` (in the working directory, or beside ``--report``). Before, a
    ``rejets/`` this user may not write was found when a file's rejects were written, after its
    parse and resolution: that file was refused, the files loaded before it kept (a load half
    done). Now the load is refused before any file is read, naming the folder and what to do."""
    _list(shared_dir)
    (shared_dir / "refus.csv").write_text(REFUSED, encoding="utf-8")
    (shared_dir / "rejets").mkdir()
    (shared_dir / "rejets").chmod(0o555)
    r = run_maillage(["--store", "m.db", "load", "membres.csv", "refus.csv", "--pole", "PTCE X"], shared_dir)
    assert r.returncode == 1, r.stdout
    said = " ".join(r.stdout.split())
    assert ("impossible d'écrire les rejets dans rejets : cet utilisateur n'a pas le droit d'écrire dans rejets ; "
            "rien n'a été chargé. Donnez --report DOSSIER pour écrire le rapport et ses rejets (DOSSIER/rejets) dans "
            "un dossier où vous pouvez écrire") in said, r.stdout
    assert not (shared_dir / "m.db").exists()  # before: membres.csv loaded, refus.csv refused after its resolution
    # the way out it gives: a report folder this user may write
    r = run_maillage(["--store", "m.db", "load", "membres.csv", "refus.csv", "--pole", "PTCE X", "--report", "suivi"],
                     shared_dir)
    assert r.returncode == 0 and (shared_dir / "suivi" / "rejets" / "refus.rejects.csv").exists(), r.stdout


def test_a_rejects_file_this_user_may_not_overwrite_is_refused_before_the_load(shared_dir):
    """The rejects file of an earlier load, another user's (a shared folder), that this user may not
    overwrite. Before, it was found when refus.csv's rejects were written: refus.csv was refused,
    membres.csv, loaded before it by the same command, kept (a command half done)."""
    _list(shared_dir)
    (shared_dir / "refus.csv").write_text(REFUSED, encoding="utf-8")
    (shared_dir / "rejets").mkdir()
    (shared_dir / "rejets").chmod(0o777)
    earlier = shared_dir / "rejets" / "refus.rejects.csv"
    earlier.write_text("fichier;ligne\n", encoding="utf-8")
    earlier.chmod(0o444)
    r = run_maillage(["--store", "m.db", "load", "membres.csv", "refus.csv", "--pole", "PTCE X"], shared_dir)
    assert r.returncode == 1, r.stdout
    assert ("impossible de remplacer le fichier des rejets rejets/refus.rejects.csv d'un chargement précédent : cet "
            "utilisateur n'a pas le droit de l'écrire ; rien n'a été chargé. Supprimez-le ou déplacez-le") in " ".join(
                r.stdout.split()), r.stdout
    assert not (shared_dir / "m.db").exists()
    assert earlier.read_text(encoding="utf-8") == "fichier;ligne\n"


def test_a_working_folder_this_user_may_not_write_is_said_before_the_load(shared_dir):
    """No ``rejets/`` yet, in a working folder this user may not write (the store elsewhere)."""
    (shared_dir / "refus.csv").write_text(REFUSED, encoding="utf-8")
    (shared_dir / "lecture").mkdir()
    (shared_dir / "lecture").chmod(0o555)
    r = run_maillage(["--store", "../m.db", "load", "../refus.csv", "--pole", "PTCE X"], shared_dir / "lecture")
    assert r.returncode == 1, r.stdout
    assert (f"impossible d'écrire les rejets dans rejets : cet utilisateur n'a pas le droit d'écrire dans "
            f"{shared_dir / 'lecture'} (le dossier où la commande est lancée) ; rien n'a été chargé"
            in " ".join(r.stdout.split())), r.stdout
    assert not (shared_dir / "m.db").exists()


def test_a_rejects_folder_beside_the_report_this_user_may_not_write_is_refused_before_the_load(shared_dir):
    (shared_dir / "refus.csv").write_text(REFUSED, encoding="utf-8")
    (shared_dir / "suivi" / "rejets").mkdir(parents=True)
    (shared_dir / "suivi").chmod(0o777)
    (shared_dir / "suivi" / "rejets").chmod(0o555)
    r = run_maillage(["--store", "m.db", "load", "refus.csv", "--pole", "PTCE X", "--report", "suivi"], shared_dir)
    assert r.returncode == 1, r.stdout
    assert ("impossible d'écrire les rejets dans suivi/rejets : cet utilisateur n'a pas le droit d'écrire dans "
            "suivi/rejets ; rien n'a été chargé. Donnez à --report un dossier où vous pouvez écrire, ou demandez le "
            "droit d'écrire dans suivi/rejets") in " ".join(r.stdout.split()), r.stdout
    assert not (shared_dir / "m.db").exists() and not (shared_dir / "suivi" / "chargement.json").exists()


SERVE_READ_ONLY = r"""
import json, sys
from fastapi.testclient import TestClient
from maillage.api.app import create_app

auth = {"Authorization": "Bearer jeton-essai"}
upload = {"file": ("autres.csv", "Nom;Commune\nRésam;Toulouse\n".encode(), "text/csv")}
out = {}
with TestClient(create_app(sys.argv[1], token="jeton-essai")) as c:  # as `maillage serve` opens the store
    for key, path in (("ready", "/ready"), ("actors", "/api/actors"), ("poles", "/api/poles")):
        r = c.get(path)
        out[key] = [r.status_code, r.json()]
    for lang in ("fr", "en"):
        r = c.post(f"/api/load?lang={lang}", files=upload, data={"pole": "PTCE X"}, headers=auth)
        out[f"load-{lang}"] = [r.status_code, r.json()]
print(json.dumps(out, ensure_ascii=False))
"""


def test_a_store_served_read_only_refuses_writes_with_403_and_keeps_answering_reads(shared_dir):
    """`maillage serve` on a store its user may read but not write (shared read-only). Before, an
    upload was 503 « Base indisponible : … » — « try again later » to a client, though trying again
    never helps; now 403 (forbidden), saying why and what to do, in English with ?lang=en; reads
    still answer, the store left byte for byte as it was."""
    import json
    import subprocess
    import sys

    from _unprivileged import ROOT, _as_other

    _list(shared_dir)
    made = run_maillage(["--store", "partage/m.db", "load", "membres.csv", "--pole", "PTCE X"], shared_dir)
    assert made.returncode == 0, made.stdout
    store = shared_dir / "partage" / "m.db"
    for p in (store, store.parent):
        p.chmod(0o555 if p.is_dir() else 0o444)
    before = _digest(store)
    (shared_dir / "serve.py").write_text(SERVE_READ_ONLY, encoding="utf-8")
    r = subprocess.run(_as_other([sys.executable, "serve.py", "partage/m.db"]), cwd=shared_dir,
                       env={"PATH": "/usr/bin:/bin", "HOME": str(shared_dir), "PYTHONPATH": str(ROOT)},
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["ready"][0] == 200 and out["ready"][1]["actors"] == 3, out["ready"]
    assert out["actors"][0] == 200 and {a["name"] for a in out["actors"][1]["items"]} >= {"Écosimo", "Le Périscope"}
    assert out["poles"][0] == 200 and out["poles"][1], out["poles"]
    status, body = out["load-fr"]
    assert status == 403, out["load-fr"]
    assert body["detail"] == (
        "Écriture refusée : partage/m.db : cet utilisateur peut lire cette base mais pas y écrire (le fichier, ou son "
        "dossier, est en lecture seule) ; rien n'a été modifié. Demandez le droit d'écrire à qui la tient, ou "
        "travaillez sur une copie"), body
    status, body = out["load-en"]
    assert status == 403 and body["detail"] == (
        "Write refused: partage/m.db: this user may read this store but not write it (the file, or its folder, is "
        "read-only); nothing was changed. Ask whoever keeps it for the right to write, or work on a copy"), body
    assert _digest(store) == before and sorted(p.name for p in store.parent.iterdir()) == ["m.db"]
