"""The graph an analysis measures, as a file: a lens projection — one weighted tie per pair of
actors — for Gephi, yEd, Cytoscape, R/igraph, networkx or a spreadsheet.

``maillage export`` writes one edge per relation statement, with its provenance.
``maillage export --projection`` (``GET /api/export/{fmt}?projection=true``) writes instead
the undirected graph :func:`maillage.analytics.lenses.lens_graph` builds for ``maillage
analyse``: a tie between two actors when they are tied through one of the lens's **layers**
— ``direct`` statements of the lens's types, a **shared pôle** (``co_membership``, Newman's
weight: each shared pôle *p* adds 1/(n_p − 1)), a **common governor** (``shared_governance``:
one actor governs or represents both, a board interlock). Its ``weight`` is the lens's
(:data:`~maillage.analytics.lenses.LENSES`, docs/analytics-lenses.md). With ``--lens
governance`` the file is the interlock network of the organisations (their direct governance
ties, and a tie for each pair sharing a governor). The node metrics are those of the run of
the same lens and year (:func:`~maillage.api.export_view.choose_run`): the graph they were
measured on. References: Newman, M. E. J. (2001). Scientific collaboration networks. II.
*Phys. Rev. E* 64, 016132; Mizruchi, M. S. (1996). What do interlocks do? *Annual Review of
Sociology* 22, 271–298.

**Persons.** A natural person is never a node unless ``include_persons``; a tie through a
person governor is kept (two organisations share a board member) with the number of such
persons, never their names.

>>> from maillage.graph.model import ActorView, Provenance, RelationView
>>> p = Provenance(source="doc")
>>> sub = Subgraph(actors={i: ActorView(id=i, name=i.upper(), family=f) for i, f in
...                        [("g", "ess"), ("a", "ess"), ("b", "ess")]},
...                relations=[RelationView(id=f"r{t}", type="governs", source="g", target=t, provenance=p)
...                           for t in "ab"])
>>> from maillage.analytics.lenses import lens_graph
>>> G = lens_graph(sub, "governance")
>>> rec = flat(tie_record("a", "b", G["a"]["b"], {i: a.name for i, a in sub.actors.items()}))
>>> rec["layers_label"], rec["shared_governance"], rec["governors"]
('gouvernant commun', 1, 'G')
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import networkx as nx
import orjson

from maillage.analytics.lenses import LAYER_LABELS, get_lens, lens_graph
from maillage.writing import counted
from maillage.graph.vocabulary import lens_word
from maillage.graph.model import ActorView
from maillage.graph.names import alpha_key
from maillage.graph.store import NotFound, Store, Subgraph

from maillage import tableur as tab
from .export_view import year_label
from .exports import (_attvalues, _csv_writer, _done, _node_values, _number, _view, _View, _xml_text, about_text,
                      csv_options, gexf_document, node_record, nodes_csv, persons_mark, safe_text, write_xml)

#: The formats a projection is written in (``csv``: one row per tie; Kumu and FtM files are
#: read back as statements, which a projected tie is not).
PROJECTION_FORMATS = ("json", "csv", "nodes.csv", "gexf", "graphml")
#: Those written as CSV (``delimiter``, ``decimal_comma``, ``tableur``).
PROJECTION_CSV_FORMATS = ("csv", "nodes.csv")

#: Columns of a projection's ties CSV, in order: the two ends' ids first, so that R/igraph's
#: ``graph_from_data_frame()`` and other edge-list readers take them as the ends; the GEXF and
#: GraphML edge attributes are the same from ``weight`` on (``source_name``/``target_name`` aside).
TIE_COLUMNS = ("source_id", "target_id", "source_name", "target_name", "weight", "layers", "layers_label", "direct",
               "statements", "co_membership", "shared_poles", "pole_ids", "poles", "shared_governance",
               "shared_governance_persons", "governor_ids", "governors", "types", "sources", "amount",
               "amount_known", "years", "funding_statements")

#: GEXF / GraphML type of each tie attribute.
TIE_ATTRIBUTES = (("weight", "double"), ("layers", "string"), ("layers_label", "string"), ("direct", "integer"),
                  ("statements", "integer"), ("co_membership", "double"), ("shared_poles", "integer"),
                  ("pole_ids", "string"), ("poles", "string"), ("shared_governance", "integer"),
                  ("shared_governance_persons", "integer"), ("governor_ids", "string"), ("governors", "string"),
                  ("types", "string"), ("sources", "integer"), ("amount", "double"), ("amount_known", "integer"),
                  ("years", "string"), ("funding_statements", "integer"))


@dataclass
class LensView:
    """A lens projection to write: the graph, the actors it names (its nodes, and the pôles and
    governors its ties name), and what was left out: ``outside`` direct ties leaving a pôle's or
    territory's view, ``capped_from`` actors before the cap (:meth:`notes`)."""

    graph: nx.Graph
    actors: dict[str, ActorView]
    lens: str
    as_of: int | None
    outside: int = 0
    capped_from: int | None = None
    #: The lens's statements the tie rule left out (``{"planned": n, "refused": m}``:
    #: :func:`~maillage.analytics.lenses.tie_rule`)
    left_out: dict[str, int] = field(default_factory=dict)

    @property
    def ties(self) -> int:
        return self.graph.number_of_edges()

    def notes(self, lang: str = "fr") -> list[str]:
        """What the view leaves out, in words, agreeing with their numbers (« 1 lien seulement
        prévu ou annoncé non compté », « 2 demandes de financement refusées non comptées »)."""
        en, out = lang == "en", []
        if self.outside:
            out.append(counted(self.outside, "direct tie to actors outside the view left out",
                               "direct ties to actors outside the view left out", lang) if en else
                       counted(self.outside, "lien direct vers des acteurs hors du périmètre écarté",
                               "liens directs vers des acteurs hors du périmètre écartés"))
        planned, refused = self.left_out.get("planned", 0), self.left_out.get("refused", 0)
        if planned:
            out.append(counted(planned, "tie only planned or announced not counted",
                               "ties only planned or announced not counted", lang) if en else
                       counted(planned, "lien seulement prévu ou annoncé non compté",
                               "liens seulement prévus ou annoncés non comptés"))
        if refused:
            out.append(counted(refused, "refused funding application not counted",
                               "refused funding applications not counted", lang) if en else
                       counted(refused, "demande de financement refusée non comptée",
                               "demandes de financement refusées non comptées"))
        if self.capped_from is not None:
            n = self.graph.number_of_nodes()
            out.append(f"capped at {n} actors of {self.capped_from}: the most tied are kept" if lang == "en" else
                       f"limité à {n} acteurs sur {self.capped_from} : les plus reliés sont gardés")
        return out


