"""Analysis runs, isolated actors and the pôles table.

:func:`analyse` projects the store through a lens, computes the actor metrics of
:mod:`maillage.analytics.metrics` and stores them as a new **analysis run** (earlier runs are
kept, so every figure in a report can be traced back to its run and parameters).

:func:`isolated_actors` lists the actors that have no tie, or a single tie, in a lens, each
with a reason in French and a code — and flags the actors whose apparent isolation may only
reflect thin documentation (unnamed placeholders, actors whose sources state a size without
listing anyone).

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
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

import networkx as nx

from maillage.graph.projection import project, to_graph
from maillage.graph.store import AnalysisRun, Store, StoreError
from maillage.graph.vocabulary import vocabulary

from .metrics import METRICS, actor_metrics

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
        "fr": "Un seul partenaire dans la lentille analysée",
        "en": "A single partner in the analysed lens",
    },
}

FUNDING_TYPES = ("funds",)


# ---------------------------------------------------------------------------------------------
# analysis runs

def _run_id(params: dict[str, Any], when: datetime, taken: set[str]) -> str:
    """``run-YYYYMMDDTHHMMSSZ-<6 hex of the parameters>``; a numeric suffix keeps two runs
    with the same parameters in the same second apart."""
    digest = hashlib.sha1(repr(sorted(params.items())).encode("utf-8")).hexdigest()[:6]
    base = f"run-{when.strftime('%Y%m%dT%H%M%SZ')}-{digest}"
    rid, i = base, 1
    while rid in taken:
        i += 1
        rid = f"{base}-{i}"
    return rid


def analyse(store: Store, lens: str = "cooperation", as_of: int | None = None,
            betweenness_k: int | None = None, seed: int = 0, note: str | None = None) -> AnalysisRun:
    """Compute the actor metrics of a lens (as of a year) and store them as a new run.

    Projection → :func:`~maillage.graph.projection.to_graph` →
    :func:`~maillage.analytics.metrics.actor_metrics` → ``store.save_run``. Natural persons
    are left out (the projection's default). The run records its parameters: lens, as-of
    year, betweenness sampling (``betweenness_k``, ``seed``) and the size of the graph.
    Returns the stored :class:`~maillage.graph.store.AnalysisRun`; its metrics are
    ``store.metrics(run.id)``.
    """
    sub = project(store, lens=lens, as_of=as_of)
    G = to_graph(sub)
    n = G.number_of_nodes()
    values = actor_metrics(G, betweenness_k=betweenness_k, seed=seed)
    params: dict[str, Any] = {
        "lens": lens,
        "as_of": as_of,
        "betweenness_k": betweenness_k,
        "betweenness": "exact" if betweenness_k is None or betweenness_k >= n else "sampled",
        "seed": seed,
        "nodes": n,
        "edges": G.number_of_edges(),
        "relations": len(sub.relations),
        "components": nx.number_connected_components(G) if n else 0,
        "metrics": list(METRICS),
        "networkx": nx.__version__,
    }
    rows = [(str(aid), name, value) for aid, m in values.items() for name, value in m.items()]
    taken = {r.id for r in store.runs()}
    for _ in range(5):  # another process may take the same id between runs() and save_run()
        now = datetime.now(timezone.utc)
        run = AnalysisRun(id=_run_id(params, now, taken), created_at=now, lens=lens, as_of=as_of,
                          params=params, note=note)
        try:
            store.save_run(run, rows)
            return run
        except StoreError:
            if not any(r.id == run.id for r in store.runs()):
                raise
            taken.add(run.id)
    raise StoreError("could not find a free analysis run id")


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
    alone does not mask ordinary words. Longest first.
    """
    names = set()
    for a in store.iter_actors(include_persons=True):
        if not a.personal_data:
            continue
        for n in (a.name, *a.aliases):
            n = re.sub(r"\s*\([^)]*\)", "", n).strip(" .,;")
            if len(n.split()) >= 2 or len(n) >= 8:
                names.add(n)
    return sorted(names, key=lambda n: (-len(n), n))


def person_masker(names: Iterable[str], mask: str = "[personne]") -> Callable[[str], str]:
    """A function replacing each of ``names`` (case-insensitive, whole words) by ``mask``.

    >>> person_masker(["Jeanne Dupont"])("présidé par JEANNE DUPONT, élue")
    'présidé par [personne], élue'
    """
    names = sorted({n for n in names if n}, key=len, reverse=True)
    if not names:
        return lambda text: text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
    return lambda text: pattern.sub(mask, text) if isinstance(text, str) else text


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
            shown = f"{value:,.0f}".replace(",", "\u202f") if float(value).is_integer() else f"{value:g}"
            parts.append(f"{label.lower()} : {shown}" if fr else f"{label}: {shown}")
        out.append(("Tailles déclarées par les sources sans que les acteurs soient listés ("
                    + " ; ".join(parts) + ") : l'isolement apparent peut tenir à la documentation")
                   if fr else ("Sizes stated by the sources without listing the actors ("
                               + "; ".join(parts) + "): the apparent isolation may reflect the documentation"))
    return out


def isolated_actors(store: Store, lens: str = "cooperation", as_of: int | None = None,
                    lang: str = "fr") -> list[dict[str, Any]]:
    """Actors with no tie, or a single tie, in a lens (as of a year), with the reason.

    Each item: ``id``, ``name``, ``family``, ``family_label``, ``kind``, ``location``,
    ``location_label``, ``code``, ``reason`` (French by default), ``lens_degree`` (distinct
    partners in the lens), ``ties`` (``{relation type: count}`` over *all* types),
    ``partners`` (for ``lien_unique``: the single partner's id and name), ``placeholder``,
    ``declared`` (stated sizes), ``thinly_documented`` and ``caveats``.

    Codes (:data:`ISOLATION_CODES`):

    - ``aucun_lien`` — no tie of any type;
    - ``seulement_financement`` — no tie in the lens, only funding ties;
    - ``hors_lentille`` — no tie in the lens, only ties of other types (e.g. governance);
    - ``lien_unique`` — exactly one partner in the lens.

    ``thinly_documented`` is true for unnamed placeholders, groups of N and actors with
    declared sizes (e.g. a pôle said to have ~40 members none of whom are listed), so such an
    actor is never reported as isolated without that caveat. Natural persons are left out.
    """
    lens_graph = to_graph(project(store, lens=lens, as_of=as_of))
    everything = project(store, lens="all", as_of=as_of)
    voc = vocabulary()
    ties: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in everything.relations:
        if r.source == r.target:
            continue
        ties[r.source][r.type] += 1
        ties[r.target][r.type] += 1
    order = list(ISOLATION_CODES)
    out = []
    for aid, actor in everything.actors.items():
        partners = list(lens_graph.neighbors(aid)) if aid in lens_graph else []
        own = dict(sorted(ties.get(aid, {}).items()))
        if len(partners) > 1:
            continue
        if len(partners) == 1:
            code = "lien_unique"
        elif not own:
            code = "aucun_lien"
        elif all(t in FUNDING_TYPES for t in own):
            code = "seulement_financement"
        else:
            code = "hors_lentille"
        reason = ISOLATION_CODES[code].get(lang, ISOLATION_CODES[code]["fr"])
        if code == "hors_lentille":
            types = ", ".join(voc.relation_type(t).label(lang) for t in own)
            reason += f" ({types})"
        partner_info = []
        for p in partners:
            pa = everything.actors.get(p)
            partner_info.append({"id": p, "name": pa.name if pa else p})
        if code == "lien_unique" and partner_info:
            reason += f" : {partner_info[0]['name']}" if lang != "en" else f": {partner_info[0]['name']}"
        caveats = _caveats(actor, lang)
        out.append({
            "id": aid,
            "name": actor.name,
            "family": actor.family,
            "family_label": voc.family(actor.family).label(lang),
            "kind": actor.kind,
            "location": actor.location,
            "location_label": location_label(actor.location),
            "code": code,
            "reason": reason,
            "lens": lens,
            "lens_degree": len(partners),
            "ties": own,
            "partners": partner_info,
            "placeholder": actor.placeholder,
            "declared": dict(actor.declared),
            "thinly_documented": bool(actor.placeholder or actor.group_count or actor.declared),
            "caveats": caveats,
        })
    out.sort(key=lambda d: (order.index(d["code"]), d["thinly_documented"], d["name"].casefold(), d["id"]))
    return out


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
    """
    voc = vocabulary()
    poles = {a.id: a for a in store.iter_actors() if a.family == "pole"}
    if not poles:
        return []
    rels = store.relations(touching=list(poles), as_of=as_of)
    others = store.get_actors({e for r in rels for e in (r.source, r.target)} - set(poles))
    actors = {**{k: v for k, v in others.items() if not v.personal_data}, **poles}
    phases = voc.enum("phases")
    rows = []
    for pid, pole in poles.items():
        members: dict[str, dict[str, Any]] = {}
        carriers: dict[str, dict[str, Any]] = {}
        collectivites: dict[str, dict[str, Any]] = {}
        sources = set(pole.sources)
        for r in rels:
            if pid not in (r.source, r.target) or r.source == r.target:
                continue
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
        by_name = lambda d: sorted(d.values(), key=lambda e: (e["name"].casefold(), e["id"]))  # noqa: E731
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
    rows.sort(key=lambda d: (d["name"].casefold(), d["id"]))
    return rows


def latest_run(store: Store) -> AnalysisRun | None:
    """The most recent analysis run, or ``None``."""
    runs = store.runs()
    return runs[-1] if runs else None


__all__ = ["analyse", "isolated_actors", "pole_table", "location_label", "latest_run", "person_names",
           "person_masker", "ISOLATION_CODES"]
