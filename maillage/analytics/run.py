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
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

import igraph
import networkx as nx

import maillage
from maillage.geography.places import location_label  # the places of tables and reports (re-exported)
from maillage.graph.names import alpha_key
from maillage.graph.store import AnalysisRun, Store, StoreError
from maillage.graph.vocabulary import vocabulary
from maillage.writing import exact_text

from .brokerage import COUNT_METRICS
from .metrics import INTEGER_METRICS, METRICS, actor_metrics, tied_actors
from .persons import keep_person_numbers, person_groups, person_masker, person_names

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
            progress: Callable[[str, int, int], None] | None = None,
            certainty: Iterable[str] | None = None, refused: bool = False) -> AnalysisRun:
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

    Ties are the statements :func:`~maillage.analytics.lenses.tie_rule` counts, in every stage:
    by default no statement only planned or announced (« prévu ») and no refused application;
    ``certainty`` (e.g. every certainty, planned included) and ``refused`` ask for them. The pôle
    figures and criteria keep their own definition (planned statements never count).

    The run records its parameters: lens, as-of year, what counted as a tie (``certainty``,
    ``refused``) and what the tie rule left out of the lens (``left_out``: ``{"planned": n,
    "refused": m}``), the sources read (so that an export can
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
    from .lenses import lens_digraph, lens_graph, tie_rule

    rule = tie_rule(certainty, refused)  # an unknown certainty fails here, before any work
    counted = {"certainty": rule.certainty, "refused": rule.refused}
    tick = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    read = sorted(store.sources(), key=lambda src: src.id)  # read first: a source loaded meanwhile is not in the run
    sources = [src.id for src in read]

    def timed(stage: str, t0: float) -> None:
        timings[stage] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    tick("lentille", 0, 1)
    G = lens_graph(store, lens, as_of=as_of, **counted)
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
    B = lens_digraph(store, lens, as_of=as_of, **counted) if lens in ("funding", "governance") else G
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
            rows += _diagnostic_rows(store, lens, as_of, tick, timings, counts, counted)
        computed += ["poles", "criteria", "overlaps", "isolation", "observatory"]
        if as_of is None:
            computed.append("evolution")
    params: dict[str, Any] = {
        "lens": lens,
        "as_of": as_of,
        # what counted as a tie (lenses.tie_rule), and the lens's statements it left out
        "certainty": list(rule.certainty),
        "refused": rule.refused,
        "left_out": G.graph["left_out"],
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
                     timings: dict[str, float], counts: dict[str, int],
                     counted: dict[str, Any]) -> list[tuple[str, str, float | None]]:
    """Pôle figures and criteria, overlaps between pôles (on each pôle: ``pole.overlapping_poles``,
    ``pole.overlap_max_jaccard``; on each actor in several pôles: ``pole.member_of``,
    ``pole.bridged_pairs``), isolation reasons, the observatory and the evolution as dotted rows;
    the overlaps, isolation and evolution count the ties ``counted`` says (``certainty``, ``refused``)."""
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
    overlaps = pole_overlaps(store, as_of=as_of, certainty=counted["certainty"])
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
    isolated = isolated_actors(store, lens=lens, as_of=as_of, include_peripheral=True, unobserved=unobserved,
                               **counted)
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
        ev = evolution(store, lens=lens, **counted)
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
# isolated actors

def _caveats(actor, lang: str, no_members: bool = False) -> list[str]:
    fr = lang != "en"
    out = []
    if no_members:
        out.append("Pôle dont les sources ne nomment aucun membre ni n'en déclarent le nombre : un PTCE regroupe "
                   "par définition plusieurs structures (loi ESS du 31 juillet 2014, art. 9), son isolement "
                   "apparent tient à la documentation" if fr else
                   "A pôle whose sources name no member and state no size: a PTCE groups several structures by "
                   "definition (French SSE law of 31 July 2014, art. 9), its apparent isolation reflects the "
                   "documentation")
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
                    include_peripheral: bool = False, unobserved: set[str] | None = None,
                    certainty: Iterable[str] | None = None, refused: bool = False) -> list[dict[str, Any]]:
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

    ``thinly_documented`` is true for unnamed placeholders, groups of N, actors with
    declared sizes (e.g. a pôle said to have ~40 members none of whom are listed) and pôles
    whose sources name no member and state no size (a name in an annex list): such an
    actor has status ``documentation_gaps``, never ``isolated``; so do collectivités and
    other public bodies have ``public_bodies``. Natural persons are left out, and
    so are actors whose every tie is dated in other years than ``as_of`` (not observed; their
    ids are added to ``unobserved`` when it is given). Ties are those of
    :func:`~maillage.analytics.lenses.tie_rule` (``certainty``, ``refused``). This is
    :func:`maillage.analytics.territory.isolated_actors`; ``territory`` keeps the actors located there.

    >>> from maillage.graph import open_store
    >>> isolated_actors(open_store(":memory:"))
    []
    """
    from .territory import isolated_actors as _isolated

    return _isolated(store, lens=lens, as_of=as_of, lang=lang, territory=territory,
                     include_peripheral=include_peripheral, unobserved=unobserved, certainty=certainty,
                     refused=refused)


# ---------------------------------------------------------------------------------------------
# pôles

#: Ties that say nothing of what links two actors: the vocabulary's ``related`` (« lié à (relation
#: non qualifiée) »), which the reference dataset gives a mention — a collectivité that cited a pôle
#: as an example in a study (« cité en exemple dans l'étude BMO 2009 », seed 002 L578-582). A
#: collectivité tied to a pôle by nothing else is not one of its « collectivités liées » (the pôle
#: criteria, :data:`maillage.analytics.poles.CIRCLE_TYPES`, never read these ties either).
UNQUALIFIED_TIES = frozenset({"related"})


def pole_table(store: Store, as_of: int | None = None, lang: str = "fr") -> list[dict[str, Any]]:
    """One row per pôle (actors of family ``pole``), sorted by name.

    Columns: ``id``, ``name``, ``kind`` (+ ``kind_label``), ``phase`` (+ ``phase_label``),
    ``founding_year``, ``location`` (+ ``location_label``), ``members`` (actors with a
    ``membership`` tie to the pôle: ``[{id, name, family}]``), ``members_listed`` (their
    number), ``carriers`` (``carries`` → pôle: the structure(s) porteuse(s)),
    ``declared_members`` (``declared["members"]``, a size the sources state without listing
    everyone, or ``None``), ``collectivites`` (collectivités tied to the pôle by a qualified
    relation — funds, supports, governs, carries, partner…, not :data:`UNQUALIFIED_TIES`:
    ``[{id, name, kind, types}]``), ``sources`` (number of distinct sources stating
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
            if other.family == "collectivite" and r.type not in UNQUALIFIED_TIES:
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