def lens_view(store: Store, pole: str | None = None, territory: str | None = None, actor: str | None = None,
              depth: int = 1, lens: str = "cooperation", as_of: int | None = None, include_persons: bool = False,
              most: int | None = None, certainty: Iterable[str] | None = None, refused: bool = False) -> LensView:
    """The projection of ``lens`` in ``as_of`` (:func:`~maillage.analytics.lenses.lens_graph`)
    for a pôle (its members and porteurs), a territory, an actor's neighbourhood (the actors at
    most ``depth`` ties away in the projection) or the whole graph; above ``most`` actors, the
    most tied are kept. Weights are those of the whole graph in every case. Ties are those of
    :func:`~maillage.analytics.lenses.tie_rule` (``certainty``, ``refused``: by default no
    planned statement, no refused application; an export asks for its run's)."""
    G = lens_graph(store, lens, as_of=as_of, territory=territory, pole=pole, include_persons=include_persons,
                   certainty=certainty, refused=refused)
    left_out = G.graph.get("left_out", {}) if actor is None else {}  # a pôle's, a territory's, the whole view
    if actor is not None:
        if actor not in G:
            raise NotFound(f"no actor {actor!r} in this view")
        G = nx.ego_graph(G, actor, radius=depth)
    outside, capped_from = G.graph.get("outside_ties", 0), None
    if most is not None and G.number_of_nodes() > most:
        capped_from = G.number_of_nodes()
        G = G.subgraph(sorted(G, key=lambda n: (-G.degree(n), n))[:most]).copy()
    named = set(G) | {x for _, _, d in G.edges(data=True) for x in (*d["poles"], *d["governors"])}
    return LensView(G, store.get_actors(named), lens, as_of, outside, capped_from, left_out)


