"""The embedded store's indexes: dropped before a big insert and rebuilt after it (the bulk
path), used by the relations among a set of actors, rebuilt when an earlier version defined
them otherwise.

``SQLiteStore.replace_source`` drops a table's secondary indexes inside its transaction when
it inserts at least ``bulk_min_rows`` rows into a table that holds no more than that, and
builds them again after the inserts. These tests check that the path is taken when it
should be and only then, that it writes exactly what the row-by-row path writes (rows and
indexes), that a failed write still leaves the file as it was (indexes included), and that
the whole store contract holds with the path forced on every write: the conformance suite
runs again here with ``bulk_min_rows = 1``.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import sys
from pathlib import Path

import pytest

from maillage.graph.sqlite_store import _AMONG_PAIRS_MAX, SCHEMA, SQLiteStore
from maillage.graph.store import StoreError
from maillage.loaders import load_file

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("sources", "statements", "names", "identifiers", "actors", "actor_territories", "relations", "proposals")

# -- the conformance suite, with the bulk path forced on every write --------------------------
_spec = importlib.util.spec_from_file_location("conformance_bulk", ROOT / "tests" / "conformance"
                                               / "test_store_conformance.py")
_conformance = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conformance)
chain = _conformance.chain
for _name in dir(_conformance):
    if _name.startswith("test_"):
        globals()[f"test_bulk_{_name[5:]}"] = getattr(_conformance, _name)


@pytest.fixture(params=["sqlite-file", "sqlite-memory"])
def store(request, tmp_path):
    s = SQLiteStore(str(tmp_path / "store.db") if request.param == "sqlite-file" else ":memory:")
    s.bulk_min_rows = 1
    yield s
    s.close()


# -- helpers ------------------------------------------------------------------------------------
def _generated(tmp: Path, scale: str = "pole", seed: int = 5) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate_bulk", ROOT / "bench" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen
    spec.loader.exec_module(gen)
    out = tmp / f"{scale}.jsonl"
    gen.generate(scale, seed=seed, out=out)
    return out


def _indexes(db: sqlite3.Connection) -> list[tuple[str, str]]:
    return db.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
                      "ORDER BY name").fetchall()


_LOADED_AT = re.compile(r'"loaded_at":"[^"]*"')


def _dump(path: Path, mask_time: bool = False) -> dict[str, list]:
    """Every row of every table, and the indexes; ``mask_time``: load timestamps blanked."""
    db = sqlite3.connect(path)
    out: dict[str, list] = {}
    for t in TABLES:
        rows = db.execute(f"SELECT * FROM {t}").fetchall()
        if mask_time:
            rows = [tuple(_LOADED_AT.sub('"loaded_at":""', v) if isinstance(v, str) else v for v in r)
                    for r in rows]
        out[t] = sorted(rows, key=repr)
    out["indexes"] = _indexes(db)
    db.close()
    return out


def _traced(store: SQLiteStore) -> list[str]:
    seen: list[str] = []
    store.db.set_trace_callback(seen.append)
    return seen


@pytest.fixture(scope="module")
def pole_file(tmp_path_factory) -> Path:
    return _generated(tmp_path_factory.mktemp("bulk"))


# -- tests --------------------------------------------------------------------------------------
def test_bulk_path_writes_what_the_row_by_row_path_writes(pole_file, tmp_path):
    fresh = sqlite3.connect(":memory:")
    fresh.executescript(SCHEMA)
    schema_indexes = _indexes(fresh)
    dumps, traces = {}, {}
    for label, threshold in (("bulk", 1), ("row_by_row", 10**9)):
        store = SQLiteStore(tmp_path / f"{label}.db")
        store.bulk_min_rows = threshold
        traces[label] = _traced(store)
        load_file(store, pole_file, format="maillage-jsonl", source_id="s", rejects_dir=tmp_path / "rejects")
        store.close()
        dumps[label] = _dump(tmp_path / f"{label}.db", mask_time=True)  # two loads, two timestamps
    assert any(sql.startswith("DROP INDEX relations_src") for sql in traces["bulk"])
    assert not any(sql.startswith("DROP INDEX") for sql in traces["row_by_row"])
    assert dumps["bulk"] == dumps["row_by_row"]
    assert dumps["bulk"]["indexes"] == schema_indexes
    assert len(dumps["bulk"]["relations"]) > 1000 and len(dumps["bulk"]["actor_territories"]) > 1000


def test_small_load_into_a_big_table_keeps_the_indexes(pole_file, tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.bulk_min_rows = 1
    load_file(store, pole_file, format="maillage-jsonl", source_id="big", rejects_dir=tmp_path / "rejects")
    small = tmp_path / "small.jsonl"
    lines = pole_file.read_text(encoding="utf-8").splitlines()
    small.write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")  # header + a few actors
    seen = _traced(store)
    load_file(store, small, format="maillage-jsonl", source_id="small", rejects_dir=tmp_path / "rejects")
    dropped = {sql.split()[2] for sql in seen if sql.startswith("DROP INDEX")}
    assert "statements_actor" not in dropped and "names_key" not in dropped  # the table dwarfs the load
    assert store.stats()["sources"] == 2
    store.close()


def _among_plan(store, ids) -> list[str]:
    where, args = store._relation_filter(among=ids)  # noqa: SLF001 - the store's own query
    return [r[3] for r in store.db.execute(
        f"EXPLAIN QUERY PLAN SELECT id, src, dst, data, source_id FROM relations{where} ORDER BY id", args)]


def test_relations_among_a_set_of_actors_are_found_in_the_index():
    """``relations(among=…)`` is answered from ``relations_src (src, dst, …)``: for a few actors
    every (src, dst) pair is looked up, so a hub among them is not read tie by tie (the nation
    graph's pôle views spent most of their time there); for many, the pairs would be |S|²
    probes (6 s for a région's 4,934 actors), so each src's index entries are read and dst is
    checked in them. Both give the relations a plain filter gives."""
    store = SQLiteStore(":memory:")
    few = [f"a{i}" for i in range(_AMONG_PAIRS_MAX)]
    many = [f"a{i}" for i in range(_AMONG_PAIRS_MAX + 1)]
    assert any("relations_src (src=? AND dst=?)" in step for step in _among_plan(store, few))
    plan = _among_plan(store, many)
    assert any("relations_src (src=?)" in step for step in plan), plan
    assert not any("src=? AND dst=?" in step for step in plan), plan
    store.close()


def test_relations_among_small_and_large_sets_are_the_plain_filter(pole_file, tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    load_file(store, pole_file, format="maillage-jsonl", source_id="s", rejects_dir=tmp_path / "rejects")
    every = store.relations()
    ends = sorted({x for r in every for x in (r.source, r.target)})
    for size in (5, _AMONG_PAIRS_MAX, _AMONG_PAIRS_MAX + 1, 300, len(ends)):
        chosen = set(ends[::max(1, len(ends) // size)][:size])
        plain = sorted(r.id for r in every if r.source in chosen and r.target in chosen)
        assert sorted(r.id for r in store.relations(among=chosen)) == plain, size
        assert size < 100 or len(plain) > 0
    store.close()


def test_an_index_an_earlier_version_defined_otherwise_is_rebuilt_once_on_open(pole_file, tmp_path):
    path = tmp_path / "earlier.db"
    store = SQLiteStore(path)
    load_file(store, pole_file, format="maillage-jsonl", source_id="s", rejects_dir=tmp_path / "rejects")
    ring = sorted({x for r in store.relations()[:400] for x in (r.source, r.target)})
    among = sorted(r.id for r in store.relations(among=ring))
    wanted = _indexes(store.db)
    store.close()
    old = sqlite3.connect(path)  # relations_src as maillage defined it before it held dst, names_source and
    old.executescript(  # identifiers_source before they held stmt_key; the indexes it did not have yet
        "DROP INDEX relations_src; CREATE INDEX relations_src ON relations(src, type); "
        "DROP INDEX names_source; CREATE INDEX names_source ON names(source_id); "
        "DROP INDEX identifiers_source; CREATE INDEX identifiers_source ON identifiers(source_id); "
        "DROP INDEX joins_into; DROP INDEX joins_actor; DROP INDEX proposals_candidate; DROP INDEX decisions_actor;")
    old.close()
    store = SQLiteStore(path)
    assert _indexes(store.db) == wanted
    assert sorted(r.id for r in store.relations(among=ring)) == among and len(among) > 100
    (version,) = store.db.execute("PRAGMA schema_version").fetchone()
    store.close()
    store = SQLiteStore(path)  # nothing left to migrate: the schema is not touched again
    assert store.db.execute("PRAGMA schema_version").fetchone()[0] == version
    store.close()


def test_failed_bulk_write_leaves_rows_and_indexes_as_they_were(pole_file, tmp_path):
    from maillage.graph.model import Actor, Provenance, Relation, Source
    from maillage.graph.store import ResolvedBatch, ResolvedRelation
    from maillage.loaders.resolution import Resolver

    store = SQLiteStore(tmp_path / "s.db")
    store.bulk_min_rows = 1
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(pole_file.read_text(encoding="utf-8").splitlines()[:40]) + "\n", encoding="utf-8")
    load_file(store, small, format="maillage-jsonl", source_id="s1", rejects_dir=tmp_path / "rejects")
    before = _dump(tmp_path / "s.db")
    assert before["actors"] and before["indexes"]
    # a source much bigger than the store, whose last relation points at an actor that does not exist
    actors = [Actor(key=f"k{i}", name=f"Zeta {i}", family="ess", provenance=Provenance(source="s2"))
              for i in range(300)]
    statements, _ = Resolver(store, "s2").resolve(actors)
    ids = [st.actor_id for st in statements]
    rels = [ResolvedRelation(Relation(type="partner", source=f"k{i}", target=f"k{i + 1}",
                                      provenance=Provenance(source="s2", locator=f"row {i}")), ids[i], ids[i + 1])
            for i in range(299)]
    rels.append(ResolvedRelation(Relation(type="partner", source="k0", target="ghost",
                                          provenance=Provenance(source="s2", locator="row 999")), ids[0], "no-such"))
    seen = _traced(store)
    with pytest.raises(StoreError, match="unknown actors"):
        store.replace_source(ResolvedBatch(Source(id="s2", uri="s2.jsonl"), statements, rels))
    assert any(sql.startswith("DROP INDEX relations_src") for sql in seen)  # bulk path taken, then rolled back
    assert store.stats()["sources"] == 1
    store.close()
    assert _dump(tmp_path / "s.db") == before


# -- the write path's hand-made serialisations equal the definitions they replace ------------

from datetime import timedelta, timezone  # noqa: E402
import doctest  # noqa: E402
import hashlib  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import maillage.graph.store as store_module  # noqa: E402
from maillage.graph.model import Provenance, Relation  # noqa: E402
from maillage.graph.store import provenance_payload  # noqa: E402
from maillage.graph.vocabulary import vocabulary  # noqa: E402

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12).map(str.strip).filter(bool)
_times = st.one_of(st.none(), st.datetimes(timezones=st.sampled_from(
    [timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))])), st.datetimes())


@settings(max_examples=300, derandomize=True)
@given(source=_text, locator=st.none() | _text, document=st.none() | _text, quote=st.none() | _text,
       certainty=st.sampled_from(["stated", "implied", "inferred", "planned"]), loaded_at=_times)
def test_provenance_payload_is_model_dump(source, locator, document, quote, certainty, loaded_at):
    p = Provenance(source=source, locator=locator, document=document, quote=quote, certainty=certainty,
                   loaded_at=loaded_at)
    times: dict = {}
    assert provenance_payload(p, times) == p.model_dump(mode="json", exclude_none=True)
    assert provenance_payload(p, times) == p.model_dump(mode="json", exclude_none=True)  # from the cache


def _statement_id_by_definition(r: Relation) -> str:
    """The id as first defined (tests/…: one SHA-1 of the statement's identifying parts)."""
    a, b = r.source, r.target
    if not vocabulary().relation_type(r.type).directed and b < a:
        a, b = b, a
    p = r.provenance
    key = "\x1f".join([p.source, p.document or "", p.locator or "", r.type, a, b,
                       repr(sorted(r.fields.items())), r.start or "", r.end or ""])
    return "r_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


@settings(max_examples=300, derandomize=True)
@given(rtype=st.sampled_from(["cooperates", "funds", "membership", "partner", "governs"]),
       ends=st.lists(st.sampled_from(["a_x", "a_y", "b_z", "Z"]), min_size=2, max_size=2, unique=True),
       year=st.none() | st.integers(1990, 2030), locator=st.none() | _text,
       extra=st.dictionaries(st.sampled_from(["amount", "share", "note", "dispositif", "programme"]),
                             st.floats(0, 1e9) | _text | st.sampled_from(["l'ESS", 'dit "x"', "à\\b", "\n"]),
                             max_size=4))
def test_statement_id_is_its_definition(rtype, ends, year, locator, extra):
    fields = {"year": year} if (year is not None and rtype == "funds") else {}
    if rtype == "funds":
        # numbers where the vocabulary wants numbers (a share at most 1), text elsewhere
        fields.update({k: min(v, 1.0) if k == "share" else v for k, v in extra.items()
                       if (k in ("amount", "share")) == isinstance(v, float)})
    r = Relation(type=rtype, source=ends[0], target=ends[1], fields=fields,
                 provenance=Provenance(source="s", locator=locator))
    assert r.statement_id() == _statement_id_by_definition(r)
    # undirected types: the same statement either way round has one id
    flipped = Relation(type=rtype, source=ends[1], target=ends[0], fields=fields,
                       provenance=Provenance(source="s", locator=locator))
    assert (flipped.statement_id() == r.statement_id()) == (not vocabulary().relation_type(rtype).directed)


def test_the_ids_a_loader_hands_the_store_are_the_relations_ids(pole_file, tmp_path):
    """The loader computes each relation's id to drop duplicates and passes it on
    (``ResolvedRelation.statement_id``) so the store does not hash it again: it must be the
    id of the relation as the store receives it, and the store must write exactly that."""
    from maillage.graph.store import ResolvedRelation

    store = SQLiteStore(tmp_path / "ids.db")
    captured = []
    write = store.replace_source
    store.replace_source = lambda batch: (captured.append(batch), write(batch))[1]
    load_file(store, pole_file, format="maillage-jsonl")
    (batch,) = captured
    assert batch.relations and all(rr.statement_id == rr.relation.statement_id() for rr in batch.relations)
    stored = {r[0] for r in sqlite3.connect(tmp_path / "ids.db").execute("SELECT id FROM relations")}
    assert stored == {rr.statement_id for rr in batch.relations}
    # handed no ids, the store computes the same ones and writes the same rows
    bare = SQLiteStore(tmp_path / "bare.db")
    batch.relations = [ResolvedRelation(rr.relation, rr.source_id, rr.target_id) for rr in batch.relations]
    bare.replace_source(batch)
    bare.close()
    store.close()
    rows = [sorted(sqlite3.connect(tmp_path / f).execute("SELECT * FROM relations")) for f in ("ids.db", "bare.db")]
    assert rows[0] == rows[1]


def test_store_module_doctests():
    assert doctest.testmod(store_module).failed == 0


# -- the cyclic garbage collector during a load ---------------------------------------------------
import gc  # noqa: E402

import maillage.runtime as runtime_module  # noqa: E402
from maillage.loaders import LoadError  # noqa: E402


def test_a_load_runs_with_the_cycle_collector_paused_and_restores_it(pole_file, tmp_path):
    """Parsing, resolving and writing all run with the collector off (its passes over a large
    parsed batch cost as much as the parse); the caller's setting comes back, after a failed
    load too, and a caller that had it off keeps it off."""
    seen: list[tuple[str, bool]] = []
    store = SQLiteStore(tmp_path / "gc.db")
    assert gc.isenabled()
    load_file(store, pole_file, rejects_dir=tmp_path, progress=lambda stage, i, n: seen.append((stage, gc.isenabled())))
    assert {stage for stage, _ in seen} >= {"parse", "resolve", "write"}
    assert not any(enabled for _, enabled in seen)
    assert gc.isenabled()

    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\xff" * 64)
    with pytest.raises(LoadError):
        load_file(store, junk, format="scdl", rejects_dir=tmp_path)
    assert gc.isenabled()

    gc.disable()
    try:
        load_file(store, pole_file, rejects_dir=tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()
    store.close()


def test_runtime_module_doctests():
    assert doctest.testmod(runtime_module).failed == 0


def _scdl_file(tmp: Path, rows: int) -> Path:
    spec = importlib.util.spec_from_file_location("scdl_bench_gc", ROOT / "bench" / "scdl_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.generate(rows, seed=3, path=tmp / "scdl.csv")


def test_a_paused_load_leaves_almost_no_cycles_behind(pole_file, tmp_path):
    """With the collector paused, every reference cycle a load makes stays in memory until the
    load ends: a load must make (almost) none, whatever its size (one cycle per row or per
    actor would hold a million-row file's worth of garbage until the end). Fails with
    rapidfuzz's ``process.extract_iter`` in the fuzzy step (4,660 and 5,970 objects left) or
    with one self-referencing list per tie."""
    left = {}
    for name, path, fmt in (("jsonl", pole_file, None), ("scdl", _scdl_file(tmp_path, 3000), "scdl")):
        store = SQLiteStore(tmp_path / f"cycles-{name}.db")
        gc.collect()
        # kept paused past the load (the load's own pause nests in this one): once the collector
        # runs again its first pass frees the load's cycles, and there would be nothing to count
        with runtime_module.gc_paused():
            load_file(store, path, format=fmt, rejects_dir=tmp_path)
            left[name] = gc.collect()
        store.close()
    assert all(n < 500 for n in left.values()), left


# -- a tie's JSON holds only what its columns and its source do not --------------------------------

def test_a_ties_json_leaves_out_its_columns_and_its_sources_load_time(pole_file, tmp_path):
    import orjson

    store = SQLiteStore(tmp_path / "c.db")
    load_file(store, pole_file, format="maillage-jsonl", source_id="s", rejects_dir=tmp_path / "rejects")
    views = {r.id: r for r in store.relations()}
    src_time = store.source("s").loaded_at
    db = sqlite3.connect(tmp_path / "c.db")
    rows = db.execute("SELECT id, type, certainty, data FROM relations").fetchall()
    assert rows and len(rows) == len(views)
    for rid, rtype, certainty, data in rows:
        d = orjson.loads(data)
        assert "type" not in d and not {"source", "certainty", "loaded_at"} & set(d["provenance"]), d
        v = views[rid]  # read back whole, from the columns and the source
        assert (v.type, v.provenance.certainty, v.provenance.source, v.provenance.loaded_at) == \
               (rtype, certainty, "s", src_time)
    # a store written before keeps every key in the JSON: it reads the same
    full = {rid: orjson.dumps({"type": v.type, "fields": v.fields, "start": v.start, "end": v.end,
                               "provenance": provenance_payload(v.provenance), "keys": ["a", "b"]}).decode()
            for rid, v in views.items()}
    db.executemany("UPDATE relations SET data=? WHERE id=?", [(d, rid) for rid, d in full.items()])
    db.commit()
    db.close()
    store.close()
    again = SQLiteStore(tmp_path / "c.db")
    assert {r.id: r for r in again.relations()} == views
    again.close()


# -- the ties' rows: each id computed once, the payload of distinct_relations less its columns -----

from datetime import datetime  # noqa: E402

from maillage.graph.model import Actor, Source, year_of  # noqa: E402
from maillage.graph.store import ResolvedBatch, ResolvedRelation, ResolvedStatement, json_time  # noqa: E402

_SOURCE_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
_TIE_TIMES = [None, _SOURCE_TIME, datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc),
              datetime(2025, 6, 1, 12, 0, 0, 250000, tzinfo=timezone(timedelta(hours=2)))]


def _tie_batch(ties: list[tuple], handed: list[bool], loaded_at: datetime | None) -> ResolvedBatch:
    """A source of three actors and the ``ties`` (type, ends, year, locator, document, quote,
    certainty, load time) between them; ``handed[i]``: the loader hands tie i's id."""
    statements = [ResolvedStatement(Actor(key=k, name=f"Acteur {k}", family="ess",
                                          provenance=Provenance(source="s", locator=f"row {k}")), f"id-{k}", "new")
                  for k in "abc"]
    rels = []
    for (rtype, (a, b), year, locator, document, quote, certainty, t), h in zip(ties, handed):
        funds = rtype == "funds"
        fields = ({"year": year, "amount": 1200.5} if funds and year else {"note": "à voir"} if rtype == "partner" else {})
        r = Relation(type=rtype, source=a, target=b, fields=fields, start=None if funds or not year else str(year),
                     provenance=Provenance(source="s", locator=locator, document=document, quote=quote,
                                           certainty=certainty, loaded_at=_TIE_TIMES[t]))
        rels.append(ResolvedRelation(r, f"id-{a}", f"id-{b}", r.statement_id() if h else None))
    return ResolvedBatch(Source(id="s", uri="s.jsonl", loaded_at=loaded_at), statements, rels)


def _tie_rows_by_definition(batch: ResolvedBatch, loaded_at: datetime) -> list[tuple]:
    """The ``relations`` rows as first written: every store's payload (``distinct_relations``)
    with what the columns and the source say taken out of its JSON."""
    import orjson

    source_time = json_time(batch.source.loaded_at) if batch.source.loaded_at else None
    rows = []
    for rr, rid, data in batch.distinct_relations(loaded_at):
        r = rr.relation
        del data["type"], data["provenance"]["source"], data["provenance"]["certainty"]
        if data["provenance"].get("loaded_at") == source_time:
            del data["provenance"]["loaded_at"]
        rows.append((rid, "s", r.type, rr.source_id, rr.target_id, year_of(r.start), year_of(r.end),
                     r.provenance.certainty, orjson.dumps(data).decode()))
    return sorted(rows)


_ties = st.lists(st.tuples(st.sampled_from(["funds", "partner", "membership"]),
                           st.sampled_from([("a", "b"), ("b", "a"), ("a", "c"), ("c", "b")]),
                           st.none() | st.integers(2015, 2020), st.none() | st.sampled_from(["row 2", "row 3", "L7"]),
                           st.none() | st.sampled_from(["statuts.pdf"]), st.none() | st.sampled_from(["« à »", 'dit "x"']),
                           st.sampled_from(["stated", "inferred"]), st.integers(0, len(_TIE_TIMES) - 1)),
                 min_size=1, max_size=12)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(ties=_ties, handed=st.lists(st.booleans(), min_size=12, max_size=12), dup=st.lists(st.integers(0, 11), max_size=4))
def test_the_ties_rows_are_the_payload_less_its_columns(ties, handed, dup):
    """Varied provenances (a load time of their own, the source's, none; a document, a quote),
    the same statement more than once (the first is kept), ids handed by the loader or not:
    the store's rows are ``distinct_relations``'s payload without the columns' values."""
    ties = ties + [ties[i % len(ties)] for i in dup]  # the same statement again, later
    expected = _tie_rows_by_definition(_tie_batch(ties, handed, _SOURCE_TIME), _SOURCE_TIME)
    store = SQLiteStore(":memory:")
    store.replace_source(_tie_batch(ties, handed, _SOURCE_TIME))
    assert sorted(store.db.execute("SELECT * FROM relations")) == expected
    store.close()


def test_a_source_without_a_load_time_stamps_its_ties_with_the_writes():
    import orjson

    ties = [("funds", ("a", "b"), 2016, "row 2", None, None, "stated", 0),
            ("funds", ("a", "c"), 2017, "row 3", None, None, "stated", 0),
            ("partner", ("c", "b"), None, "row 4", None, None, "stated", 2)]
    store = SQLiteStore(":memory:")
    before = datetime.now(timezone.utc)
    store.replace_source(_tie_batch(ties, [False] * 3, None))
    after = datetime.now(timezone.utc)
    times = {tuple(orjson.loads(d)["keys"]): orjson.loads(d)["provenance"].get("loaded_at")
             for (d,) in store.db.execute("SELECT data FROM relations")}
    own = times.pop(("c", "b"))
    assert own == json_time(_TIE_TIMES[2])
    (stamp,) = set(times.values())  # one time for the write, in every tie without one
    assert before <= datetime.fromisoformat(stamp) <= after
    store.close()


def test_the_store_hashes_a_tie_without_an_id_once(monkeypatch):
    """A tie the loader hands without its id is hashed once by the store (it was hashed twice:
    to sort the ties and to drop duplicates); one handed with its id, never."""
    calls = []
    hashed = Relation.statement_id
    monkeypatch.setattr(Relation, "statement_id", lambda self: calls.append(1) or hashed(self))
    ties = [("funds", ("a", "b"), 2016, f"row {i}", None, None, "stated", 0) for i in range(5)]
    store = SQLiteStore(":memory:")
    batch = _tie_batch(ties, [False, False, False, True, True], _SOURCE_TIME)
    calls.clear()  # the two handed ids were computed while building the batch
    store.replace_source(batch)
    assert len(calls) == 3
    assert store.db.execute("SELECT COUNT(*) FROM relations").fetchone()[0] == 5
    store.close()
