"""Analysis runs, isolated actors and the pôles table.

:func:`analyse` projects the store through a lens, computes the actor metrics of
:mod:`maillage.analytics.metrics` and stores them as a new **analysis run** (earlier runs are
kept, so every figure in a report can be traced back to its run and parameters).

:func:`isolated_actors` lists the actors that have no cooperation tie in a lens (isolated;
with ``include_peripheral``, the peripheral ones too, e.g. a single partner), each with a
reason in French, a code and its status (:func:`maillage.analytics.territory.status_of`) — and
sets apart the actors whose apparent isolation may only reflect thin documentation (unnamed
placeholders, actors whose sources state a size without listing anyone).

:func:`pole_table` gives one row per pôle: listed members, structures porteuses, declared
members, collectivités tied to it, number of sources.

>>> from maillage.graph import open_store
>>> store = open_store(":memory:")
>>> run = analyse(store)
>>> run.params["nodes"], run.id.startswith("run-")
(0, True)
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

import igraph
import networkx as nx

import maillage
from maillage.graph.names import alpha_key
from maillage.graph.store import AnalysisRun, Store, StoreError
from maillage.graph.vocabulary import vocabulary
from maillage.writing import exact_text

from .brokerage import COUNT_METRICS
from .metrics import INTEGER_METRICS, METRICS, actor_metrics, tied_actors

#: The actor metrics a run stores whose values are whole numbers by definition (degree, k-core,
#: component and community numbers, brokerage counts): the exports write them as integers.
WHOLE_METRICS = INTEGER_METRICS | COUNT_METRICS

#: Codes of :func:`isolated_actors`, in the order they are listed, with their French reason.
ISOLATION_CODES: dict[str, dict[str, str]] = {
    "aucun_lien": {
        "fr": "Aucun lien connu, de quelque type que ce soit",
        "en": "No known tie of any type",
    },
    "seulement_financement": {
        "fr": "Seulement des liens de financement (aucun lien de coopération)",
        "en": "Only funding ties (no cooperation tie)",
    },
    "hors_lentille": {
        "fr": "Seulement des liens hors de la lentille analysée",
        "en": "Only ties outside the analysed lens",
    },
    "lien_unique": {
        "fr": "Un seul partenaire par un lien direct dans la lentille analysée (être membre d'un même pôle ne "
              "compte pas ici, à la différence des mesures)",
        "en": "A single partner through a direct tie in the analysed lens (membership of a same pôle does not "
              "count here, unlike in the measures)",
    },
}

FUNDING_TYPES = ("funds",)


# ---------------------------------------------------------------------------------------------
# analysis runs

#: The parameters a run records that its id's fingerprint leaves out: how long each stage took
#: and when each source was loaded (a file reloaded unchanged gives the same fingerprint).
UNFINGERPRINTED = ("seconds", "source_loaded")


def _run_id(params: dict[str, Any], when: datetime, taken: set[str]) -> str:
    """``run-YYYYMMDDTHHMMSSZ-<fingerprint>``: the time (UTC), then the first 6 hex digits of
    the SHA-1 of the parameters but :data:`UNFINGERPRINTED` (docs/analytics.md, « Citing a
    run »); a numeric suffix keeps two runs with the same parameters in the same second apart.

    >>> when = datetime(2026, 12, 6, 4, 58, 30)
    >>> a = _run_id({"lens": "cooperation", "seconds": {"lens": 0.1}}, when, set())
    >>> a == _run_id({"lens": "cooperation", "seconds": {"lens": 9.0}}, when, set()), a[:21]
    (True, 'run-20261206T045830Z-')
    >>> a == _run_id({"lens": "funding", "seconds": {"lens": 0.1}}, when, set())
    False
    """
    kept = {k: v for k, v in params.items() if k not in UNFINGERPRINTED}
    digest = hashlib.sha1(repr(sorted(kept.items())).encode("utf-8")).hexdigest()[:6]
    base = f"run-{when.strftime('%Y%m%dT%H%M%SZ')}-{digest}"
    rid, i = base, 1
    while rid in taken:
        i += 1
        rid = f"{base}-{i}"
    return rid


#: The prefixes of the diagnostics rows a run stores beside the actor metrics (a dotted name is
#: never an actor metric): ``pole.<figure>`` on each pôle's id, ``critere.<check id>`` on each
#: pôle's id (1 true, 0 false, empty = unknown), ``isolement.<code>`` on each actor with that
#: reason, ``statut.<status>`` on each actor with a reason (``statut.isolated``: the isolated
#: actors, as the territory diagnostic and the API list them), ``observatoire.<key>`` (and
#: ``….n``) on the key ``observatoire``, and
#: ``evolution.<figure>`` on keys ``annee:<year>`` (the graph as of each year, tie persistence
#: from the year before; its ``density`` is that of the direct ties among the actors observed
#: that year, not the run's graph density, the ``density`` parameter).
DIAGNOSTIC_PREFIXES = ("pole.", "critere.", "isolement.", "statut.", "observatoire.", "evolution.")
YEAR_KEY = "annee:{year}"
YEAR_FIGURES = ("actors", "ties", "ties_dated", "ties_undated", "density", "components", "isolated",
                "single_tie", "documentation_gaps")
PERSISTENCE_FIGURES = ("kept", "jaccard", "retained", "jaccard_dated", "retained_dated")
OBSERVATORY_KEY = "observatoire"

#: Pôle figures stored per run: name → how to read it from a :class:`~maillage.analytics.poles.PoleDiagnostic`.
POLE_FIGURES: dict[str, Callable[[Any], Any]] = {
    "members_named": lambda d: d.size.named_members,
    "member_units": lambda d: d.size.member_units,
    "declared_members": lambda d: d.size.declared_members,
    "coverage": lambda d: d.size.coverage.value,
    "families_present": lambda d: d.families_present,
    "blau": lambda d: d.blau.value,
    "iqv": lambda d: d.iqv.value,
    "density": lambda d: d.internal.density.value,
    "centralisation": lambda d: d.internal.centralisation.value,
    "ei_index": lambda d: d.internal.ei_index.value,
    "cross_family_share": lambda d: d.internal.cross_family_share.value,
    "members_without_tie": lambda d: len(d.internal.without_tie),
    "maturity": lambda d: None if d.cooperation.maturity is None else float(d.cooperation.maturity),
    "collectivites_in_governance": lambda d: (None if d.governance.collectivites_in_governance is None
                                              else float(d.governance.collectivites_in_governance)),
    "funding_hhi": lambda d: d.funding.hhi.value,
    "funding_largest_share": lambda d: d.funding.largest_share.value,
    "funding_public_share": lambda d: d.funding.public_share.value,
    "funding_total": lambda d: d.funding.total_amount,
}


#: The groupings brokerage roles can be computed over.
BROKERAGE_GROUPINGS = ("family", "pole", "departement")


def brokerage_groups(G: nx.Graph, by: str = "family") -> dict[Any, str | None]:
    """The group of each actor of a lens graph, for Gould–Fernandez brokerage.

    - ``family``: the art. 9 family (every actor has one);
    - ``pole``: the pôle the actor is a member of — a pôle is its own group; an actor in
      several pôles or in none has no group (``None``) and takes part in no counted path, so
      that a "liaison" always means three actors of three *known*, distinct pôles;
    - ``departement``: the département of the actor's location (``None`` when unknown or
      above that scale, e.g. a région).

    >>> G = nx.Graph(); G.add_node("a", family="ess", poles=["p"], location="commune:31555")
    >>> G.add_node("p", family="pole", poles=[], location=None)
    >>> brokerage_groups(G, "pole"), brokerage_groups(G, "departement")["a"]
    ({'a': 'p', 'p': 'p'}, 'departement:31')
    """
    from maillage.graph.store import territory_rollup

    groups: dict[Any, str | None] = {}
    for v, d in G.nodes(data=True):
        if by == "family":
            groups[v] = d.get("family")
        elif by == "pole":
            poles = d.get("poles") or []
            groups[v] = v if d.get("family") == "pole" else (poles[0] if len(poles) == 1 else None)
        elif by == "departement":
            groups[v] = next((t for t in territory_rollup(d.get("location")) if t.startswith("departement:")), None)
        else:
            raise ValueError(f"brokerage groups: {by!r} is not one of {', '.join(BROKERAGE_GROUPINGS)}")
    return groups


def _tri(state: bool | None) -> float | None:
    return None if state is None else float(state)


def analyse(store: Store, lens: str = "cooperation", as_of: int | None = None,
            betweenness_k: int | None = None, seed: int = 0, note: str | None = None,
            diagnostics: bool = True, distance_k: int | None = None, brokerage_by: str = "family",
            progress: Callable[[str, int, int], None] | None = None) -> AnalysisRun:
    """Run the whole analysis of a lens (as of a year) and store it as a new run.

    1. the lens graph (:func:`~maillage.analytics.lenses.lens_graph`; natural persons left
       out), 2. the actor metrics (:func:`~maillage.analytics.metrics.actor_metrics`;
    betweenness, closeness and PageRank normalised over the actors with at least one tie in
    the lens, ``tied_only``, so that actors the lens does not tie change nobody's values),
    3. Gould–Fernandez brokerage (:func:`~maillage.analytics.brokerage.brokerage`;
    ``brokerage_<role>`` rows) with groups = art. 9 family, pôle or département
    (``brokerage_by``, see :func:`brokerage_groups`), and with
    ``diagnostics``: 4. every pôle's diagnostic and tri-state criteria
    (:mod:`~maillage.analytics.poles`, :mod:`~maillage.analytics.criteria`), 5. isolated and
    peripheral actors with every reason (:mod:`~maillage.analytics.territory`), 6. the
    observatory table (:mod:`~maillage.analytics.observatory`). Diagnostics are stored as
    dotted rows (:data:`DIAGNOSTIC_PREFIXES`); unknown is an empty value, never 0.

    The run records its parameters: lens, as-of year, the sources read (so that an export can
    tell a source removed since: :mod:`maillage.api.export_view`), betweenness sampling
    (``betweenness_k``, ``seed``), closeness/harmonic sampling (``distance_k``: that many
    source actors, for nation-scale graphs), the size of the graph (``nodes``, ``edges``, each
    layer's ties), its density 2m / n(n−1) over every actor (``density``) and over the actors
    with a tie (``density_tied``), their number (``normalised_over``), what was computed and
    how long each stage took, each source's sha256 and load time (``source_sha256``,
    ``source_loaded``) and the versions of maillage, networkx and igraph (the engine) — what
    ``maillage runs ID`` cites. ``progress(stage, done, total)`` is called as stages advance. Returns the stored
    :class:`~maillage.graph.store.AnalysisRun`; its values are ``store.metrics(run.id)``.

    >>> from maillage.graph import open_store
    >>> run = analyse(open_store(":memory:"))
    >>> run.params["nodes"], run.params["computed"][:2]
    (0, ['metrics', 'brokerage'])

    The cyclic garbage collector stays on here (unlike a load): a run on the région benchmark
    graph makes some 300,000 objects in reference cycles, which a pause would hold until the
    end, for a gain within noise (``bench/gc_bench.py`` in docs/benchmarks.md).
    """
    from .brokerage import ROLES, brokerage

    if brokerage_by not in BROKERAGE_GROUPINGS:
        raise ValueError(f"brokerage groups: {brokerage_by!r} is not one of {', '.join(BROKERAGE_GROUPINGS)}")
    from .lenses import lens_digraph, lens_graph

    tick = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    read = sorted(store.sources(), key=lambda src: src.id)  # read first: a source loaded meanwhile is not in the run
    sources = [src.id for src in read]

    def timed(stage: str, t0: float) -> None:
        timings[stage] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    tick("lentille", 0, 1)
    G = lens_graph(store, lens, as_of=as_of)
    timed("lens", t0)
    tick("lentille", 1, 1)
    n = G.number_of_nodes()
    t0 = time.perf_counter()
    tick("métriques", 0, 1)
    # normalised over the actors with a tie in the lens: loading a file of actors the lens does
    # not tie (a subsidy file in the cooperation lens) must not change anyone's betweenness
    tied = len(tied_actors(G))  # every tie of the lens graph is between two of them
    values = actor_metrics(G, betweenness_k=betweenness_k, seed=seed, distance_k=distance_k, tied_only=True)
    timed("metrics", t0)
    tick("métriques", 1, 1)
    t0 = time.perf_counter()
    # Funding and governance ties have a direction (funder → beneficiary): brokerage reads it.
    B = lens_digraph(store, lens, as_of=as_of) if lens in ("funding", "governance") else G
    roles = brokerage(B, brokerage_groups(B, brokerage_by))
    timed("brokerage", t0)
    rows: list[tuple[str, str, float | None]] = [
        (str(aid), name, value) for aid, m in values.items() for name, value in m.items()]
    rows += [(str(aid), f"brokerage_{role}", float(r[role]))
             for aid, r in roles.items() for role in (*ROLES, "total")]
    computed = ["metrics", "brokerage"]
    counts: dict[str, int] = {}
    if diagnostics:
        with store.reading():  # every pôle's subgraph: on Neo4j, the actors read once, not per pôle
            rows += _diagnostic_rows(store, lens, as_of, tick, timings, counts)
        computed += ["poles", "criteria", "overlaps", "isolation", "observatory"]
        if as_of is None:
            computed.append("evolution")
    params: dict[str, Any] = {
        "lens": lens,
        "as_of": as_of,
        "betweenness_k": betweenness_k,
        "betweenness": "exact" if betweenness_k is None or betweenness_k >= tied else "sampled",
        "distance_k": distance_k,
        "closeness": "exact" if distance_k is None or distance_k >= tied else "sampled",
        "seed": seed,
        "nodes": n,
        "edges": G.number_of_edges(),
        # the analysed graph's density, 2m / n(n−1), over every actor of the lens and over the
        # actors with a tie (the per-year `evolution.density` counts direct ties only)
        "density": nx.density(G) if n > 1 else 0.0,
        "density_tied": 2 * G.number_of_edges() / (tied * (tied - 1)) if tied > 1 else 0.0,
        # the actors betweenness, closeness and PageRank are normalised over (metrics.NORMALISED)
        "normalised_over": tied,
        "layers": {layer: sum(1 for *_, d in G.edges(data=True) if layer in d.get("layers", ()))
                   for layer in ("direct", "co_membership", "shared_governance")},
        "components": nx.number_connected_components(G) if n else 0,
        "metrics": list(METRICS) + [f"brokerage_{r}" for r in (*ROLES, "total")],
        "brokerage_groups": brokerage_by,
        "computed": computed,
        "sources": sources,
        # what each source was when the run read it (a citation names the files: a reload may change them)
        "source_sha256": {src.id: src.sha256 for src in read},
        "source_loaded": {src.id: src.loaded_at.isoformat() if src.loaded_at else None for src in read},
        **counts,
        "seconds": timings,
        "maillage": maillage.__version__,
        "networkx": nx.__version__,
        "igraph": igraph.__version__,  # the engine of the metrics (maillage.analytics.engine)
    }
    taken = {r.id for r in store.runs()}
    for _ in range(5):  # another process may take the same id between runs() and save_run()
        now = datetime.now(timezone.utc)
        run = AnalysisRun(id=_run_id(params, now, taken),
                          created_at=now, lens=lens, as_of=as_of, params=params, note=note)
        try:
            store.save_run(run, rows)
            return run
        except StoreError:
            if not any(r.id == run.id for r in store.runs()):
                raise
            taken.add(run.id)
    raise StoreError("could not find a free analysis run id")


def _diagnostic_rows(store: Store, lens: str, as_of: int | None, tick: Callable[[str, int, int], None],
                     timings: dict[str, float], counts: dict[str, int]) -> list[tuple[str, str, float | None]]:
    """Pôle figures and criteria, overlaps between pôles (on each pôle: ``pole.overlapping_poles``,
    ``pole.overlap_max_jaccard``; on each actor in several pôles: ``pole.member_of``,
    ``pole.bridged_pairs``), isolation reasons, the observatory and the evolution as dotted rows."""
    from .criteria import criteria_of
    from .observatory import observatory_table
    from .overlaps import pole_overlaps
    from .poles import diagnostic_of, pole_context

    rows: list[tuple[str, str, float | None]] = []
    t0 = time.perf_counter()
    poles = sorted(a.id for a in store.iter_actors() if a.family == "pole")
    for i, pid in enumerate(poles):
        tick("pôles", i, len(poles))
        ctx = pole_context(store, pid, as_of=as_of)  # read once for the diagnostic and the criteria
        d = diagnostic_of(ctx)
        for name, read in POLE_FIGURES.items():
            value = read(d)
            rows.append((pid, f"pole.{name}", None if value is None else float(value)))
        for c in criteria_of(ctx):
            rows.append((pid, f"critere.{c.id}", _tri(c.state)))
    tick("pôles", len(poles), len(poles))
    counts["poles"] = len(poles)
    timings["poles"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    overlaps = pole_overlaps(store, as_of=as_of)
    linked: dict[str, list[float]] = {}
    for pair in overlaps.pairs:
        linked.setdefault(pair.pole_a, []).append(pair.jaccard)
        linked.setdefault(pair.pole_b, []).append(pair.jaccard)
    for pid in poles:
        js = linked.get(pid, [])
        rows.append((pid, "pole.overlapping_poles", float(len(js))))
        rows.append((pid, "pole.overlap_max_jaccard", max(js) if js else 0.0))
    for a in overlaps.multi_pole:
        rows.append((a.actor_id, "pole.member_of", float(len(a.poles))))
        rows.append((a.actor_id, "pole.bridged_pairs", float(a.pairs)))
    counts["multi_pole_actors"] = len(overlaps.multi_pole)
    timings["overlaps"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    tick("isolement", 0, 1)
    unobserved: set[str] = set()
    isolated = isolated_actors(store, lens=lens, as_of=as_of, include_peripheral=True, unobserved=unobserved)
    for item in isolated:
        rows += [(item["id"], f"isolement.{code}", 1.0) for code in item["codes"]]
        rows.append((item["id"], f"statut.{item['status']}", 1.0))
    # by status (territory.status_of, as the territory diagnostic, the API and the reports):
    # isolated = no cooperation tie in the lens; peripheral = e.g. a single partner
    by_status = Counter(item["status"] for item in isolated)
    counts["isolated"] = by_status["isolated"]
    counts["peripheral"] = by_status["peripheral"]
    counts["documentation_gaps"] = by_status["documentation_gaps"]
    counts["public_bodies"] = by_status["public_bodies"]
    # the isolated by reason: no tie of any type, funding ties only, ties of other lenses only
    for code in ("aucun_lien", "seulement_financement", "hors_lentille"):
        counts[f"isolated_{code}"] = sum(1 for item in isolated
                                         if item["status"] == "isolated" and code in item["codes"])
    # the isolated with no known place: in no territory's diagnostic (a subsidy file's
    # bénéficiaires until a SIRENE extract places them); `analyse` says it, so counts reconcile
    counts["isolated_unplaced"] = sum(1 for item in isolated if item["status"] == "isolated" and not item["location"])
    # actors whose every tie is dated in other years than as_of: left out of the isolation
    counts["unobserved"] = len(unobserved)
    # the peripheral with a single direct partner (`lien_unique`, as the evolution's single_tie
    # and the status label count them), of which the members whose only direct tie is their pôle
    # (« Membre du pôle …, sans autre lien direct documenté »: a member the lens graph ties to
    # the other members by co-membership); a structure porteuse tied only to the pôle it carries
    # has no `lien_unique`
    pole_ids = set(poles)
    single = [item for item in isolated if item["status"] == "peripheral" and "lien_unique" in item["codes"]]
    counts["peripheral_single"] = len(single)
    counts["peripheral_pole_only"] = sum(1 for item in single if "hors_pole" not in item["codes"]
                                         and item["partners"] and item["partners"][0]["id"] in pole_ids)
    counts["with_reason"] = len(isolated)
    timings["isolation"] = round(time.perf_counter() - t0, 3)
    tick("isolement", 1, 1)
    t0 = time.perf_counter()
    tick("observatoire", 0, 1)
    for row in observatory_table(store, as_of=as_of):
        rows.append((OBSERVATORY_KEY, f"observatoire.{row.key}", row.value))
        rows.append((OBSERVATORY_KEY, f"observatoire.{row.key}.n", float(row.n)))
    timings["observatory"] = round(time.perf_counter() - t0, 3)
    tick("observatoire", 1, 1)
    if as_of is None:  # a run as of one year has no evolution to tell
        from .evolution import evolution

        t0 = time.perf_counter()
        tick("évolution", 0, 1)
        ev = evolution(store, lens=lens)
        for y in ev.per_year.items:
            key = YEAR_KEY.format(year=y.year)
            rows += [(key, f"evolution.{f}", float(getattr(y, f))) for f in YEAR_FIGURES]
        for p in ev.persistence.items:
            key = YEAR_KEY.format(year=p.to_year)
            rows += [(key, f"evolution.{f}", getattr(p, f)) for f in PERSISTENCE_FIGURES]
        counts["years"] = len(ev.years)
        timings["evolution"] = round(time.perf_counter() - t0, 3)
        tick("évolution", 1, 1)
    return rows


# ---------------------------------------------------------------------------------------------
# places

@lru_cache(maxsize=1)
def _geography():
    try:
        from maillage.geography import load_geography

        return load_geography()
    except Exception:  # noqa: BLE001 - the reference geography is optional for labels
        return None


def location_label(location: str | None) -> str:
    """A readable place for a territory id: ``commune:31446`` → ``Ramonville-Saint-Agne (31)``.

    Unknown ids are returned as they are; ``None`` gives ``""``.

    >>> location_label("departement:31"), location_label(None)
    ('Haute-Garonne (31)', '')
    """
    if not location:
        return ""
    geo = _geography()
    t = geo.get(location) if geo is not None else None
    if t is None:
        return location
    if t.level == "commune":
        try:
            dep = geo.rollup(t.id).get("departement")
        except Exception:  # noqa: BLE001
            dep = None
        return f"{t.name} ({dep.split(':', 1)[1]})" if dep else t.name
    if t.level == "departement":
        return f"{t.name} ({t.code})"
    return t.name


# ---------------------------------------------------------------------------------------------
# natural persons in free text

def person_names(store: Store) -> list[str]:
    """Names and aliases of the natural persons in the store, for masking in free text.

    Parenthetical remarks are dropped (``"Jean Brioussel (also 'Jean Briussel')"`` gives
    ``"Jean Brioussel"``); single words shorter than 8 letters are left out, so a first name
    alone does not mask ordinary words. Longest first. To mask them, prefer
    :func:`person_groups`, which keeps each person's names together (« [personne 2] »).

    >>> from maillage.graph import open_store
    >>> person_names(open_store(":memory:"))
    []
    """
    return sorted({n for _a, names in _persons(store) for n in names}, key=lambda n: (-len(n), n))


def _persons(store: Store) -> list[tuple[Any, tuple[str, ...]]]:
    """The natural persons of the store that have a name worth masking, with those names."""
    return [(a, names) for a in store.iter_actors(include_persons=True)
            if a.personal_data and (names := _maskable((a.name, *a.aliases)))]


def _maskable(names: Iterable[str]) -> tuple[str, ...]:
    """The names worth masking among a person's ``names``: without their parenthesised remarks,
    two words or more, or 8 letters or more (a first name alone would mask ordinary words)."""
    out = []
    for n in names:
        n = re.sub(r"\s*\([^)]*\)", "", n).strip(" .,;")
        if len(n.split()) >= 2 or len(n) >= 8:
            out.append(n)
    return tuple(dict.fromkeys(out))


def _line(locator: str | None) -> float:
    """The line or row a locator points at (« L49 », « row 12 », « L466-467 »), for ordering."""
    m = re.search(r"\d+", locator or "")
    return int(m.group()) if m else math.inf


def person_groups(store: Store, *, ids: bool = False) -> list[tuple[str, ...]]:
    """The natural persons of the store, each as the tuple of its names worth masking (its name
    first, then its aliases: :func:`_maskable`), in the order of their numbers: :func:`person_masker`
    numbers them in this order (« [personne 1] », « [personne 2] »…), a number no longer anyone's
    left as an empty tuple. A person is numbered once, in the order it came into the store: by
    the load order of the first source stating it, then by the line or row of that source it is
    stated on; the store keeps the number (:func:`keep_person_numbers`).

    The order says nothing of the names (an alphabetical order, or a hash of the name, could be
    checked against guessed names); it is the same in every view, export, map and report of the
    store, and at every run: a source loaded later adds its new persons after the others;
    removing a source takes away the numbers of its persons, which no one is given again.
    With ``ids``: ``(actor id, names)`` in load order, before numbering.

    >>> from maillage.graph import open_store
    >>> person_groups(open_store(":memory:"))
    []
    """
    sources, persons = store.sources(), _persons(store)
    # the lines cost a read of the persons' statements (one round trip on Neo4j): kept for the
    # same sources (reloaded: another load time) and the same persons with the same sources
    key = (tuple((s.id, str(s.loaded_at), s.sha256) for s in sources),
           tuple((a.id, names, tuple(a.sources)) for a, names in persons))
    hit = _GROUPS.get(key)
    if hit is not None:
        return list(hit) if ids else _by_number(hit, store.person_numbering())[1]
    order = {s.id: i for i, s in enumerate(sources)}
    found = [[min((order[s] for s in a.sources if s in order), default=len(order)), math.inf, a.id, names]
             for a, names in persons]
    firsts = Counter(f[0] for f in found)
    by_order = list(order)
    # several persons first stated by one source: by its lines (their statements read at once)
    shared = [f for f in found if firsts[f[0]] > 1 and f[0] < len(order)]
    stated = store.statements_of(f[2] for f in shared) if shared else {}
    for f in shared:
        source = by_order[f[0]]
        f[1] = min((_line(st.provenance.locator) for sid, st in stated.get(f[2], ())
                    if sid == source and st.provenance is not None), default=math.inf)
    # the actor id last: only between persons stated on the same line, or without a line
    groups = tuple((f[2], f[3]) for f in sorted(found, key=lambda f: (f[0], f[1], f[2])))
    with _GROUPS_LOCK:  # the API's threads
        while len(_GROUPS) >= 4:
            _GROUPS.pop(next(iter(_GROUPS)))
        _GROUPS[key] = groups
    return list(groups) if ids else _by_number(groups, store.person_numbering())[1]


#: The last few :func:`person_groups` (actor ids and names, in load order), by what they were computed from.
_GROUPS: dict[tuple, tuple[tuple[str, tuple[str, ...]], ...]] = {}
_GROUPS_LOCK = threading.Lock()


def _by_number(persons: Iterable[tuple[str, tuple[str, ...]]], kept: tuple[int, dict[str, int]] | None
               ) -> tuple[tuple[int, dict[str, int]], list[tuple[str, ...]]]:
    """The numbering of ``persons`` (actor id, names: in load order) given what the store kept
    (:meth:`~maillage.graph.store.Store.person_numbering`): a person keeps its number, one without
    a number gets the next after the highest ever given. Returns that numbering (kept for the
    persons of the store only) and the names by number, ``()`` where a number is no one's.

    >>> _by_number([("a", ("Ana Roy",)), ("c", ("Cy Roy",)), ("d", ("Di Roy",))], (3, {"a": 1, "b": 2, "c": 3}))
    ((4, {'a': 1, 'c': 3, 'd': 4}), [('Ana Roy',), (), ('Cy Roy',), ('Di Roy',)])
    """
    last, numbers = kept or (0, {})
    given: dict[str, int] = {}
    taken: set[int] = set()
    for aid, _names in persons:
        n = numbers.get(aid)
        if n is None or n in taken:
            last += 1
            n = last
        given[aid] = n
        taken.add(n)
    by = {given[aid]: names for aid, names in persons}
    return (last, given), [by.get(k, ()) for k in range(1, max(by, default=0) + 1)]


def keep_person_numbers(store: Store) -> None:
    """Keep in ``store`` the number each of its persons has now (:func:`person_groups`), so that
    it keeps it when a source is removed, reloaded or loaded before it in another store's order:
    « [personne 3] » in an export made before ``maillage remove`` is the same person in an export
    made after, or no one. Called around every load (:func:`maillage.loaders.load_file`) and removal
    (``maillage remove``). A person no longer in the store leaves its number unused.

    >>> from maillage.graph import open_store
    >>> s = open_store(":memory:"); keep_person_numbers(s); s.person_numbering()
    (0, {})
    """
    kept = store.person_numbering()
    numbering, _ = _by_number(person_groups(store, ids=True), kept)
    if numbering != kept:
        store.keep_person_numbering(*numbering)


#: Words before a name that are not part of it (« Mme BARDOT Florence »).
_CIVILITY = {"m", "m.", "mme", "mlle", "mr", "mrs", "ms", "dr", "pr"}
_PARTICLES = {"de", "du", "des", "la", "le", "van", "von", "der", "den", "di", "da", "del", "dos"}
#: What follows a surname in a citation: « et al. », « (2017) », « , 2017 », or a second author
#: then one of those (« Fraisse et Laville (2015) »). A year: 1600–2099, a letter after it allowed.
_YEAR = r"(?:1[6-9]|20)\d\d[a-z]?(?!\w)"
_CITED = (r"(?=\s+et\s+al\b|\s*\(\s*" + _YEAR + r"|\s*,\s*" + _YEAR
          + r"|\s+(?:et|and|&)\s+(?-i:[A-ZÀ-Ý])[\w'’-]*(?:\s+et\s+al\b\.?)?\s*(?:\(\s*|,\s*)" + _YEAR + ")")


def _surnames(name: str) -> set[str]:
    """The surname forms of a person's ``name`` a citation may use alone: what follows the
    first name (« Le Scornet »), its last word (« Scornet »), or its words in capitals
    (« BARDOT » in « Mme BARDOT Florence »). None when ``name`` has a word that is neither
    capitalised nor a particle (« chargée de mission ESS »: a role, not a name).

    >>> sorted(_surnames("Daniel Le Scornet")), _surnames("Mme BARDOT Florence"), _surnames("chargée de mission ESS")
    (['Le Scornet', 'Scornet'], {'BARDOT'}, set())
    """
    words = [w for w in name.split() if w.lower() not in _CIVILITY]
    if not words or any(not w[:1].isupper() and w.lower() not in _PARTICLES and not re.match(r"d['’]\w", w)
                        for w in words):
        return set()
    caps = {w for w in words if len(w) > 1 and w.isupper()}
    if caps:
        return caps
    return {w for w in (" ".join(words[1:]), words[-1]) if len(w) > 1 and w.lower() not in _PARTICLES}


#: What may separate the words of a name: spaces, and in files and ids « _ . - + » (« entretien-
#: Didier-Cognon.csv », « cr_cognon_didier »); apostrophes (« Jeanne d'Arc »). Nothing too:
#: « DidierCognon », « didiercognon ».
_SEP = r"[\s_.+\-'’]"
_WORDS = re.compile(_SEP + "+")
#: The tokens of a name's form that are not letters: between two words of the first name or of
#: the surname (a separator or nothing); between the surname and the first name written after it
#: (a separator, a comma, or nothing where a capital follows a small letter: « Cognon, Didier »,
#: « CognonDidier », not « ROSEMARIE » for Marie Rose); after an initial (« T. Podlewski »,
#: « T Podlewski »).
_JOIN, _SWAP, _INITIAL = "\x01", "\x02", "\x03"
_TOKENS = {_JOIN: _SEP + "{0,3}",
           _SWAP: r"(?:" + _SEP + r"{1,3}|\s*,\s*|(?<=(?-i:[a-zß-öø-ÿ]))(?=(?-i:[A-ZÀ-ÖØ-Þ])))",
           _INITIAL: r"(?:\." + _SEP + "{0,3}|" + _SEP + "{1,3})"}
#: Where a name may start and end: not inside a word, except where a capital follows a small
#: letter (« entretienDidierCognon », « DidierCognonEntretien »).
_CAMEL = r"(?<=(?-i:[a-zß-öø-ÿ]))(?=(?-i:[A-ZÀ-ÖØ-Þ]))"
_START = r"(?:(?<![^\W\d_])|" + _CAMEL + ")"
_END = r"(?:(?![^\W\d_])|" + _CAMEL + ")"


def _fold(text: str) -> str:
    """``text`` lower-cased, without its accents (« Cécile » → « cecile », « Œuvre » → « oeuvre »)."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae") \
        .replace("ß", "ss")