def tie_record(u: str, v: str, d: Mapping[str, Any], names: Mapping[str, str], lang: str = "fr") -> dict[str, Any]:
    """A projected tie ``u``–``v`` (:data:`TIE_COLUMNS`), pôles and governors by name (and by
    id in ``pole_ids``/``governor_ids``); lists as lists (the JSON's), :func:`flat` for a cell."""
    return {"source_id": u, "target_id": v, "source_name": names.get(u, u), "target_name": names.get(v, v),
            "weight": float(d["weight"]), "layers": list(d["layers"]),
            "layers_label": ", ".join(LAYER_LABELS[x][lang] for x in d["layers"]), "direct": d["direct"],
            "statements": d["count"], "co_membership": float(d["co_membership"]), "shared_poles": d["shared_poles"],
            "pole_ids": list(d["poles"]), "poles": [names.get(p, p) for p in d["poles"]],
            "shared_governance": d["shared_governance"], "shared_governance_persons": d["shared_governance_persons"],
            "governor_ids": list(d["governors"]), "governors": [names.get(g, g) for g in d["governors"]],
            "types": list(d["types"]), "sources": d["sources"], "amount": d.get("amount"),
            "amount_known": d.get("amount_known"), "years": list(d.get("years") or ()),
            "funding_statements": d.get("funding_statements")}


def flat(tie: Mapping[str, Any]) -> dict[str, Any]:
    """A :func:`tie_record` for a CSV cell or an XML attribute: each list joined by ``|``
    (None when empty)."""
    return {k: ("|".join(map(str, x)) or None) if isinstance(x, list) else x for k, x in tie.items()}


def _nodes(view: LensView, lang: str, include_persons: bool,
           metrics: Mapping[str, Mapping[str, float]] | None) -> tuple[_View, list[dict[str, Any]]]:
    """The nodes as the statement exports write them (sorted by name, persons out unless
    asked), and the ties between kept nodes, sorted by their ends' names."""
    sub = Subgraph(actors={n: view.actors[n] for n in view.graph if n in view.actors})
    v = _view(sub, lang, include_persons, metrics)
    names = {i: a.name for i, a in view.actors.items() if include_persons or not a.personal_data}
    ties = []
    for a, b, d in view.graph.edges(data=True):
        if a in v.names and b in v.names:
            u, w = sorted((a, b), key=lambda x: (*alpha_key(names[x]), x))
            ties.append(tie_record(u, w, d, names, lang))
    ties.sort(key=lambda t: (*alpha_key(t["source_name"]), *alpha_key(t["target_name"])))
    return v, ties


def _lead(view: LensView, lang: str) -> str:
    """What the file holds: « Projection de la lentille gouvernance (maillage), toutes années : … »."""
    year = year_label(view.as_of, lang)
    layers = ", ".join(LAYER_LABELS[x][lang] for x in get_lens(view.lens).layers)
    if lang == "en":
        return (f"Lens {view.lens} projection (maillage), {year}: one weighted tie per pair of actors, from its "
                f"layers ({layers}): the graph the analysis measures")
    return (f"Projection de la lentille {lens_word(view.lens)} (maillage), {year} : un lien pondéré par paire d'acteurs, "
            f"par ses couches ({layers}) : le graphe que mesure l'analyse")


