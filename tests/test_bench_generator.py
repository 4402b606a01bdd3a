"""The benchmark generator (``bench/generate.py``) at the ``pole`` scale.

The benchmarks are only as good as their data: the synthetic ecosystem must load through the
ordinary loader with nothing rejected and nothing merged by accident, have the structure the
brief describes (pôles with a structure porteuse and 10–40 members, collectivités at every
level with their territory, funding, governance, cooperation, a few persons flagged as
personal data), carry valid identifiers, and be the same bytes for the same seed.
No timing is asserted here (the machine is shared; timings live in docs/benchmarks.md).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import orjson
import pytest
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from maillage.geography import load_geography
from maillage.graph import open_store
from maillage.loaders import load_file

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "bench" / "generate.py"


def _module():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = mod
    spec.loader.exec_module(mod)
    return mod


gen = _module()


def _records(path: Path) -> tuple[dict, list[dict], list[dict]]:
    lines = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    header, rest = lines[0], lines[1:]
    return header, [r for r in rest if r["record"] == "actor"], [r for r in rest if r["record"] == "relation"]


@pytest.fixture(scope="module")
def pole_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "pole.jsonl"
    gen.generate("pole", seed=7, out=path)
    return path


@pytest.fixture(scope="module")
def pole(pole_file):
    return _records(pole_file)


def test_loads_through_load_file_with_nothing_rejected_or_merged(pole_file, pole, tmp_path):
    _, actors, relations = pole
    store = open_store(str(tmp_path / "bench.db"))
    report = load_file(store, pole_file, rejects_dir=tmp_path / "rejects")
    assert report.rejected == 0, f"rejects in {report.rejects_file}"
    assert report.rows_read == len(actors) + len(relations)
    # distinct synthetic actors must stay distinct through entity resolution
    assert report.merged == 0
    assert report.actors_created == len(actors)
    stats = store.stats()
    assert stats["relations"] == len(relations)
    assert stats["poles"] == sum(a["family"] == "pole" for a in actors)
    store.close()


def test_header_says_what_generated_it(pole):
    header, _, _ = pole
    assert header["record"] == "header" and header["format"] == "maillage-jsonl"
    assert header["generator"]["scale"] == "pole" and header["generator"]["seed"] == 7
    assert header["synthetic"] is True


def test_every_line_has_row_provenance(pole_file):
    for n, line in enumerate(pole_file.read_bytes().splitlines(), start=1):
        rec = orjson.loads(line)
        if rec["record"] != "header":
            assert rec["provenance"] == {"locator": f"row {n}", "certainty": "stated"}


def test_sizes_match_the_pole_scale(pole):
    _, actors, relations = pole
    scale = gen.SCALES["pole"]
    assert len(actors) == scale.actors
    assert 2_000 <= len(relations) <= 5_000
    types = Counter(r["type"] for r in relations)
    n_poles = sum(a["family"] == "pole" for a in actors)
    assert 5 <= n_poles <= 20
    assert 10 * n_poles <= types["membership"] <= 41 * n_poles
    assert n_poles <= types["carries"] <= 2 * n_poles
    # cooperation ties dominate, but structural ties are a real share
    assert 0.5 <= (types["cooperates"] + types["partner"]) / len(relations) <= 0.9


def test_families_kinds_and_relation_types_present(pole):
    _, actors, relations = pole
    families = Counter(a["family"] for a in actors)
    for family in ("ess", "enterprise", "collectivite", "state", "eu", "research", "training", "network",
                   "support", "tiers_lieu", "pole", "person"):
        assert families[family] > 0, family
    assert families["ess"] / len(actors) > 0.4  # mostly ESS
    kinds = {(a["family"], a["kind"]) for a in actors}
    for kind in ("commune", "epci", "departement", "region"):
        assert ("collectivite", kind) in kinds
    for kind in ("association", "scop", "scic", "siae"):
        assert ("ess", kind) in kinds
    types = {r["type"] for r in relations}
    assert types >= {"membership", "carries", "funds", "governs", "supports", "cooperates", "partner",
                     "represents", "hosts", "contracts", "employs"}


def test_actors_are_located_in_real_communes_of_the_departement(pole):
    _, actors, _ = pole
    geo = load_geography()
    territory = gen.SCALES["pole"].territory
    inside = geo.communes_of(territory)
    for a in actors:
        loc = a["location"]
        assert geo.get(loc) is not None, loc
        if loc.startswith("commune:"):
            assert loc in inside
        else:  # an EPCI may straddle the border; the département's and région's bodies contain it
            assert geo.communes_of(loc) & inside, loc


def test_collectivites_administer_their_territory(pole):
    _, actors, _ = pole
    geo = load_geography()
    for a in actors:
        if a["family"] == "collectivite":
            t = geo.get(a["territory"])
            assert t is not None and t.level == a["kind"], a
            if a["kind"] in ("commune", "epci"):  # their real SIREN
                assert {"scheme": "siren", "value": t.siren} in a["identifiers"]


def test_sirens_and_sirets_are_valid_and_unique(pole):
    _, actors, _ = pole
    sirens = []
    orgs = [a for a in actors if a["family"] not in ("person", "eu", "pole", "other")]
    for a in actors:
        for ident in a.get("identifiers", []):
            if ident["scheme"] == "siren":
                assert stdnum_siren.is_valid(ident["value"]), (a["name"], ident)
                sirens.append(ident["value"])
            elif ident["scheme"] == "siret":
                assert stdnum_siret.is_valid(ident["value"]), (a["name"], ident)
    assert len(sirens) == len(set(sirens))
    with_siren = sum(any(i["scheme"] == "siren" for i in a.get("identifiers", [])) for a in orgs)
    assert with_siren / len(orgs) > 0.7  # most organisations


def test_luhn_check_digit_agrees_with_stdnum():
    for body in ("73282932", "21310555", "55208131", "00000000", "99999999"):
        siren = body + gen.luhn_check_digit(body)
        assert stdnum_siren.is_valid(siren) and gen.luhn_valid(siren)
        wrong = body + str((int(siren[-1]) + 1) % 10)
        assert not stdnum_siren.is_valid(wrong) and not gen.luhn_valid(wrong)


def test_persons_are_flagged_and_hidden_by_default(pole_file, pole, tmp_path):
    _, actors, relations = pole
    persons = [a for a in actors if a["family"] == "person"]
    assert persons and all(a["personal_data"] is True for a in persons)
    keys = {a["key"] for a in persons}
    assert any(r["type"] == "represents" and r["source"] in keys for r in relations)
    store = open_store(str(tmp_path / "persons.db"))
    load_file(store, pole_file, rejects_dir=tmp_path)
    assert store.stats()["persons"] == len(persons)
    assert not any(a.personal_data for a in store.iter_actors())
    store.close()


def test_poles_have_a_structure_porteuse_and_heavy_tailed_memberships(pole):
    _, actors, relations = pole
    poles = {a["key"]: a for a in actors if a["family"] == "pole"}
    porteuse = {r["target"] for r in relations if r["type"] == "carries"
                and r["fields"]["function"] == "structure_porteuse"}
    assert porteuse == set(poles)
    members = defaultdict(set)
    for r in relations:
        if r["type"] == "membership":
            members[r["target"]].add(r["source"])
    sizes = [len(members[k]) for k in poles]
    assert all(10 <= s <= 41 for s in sizes), sizes  # 10–40 members, + the structure porteuse
    for k, p in poles.items():
        assert p["pole"]["founding_year"] <= 2024 and p["pole"]["perimeter"]


def test_funding_fields_are_plausible(pole):
    _, actors, relations = pole
    family = {a["key"]: a["family"] for a in actors}
    funds = [r for r in relations if r["type"] == "funds"]
    assert funds
    for r in funds:
        f = r["fields"]
        assert family[r["source"]] in ("collectivite", "state", "eu")
        assert 2010 <= f["year"] <= 2024 and f["amount"] > 0 and f["programme"]
    amounts = sorted(r["fields"]["amount"] for r in funds)
    assert amounts[-1] > 10 * amounts[len(amounts) // 2]  # log-normal: a long right tail


def test_cooperation_is_clustered(pole):
    """Most cooperation ties stay inside an EPCI or a pôle: the graph has local structure."""
    _, actors, relations = pole
    geo = load_geography()
    where = {a["key"]: a["location"] for a in actors}
    epci = {k: geo.rollup(v)["epci"] if v.startswith("commune:") else None for k, v in where.items()}
    coop = [r for r in relations if r["type"] in ("cooperates", "partner")]
    same_epci = sum(1 for r in coop if epci[r["source"]] and epci[r["source"]] == epci[r["target"]])
    assert same_epci / len(coop) > 0.25
    pairs = {frozenset((r["source"], r["target"])) for r in coop}
    assert len(pairs) == len(coop)  # no duplicate cooperation pair


def test_same_seed_same_bytes_other_seed_other_bytes(pole_file, tmp_path):
    again = tmp_path / "again.jsonl"
    gen.generate("pole", seed=7, out=again)
    assert again.read_bytes() == pole_file.read_bytes()
    other = tmp_path / "other.jsonl"
    gen.generate("pole", seed=8, out=other)
    assert other.read_bytes() != pole_file.read_bytes()


def test_same_bytes_across_processes_whatever_the_hash_seed(pole_file, tmp_path):
    """Nothing may depend on set or dict-of-str iteration order (PYTHONHASHSEED)."""
    outs = []
    for hashseed in ("1", "2"):
        out = tmp_path / f"h{hashseed}.jsonl"
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        subprocess.run([sys.executable, str(GENERATOR), "--scale", "pole", "--seed", "7", "--out", str(out)],
                       check=True, env=env, cwd=ROOT, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == pole_file.read_bytes()