def _key(text: str) -> str:
    """What tells a name apart from another: its letters, folded (« Didier-COGNON » and
    « didiercognon » → « didiercognon »)."""
    return "".join(c for c in _fold(text) if c.isalpha())


def _unaccented() -> list[str]:
    """A :meth:`str.translate` table writing each accented Latin letter as its letter (« É » → « E »,
    « ç » → « c »), one character for one: a match in the translated text is at the same place
    in the text. The letters written as two (« œ », « æ », « ß ») are kept. A list up to the
    general punctuation (« ’ », « — ») rather than a dict: translating is three times faster, and
    every text of a view goes through it."""
    table = [chr(cp) for cp in range(0x2070)]
    for cp in range(0xC0, 0x250):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(cp)) if not unicodedata.combining(c))
        if len(base) == 1 and base != chr(cp) and base.isalpha():
            table[cp] = base
    return table


_UNACCENTED = _unaccented()


def _forms(name: str) -> list[tuple[int, str]]:
    """The forms of ``name`` (its remarks in parentheses dropped) a text, a file name or an id
    writes it in, as token strings with their rank (lower wins when two persons' forms meet):
    0 its words in order, separated or not (« Didier Cognon », « didier_cognon », « DidierCOGNON »);
    1 the surname first (« Cognon Didier », « COGNON, Didier », « cr_cognon_didier »,
    « CognonDidier »); 2 the first name as an initial (« D. Cognon »). Civilities are dropped for
    the last two (« Mme BARDOT Florence »: « Florence Bardot »)."""
    words = [w for w in name.split() if w]
    bare = [w for w in words if w.lower() not in _CIVILITY] or words

    def joined(ws: list[str]) -> str:
        return _JOIN.join(_fold(p) for w in ws for p in _WORDS.split(w) if p)

    out = [(0, joined(words)), (0, joined(bare))]
    if len(bare) > 1:
        first, rest = bare[0], bare[1:]
        out.append((1, joined(rest) + _SWAP + joined([first])))
        initial = _fold(first)[:1]
        if initial.isalpha() and len(first) > 1:
            out.append((2, initial + _INITIAL + joined(rest)))
    return [(rank, form) for rank, form in out if _key(form)]