def projection_json(view: LensView, out: IO[bytes], lang: str, include_persons: bool,
                    metrics: Mapping[str, Mapping[str, float]] | None, about: Iterable[str]) -> None:
    """``{"lens", "as_of", "nodes", "ties", "about"}``: nodes as :func:`node_record`, ties as
    :func:`tie_record` (lists as JSON lists)."""
    v, ties = _nodes(view, lang, include_persons, metrics)
    doc = {"lens": view.lens, "as_of": view.as_of, "nodes": [node_record(a, lang, v.metrics.get(a.id)) for a in v.actors],
           "ties": ties, "about": [_lead(view, lang), *about]}
    out.write(orjson.dumps(doc))


def projection_csv(view: LensView, out: IO[bytes], lang: str, include_persons: bool,
                   metrics: Mapping[str, Mapping[str, float]] | None, about: Iterable[str],
                   delimiter: str | None = None, decimal_comma: bool | None = None, tableur: bool = False) -> None:
    """One row per tie (:data:`TIE_COLUMNS`), as the edges CSV: UTF-8 with BOM, CRLF,
    spreadsheet-safe text, ``delimiter``, ``decimal_comma`` and ``tableur`` (the columns of
    ``TABLEUR_FILES["edges.csv --projection"]``: labels, names, rounded weights)."""
    _, ties = _nodes(view, lang, include_persons, metrics)
    delimiter, decimal_comma = tab.resolve_style(tableur, lang, delimiter, decimal_comma)
    text, w = _csv_writer(out, delimiter, decimal_comma)
    if tableur:
        _ties_tableur(ties, w, lang, decimal_comma)
        _done(text)
        return
    w.writerow(TIE_COLUMNS)
    for t in map(flat, ties):
        w.writerow([_number(t[c], decimal_comma) if isinstance(t[c], float) else safe_text(t[c]) if isinstance(t[c], str)
                    else "" if t[c] is None else t[c] for c in TIE_COLUMNS])
    _done(text)


def _ties_tableur(ties: list[dict[str, Any]], w: Any, lang: str, decimal_comma: bool) -> None:
    """The rows of a projection's spreadsheet ties file: the types by their labels, pôles and
    governors by name (« ; » between two), weights rounded, amounts in euros."""
    from maillage.graph.vocabulary import vocabulary

    voc = vocabulary()
    columns = tab.TABLEUR_FILES["edges.csv --projection"]
    w.writerow(tab.headers(columns, lang))
    for t in ties:
        cells = {**t, "layers": t["layers_label"], "poles": " ; ".join(t["poles"]),
                 "governors": " ; ".join(t["governors"]),
                 "types": ", ".join(voc.relation_type(x).label(lang) for x in t["types"]),
                 "years": ", ".join(map(str, t["years"])), "amount": tab.euros(t["amount"], decimal_comma)}
        w.writerow([tab.measure(cells[c], decimal_comma) if isinstance(cells[c], float)
                    else safe_text(cells[c]) if isinstance(cells[c], str) else "" if cells[c] is None else cells[c]
                    for c in columns])


def projection_nodes_csv(view: LensView, out: IO[bytes], lang: str, include_persons: bool,
                         metrics: Mapping[str, Mapping[str, float]] | None, about: Iterable[str],
                         delimiter: str | None = None, decimal_comma: bool | None = None, tableur: bool = False) -> None:
    """The projection's actors, as :func:`~maillage.api.exports.nodes_csv` writes them."""
    nodes_csv(Subgraph(actors={n: view.actors[n] for n in view.graph if n in view.actors}), out, lang,
              include_persons, metrics, delimiter=delimiter, decimal_comma=decimal_comma, tableur=tableur)