#: A name run into other letters with nothing to tell where it starts or ends (« ENTRETIENDIDIERCOGNON »,
#: « cr_reunion_cognondidier »: capitals or small letters only) is found only written whole, first
#: name and surname, in order or surname first, with a surname of :data:`_RUN_SURNAME` letters or
#: more and :data:`_RUN_WHOLE` letters or more in all: « Marie Rose » is not found in « rosemarie »
#: nor « Anne Mas » in « Annemasse ».
_RUN_SURNAME, _RUN_WHOLE = 5, 10
#: Where such a name may be: a run of letters long enough (without accents: :data:`_UNACCENTED`).
_LONG_RUN = re.compile(r"[A-Za-z]{%d,}" % _RUN_WHOLE)


def _run_forms(name: str) -> list[str]:
    """The forms of ``name`` (without its remarks in parentheses) searched even inside a word: its
    letters, folded, first name then surname and surname then first name, when it looks like a
    person's name (:func:`_surnames`: its words capitalised), has a first name of two letters or
    more and a surname long enough (:data:`_RUN_SURNAME`, :data:`_RUN_WHOLE`).

    >>> _run_forms("Didier Cognon"), _run_forms("Marie Rose"), _run_forms("chargée de mission ESS")
    (['didiercognon', 'cognondidier'], [], [])
    """
    bare = [w for w in name.split() if w.lower() not in _CIVILITY]
    if len(bare) < 2 or not _surnames(name):
        return []
    first, rest = _key(bare[0]), _key(" ".join(bare[1:]))
    if (not (first + rest).isascii() or len(first) < 2 or len(rest) < _RUN_SURNAME
            or len(first) + len(rest) < _RUN_WHOLE):
        return []
    return [first + rest, rest + first]


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words`` (folded, as :func:`_forms` writes them: use
    it case-insensitively on a text without its accents, :data:`_UNACCENTED`; each token of
    :data:`_TOKENS` matches what it stands for), written as a tree of their common prefixes so that
    hundreds of names stay fast to search; a word that is the prefix of another is tried after
    the longer one.

    >>> t = _trie(["dupont", "dupond", "du"])
    >>> t
    'du(?:pon(?:d|t))?'
    >>> _trie(["de\x01boni"]) == "de" + _TOKENS[_JOIN] + "boni"
    True
    """
    tree: dict = {}
    for w in words:
        node = tree
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def char(c: str) -> str:
        return _TOKENS.get(c) or re.escape(c)

    def walk(node: dict) -> str:
        alts = []
        for c, child in sorted(node.items()):
            if c:
                alts.append(char(c) + walk(child))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(tree)


def _numbered(mask: str, n: int) -> str:
    """``mask`` with a person's number: « [personne] » → « [personne 2] »."""
    return f"{mask[:-1]} {n}]" if mask.endswith("]") else f"{mask} {n}"


def person_masker(names: Iterable[str | Iterable[str]], mask: str = "[personne]") -> Callable[[str], str]:
    """A function replacing each person's names in text by ``mask`` and the person's number
    (« [personne 1] », « [personne 2] »: two persons are told apart, and a person is the same
    number in every text the function masks). ``names``: one item per person, in the order to
    number them (:func:`person_groups`): a tuple of its names and aliases, or a name alone, or
    an empty tuple for a number no one has (a person removed); a name already given for an
    earlier person is that person's.

    A name is found whatever its case and its accents (« CÉCILE », « Cecile »), its words
    separated by spaces or by what a file name or an id puts between them (« _ - . + »), or by
    nothing (« didiercognon », « entretienDidierCognon.csv »: inside a word after a small
    letter, at a capital), in order or surname first (« Podlewski Thomas », « Fraisse, Laurent »,
    « cr_cognon_didier »), and with the first name as an initial (« T. Podlewski »). Inside a word
    in capitals or small letters only (« ENTRETIENDIDIERCOGNON », « cr_reunion_cognondidier »),
    only a whole name long enough: :func:`_run_forms` (« rosemarie » is not Marie Rose). A word of a
    name alone is not masked (« Marie Rose »: the « rose » of « maison rose » stays), except a
    surname where it is cited as an author: followed by « et al. », by a year in parentheses or
    by « , <year> » (« Fraisse et al. », « Fraisse (2017) », « Fraisse, 2017 »); elsewhere it may
    be a place or a word (« Valence »).

    >>> person_masker(["Jeanne Dupont"])("présidé par JEANNE DUPONT, élue")
    'présidé par [personne 1], élue'
    >>> person_masker(["Thomas Podlewski"])("observation de T. Podlewski ; signé Podlewski Thomas")
    'observation de [personne 1] ; signé [personne 1]'
    >>> person_masker(["Laurent Fraisse"])("étude (Fraisse et al.) ; Fraisse (2017) ; rue Fraisse")
    'étude ([personne 1] et al.) ; [personne 1] (2017) ; rue Fraisse'
    >>> person_masker(["Anne (C.) Martin", "Marie Durand (Mimi)"])("signé Anne (C.) Martin ; Marie Durand (Mimi)")
    'signé [personne 1] ; [personne 2]'
    >>> m = person_masker([("Didier Cognon",), ("Cécile Marie Rose", "Cécile Rose")])
    >>> m("entretienDidierCognon.csv ; cr_COGNON_didier ; Cecile-Rose ; maison rose")
    'entretien[personne 1].csv ; cr_[personne 1] ; [personne 2] ; maison rose'
    >>> m("ENTRETIENDIDIERCOGNON.csv ; cr_reunion_cognondidier ; rosemarie")
    'ENTRETIEN[personne 1].csv ; cr_reunion_[personne 1] ; rosemarie'

    Built once per list of persons and mask (kept for the next calls): the API builds it for
    each map page and report, and its regular expression over every form of every name is the
    costly part.
    """
    groups = tuple((n,) if isinstance(n, str) else tuple(n) for n in names)
    # an empty tuple as given is a number no one has now (:func:`person_groups`): it is skipped
    return _person_masker(tuple(kept for g in groups if (kept := tuple(n for n in g if n)) or not g), mask)