def projection_gexf(view: LensView, out: IO[bytes], lang: str, include_persons: bool,
                    metrics: Mapping[str, Mapping[str, float]] | None, about: Iterable[str]) -> None:
    """GEXF 1.3, static and undirected: the nodes as the statement GEXF writes them, one edge
    per tie with its ``weight`` (Gephi's edge weight) and :data:`TIE_ATTRIBUTES`; the label
    says its layers."""
    v, ties = _nodes(view, lang, include_persons, metrics)
    root, graph = gexf_document(v, lang, _lead(view, lang), about, TIE_ATTRIBUTES,
                                {"defaultedgetype": "undirected", "mode": "static"})
    edges = ET.SubElement(graph, "edges")
    for i, t in enumerate(map(flat, ties)):
        edge = ET.SubElement(edges, "edge", {"id": f"t{i}", "source": _xml_text(t["source_id"]),
                                             "target": _xml_text(t["target_id"]), "weight": repr(t["weight"]),
                                             "label": _xml_text(t["layers_label"])})
        _attvalues(edge, t, TIE_ATTRIBUTES)
    write_xml(root, out)


def projection_graphml(view: LensView, out: IO[bytes], lang: str, include_persons: bool,
                       metrics: Mapping[str, Mapping[str, float]] | None, about: Iterable[str]) -> None:
    """GraphML written by networkx: an undirected graph, one edge per tie with ``weight`` and
    :data:`TIE_ATTRIBUTES` typed (``double``, ``int``, ``string``); the graph's ``description``
    says what it is, then the lines of ``about``."""
    v, ties = _nodes(view, lang, include_persons, metrics)
    g = nx.Graph(description=_xml_text(about_text(about, _lead(view, lang))))
    for a in v.actors:
        data = {"label": a.name, **_node_values(a, lang), **v.metrics.get(a.id, {})}
        g.add_node(a.id, **{k: _xml_text(x) if isinstance(x, str) else x for k, x in data.items() if x is not None})
    for t in map(flat, ties):
        data = {"label": t["layers_label"], **{k: t[k] for k, _ in TIE_ATTRIBUTES}}
        g.add_edge(t["source_id"], t["target_id"],
                   **{k: _xml_text(x) if isinstance(x, str) else x for k, x in data.items() if x is not None})
    nx.write_graphml(g, out, encoding="utf-8", prettyprint=True)


_WRITERS = {"json": projection_json, "csv": projection_csv, "nodes.csv": projection_nodes_csv,
            "gexf": projection_gexf, "graphml": projection_graphml}


def persons_written(view: LensView, include_persons: bool) -> tuple[int, int]:
    """``(natural persons, actors)`` a file of ``view`` writes as nodes (no person unless
    ``include_persons``)."""
    nodes = [view.actors[n] for n in view.graph if n in view.actors]
    persons = sum(1 for a in nodes if a.personal_data) if include_persons else 0
    return persons, len(nodes) if include_persons else sum(1 for a in nodes if not a.personal_data)


def projection_export(view: LensView, fmt: str, out: IO[bytes], lang: str = "fr", include_persons: bool = False,
                      metrics: Mapping[str, Mapping[str, float]] | None = None, about: Iterable[str] = (),
                      delimiter: str | None = None, decimal_comma: bool | None = None, tableur: bool = False) -> None:
    """Write ``view`` as ``fmt`` (:data:`PROJECTION_FORMATS`; ``ValueError`` otherwise) to the
    binary stream ``out``, with ``metrics`` on the nodes and the ``about`` lines inside the
    file where the format has a place for them (JSON, GEXF, GraphML); ``delimiter``,
    ``decimal_comma`` and ``tableur`` for the CSV formats (:data:`PROJECTION_CSV_FORMATS`) only."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"a projection is written as {', '.join(PROJECTION_FORMATS)}, not {fmt!r}")
    if lang not in ("fr", "en"):
        raise ValueError(f"lang {lang!r} is not fr or en")
    persons, written = persons_written(view, include_persons)
    mark = persons_mark(written, persons, lang)
    writer(view, out, lang, include_persons, metrics, [*([mark] if mark else []), *about],
           **csv_options(fmt, PROJECTION_CSV_FORMATS, delimiter, decimal_comma, tableur))


__all__ = ["LensView", "lens_view", "projection_export", "tie_record", "flat", "PROJECTION_FORMATS", "TIE_COLUMNS",
           "TIE_ATTRIBUTES"]