@lru_cache(maxsize=8)
def _person_masker(groups: tuple[tuple[str, ...], ...], mask: str) -> Callable[[str], str]:
    numbers: dict[str, int] = {}  # a name as given → its person's number
    persons = 0
    for group in groups:
        known = next((numbers[n] for n in group if n in numbers), None)
        if known is None:
            persons += 1
            known = persons
        for n in group:
            numbers.setdefault(n, known)
    if not numbers:
        return lambda text: text
    by_key: dict[str, tuple[int, int]] = {}  # a form's letters → (rank, number): the lowest rank wins
    forms: set[str] = set()
    cited: set[str] = set()
    runs: set[str] = set()  # found inside a word too (:func:`_run_forms`)
    for given, number in numbers.items():
        # the name without its parenthesised remarks (« Christiane Bouchard (RTES) ») gives the
        # forms; the name as given is masked too (« Anne (C.) Martin », « Marie Durand (Mimi) »)
        name = re.sub(r"\s*\([^)]*\)", "", given).strip(" .,;")
        found = _forms(name) if name else []
        if given != name:
            found.append((0, "".join(_JOIN if c.isspace() else _fold(c) for c in given)))
        if any(len(_fold(c)) != 1 for c in name):  # « Cœur »: « coeur » is found, and « cœur » as written
            found.append((0, "".join(_JOIN if c.isspace() else c.lower().translate(_UNACCENTED) for c in name)))
        found += [(3, _JOIN.join(_fold(p) for p in _WORDS.split(s) if p)) for s in _surnames(name)] if name else []
        runs.update(_run_forms(name) if name else ())
        for rank, form in found:
            key = _key(form)
            if key not in by_key or by_key[key][0] > rank:
                by_key[key] = (rank, number)
            (cited if rank == 3 else forms).add(form)
    alts = [_trie(forms)] + ([_trie(cited) + _CITED] if cited else [])
    pattern = re.compile(_START + "(?:" + "|".join(alts) + ")" + _END, re.IGNORECASE)
    # inside a word (:func:`_run_forms`): searched only in the runs of letters long enough to hold
    # one (:data:`_LONG_RUN`, few in a text); searched at every place of the text, or as one more
    # alternative of ``pattern``, they would cost as much as the rest of the search
    inner = re.compile(_trie(runs), re.IGNORECASE) if runs else None
    labels = {key: _numbered(mask, number) for key, (_rank, number) in by_key.items()}

    def masked(text: str) -> str:
        if not isinstance(text, str):
            return text
        # the text without its accents, as long as the text: each match is at the same place in both
        plain = text.translate(_UNACCENTED)
        inside: list[tuple[int, int]] = []
        spans = [m.span() for m in pattern.finditer(plain)]
        if inner is not None:
            inside = [i.span() for w in _LONG_RUN.finditer(plain) for i in inner.finditer(plain, w.start(), w.end())]
        if inside:  # those the forms written as names did not find (« entretienDidierCognon »: both do)
            spans = sorted(spans + [(a, b) for a, b in inside if not any(a < e and s < b for s, e in spans)])
        if not spans:
            return text
        out, last = [], 0
        for s, e in spans:
            out += [text[last:s], labels.get(_key(plain[s:e]), mask)]
            last = e
        return "".join(out) + text[last:]

    return masked


# ---------------------------------------------------------------------------------------------
# isolated actors

def _caveats(actor, lang: str) -> list[str]:
    fr = lang != "en"
    out = []
    if actor.placeholder:
        out.append("Acteur mentionné sans être nommé : ses liens ne peuvent pas être établis"
                   if fr else "Actor mentioned without a name: its ties cannot be established")
    if actor.group_count:
        out.append(f"Groupe de {actor.group_count} acteurs décrit comme un seul" if fr
                   else f"A group of {actor.group_count} actors described as one")
    if actor.declared:
        sizes = vocabulary().enum("declared_sizes")
        parts = []
        for key, value in sorted(actor.declared.items()):
            label = sizes[key].label(lang) if key in sizes else key
            shown = exact_text(value, lang)  # « 1 200 », "1,200"
            parts.append(f"{label.lower()} : {shown}" if fr else f"{label}: {shown}")
        out.append(("Tailles déclarées par les sources sans que les acteurs soient listés ("
                    + " ; ".join(parts) + ") : l'isolement apparent peut tenir à la documentation")
                   if fr else ("Sizes stated by the sources without listing the actors ("
                               + "; ".join(parts) + "): the apparent isolation may reflect the documentation"))
    return out


def isolated_actors(store: Store, lens: str = "cooperation", as_of: int | None = None,
                    lang: str = "fr", territory: str | None = None,
                    include_peripheral: bool = False, unobserved: set[str] | None = None) -> list[dict[str, Any]]:
    """Isolated actors — no cooperation tie in a lens (as of a year) — with the reason; with
    ``include_peripheral``, every actor with a reason, each with its status.

    Each item: ``id``, ``name``, ``family``, ``family_label``, ``kind``, ``location``,
    ``location_label``, ``status`` (``isolated``, ``peripheral``, ``documentation_gaps``,
    ``public_bodies``: :func:`maillage.analytics.territory.status_of`, the territory
    diagnostic's listings) and ``status_label`` (« isolé », « périphérique (un seul
    partenaire) »…), ``code`` and ``reason`` (the first reason, French by default),
    ``codes`` and ``reasons`` (every reason that applies), ``lens_degree`` (distinct partners
    in the lens), ``ties`` (``{relation type: count}`` over *all* types), ``partners`` (for
    ``lien_unique``: the single partner's id and name), ``placeholder``, ``declared``
    (stated sizes), ``thinly_documented`` and ``caveats``.

    Codes (:data:`ISOLATION_CODES`, extended in :mod:`maillage.analytics.territory`):

    - ``aucun_lien`` — no tie of any type;
    - ``seulement_financement`` — no tie in the lens, only funding ties;
    - ``hors_lentille`` — no tie in the lens, only ties of other types (e.g. governance);
    - with ``include_peripheral``: ``lien_unique`` (exactly one partner in the lens: a
      peripheral actor, not an isolated one), ``sans_lien_intersectoriel`` (no tie to another
      art. 9 family) and ``hors_pole`` (not a member of any pôle) too.

    ``thinly_documented`` is true for unnamed placeholders, groups of N and actors with
    declared sizes (e.g. a pôle said to have ~40 members none of whom are listed): such an
    actor has status ``documentation_gaps``, never ``isolated``; so do collectivités and
    other public bodies have ``public_bodies``. Natural persons are left out, and
    so are actors whose every tie is dated in other years than ``as_of`` (not observed; their
    ids are added to ``unobserved`` when it is given). This is :func:`maillage.analytics.territory.isolated_actors`; ``territory`` keeps the
    actors located there.

    >>> from maillage.graph import open_store
    >>> isolated_actors(open_store(":memory:"))
    []
    """
    from .territory import isolated_actors as _isolated

    return _isolated(store, lens=lens, as_of=as_of, lang=lang, territory=territory,
                     include_peripheral=include_peripheral, unobserved=unobserved)


# ---------------------------------------------------------------------------------------------
# pôles

def pole_table(store: Store, as_of: int | None = None, lang: str = "fr") -> list[dict[str, Any]]:
    """One row per pôle (actors of family ``pole``), sorted by name.

    Columns: ``id``, ``name``, ``kind`` (+ ``kind_label``), ``phase`` (+ ``phase_label``),
    ``founding_year``, ``location`` (+ ``location_label``), ``members`` (actors with a
    ``membership`` tie to the pôle: ``[{id, name, family}]``), ``members_listed`` (their
    number), ``carriers`` (``carries`` → pôle: the structure(s) porteuse(s)),
    ``declared_members`` (``declared["members"]``, a size the sources state without listing
    everyone, or ``None``), ``collectivites`` (collectivités tied to the pôle by any
    relation: ``[{id, name, kind, types}]``), ``sources`` (number of distinct sources stating
    the pôle or one of its ties) and ``source_ids``. Natural persons are never listed.
    Relations are those active in ``as_of`` when given.

    >>> from maillage.graph import open_store
    >>> from maillage.loaders import load_reference
    >>> s = open_store(":memory:"); _ = load_reference(s)
    >>> rows = pole_table(s)
    >>> len(rows) == s.stats()["poles"], all(r["members_listed"] == len(r["members"]) for r in rows)
    (True, True)
    """
    voc = vocabulary()
    poles = {a.id: a for a in store.iter_actors() if a.family == "pole"}
    if not poles:
        return []
    rels = store.relations(touching=list(poles), as_of=as_of)
    others = store.get_actors({e for r in rels for e in (r.source, r.target)} - set(poles))
    actors = {**{k: v for k, v in others.items() if not v.personal_data}, **poles}
    phases = voc.enum("phases")
    touching: dict[str, list] = {pid: [] for pid in poles}  # each pôle's relations, in one pass
    for r in rels:
        if r.source == r.target:
            continue
        for end in {r.source, r.target}:
            if end in touching:
                touching[end].append(r)
    rows = []
    for pid, pole in poles.items():
        members: dict[str, dict[str, Any]] = {}
        carriers: dict[str, dict[str, Any]] = {}
        collectivites: dict[str, dict[str, Any]] = {}
        sources = set(pole.sources)
        for r in touching[pid]:
            other_id = r.target if r.source == pid else r.source
            other = actors.get(other_id)
            if other is None:  # a natural person, or an actor that no longer exists
                continue
            sources.add(r.provenance.source)
            entry = {"id": other.id, "name": other.name, "family": other.family,
                     "family_label": voc.family(other.family).label(lang)}
            if r.type == "membership" and r.target == pid:
                members[other.id] = entry
            elif r.type == "carries" and r.target == pid:
                carriers[other.id] = entry
            if other.family == "collectivite":
                c = collectivites.setdefault(other.id, {**entry, "kind": other.kind, "types": []})
                if r.type not in c["types"]:
                    c["types"].append(r.type)
        for c in collectivites.values():
            c["types"].sort()
            c["type_labels"] = [voc.relation_type(t).label(lang) for t in c["types"]]
        info = pole.pole
        phase = info.phase if info else None
        by_name = lambda d: sorted(d.values(), key=lambda e: (*alpha_key(e["name"]), e["id"]))  # noqa: E731
        declared = pole.declared.get("members")
        rows.append({
            "id": pid,
            "name": pole.name,
            "kind": pole.kind,
            "kind_label": voc.family("pole").kinds[pole.kind].label(lang) if pole.kind else "",
            "phase": phase,
            "phase_label": phases[phase].label(lang) if phase in phases else "",
            "founding_year": info.founding_year if info else None,
            "location": pole.location,
            "location_label": location_label(pole.location),
            "members": by_name(members),
            "members_listed": len(members),
            "carriers": by_name(carriers),
            "declared_members": int(declared) if declared is not None and float(declared).is_integer() else declared,
            "collectivites": by_name(collectivites),
            "sources": len(sources),
            "source_ids": sorted(sources),
            "placeholder": pole.placeholder,
        })
    rows.sort(key=lambda d: (*alpha_key(d["name"]), d["id"]))
    return rows


def latest_run(store: Store) -> AnalysisRun | None:
    """The most recent analysis run, or ``None``.

    >>> from maillage.graph import open_store
    >>> s = open_store(":memory:")
    >>> latest_run(s) is None
    True
    >>> analyse(s).id == latest_run(s).id
    True
    """
    runs = store.runs()
    return runs[-1] if runs else None


__all__ = ["analyse", "isolated_actors", "pole_table", "location_label", "latest_run", "person_names", "person_groups",
           "keep_person_numbers", "person_masker", "ISOLATION_CODES", "WHOLE_METRICS"]
