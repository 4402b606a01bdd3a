"""Interactive maps of a subgraph: one self-contained HTML file that works offline.

:func:`render_map` draws a :class:`~maillage.graph.store.Subgraph` with vis-network (through
pyvis, whose bundled vis-network 9.1.2 JS and CSS are inlined into the page: no CDN, no
network access needed). Actors are coloured by family and relations coloured/dashed by
type, both from the vocabulary; the legend (in French by default) lists the families and
relation types present and doubles as a filter; tooltips give an actor's family, kind and
place, and for a relation its type, fields and provenance (source, document and line,
quote, certainty). Every text from the data is inserted as text (never as HTML).

Positions are computed here (a seeded layout per connected component, components packed in
rows, largest first), so the page draws at once and the same view gives the same page. Maps
of up to 300 actors are spread until no two names overlap (estimated label boxes; Kamada–Kawai
placement up to 150 actors, which draws a pôle and its members as an even circle). The
physics simulation is off unless asked for (``max_physics_nodes``): it ignores labels. Once drawn,
the page fits the view to every actor and its name, and again after a resize until the reader
zooms or drags (vis-network alone fits before placing the names); a name is drawn at least
9 pixels high or hidden until zooming in (:data:`NAME_SCALING`), the largest actors' drawn
readable at the zoom that shows the whole map (``static/fit.js``, which the explorer shares).

Above a thousand actors edges are hidden while dragging. :func:`map_page` (the API's ``/map/…``
pages and ``maillage viz``) adds node size by a metric of an analysis run, removes natural
persons, and draws a view of more than ``aggregate_above`` actors as an **aggregated view**
(:func:`aggregate`: pôles, communities or families as nodes). :func:`explorer_page` is the explorer served at ``/`` (static files in
``static/``). See docs/maps.md.

>>> from maillage.graph.store import Subgraph
>>> import tempfile, pathlib
>>> out = render_map(Subgraph(), pathlib.Path(tempfile.mkdtemp()) / "vide.html", "Carte vide")
>>> "Aucun acteur" in out.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

import json
import math
import random
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

from maillage import tableur as tab
from maillage.analytics.lenses import NOT_DONE  # a planned membership folds nothing (the tie rule)
from maillage.analytics.run import location_label, person_masker
from maillage.graph.locators import locator_text
from maillage.graph.names import alpha_key, fold
from maillage.graph.store import Subgraph
from maillage.graph.vocabulary import vocabulary
from maillage.writing import AMOUNT, PERIODS, date_words, period_text

VIS_VERSION = "9.1.2"
ISOLATED_BORDER = "#d100d1"  # the isolated actors of a territory's diagnostic, circled (maps and explorer):
# magenta, far from every family's fill and border (a pôle is red: a red ring read as « pôle »)
PERIPHERAL_BORDER = "#ff6a00"  # its peripheral actors (a single partner): a thinner vivid orange ring
#: How every map (static page and explorer) rings a territory's flagged actors: ``(colour, ring
#: width on the map, border width of the legend's swatch)``; the legend line and the tooltip row are
#: ``STRINGS[lang][kind]`` and ``STRINGS[lang][kind + "_row"]``.
RINGS = {"isolated": (ISOLATED_BORDER, 4, 3), "peripheral": (PERIPHERAL_BORDER, 3, 2)}

# Texts of the page; French first (the users' language), English available.
STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "lang": "fr",
        "actors": "acteurs", "actor": "acteur", "relations": "relations", "relation": "relation",
        "families": "Familles d'acteurs", "types": "Types de relations",
        "placeholder": "Acteur mentionné sans être nommé",
        "size": "Taille des nœuds", "size_default": "Identique pour tous les acteurs ; pôles agrandis.",
        "size_by": "Surface proportionnelle à : {label}.",
        "show_all": "Tout afficher", "fit": "Recentrer", "filters_hint": "Cochez ou décochez pour filtrer la carte.",
        "hover_hint": "Survolez un acteur ou un lien pour voir sa source ; molette pour zoomer.",
        "empty": "Aucun acteur à afficher.",
        "large": ("Carte volumineuse : les noms apparaissent en zoomant et les liens sont masqués pendant "
                  "les déplacements. Filtrez par famille ou par type de relation pour l'alléger."),
        "capped": "Vue tronquée : tous les acteurs ne sont pas affichés.",
        "offline": "Carte générée par maillage ; elle fonctionne sans connexion.",
        "family": "Famille", "kind": "Type", "place": "Lieu", "aliases": "Autres noms",
        "group": "Groupe de", "declared": "Déclaré", "sources": "Sources", "value": "Valeur",
        "link": "Lien", "period": "Période", "source": "Source", "document": "Document",
        "line": "ligne", "sheet": "feuille", "certainty": "Certitude", "yes": "oui", "no": "non",
        "placeholder_tip": "Acteur mentionné sans être nommé dans la source",
        "role_stated": "{words} ; la source dit « {stated} »", "funder": "financeur",
        "isolated": "Isolé (diagnostic du territoire), entouré de magenta",
        "isolated_row": "Isolé",
        "peripheral": "Périphérique (un seul partenaire, parfois son pôle), entouré d'orange",
        "peripheral_row": "Périphérique",
        "legend": "Légende et filtres",
        "persons_left_out": "{n} personnes physiques ne sont pas dessinées (données personnelles).",
        "person_left_out": "1 personne physique n'est pas dessinée (données personnelles).",
    },
    "en": {
        "lang": "en",
        "actors": "actors", "actor": "actor", "relations": "relations", "relation": "relation",
        "families": "Actor families", "types": "Relation types",
        "placeholder": "Actor mentioned without a name",
        "size": "Node size", "size_default": "The same for every actor; pôles enlarged.",
        "size_by": "Area proportional to: {label}.",
        "show_all": "Show all", "fit": "Fit", "filters_hint": "Tick or untick to filter the map.",
        "hover_hint": "Hover an actor or a tie to see its source; scroll to zoom.",
        "empty": "No actor to show.",
        "large": ("Large map: names appear when zooming in and ties are hidden while moving. "
                  "Filter by family or relation type to lighten it."),
        "capped": "Capped view: not every actor is shown.",
        "offline": "Map generated by maillage; it works offline.",
        "family": "Family", "kind": "Kind", "place": "Place", "aliases": "Other names",
        "group": "Group of", "declared": "Declared", "sources": "Sources", "value": "Value",
        "link": "Tie", "period": "Period", "source": "Source", "document": "Document",
        "line": "line", "sheet": "sheet", "certainty": "Certainty", "yes": "yes", "no": "no",
        "placeholder_tip": "Actor mentioned without a name in the source",
        "role_stated": "{words}; the source says '{stated}'", "funder": "funder",
        "isolated": "Isolated (territory diagnostic), circled in magenta",
        "isolated_row": "Isolated",
        "peripheral": "Peripheral (a single partner, sometimes its pôle), circled in orange",
        "peripheral_row": "Peripheral",
        "legend": "Legend and filters",
        "persons_left_out": "{n} natural persons are not drawn (personal data).",
        "person_left_out": "1 natural person is not drawn (personal data).",
    },
}

LARGE_MAP = 1000  # above this many actors: edges hidden on drag and zoom
PIXELS_PER_UNIT = 100.0  # typical distance between two tied actors, in pixels
#: How vis-network sizes the names of every map (static page and explorer): a name that would be
#: drawn under ``drawThreshold`` − 1 = 9 pixels high is hidden (faded from 10 down to 9), one over
#: ``maxVisible`` pixels is drawn that high. static/fit.js draws the largest actors' hidden names
#: readable at the zoom that shows the whole map.
NAME_SCALING = {"enabled": True, "drawThreshold": 10, "maxVisible": 18}
IGRAPH_LAYOUT_FROM = 500  # components this large are placed by igraph (networkx is too slow there)
IGRAPH_LAYOUT_ITERATIONS = 150
KK_LAYOUT_MAX = 400  # Kamada–Kawai is O(n²) per step: only for small (aggregated) graphs
LABEL_SPACING_MAX = 300  # maps this small are spread until their labels do not overlap
KK_SMALL_MAP = 150  # … and placed by Kamada–Kawai up to this many actors (0.3 s; 1.6 s at 300)
LABEL_CHAR_EM = 0.56  # average width of a character of a label, in font sizes (system sans-serif)
AGG_NEAREST_PX = 130.0  # aggregated views: typical distance between a group and its nearest neighbour


# ---------------------------------------------------------------------------------------------
# layout

def _median_nearest(pos: dict[Hashable, tuple[float, float]]) -> float:
    """Median distance from an actor to its nearest neighbour on the drawing (grid search)."""
    pts = list(pos.values())
    n = len(pts)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    side = math.sqrt(max((max(xs) - min(xs)) * (max(ys) - min(ys)), 1e-12) / n) or 1e-6
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(pts):
        grid[(int(x // side), int(y // side))].append(i)
    best = []
    for i, (x, y) in enumerate(pts):
        gx, gy, ring, d = int(x // side), int(y // side), 1, math.inf
        while d == math.inf or ring <= 2:
            for ax in range(gx - ring, gx + ring + 1):
                for ay in range(gy - ring, gy + ring + 1):
                    for j in grid.get((ax, ay), ()):
                        if j != i:
                            d = min(d, math.hypot(x - pts[j][0], y - pts[j][1]))
            ring += 1
            if ring > 50:
                break
        best.append(d)
    best.sort()
    return best[n // 2]


_LAYOUT_LOCK = threading.Lock()


def _igraph_layout(H: nx.Graph, nodes: list[Hashable], seed: int) -> dict[Hashable, tuple[float, float]]:
    """Fruchterman–Reingold placement by igraph (C) for a large component: networkx's version
    for 500 actors and more minimises an energy with L-BFGS and takes ~30 s on 2,000 actors,
    igraph's takes ~1 s. Start positions and igraph's random draws are seeded, so the layout
    is deterministic; the lock keeps two threads from sharing igraph's generator."""
    import igraph

    from maillage.analytics.engine import seeded

    idx = {v: i for i, v in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(idx[u], idx[v]) for u, v in H.edges if u != v])
    start = random.Random(seed)
    init = [[start.uniform(-1, 1), start.uniform(-1, 1)] for _ in nodes]
    with _LAYOUT_LOCK, seeded(seed):
        coords = g.layout_fruchterman_reingold(seed=init, niter=IGRAPH_LAYOUT_ITERATIONS, grid="nogrid").coords
    return {v: (float(coords[i][0]), float(coords[i][1])) for v, i in idx.items()}


def _component_layout(H: nx.Graph, seed: int, method: str = "spring") -> dict[Hashable, tuple[float, float]]:
    """Positions of one connected component, in units where tied actors are about 1 apart
    and no two actors are typically closer than ~0.7. ``method="kk"``: Kamada–Kawai (graph
    distances drawn as lengths), which spreads small dense graphs evenly (aggregated views)."""
    nodes = sorted(H.nodes, key=str)
    n = len(nodes)
    # the layouts draw their random start in the graph's node order, and a subgraph view keeps
    # its parent's, which follows the order actors were read in (set order, different from one
    # run to the next): the component is rebuilt in sorted order, so the same graph is drawn the
    # same way every time
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ends = ((*sorted((u, v), key=str), d) for u, v, d in H.edges(data=True))  # with their weights
    ordered.add_edges_from(sorted(ends, key=lambda e: (str(e[0]), str(e[1]))))
    H = ordered
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    if n == 2:
        return {nodes[0]: (-0.5, 0.0), nodes[1]: (0.5, 0.0)}
    if method == "kk" and n <= KK_LAYOUT_MAX:
        # Kamada, T., Kawai, S. (1989). An algorithm for drawing general undirected graphs.
        # Information Processing Letters 31(1), 7–15. Start from a seeded circle: deterministic.
        sub = H.subgraph(nodes)
        start = {v: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i, v in enumerate(nodes)}
        raw = nx.kamada_kawai_layout(sub, pos=start, weight=None)
        pos = {v: (float(p[0]), float(p[1])) for v, p in raw.items()}
    elif n < IGRAPH_LAYOUT_FROM:
        # Fruchterman–Reingold force-directed placement (networkx, dense numpy version).
        raw = nx.spring_layout(H.subgraph(nodes), seed=seed, iterations=100)
        pos = {v: (float(p[0]), float(p[1])) for v, p in raw.items()}
    else:
        pos = _igraph_layout(H, nodes, seed)
    lengths = sorted(math.dist(pos[u], pos[v]) for u, v in H.edges) or [1.0]
    unit = lengths[len(lengths) // 2] or 1.0  # median tie length → 1 unit
    nearest = _median_nearest(pos)
    if nearest:
        unit = min(unit, nearest / 0.7)  # crowded drawing: spread it so actors do not overlap
    cx = sum(p[0] for p in pos.values()) / n
    cy = sum(p[1] for p in pos.values()) / n
    return {v: ((x - cx) / unit, (y - cy) / unit) for v, (x, y) in pos.items()}


def layout(G: nx.Graph, seed: int = 7, method: str = "spring") -> dict[Hashable, tuple[float, float]]:
    """Deterministic positions in pixels: a spring layout per connected component (seeded;
    ``method="kk"``: Kamada–Kawai for components up to :data:`KK_LAYOUT_MAX` actors),
    components packed in rows from the largest to the smallest, isolated actors last in a grid.
    """
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0])))
    boxes = []
    for comp in comps:
        pos = _component_layout(G.subgraph(comp), seed, method)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        boxes.append((pos, min(xs), max(xs), min(ys), max(ys)))
    total = sum((b[2] - b[1] + 1.5) * (b[4] - b[3] + 1.5) for b in boxes) or 1.0
    row_width = max([math.sqrt(total) * 1.6] + [b[2] - b[1] + 1.5 for b in boxes])
    out: dict[Hashable, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for pos, x0, x1, y0, y1 in boxes:
        w, h = x1 - x0 + 1.5, y1 - y0 + 1.5
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        for v, (px, py) in pos.items():
            out[v] = (round((x + px - x0) * PIXELS_PER_UNIT, 1), round((y + py - y0) * PIXELS_PER_UNIT, 1))
        x += w
        row_h = max(row_h, h)
    return out


def _label_box(x: float, y: float, name: str, size: float, font: float, width: float = 140.0
               ) -> tuple[float, float, float, float]:
    """Estimated box (left, top, right, bottom) of a dot and its label drawn under it, in pixels
    at zoom 1: vis-network wraps a label at the node's ``widthConstraint`` (``width``)."""
    chars = len(name)
    text_w = chars * font * LABEL_CHAR_EM
    lines = max(1, math.ceil(text_w / width))
    half = max(min(text_w, width) / 2, size)
    return (x - half, y - size, x + half, y + size + 3 + lines * font * 1.2)


def _label_spread(pos: dict[Hashable, tuple[float, float]], nodes: dict[Hashable, tuple[str, float, float]],
                  gap: float = 6.0, most: float = 3.0) -> float:
    """The factor (≥ 1, at most ``most``) by which to spread a small map's positions so that no
    two actors' labels overlap (:func:`_label_box`; ``nodes``: id → (name, dot size, font size)).

    Two boxes stop overlapping once they are apart along x *or* along y, so a pair needs the
    smaller of its two factors; the map needs the largest over pairs. The cap keeps one crowded
    corner from shrinking the whole map out of sight (its labels then appear when zooming in)."""
    boxes = {k: _label_box(0.0, 0.0, *nodes[k]) for k in pos if k in nodes}
    keys = list(boxes)
    need = 1.0
    for i, a in enumerate(keys):
        (ax, ay), (al, at, ar, ab) = pos[a], boxes[a]
        for b in keys[i + 1:]:
            (bx, by), (bl, bt, br, bb) = pos[b], boxes[b]
            dx, dy = bx - ax, by - ay
            # along x: b right of a needs dx·s ≥ ar − bl (+gap); left of a: −dx·s ≥ br − al
            fx = ((ar - bl + gap) / dx if dx > 0 else (br - al + gap) / -dx) if dx else math.inf
            fy = ((ab - bt + gap) / dy if dy > 0 else (bb - at + gap) / -dy) if dy else math.inf
            f = min(fx, fy)
            if f > need and f != math.inf:
                need = f
    return min(need, most)


# ---------------------------------------------------------------------------------------------
# texts

def _fmt_number(value: float, lang: str) -> str:
    if float(value).is_integer():
        s = f"{int(value):,}"
    else:
        s = f"{value:,.3g}" if abs(value) < 1 else f"{value:,.2f}"
    return s.replace(",", "\u202f").replace(".", ",") if lang == "fr" else s


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def percent_text(value: float, lang: str) -> str:
    """A share (0–1) as people write it: 1 → « 100 % », 0.255 → « 25,5 % » (« 25.5% » in English).

    >>> percent_text(1, "fr"), percent_text(0.255, "fr"), percent_text(0.255, "en")
    ('100\u00a0%', '25,5\u00a0%', '25.5%')
    """
    pct = round(100 * float(value), 1)
    s = f"{pct:g}"
    return s.replace(".", ",") + "\u00a0%" if lang == "fr" else s + "%"


_SHARE_SCALE = re.compile(r"\s*\(0[–-]1\)")


def field_label(spec: Any, lang: str) -> str:
    """A field's label as the map shows it: a share's (unit ``share``) « (0–1) » dropped, its
    value being written in per cent (« Part : 100 % »)."""
    label = spec.label(lang)
    return _SHARE_SCALE.sub("", label) if spec.unit == "share" else label


def _field_value(rtype: str, name: str, value: Any, lang: str, decimal_comma: bool | None = None) -> str:
    voc = vocabulary()
    spec = voc.relation_type(rtype).fields.get(name)
    if spec is None:
        return str(value)
    if spec.unit == "share" and isinstance(value, (int, float)):
        return percent_text(value, lang)
    if spec.type == "bool":
        return STRINGS[lang]["yes"] if value else STRINGS[lang]["no"]
    if spec.type == "float" and isinstance(value, (int, float)) and decimal_comma is not None:
        # a spreadsheet cell: as the file's number columns write them (:mod:`maillage.tableur`)
        return tab.euros(value, decimal_comma) if spec.unit == "EUR" else tab.measure(value, decimal_comma)
    if spec.type == "float" and isinstance(value, (int, float)):
        s = _fmt_number(float(value), lang)
        return AMOUNT[lang].format(n=s) if spec.unit == "EUR" and "€" not in spec.label(lang) else s
    if spec.type == "enum":
        return spec.value_label(value, lang)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


@dataclass(frozen=True)
class SourceLabels:
    """What a map shows for its sources: ``labels`` by source id (a file's name, or the titles of
    the documents a dataset was drawn from) and ``documents`` (``{source id: {document id:
    title}}``), from :func:`source_labels`; a source it does not know is shown by its id
    without the loader's prefix (``members:membres_2023.csv`` → « membres_2023.csv »)."""

    labels: dict[str, str] = field(default_factory=dict)
    documents: dict[str, dict[str, str]] = field(default_factory=dict)

    def source(self, source_id: str) -> str:
        return self.labels.get(source_id) or source_id.split(":", 1)[-1]

    def document(self, source_id: str, document: str | None) -> str | None:
        return self.documents.get(source_id, {}).get(document or "") or document


def source_labels(sources: Iterable[Any], mask: Callable[[str], str] | None = None) -> SourceLabels:
    """:class:`SourceLabels` of the :class:`~maillage.graph.model.Source` records of a store: the
    titles of the documents a source names (``meta["documents"]``, the reference dataset's),
    else its file's name. ``mask`` (:func:`maillage.analytics.run.person_masker`) hides the
    persons' names a title may hold (an author: « Thomas Podlewski, « Intelligence
    collective… » »), as everywhere in the public views.

    >>> from maillage.graph.model import Source
    >>> s = source_labels([Source(id="members:membres_2023.csv", uri="/tmp/x/membres_2023.csv"),
    ...                    Source(id="reference:s001", kind="dataset", uri="s001.jsonl",
    ...                           meta={"documents": {"001": {"title": "Brochure PTCE"}}})])
    >>> s.source("members:membres_2023.csv"), s.source("reference:s001"), s.document("reference:s001", "001")
    ('membres_2023.csv', 'Brochure PTCE', 'Brochure PTCE')
    """
    labels: dict[str, str] = {}
    documents: dict[str, dict[str, str]] = {}
    for src in sources:
        docs = (src.meta or {}).get("documents") or {}
        titles: dict[str, str] = {}
        if isinstance(docs, dict):
            for key, d in docs.items():
                title = d.get("title") if isinstance(d, dict) else d
                if title:
                    titles[str(key)] = str(title)
        if mask is not None:
            titles = {k: mask(t) for k, t in titles.items()}
        documents[src.id] = titles
        name = Path(src.uri).name if src.uri else ""
        label = " ; ".join(dict.fromkeys(titles.values())) or name or src.title or src.id.split(":", 1)[-1]
        labels[src.id] = mask(label) if mask is not None else label
    return SourceLabels(labels, documents)


def _actor_tip(a, lang: str, size_value: float | None, size_label: str | None, mask,
               sources: SourceLabels = SourceLabels()) -> dict[str, Any]:
    s = STRINGS[lang]
    voc = vocabulary()
    fam = voc.families.get(a.family)
    rows = [[s["family"], fam.label(lang) if fam else a.family]]
    if a.kind and fam and a.kind in fam.kinds:
        rows.append([s["kind"], fam.kinds[a.kind].label(lang)])
    if a.location:
        rows.append([s["place"], location_label(a.location)])
    if a.aliases:
        rows.append([s["aliases"], mask(" ; ".join(a.aliases[:5]) + (" …" if len(a.aliases) > 5 else ""))])
    if a.group_count:
        rows.append([s["group"], str(a.group_count)])
    sizes = voc.enum("declared_sizes")
    for key, value in sorted(a.declared.items()):
        rows.append([sizes[key].label(lang) if key in sizes else f"{s['declared']} {key}", _fmt_number(value, lang)])
    if a.sources:
        rows.append([s["sources"], mask(" ; ".join(dict.fromkeys(sources.source(x) for x in a.sources)))])
    if size_value is not None:
        rows.append([_capital(size_label or s["value"]), _fmt_number(size_value, lang)])
    tip: dict[str, Any] = {"title": a.name, "rows": rows}
    if a.placeholder:
        tip["note"] = s["placeholder_tip"]
    return tip


def role_words(r, lang: str = "fr") -> str | None:
    """The role a statement says, in the words the reports use (h115,
    :mod:`maillage.analytics.poles`): a membership with its circle, a structure porteuse's
    function… (:func:`~maillage.analytics.poles.tie_words`), else the RTES roles it expresses
    (:func:`~maillage.analytics.poles.tie_roles`), else « financeur » for a grant (the word of
    :func:`~maillage.analytics.poles.funder_role_label`; the tooltip's « Source » says where it
    comes from); ``None`` for a statement the vocabulary has no role word for."""
    from maillage.analytics.poles import NOT_GRANTED, tie_roles, tie_words

    words = tie_words(r, lang)
    if words:
        return words
    roles = vocabulary().enum("collectivite_roles")
    labels = [roles[x].label(lang) for x in tie_roles(r)]
    if labels:
        return ", ".join(labels)
    if r.type == "funds" and r.fields.get("status") not in NOT_GRANTED:
        return STRINGS[lang]["funder"]
    return None


def role_text(r, lang: str = "fr") -> str:
    """A statement's « Rôle » as a tooltip shows it: its :func:`role_words`, then the role as
    the source wrote it when it says more than they do (« membre (socle) ; la source dit
    « founding member » »); the source's text alone when the vocabulary has no word for it.
    The source says no more when its text (accents and case aside) is those words, in French or
    in English, without their parenthesis, or its circle or function in either language.

    >>> from maillage.graph.model import Provenance, RelationView
    >>> tie = lambda role, tier: RelationView(id="r", type="membership", source="a", target="p",
    ...                                       fields={"role": role, "tier": tier}, provenance=Provenance(source="s"))
    >>> role_text(tie("Member", "membre")), role_text(tie("founding member", "socle"), "en")
    ('membre', "member (core); the source says 'founding member'")
    """
    stated = str(r.fields.get("role") or "")
    words = role_words(r, lang)
    if not words:
        return stated
    said = [w for other in ("fr", "en") if (w := role_words(r, other))]
    same = {fold(x) for w in said for x in (w, w.split(" (")[0])}
    for fname in ("tier", "function"):
        spec, value = vocabulary().relation_type(r.type).fields.get(fname), r.fields.get(fname)
        if spec is not None and value:
            same |= {fold(str(value)), *(fold(spec.value_label(value, other)) for other in ("fr", "en"))}
    if not stated or fold(stated) in same:
        return words
    return STRINGS[lang]["role_stated"].format(words=words, stated=stated)


def role_label(r, lang: str = "fr", mask: Callable[[str], str] | None = None) -> str | None:
    """A statement's ``role_label`` as the API's and the JSON export's edges carry it: its
    :func:`role_text` through ``mask`` (persons' names hidden), ``None`` without a ``role``.

    >>> from maillage.graph.model import Provenance, RelationView
    >>> r = RelationView(id="r", type="membership", source="a", target="p", provenance=Provenance(source="s"),
    ...                  fields={"role": "fondé par Jeanne Dupont"})
    >>> role_label(r, "fr", lambda t: t.replace("Jeanne Dupont", "[personne 1]"))
    'membre ; la source dit « fondé par [personne 1] »'
    >>> role_label(r.model_copy(update={"fields": {}})) is None
    True
    """
    if "role" not in r.fields:
        return None
    text = role_text(r, lang)
    return mask(text) if text and mask is not None else text


def field_rows(r, lang: str = "fr", mask: Callable[[str], str] | None = None, *, decimal_comma: bool | None = None,
               leave_out: Collection[str] = ()) -> list[list[str]]:
    """A statement's fields as a map's tooltip and the explorer's side panel show them, one
    ``[label, text]`` row each (the API's ``field_rows``): the vocabulary's label of the field
    and of a coded value (« Cercle », « partie prenante »), the role as :func:`role_text` says
    it, a share in per cent, an amount or a number as the language writes it, yes or no; each
    text through ``mask`` (persons' names hidden). A field with no value is left out, and so
    are the fields named in ``leave_out``. ``decimal_comma`` given (the spreadsheet file's
    « précisions », :func:`maillage.tableur.fields_text`): an amount or a number written as
    that file's number columns are (:func:`maillage.tableur.euros`, :func:`~maillage.tableur.measure`).

    >>> from maillage.graph.model import Provenance, RelationView
    >>> r = RelationView(id="r", type="membership", source="a", target="p", provenance=Provenance(source="s"),
    ...                  fields={"role": "stakeholder", "tier": "partie_prenante"})
    >>> field_rows(r), field_rows(r, "en")
    ([['Rôle', 'membre (partie prenante)'], ['Cercle', 'partie prenante']], [['Role', 'member (stakeholder)'], ['Tier', 'stakeholder']])
    >>> g = r.model_copy(update={"type": "funds", "fields": {"amount": 5000.0, "amount_requested": 1234.5}})
    >>> field_rows(g, leave_out={"amount"}), field_rows(g, decimal_comma=True, leave_out={"amount"})
    ([['Montant demandé (€)', '1\u202f234,50']], [['Montant demandé (€)', '1234,50']])
    """
    spec_of = vocabulary().relation_type(r.type).fields
    rows = []
    for name, value in r.fields.items():
        if value is None or value == "" or name in leave_out:
            continue
        spec = spec_of.get(name)
        text = role_text(r, lang) if name == "role" else _field_value(r.type, name, value, lang, decimal_comma)
        rows.append([field_label(spec, lang) if spec else name, mask(text) if mask is not None else text])
    return rows


def _relation_tip(r, names: dict[str, str], lang: str, mask, sources: SourceLabels = SourceLabels()) -> dict[str, Any]:
    s = STRINGS[lang]
    voc = vocabulary()
    rt = voc.relation_type(r.type)
    arrow = " → " if rt.directed else " — "
    rows = [[s["link"], names.get(r.source, r.source) + arrow + names.get(r.target, r.target)],
            *field_rows(r, lang, mask)]
    if r.start or r.end:  # « depuis le 15 mars 2024 », "March 2016 – 15 June 2018"
        rows.append([s["period"], period_text(r.start, r.end, lang)])
    p = r.provenance
    source = sources.source(p.source)
    rows.append([s["source"], mask(source)])
    document = sources.document(p.source, p.document)
    document = None if document == source else document  # a dataset drawn from one document: its title once
    if document or p.locator:
        rows.append([s["document"], mask(", ".join(x for x in (document, locator_text(p.locator, lang)) if x))])
    cert = voc.enum("certainty").get(p.certainty)
    rows.append([s["certainty"], cert.label(lang) if cert else p.certainty])
    tip: dict[str, Any] = {"title": _capital(rt.label(lang)), "rows": rows}
    if p.quote:
        tip["quote"] = mask(p.quote)
    return tip


# ---------------------------------------------------------------------------------------------
# page

def _darker(hex_colour: str, factor: float = 0.7) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(int(r * factor), int(g * factor), int(b * factor))


_DASHES = {"solid": False, "dashed": [8, 5], "dotted": [2, 4]}


def _json_for_script(data: Any) -> Markup:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


@lru_cache(maxsize=1)
def _fit_js() -> str:
    """static/fit.js: the whole map kept in view, its names readable (every map, and the explorer)."""
    return (STATIC_DIR / "fit.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as bundled with pyvis (inlined into every map)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover - guards inlining
        raise RuntimeError("vis-network assets cannot be inlined safely")
    return js, css


def _network(sub: Subgraph, lang: str, size_by: dict[str, float] | None, size_label: str | None,
             physics: bool, large: bool, seed: int, mask, weights: dict[tuple[str, str], float] | None = None,
             isolated: dict[str, str] | None = None, sources: SourceLabels = SourceLabels(),
             peripheral: dict[str, str] | None = None):
    """The pyvis network (nodes, edges and vis options) of a subgraph; ``weights`` (by pair of
    actors) make the layout pull strongly tied pairs closer; ``isolated`` (``{actor: why}``)
    circles those actors in magenta and says why in their tooltip, ``peripheral`` likewise in
    orange."""
    from pyvis.network import Network

    voc = vocabulary()
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    simple = nx.Graph()
    simple.add_nodes_from(sub.actors)
    simple.add_edges_from((r.source, r.target) for r in sub.relations
                          if r.source in sub.actors and r.target in sub.actors and r.source != r.target)
    for (u, v), w in (weights or {}).items():
        if simple.has_edge(u, v):
            simple[u][v]["weight"] = w
    # Small maps (not aggregated views) are placed by Kamada–Kawai, which draws a pôle's star
    # as an even circle, and spread until no two labels overlap (:func:`_label_spread`).
    small = weights is None and 2 < len(simple) <= LABEL_SPACING_MAX
    method = "kk" if weights is not None or (small and len(simple) <= KK_SMALL_MAP) else "spring"
    pos = layout(simple, seed=seed, method=method)
    if weights is not None and len(pos) > 2:
        # aggregated view: nodes are large discs, spread the drawing so neighbours do not overlap
        spread = max(1.0, AGG_NEAREST_PX / (_median_nearest(pos) or AGG_NEAREST_PX))
        pos = {k: (round(x * spread, 1), round(y * spread, 1)) for k, (x, y) in pos.items()}
    top = max((v for v in (size_by or {}).values() if v is not None and v > 0), default=0.0)
    looks: dict[str, tuple[float, float]] = {}  # actor → (dot size, font size)
    for aid, a in sub.actors.items():
        if size_by is not None:
            value = size_by.get(aid)
            share = math.sqrt(max(value or 0.0, 0.0) / top) if top else 0.0
            looks[aid] = (8 + 30 * share, 11 + 13 * share)
        else:
            looks[aid] = (22, 16) if a.family == "pole" else (13, 12)
    spring = 1.0
    if small:
        spring = _label_spread(pos, {aid: (a.name, *looks[aid]) for aid, a in sub.actors.items()})
        pos = {k: (round(x * spring, 1), round(y * spring, 1)) for k, (x, y) in pos.items()}
    names = {aid: a.name for aid, a in sub.actors.items()}
    for aid in sorted(sub.actors, key=str):
        a = sub.actors[aid]
        fam = voc.families.get(a.family) or voc.family("other")
        value = (size_by or {}).get(aid) if size_by is not None else None
        size, font = looks[aid]
        colour = fam.colour
        node_colour = {"background": colour, "border": _darker(colour),
                       "highlight": {"background": colour, "border": "#000000"},
                       "hover": {"background": colour, "border": "#000000"}}
        extra: dict[str, Any] = {}
        if a.placeholder:
            node_colour = {"background": "#eef0f2", "border": colour,
                           "highlight": {"background": "#eef0f2", "border": "#000000"},
                           "hover": {"background": "#eef0f2", "border": "#000000"}}
            extra = {"shapeProperties": {"borderDashes": [4, 3]}, "borderWidth": 2.5}
        tip = _actor_tip(a, lang, value, size_label, mask, sources)
        if isolated and aid in isolated:
            node_colour = {**node_colour, "border": ISOLATED_BORDER}
            extra = {**extra, "borderWidth": RINGS["isolated"][1], "isolated": True}
            tip["rows"].append([STRINGS[lang]["isolated_row"], isolated[aid]])
        elif peripheral and aid in peripheral:
            node_colour = {**node_colour, "border": PERIPHERAL_BORDER}
            extra = {**extra, "borderWidth": RINGS["peripheral"][1], "peripheral": True}
            tip["rows"].append([STRINGS[lang]["peripheral_row"], peripheral[aid]])
        net.add_node(aid, label=a.name, shape="dot", color=node_colour, size=round(size, 1),
                     font={"size": round(font, 1)}, widthConstraint={"maximum": 140},
                     x=pos[aid][0], y=pos[aid][1],
                     family=a.family, placeholder=a.placeholder, tip=tip, **extra)
    # edges are appended directly: pyvis's add_edge checks every node per call (quadratic)
    from pyvis.edge import Edge

    parallel: Counter[tuple[str, str]] = Counter()
    for r in sorted(sub.relations, key=lambda r: (r.source, r.target, r.type, r.id)):
        if r.source not in sub.actors or r.target not in sub.actors:
            continue
        rt = voc.relation_type(r.type)
        pair = (r.source, r.target) if r.source <= r.target else (r.target, r.source)
        i = parallel[pair]
        parallel[pair] += 1
        smooth: Any = False
        if i:
            smooth = {"enabled": True, "type": "curvedCW" if i % 2 else "curvedCCW",
                      "roundness": 0.18 * ((i + 1) // 2)}
        edge = Edge(r.source, r.target, directed=True, id=r.id, rtype=r.type,
                    color={"color": rt.colour, "highlight": rt.colour, "hover": rt.colour, "opacity": 0.85},
                    dashes=_DASHES.get(rt.style, False), width=1.6,
                    arrows={"to": {"enabled": rt.directed, "scaleFactor": 0.55}},
                    smooth=smooth, tip=_relation_tip(r, names, lang, mask, sources))
        net.edges.append(edge.options)
    net.options = {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "nodes": {
            "shape": "dot", "borderWidth": 1.5,
            "font": {"face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "color": "#1d2327",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            "widthConstraint": {"maximum": 140},
            "scaling": {"label": NAME_SCALING},
        },
        "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 1.0},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False, "keyboard": False},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -3000, "springLength": round(90 * spring), "springConstant": 0.03,
                          "avoidOverlap": 0.3, "damping": 0.3},
            "stabilization": {"enabled": physics, "iterations": 200, "fit": True},
        },
    }
    return net


_TEMPLATE = r"""<!DOCTYPE html>
<html lang="{{ s.lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="maillage (pyvis {{ pyvis_version }}, vis-network {{ vis_version }})">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<style>
  :root { --ink: #1d2327; --muted: #5c6670; --line: #dde1e5; }
  * { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
               color: var(--ink); background: #fff; }
  body { display: flex; flex-direction: column; }
  header { padding: 10px 16px 8px; border-bottom: 1px solid var(--line); }
  header h1 { font-size: 1.25rem; margin: 0 0 2px; }
  header p { margin: 0; color: var(--muted); font-size: .9rem; }
  .explication { margin: 6px 0 0; padding: 4px 8px; background: #e8f1fb; border-left: 3px solid #4a90d9; font-size: .85rem; }
  .notice { margin: 6px 0 0; padding: 4px 8px; background: #fff4d6; border-left: 3px solid #e9c46a; font-size: .85rem; }
  main { flex: 1; display: flex; min-height: 0; }
  #carte { flex: 1; min-width: 0; position: relative; background: #fbfbfc; }
  #carte .empty { position: absolute; top: 40%; width: 100%; text-align: center; color: var(--muted); font-size: 1.1rem; }
  aside { width: 300px; overflow-y: auto; border-left: 1px solid var(--line); padding: 10px 14px; font-size: .88rem; }
  aside h2 { font-size: .95rem; margin: 12px 0 6px; }
  aside h2:first-child { margin-top: 0; }
  aside .hint { color: var(--muted); font-size: .8rem; margin: 0 0 6px; }
  aside label { display: flex; align-items: center; gap: 7px; padding: 2px 0; cursor: pointer; line-height: 1.25; }
  aside label .n { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
  .swatch { flex: none; width: 14px; height: 14px; border-radius: 50%; border: 1.5px solid rgba(0,0,0,.35); }
  .swatch.placeholder { background: #eef0f2; border: 2px dashed #5c6670; }
  .line { flex: none; width: 30px; height: 10px; }
  .buttons { display: flex; gap: 6px; margin-top: 10px; }
  .buttons button { font: inherit; font-size: .82rem; padding: 3px 9px; border: 1px solid #b8bec4; background: #f6f7f8; border-radius: 4px; cursor: pointer; }
  footer { padding: 4px 16px; color: var(--muted); font-size: .78rem; border-top: 1px solid var(--line); }
  div.vis-tooltip { max-width: 380px; white-space: normal; font-family: inherit; font-size: 13px; line-height: 1.35;
                    padding: 8px 10px; background: #fff; border: 1px solid #b8bec4; border-radius: 4px;
                    box-shadow: 0 2px 8px rgba(0,0,0,.15); color: var(--ink); }
  .tip strong { display: block; font-size: 14px; margin-bottom: 3px; }
  .tip .k { color: var(--muted); }
  .tip .note { font-style: italic; color: #8a5a00; margin-top: 3px; }
  .tip blockquote { margin: 5px 0 0; padding-left: 7px; border-left: 3px solid #ced4da; font-style: italic; }
</style>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  <p>{{ counts }}</p>
  {% for n in notices %}<p class="notice">{{ n }}</p>{% endfor %}
  {% if explanation %}<p class="explication" id="explication">{{ explanation }}</p>{% endif %}
</header>
<main>
  <div id="carte">{% if not n_nodes %}<div class="empty">{{ s.empty }}</div>{% endif %}</div>
  <aside aria-label="{{ s.legend }}">
    <h2>{{ s.families }}</h2>
    <p class="hint">{{ s.filters_hint }}</p>
    {% for f in families %}
    <label><input type="checkbox" class="filtre-famille" value="{{ f.name }}" checked>
      <span class="swatch" style="background: {{ f.colour }}"></span>{{ f.label }}<span class="n">{{ f.count }}</span></label>
    {% endfor %}
    {% if placeholders %}
    <label><span class="swatch placeholder"></span>{{ s.placeholder }}<span class="n">{{ placeholders }}</span></label>
    {% endif %}
    {% if isolated %}
    <label id="legende-isoles"><span class="swatch" style="background: #ffffff; border: {{ rings.isolated[2] }}px solid {{ rings.isolated[0] }}"></span>{{ s.isolated }}<span class="n">{{ isolated }}</span></label>
    {% endif %}
    {% if peripheral %}
    <label id="legende-peripheriques"><span class="swatch" style="background: #ffffff; border: {{ rings.peripheral[2] }}px solid {{ rings.peripheral[0] }}"></span>{{ s.peripheral }}<span class="n">{{ peripheral }}</span></label>
    {% endif %}
    <h2>{{ s.types }}</h2>
    {% for t in types %}
    <label><input type="checkbox" class="filtre-type" value="{{ t.name }}" checked>
      <svg class="line" viewBox="0 0 30 10" aria-hidden="true"><line x1="1" y1="5" x2="29" y2="5" stroke="{{ t.colour }}" stroke-width="2.5"{% if t.dasharray %} stroke-dasharray="{{ t.dasharray }}"{% endif %}/></svg>{{ t.label }}<span class="n">{{ t.count }}</span></label>
    {% endfor %}
    <h2>{{ s.size }}</h2>
    <p class="hint">{{ size_text }}</p>
    <div class="buttons"><button type="button" id="tout">{{ s.show_all }}</button><button type="button" id="recentrer">{{ s.fit }}</button></div>
    <p class="hint" style="margin-top:10px">{{ s.hover_hint }}</p>
  </aside>
</main>
<footer>{{ s.offline }}</footer>
<script type="application/json" id="donnees-carte">{{ data }}</script>
<script>{{ vis_js }}</script>
<script>{{ fit_js }}</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("donnees-carte").textContent);
  function tip(t) {
    var div = document.createElement("div");
    div.className = "tip";
    var h = document.createElement("strong");
    h.textContent = t.title;
    div.appendChild(h);
    (t.rows || []).forEach(function (row) {
      var p = document.createElement("div");
      var k = document.createElement("span");
      k.className = "k";
      k.textContent = row[0] + (data.lang === "fr" ? " : " : ": ");
      p.appendChild(k);
      p.appendChild(document.createTextNode(row[1]));
      div.appendChild(p);
    });
    if (t.note) { var n = document.createElement("div"); n.className = "note"; n.textContent = t.note; div.appendChild(n); }
    if (t.quote) {
      var q = document.createElement("blockquote");
      q.textContent = data.lang === "fr" ? "« " + t.quote + " »" : "\u201c" + t.quote + "\u201d";
      div.appendChild(q);
    }
    return div;
  }
  var family = {};
  data.nodes.forEach(function (n) { family[n.id] = n.family; n.title = tip(n.tip); delete n.tip; });
  data.edges.forEach(function (e) { e.title = tip(e.tip); delete e.tip; });
  var familiesOn = new Set(data.families), typesOn = new Set(data.types);
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return familiesOn.has(n.family); } });
  var edgesView = new vis.DataView(edges, { filter: function (e) {
    var typed = e.rtypes ? e.rtypes.some(function (t) { return typesOn.has(t); }) : typesOn.has(e.rtype);
    return typed && familiesOn.has(family[e.from]) && familiesOn.has(family[e.to]); } });
  var network = new vis.Network(document.getElementById("carte"), { nodes: nodesView, edges: edgesView }, data.options);
  // the whole map in view, its names readable (static/fit.js, inlined above)
  var whole = maillageFit(network, nodes);
  network.once("afterDrawing", function () { whole.fit(); });
  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.storePositions();  // filtered-out actors come back where they were drawn
      network.once("afterDrawing", function () { whole.fit(); });
    });
  }
  network.on("dragEnd", function () { network.storePositions(); });
  function refresh() { nodesView.refresh(); edgesView.refresh(); }
  document.querySelectorAll(".filtre-famille").forEach(function (box) {
    box.addEventListener("change", function () { box.checked ? familiesOn.add(box.value) : familiesOn.delete(box.value); refresh(); });
  });
  document.querySelectorAll(".filtre-type").forEach(function (box) {
    box.addEventListener("change", function () { box.checked ? typesOn.add(box.value) : typesOn.delete(box.value); refresh(); });
  });
  document.getElementById("tout").addEventListener("click", function () {
    document.querySelectorAll(".filtre-famille, .filtre-type").forEach(function (box) { box.checked = true; });
    familiesOn = new Set(data.families); typesOn = new Set(data.types); refresh(); whole.refit();
  });
  document.getElementById("recentrer").addEventListener("click", whole.refit);
  window.network = network;
  window.maillageMap = { network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView };
})();
</script>
</body>
</html>
"""


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE)



def _check_lang(lang: str) -> None:
    if lang not in STRINGS:
        raise ValueError(f"lang must be one of {sorted(STRINGS)}, got {lang!r}")


def _page(sub: Subgraph, title: str, lang: str, *, size_by: dict[str, float] | None, size_label: str | None,
          max_physics_nodes: int, seed: int, mask, notices: Iterable[str] = (), explanation: str | None = None,
          counts: str | None = None, size_text: str | None = None, patch=None,
          extra: dict[str, Any] | None = None, weights: dict[tuple[str, str], float] | None = None,
          type_counts: dict[str, int] | None = None, isolated: dict[str, str] | None = None,
          sources: SourceLabels = SourceLabels(), peripheral: dict[str, str] | None = None) -> str:
    """The HTML of a map page (see :func:`render_map`); ``patch(net)`` may rewrite the pyvis
    network's nodes and edges before they are written (the aggregated view does)."""
    _check_lang(lang)
    import pyvis

    s = STRINGS[lang]
    voc = vocabulary()
    n = len(sub.actors)
    rels = [r for r in sub.relations if r.source in sub.actors and r.target in sub.actors]
    large = n > LARGE_MAP
    net = _network(Subgraph(actors=sub.actors, relations=rels), lang, size_by, size_label,
                   physics=0 < n <= max_physics_nodes, large=large, seed=seed, mask=mask, weights=weights,
                   isolated=isolated, sources=sources, peripheral=peripheral)
    if patch is not None:
        patch(net)

    fam_count = Counter(a.family for a in sub.actors.values())
    families = [{"name": f.name, "label": f.label(lang), "colour": f.colour, "count": fam_count[f.name]}
                for f in voc.families.values() if fam_count[f.name]]
    type_count = Counter(type_counts) if type_counts is not None else Counter(r.type for r in rels)
    dash = {"solid": "", "dashed": "7 4", "dotted": "2 3"}
    types = [{"name": t.name, "label": t.label(lang), "colour": t.colour, "count": type_count[t.name],
              "dasharray": dash.get(t.style, "")}
             for t in voc.relation_types.values() if type_count[t.name]]
    all_notices = []
    if sub.capped:
        all_notices.append(s["capped"])
    all_notices.extend(notices)
    if large:
        all_notices.append(s["large"])
    if counts is None:
        counts = (f"{_fmt_number(n, lang)} {s['actors'] if n != 1 else s['actor']} · "
                  f"{_fmt_number(len(rels), lang)} {s['relations'] if len(rels) != 1 else s['relation']}")
    if size_text is None:
        if size_by is not None:
            size_text = s["size_by"].format(label=size_label or s["value"].lower())
        else:
            size_text = s["size_default"]
    nodes, edges, _, _, _, _ = net.get_network_data()
    data = {"lang": lang, "nodes": nodes, "edges": edges, "options": net.options,
            "families": [f["name"] for f in families], "types": [t["name"] for t in types], **(extra or {})}
    js, css = _vis_assets()
    return _template().render(
        s=s, title=title, counts=counts, notices=all_notices, explanation=explanation, families=families,
        types=types, placeholders=sum(1 for a in sub.actors.values() if a.placeholder), size_text=size_text,
        isolated=sum(1 for a in sub.actors if a in (isolated or {})),
        peripheral=sum(1 for a in sub.actors if a in (peripheral or {}) and a not in (isolated or {})), rings=RINGS,
        n_nodes=n, data=_json_for_script(data), vis_js=Markup(js), vis_css=Markup(css), fit_js=Markup(_fit_js()),
        vis_version=VIS_VERSION, pyvis_version=getattr(pyvis, "__version__", "?"),
    )


def render_map(sub: Subgraph, path: str | Path, title: str, lang: str = "fr",
               size_by: dict[str, float] | None = None, max_physics_nodes: int = 0,
               size_label: str | None = None, seed: int = 7,
               redact: Iterable[str | tuple[str, ...]] | None = None, sources: Iterable[Any] = ()) -> Path:
    """Write an interactive, self-contained HTML map of ``sub`` to ``path``; return the path.

    - colour of an actor: its family's (vocabulary); an unnamed placeholder is drawn grey
      with a dashed border in its family's colour;
    - size of an actor: ``size_by[actor id]`` (e.g. a metric of an analysis run, missing
      actors count 0), scaled by square root; without ``size_by`` all actors have the same
      size and pôles are larger; ``size_label`` names the measure in the legend;
    - colour and dash of a relation: its type's (vocabulary); one line per relation
      statement (parallel statements are drawn as separate curves), arrows on directed types;
    - tooltips: family, kind, place, declared sizes, sources of an actor; type, fields,
      period and provenance (source, document and line, quote, certainty) of a relation;
    - legend with filters by family and by relation type (only those present);
    - positions computed here (:func:`layout`, seeded, so the same subgraph always gives the
      same map); the physics simulation runs only on maps of at most ``max_physics_nodes`` actors
      (none by default: it would undo the spacing that keeps names apart).

    Natural persons appear only if the caller put them in ``sub``; their names can still occur
    in the free text of the sources (quotes, notes, aliases): pass ``redact`` (e.g.
    :func:`maillage.analytics.run.person_groups` of the store) to mask them there as
    « [personne 1] », « [personne 2] »… (one number per person, as in the store's other views). ``sources`` (the store's :class:`~maillage.graph.model.Source` records) name
    them in tooltips by file name or document title (:func:`source_labels`). The page loads
    nothing from the network: vis-network's JS and CSS are inlined. :func:`map_page` adds
    metric sizes, person removal and aggregated views.
    """
    _check_lang(lang)
    mask = person_masker(redact or (), "[personne]" if lang == "fr" else "[person]")
    html = _page(sub, title, lang, size_by=size_by, size_label=size_label,
                 max_physics_nodes=max_physics_nodes, seed=seed, mask=mask,
                 sources=source_labels(sources, _source_mask(redact, lang) or mask))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# aggregated views

AGGREGATE_ABOVE = 2000  # a view with more actors than this is drawn aggregated
#: Ties that fold an actor into a pôle in the aggregated view: members and structures porteuses.
FOLD_TYPES = ("membership", "carries")
TOP_NAMES = 5  # names listed in the tooltip of a group

AGG_STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "intro": ("Vue agrégée : {n} acteurs dépassent le seuil de {limit} ; chaque nœud regroupe "
                  "plusieurs acteurs. "),
        "pole": ("Chaque pôle regroupe ses membres et ses structures porteuses (un acteur membre de "
                 "plusieurs pôles est placé dans celui auquel il est le plus lié) ; les acteurs qui ne "
                 "sont membres d'aucun pôle sont regroupés par famille. "),
        "community": ("Les acteurs sont regroupés par communauté (algorithme de Leiden, modularité, "
                      "dernière analyse) ; ceux qui ne sont dans aucune communauté de deux acteurs ou plus "
                      "sont regroupés par famille. "),
        "family": "Les acteurs sont regroupés par famille. ",
        "outro": ("Surface d'un nœud : nombre d'acteurs regroupés ; épaisseur d'un lien : nombre de "
                  "relations entre les deux groupes. Restreignez la vue (un pôle, un territoire plus "
                  "petit) pour voir chaque acteur."),
        "counts": "{groups} groupes · {n} acteurs · {rels} relations",
        "size_text": "Surface proportionnelle au nombre d'acteurs regroupés.",
        "outside_pole": "{family} (hors pôle)", "outside_community": "{family} (hors communauté)",
        "community_label": "Communauté {k} · {name}", "grouped": "Acteurs regroupés",
        "families": "Familles", "internal": "Relations internes", "main": "Principaux acteurs",
        "relations": "Relations", "group_kind": "Regroupement",
        "kind_pole": "pôle et ses membres", "kind_family": "famille", "kind_community": "communauté",
    },
    "en": {
        "intro": "Aggregated view: {n} actors exceed the threshold of {limit}; each node groups several actors. ",
        "pole": ("Each pôle groups its members and structures porteuses (an actor member of several "
                 "pôles is placed in the one it has most ties with); actors member of no pôle are "
                 "grouped by family. "),
        "community": ("Actors are grouped by community (Leiden algorithm, modularity, latest run); "
                      "those in no community of two actors or more are grouped by family. "),
        "family": "Actors are grouped by family. ",
        "outro": ("Node area: actors grouped; tie width: relations between the two groups. Narrow the "
                  "view (one pôle, a smaller territory) to see every actor."),
        "counts": "{groups} groups · {n} actors · {rels} relations",
        "size_text": "Area proportional to the number of actors grouped.",
        "outside_pole": "{family} (outside pôles)", "outside_community": "{family} (outside communities)",
        "community_label": "Community {k} · {name}", "grouped": "Actors grouped",
        "families": "Families", "internal": "Internal relations", "main": "Main actors",
        "relations": "Relations", "group_kind": "Grouping",
        "kind_pole": "pôle and its members", "kind_family": "family", "kind_community": "community",
    },
}


@dataclass
class Group:
    """One node of an aggregated view: ``members`` are the actor ids folded into it."""

    id: str
    kind: str  # "pole", "family" or "community"
    label: str
    family: str  # the family it is coloured and filtered as
    members: list[str] = field(default_factory=list)
    internal: int = 0  # relation statements with both ends in the group


@dataclass
class Aggregation:
    """An aggregated view: groups, the group of each actor, and relation statements counted
    by ``(source group, target group, type)`` (undirected types: the two groups in id order)."""

    by: str
    groups: dict[str, Group]
    group_of: dict[str, str]
    ties: dict[tuple[str, str, str], int]


def aggregate(sub: Subgraph, by: str = "auto", metrics: dict[str, dict[str, float]] | None = None,
              lang: str = "fr") -> Aggregation:
    """Fold the actors of ``sub`` into groups, for views too large to draw actor by actor.

    - ``by="pole"``: one group per pôle of the view, holding the pôle, its members and its
      structures porteuses (``membership``/``carries`` statements, in either direction, not
      ``planned``); an actor tied that way to several pôles goes to the pôle with the most
      such statements (ties: pôle name, then id); every other actor goes to a group of its
      family ("Structure de l'ESS (hors pôle)");
    - ``by="community"``: one group per community of two actors or more in the view (metric
      ``community`` of an analysis run: Leiden, Traag, Waltman & van Eck (2019), "From Louvain
      to Leiden: guaranteeing well-connected communities", *Scientific Reports* 9, 5233),
      named after its most connected actor; the others grouped by family;
    - ``by="family"``: one group per family;
    - ``by="auto"``: pôles if the view holds a pôle, else communities if ``metrics`` has
      them, else families.

    This is the quotient graph of the partition (Newman, M. E. J. (2010), *Networks: An
    Introduction*, Oxford University Press, §7.3 on blockmodels): relation statements between
    two groups are counted per type, those inside a group are counted in ``internal``.

    >>> from maillage.graph.model import ActorView, Provenance, RelationView
    >>> actors = {i: ActorView(id=i, name=i.upper(), family=f) for i, f in
    ...           [("p", "pole"), ("a", "ess"), ("b", "ess"), ("c", "enterprise")]}
    >>> rel = lambda t, s, d: RelationView(id=s + d, type=t, source=s, target=d, provenance=Provenance(source="x"))
    >>> agg = aggregate(Subgraph(actors, [rel("membership", "a", "p"), rel("partner", "b", "a"),
    ...                                   rel("partner", "c", "b")]))
    >>> sorted((g.label, len(g.members)) for g in agg.groups.values())
    [('Entreprise classique (hors pôle)', 1), ('P', 2), ("Structure de l'ESS (hors pôle)", 1)]
    >>> agg.ties[("famille:ess", "pole:p", "partner")]
    1
    """
    _check_lang(lang)
    voc = vocabulary()
    t = AGG_STRINGS[lang]
    actors = sub.actors
    community = {a: (metrics or {}).get(a, {}).get("community") for a in actors}
    community = {a: c for a, c in community.items() if c is not None and not (isinstance(c, float) and math.isnan(c))}
    if by == "auto":
        by = ("pole" if any(a.family == "pole" for a in actors.values())
              else "community" if community else "family")
    if by not in ("pole", "community", "family"):
        raise ValueError(f"by must be auto, pole, community or family, got {by!r}")

    degree: Counter[str] = Counter()
    for r in sub.relations:
        if r.source in actors and r.target in actors and r.source != r.target:
            degree[r.source] += 1
            degree[r.target] += 1

    def by_prominence(ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda i: (-degree[i], *alpha_key(actors[i].name), i))

    groups: dict[str, Group] = {}
    group_of: dict[str, str] = {}
    if by == "pole":
        poles = {aid for aid, a in actors.items() if a.family == "pole"}
        folds: dict[str, Counter[str]] = defaultdict(Counter)
        for r in sub.relations:
            if r.type not in FOLD_TYPES or r.provenance.certainty in NOT_DONE:
                continue
            for member, pole in ((r.source, r.target), (r.target, r.source)):
                if pole in poles and member not in poles and member in actors:
                    folds[member][pole] += 1
        for p in sorted(poles, key=lambda i: (*alpha_key(actors[i].name), i)):
            gid = f"pole:{p}"
            groups[gid] = Group(id=gid, kind="pole", label=actors[p].name, family="pole")
            group_of[p] = gid
        for member, counts in folds.items():
            best = min(counts, key=lambda p: (-counts[p], *alpha_key(actors[p].name), p))
            group_of[member] = f"pole:{best}"
    elif by == "community":
        size = Counter(community.values())
        for a, c in community.items():
            if size[c] >= 2:
                group_of[a] = f"communaute:{int(c)}"
    outside = {"pole": "outside_pole", "community": "outside_community"}.get(by)
    for aid in actors:
        if aid not in group_of:
            fam = actors[aid].family if actors[aid].family in voc.families else "other"
            group_of[aid] = f"famille:{fam}"
            if f"famille:{fam}" not in groups:
                label = voc.family(fam).label(lang)
                groups[f"famille:{fam}"] = Group(id=f"famille:{fam}", kind="family", family=fam,
                                                 label=t[outside].format(family=label) if outside else label)
    members: dict[str, list[str]] = defaultdict(list)
    for aid, gid in group_of.items():
        members[gid].append(aid)
    order = list(voc.families)
    for gid, ids in members.items():
        ranked = by_prominence(ids)
        if gid not in groups:  # a community
            fams = Counter(actors[i].family for i in ids)
            fam = min(fams, key=lambda f: (-fams[f], order.index(f) if f in order else len(order)))
            groups[gid] = Group(id=gid, kind="community", family=fam,
                                label=t["community_label"].format(k=gid.split(":", 1)[1], name=actors[ranked[0]].name))
        groups[gid].members = ranked
    ties: Counter[tuple[str, str, str]] = Counter()
    for r in sub.relations:
        if r.source not in actors or r.target not in actors:
            continue
        gs, gt = group_of[r.source], group_of[r.target]
        if gs == gt:
            groups[gs].internal += 1
            continue
        rt = voc.relation_types.get(r.type)
        if rt is not None and not rt.directed and gt < gs:
            gs, gt = gt, gs
        ties[(gs, gt, r.type)] += 1
    return Aggregation(by=by, groups=groups, group_of=group_of, ties=dict(ties))


def _aggregated_page(sub: Subgraph, agg: Aggregation, title: str, lang: str, *, limit: int, seed: int,
                     mask) -> str:
    """The page of an aggregated view: one node per group, one line per pair of tied groups
    (width by the number of relation statements, colour and dash of the most frequent type,
    every type and its count in the tooltip; the type filters keep a line while one of its
    types is ticked). Positions come from a layout weighted by those counts; no physics."""
    from maillage.graph.model import ActorView, Provenance, RelationView

    voc = vocabulary()
    order = list(voc.relation_types)
    t = AGG_STRINGS[lang]
    groups = agg.groups
    pairs: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (gs, gt, rtype), count in agg.ties.items():
        pairs[(gs, gt) if gs < gt else (gt, gs)][rtype] += count
    nodes = {gid: ActorView(id=gid, name=g.label, family=g.family) for gid, g in groups.items()}

    def dominant(types: Counter[str]) -> str:
        return min(types, key=lambda x: (-types[x], order.index(x) if x in order else len(order), x))

    rels = [RelationView(id=f"{a}>{b}", type=dominant(types), source=a, target=b,
                         provenance=Provenance(source="maillage"))
            for (a, b), types in sorted(pairs.items())]
    view = Subgraph(actors=nodes, relations=rels, capped=sub.capped)
    weights = {pair: 1.0 + math.log(sum(types.values())) for pair, types in pairs.items()}

    def group_tip(g: Group) -> dict[str, Any]:
        fams = Counter(sub.actors[i].family for i in g.members)
        fam_text = ", ".join(f"{voc.family(f).label(lang) if f in voc.families else f} {_fmt_number(c, lang)}"
                             for f, c in sorted(fams.items(), key=lambda kv: (-kv[1], kv[0])))
        rows = [[t["group_kind"], t[f"kind_{g.kind}"]],
                [t["grouped"], _fmt_number(len(g.members), lang)],
                [t["families"], fam_text],
                [t["internal"], _fmt_number(g.internal, lang)],
                [t["main"], mask(" ; ".join(sub.actors[i].name for i in g.members[:TOP_NAMES])
                                 + (" …" if len(g.members) > TOP_NAMES else ""))]]
        return {"title": g.label, "rows": rows}

    def patch(net) -> None:
        for node in net.nodes:
            node["tip"] = group_tip(groups[node["id"]])
            node["members"] = len(groups[node["id"]].members)
        for edge in net.edges:
            a, b = edge["id"].split(">")
            types = pairs[(a, b)]
            total = sum(types.values())
            ranked = sorted(types, key=lambda x: (-types[x], order.index(x) if x in order else len(order), x))
            edge["width"] = round(min(1.0 + 1.5 * math.log2(total), 12.0), 2)
            edge["count"] = total
            edge["types"] = dict(types)
            edge["rtypes"] = ranked
            edge["arrows"] = {"to": {"enabled": False}}
            edge["color"]["opacity"] = 0.55
            edge["tip"] = {"title": groups[a].label + " — " + groups[b].label,
                           "rows": [[_capital(voc.relation_type(x).label(lang)), _fmt_number(types[x], lang)]
                                    for x in ranked] + [[t["relations"], _fmt_number(total, lang)]]}

    n = len(sub.actors)
    n_rels = sum(agg.ties.values()) + sum(g.internal for g in groups.values())
    explanation = t["intro"].format(n=_fmt_number(n, lang), limit=_fmt_number(limit, lang)) + t[agg.by] + t["outro"]
    counts = t["counts"].format(groups=_fmt_number(len(groups), lang), n=_fmt_number(n, lang),
                                rels=_fmt_number(n_rels, lang))
    sizes = {gid: float(len(g.members)) for gid, g in groups.items()}
    type_counts: Counter[str] = Counter()
    for (_, _, rtype), count in agg.ties.items():
        type_counts[rtype] += count
    extra = {"aggregate": {"by": agg.by, "groups": len(groups), "actors": n, "relations": n_rels, "limit": limit}}
    return _page(view, title, lang, size_by=sizes, size_label=t["grouped"].lower(), max_physics_nodes=0,
                 seed=seed, mask=mask, notices=sub.notes, explanation=explanation, counts=counts,
                 size_text=t["size_text"],
                 patch=patch, extra=extra, weights=weights, type_counts=dict(type_counts))


# ---------------------------------------------------------------------------------------------
# the page of a view (API and ``maillage viz``)

def _person_ids(sub: Subgraph) -> set[str]:
    voc = vocabulary()
    return {aid for aid, a in sub.actors.items()
            if a.personal_data or (a.family in voc.families and voc.family(a.family).personal_data)}


def _maskable_names(actors: Iterable[Any]) -> list[tuple[str, ...]]:
    """Each person's names and aliases worth masking in free text (as
    :func:`maillage.analytics.run.person_groups`: two words or more, or 8 letters or more), by id."""
    from maillage.graph.numbering import maskable

    return [names for a in sorted(actors, key=lambda a: a.id) if (names := maskable((a.name, *a.aliases)))]


def metric_label(name: str, lang: str = "fr") -> str:
    """Display name of an actor metric of an analysis run (``betweenness`` → « Intermédiarité »).

    >>> metric_label("betweenness")
    'Intermédiarité'
    """
    from maillage.analytics.report import METRIC_LABELS

    labels = METRIC_LABELS.get(lang, METRIC_LABELS["fr"])
    if name in labels:
        return labels[name]
    roles = _brokerage_roles(lang)
    if name.startswith("brokerage_") and name[len("brokerage_"):] in roles:
        return ("Courtage : " if lang == "fr" else "Brokerage: ") + roles[name[len("brokerage_"):]]
    return name


def _brokerage_roles(lang: str) -> dict[str, str]:
    """Gould–Fernandez brokerage roles and their labels (metrics ``brokerage_<role>``)."""
    from maillage.analytics.brokerage import role_labels

    return role_labels(lang)


def map_page(sub: Subgraph, title: str, lang: str = "fr", metrics: dict[str, dict[str, float]] | None = None,
             size_by: str | None = None, aggregate_above: int | None = AGGREGATE_ABOVE, aggregate_by: str = "auto",
             redact: Iterable[str | tuple[str, ...]] | None = None, max_physics_nodes: int = 0, seed: int = 7,
             isolated: dict[str, str] | None = None, run: Any = None, sources: Iterable[Any] = (),
             peripheral: dict[str, str] | None = None) -> str:
    """The HTML of an interactive, self-contained map of a view (ego network, pôle, territory,
    path): what the API serves under ``/map/…`` and ``maillage viz`` writes.

    The drawing is :func:`render_map`'s (colour by family, edge colour and dash by relation
    type, French legend that filters by family and type, tooltips with provenance, positions
    computed here, names kept apart on maps of up to 300 actors, physics only up to
    ``max_physics_nodes`` actors), plus:

    - natural persons (``personal_data``) are never drawn, whatever ``sub`` holds, and their
      names (with ``redact``) are masked in quotes and notes; the header says how many were
      left out (those of ``sub`` and its ``persons_left_out``), never who;
    - ``size_by`` names a metric of ``metrics`` (``{actor: {metric: value}}``, e.g.
      ``store.metrics(run_id)``): node area ∝ its value (square-root scale), legend and
      tooltips say which; an unknown metric raises :class:`ValueError`;
    - above ``aggregate_above`` actors (``None``: never), the view is drawn aggregated
      (:func:`aggregate`, rule ``aggregate_by``), with counts and a line explaining the rule;
      node size is then the number of actors grouped (``size_by`` is checked, not used);
    - the notes of ``sub`` (e.g. the API's « Sous-graphe limité à … ») are shown under the title;
    - ``isolated`` (``{actor: why}``, a territory's :func:`isolated_map_marks`): those actors are
      circled in magenta, counted in the legend, and their tooltip says why; ``peripheral``
      likewise (its peripheral actors, a single partner), circled in orange;
    - ``run``: the :class:`~maillage.api.export_view.RunChoice` of ``metrics``; when the page
      draws them (node size, or communities grouped), it names the run under the title, with
      its notes (another view's measures, a graph changed since);
    - ``sources``: the store's :class:`~maillage.graph.model.Source` records, which tooltips name
      by file name or, for the reference dataset, by the title of the document
      (:func:`source_labels`; without them, a source id without its loader's prefix).

    Vis-network is inlined: the page makes no request. Same inputs, same page (seeded layout).

    >>> html = map_page(Subgraph(), "Carte vide")
    >>> "Aucun acteur à afficher" in html and "<script src=" not in html
    True
    """
    _check_lang(lang)
    persons = _person_ids(sub)
    left_out = len(persons) + sub.persons_left_out
    names = [*(redact or ()), *_maskable_names(sub.actors[p] for p in persons)]
    mask = person_masker(names, "[personne]" if lang == "fr" else "[person]")
    if persons:
        actors = {aid: a for aid, a in sub.actors.items() if aid not in persons}
        sub = Subgraph(actors=actors, relations=[r for r in sub.relations if r.source in actors and r.target in actors],
                       capped=sub.capped, notes=list(sub.notes))
    sizes = label = None
    if size_by is not None:
        known = sorted({m for v in (metrics or {}).values() for m in v})
        if size_by not in known:
            msg = ("métrique inconnue : {m} (disponibles : {k})" if lang == "fr"
                   else "unknown metric: {m} (available: {k})")
            raise ValueError(msg.format(m=size_by, k=", ".join(known) or "—"))
        sizes = {aid: float(v) for aid in sub.actors
                 if (v := (metrics or {}).get(aid, {}).get(size_by)) is not None and not math.isnan(v)}
        label = metric_label(size_by, lang).lower() if lang == "fr" else metric_label(size_by, lang)
    agg = None
    if aggregate_above is not None and len(sub.actors) > aggregate_above:
        agg = aggregate(sub, by=aggregate_by, metrics=metrics, lang=lang)
    if run is not None and (sizes is not None if agg is None else agg.by == "community"):
        sub = Subgraph(actors=sub.actors, relations=sub.relations, capped=sub.capped,
                       notes=[*sub.notes, *run_notices(run, lang)])
    if left_out:  # how many, never who
        s = STRINGS[lang]
        said = s["person_left_out"] if left_out == 1 else s["persons_left_out"].format(n=_fmt_number(left_out, lang))
        sub = Subgraph(actors=sub.actors, relations=sub.relations, capped=sub.capped, notes=[*sub.notes, said])
    smask = _source_mask(names if redact else None, lang)
    if smask is not None:  # the run's notes name the sources loaded since: a file may be named after a person
        sub = Subgraph(actors=sub.actors, relations=sub.relations, capped=sub.capped,
                       notes=[smask(n) for n in sub.notes])
    if agg is not None:
        return _aggregated_page(sub, agg, title, lang, limit=aggregate_above, seed=seed, mask=mask)
    return _page(sub, title, lang, size_by=sizes, size_label=label, max_physics_nodes=max_physics_nodes,
                 seed=seed, mask=mask, notices=sub.notes, isolated=isolated,
                 sources=source_labels(sources, smask or mask), peripheral=peripheral)


def _source_mask(redact: Iterable[str | tuple[str, ...]] | None, lang: str) -> Callable[[str], str] | None:
    """When persons are left out (``redact``: their names), a function masking them in the
    sources' ids and file names and the documents' titles as files write them
    (:func:`maillage.api.exports.source_masker`: « entretien-Didier-Cognon.csv »); else None."""
    if not redact:
        return None
    from maillage.api.exports import source_masker

    return source_masker(redact, "[personne]" if lang == "fr" else "[person]")


def run_notices(run: Any, lang: str = "fr") -> list[str]:
    """What a map says of the run whose metrics it draws (a
    :class:`~maillage.api.export_view.RunChoice`): which run, then its notes, as sentences.

    >>> from maillage.api.export_view import RunChoice
    >>> run_notices(RunChoice("all", None))
    ['Sans mesures : aucune analyse (maillage analyse).']
    """
    return [_capital(run.label(lang)) + ".", *run.sentences(lang)]


def isolated_map_marks(items: Iterable[Any], lang: str = "fr") -> dict[str, str]:
    """``{actor id: its reasons, joined}`` of the isolated (or peripheral) actors of a territory
    diagnostic (:class:`~maillage.analytics.territory.ActorEntry` items or their dicts), for
    :func:`map_page`'s ``isolated`` (or ``peripheral``): « ; » between two reasons in French,
    "; " in English.

    >>> isolated_map_marks([{"id": "a", "reasons": [{"code": "aucun_lien", "text": "Aucun lien connu"}]}])
    {'a': 'Aucun lien connu'}
    >>> isolated_map_marks([{"id": "a", "reasons": [{"text": "No tie"}, {"text": "Small"}]}], "en")
    {'a': 'No tie; Small'}
    """
    sep = "; " if lang == "en" else " ; "
    out = {}
    for item in items:
        d = item if isinstance(item, dict) else item.model_dump()
        out[d["id"]] = sep.join(r["text"] for r in d.get("reasons") or [])
    return out


def view_marks(actors: Iterable[str], isolated: dict[str, str],
               peripheral: dict[str, str]) -> dict[str, dict[str, str]]:
    """The rings a map of ``actors`` draws, as :func:`map_page` does: ``{"isolated": {id: why},
    "peripheral": {id: why}}`` (:func:`isolated_map_marks`), only the actors drawn, an isolated
    actor never peripheral too — what the explorer's territory view receives.

    >>> view_marks(["a", "b"], {"a": "Aucun lien", "z": "Aucun lien"}, {"a": "x", "b": "Un seul partenaire"})
    {'isolated': {'a': 'Aucun lien'}, 'peripheral': {'b': 'Un seul partenaire'}}
    """
    drawn = set(actors)
    return {"isolated": {a: why for a, why in isolated.items() if a in drawn},
            "peripheral": {a: why for a, why in peripheral.items() if a in drawn and a not in isolated}}


def write_map(sub: Subgraph, path: str | Path, title: str, **options: Any) -> Path:
    """Write :func:`map_page` of ``sub`` to ``path`` (UTF-8) and return the path — the file
    ``maillage viz … -o FILE.html`` shares; ``options`` are :func:`map_page`'s.

    >>> import tempfile, pathlib
    >>> out = write_map(Subgraph(), pathlib.Path(tempfile.mkdtemp()) / "vide.html", "Vide")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    html = map_page(sub, title, **options)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def vis_network_js() -> str:
    """vis-network's JavaScript as bundled with pyvis (the explorer page needs it; the API
    serves it from the installed package rather than from a copy or a CDN)."""
    return _vis_assets()[0]


# ---------------------------------------------------------------------------------------------
# the explorer page (GET /)

#: The explorer's static files (index.html, explorer.js, explorer.css), served at ``/static/``.
STATIC_DIR = Path(__file__).resolve().parent / "static"
#: Metrics that are labels, not quantities: never offered to size nodes by.
NOT_SIZES = ("community", "component")
#: Metrics shown first on an actor's panel (the others are folded).
MAIN_METRICS = ("degree", "strength", "betweenness", "closeness", "pagerank", "core_number", "community")


#: The register attributes an actor may carry (``Actor.attributes``, from a SIRENE extract:
#: :mod:`maillage.loaders.formats.sirene`), as the explorer's panel names them, and the labels of
#: their coded values (INSEE's codes: ``A`` active, ``C`` ceased; ``O``/``N`` for the ESS flag).
ATTRIBUTE_LABELS = {
    "fr": {"naf": "Activité (code NAF)", "categorie_juridique": "Catégorie juridique (code INSEE)",
           "etat_administratif": "État", "tranche_effectifs": "Tranche d'effectifs (code INSEE)",
           "categorie_entreprise": "Catégorie d'entreprise", "date_creation": "Date de création",
           "ess_insee": "ESS d'après l'INSEE", "commune_siege": "Commune du siège (code INSEE)"},
    "en": {"naf": "Activity (NAF code)", "categorie_juridique": "Legal category (INSEE code)",
           "etat_administratif": "Status", "tranche_effectifs": "Headcount band (INSEE code)",
           "categorie_entreprise": "Company category", "date_creation": "Founded",
           "ess_insee": "ESS according to INSEE", "commune_siege": "Head office commune (INSEE code)"},
}
ATTRIBUTE_VALUES = {
    "fr": {"etat_administratif": {"A": "active", "C": "cessée"}, "ess_insee": {"O": "oui", "N": "non"},
           "categorie_entreprise": {"PME": "PME", "ETI": "ETI", "GE": "grande entreprise"}},
    "en": {"etat_administratif": {"A": "active", "C": "ceased"}, "ess_insee": {"O": "yes", "N": "no"},
           "categorie_entreprise": {"PME": "SME", "ETI": "mid-cap", "GE": "large company"}},
}


#: Every text of the explorer page (``static/index.html``, filled in by :func:`explorer_page`)
#: and of its script (``static/explorer.js``, which reads them from :func:`explorer_config`'s
#: ``strings``): French first (the users' language), English with ``?lang=en``. ``{name}`` is
#: filled in by the script; ``_one`` / ``_many`` are the singular and plural of one text
#: (``Intl.PluralRules``: « 0 acteur », « 0 actors »).
EXPLORER_STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        # the page (index.html)
        "page_title": "Maillage — explorateur des coopérations", "tagline": "explorateur des coopérations",
        "search_label": "Rechercher un acteur, un pôle ou un territoire",
        "search_placeholder": "Un acteur, un pôle… ou un territoire (Haute-Garonne, 31)",
        "family_filter": "Famille d'acteurs", "all_families": "Toutes les familles", "search_button": "Rechercher",
        "settings": "Réglages de la vue", "lens": "Lentille", "year": "Année", "year_placeholder": "toutes",
        "depth": "Profondeur", "size": "Taille des nœuds", "size_same": "identique (pôles agrandis)",
        "map": "Carte", "choose_view": "Choisissez un acteur, un pôle ou un territoire",
        "map_empty": ("Recherchez un acteur, un pôle ou un territoire pour afficher sa carte, ou choisissez un "
                      "pôle ci-contre."),
        "legend_families": "Familles d'acteurs", "legend_types": "Types de relations",
        "details": "Détails",
        "details_hint": ("Cliquez sur un acteur ou sur un lien de la carte pour voir ses attributs, ses métriques, "
                         "le diagnostic d'un pôle et les sources de chaque relation (citation, document et ligne)."),
        "export_view": "Exporter cette vue :", "standalone_map": "Carte autonome (à partager)",
        "footer": "Maillage — toutes les données viennent de ce serveur ; la page ne charge rien d'ailleurs.",
        "openapi": "Schéma OpenAPI",
        # typography
        "label_sep": " : ", "list_sep": " ; ", "quote": "« {text} »", "euros": AMOUNT["fr"],
        # search
        "searching": "Recherche…", "search_failed": "Recherche impossible : {error}", "no_result": "Aucun résultat.",
        "territory_meta": "{level} · carte des acteurs situés dans ce territoire",
        "territories_one": "{n} territoire", "territories_many": "{n} territoires",
        "no_actor": "aucun acteur.", "first_shown": " (les {n} premiers)",
        "actors_one": "{n} acteur", "actors_many": "{n} acteurs",
        "relations_one": "{n} relation", "relations_many": "{n} relations",
        # views
        "view_actor": "Voisinage de {name}", "view_pole": "Pôle : {name}", "view_territory": "Territoire : {name}",
        "loading_map": "Chargement de la carte…", "map_failed": "Carte indisponible : {error}",
        "capped_count": " (vue plafonnée à {limit} acteurs sur {total})",
        "capped_note": "Vue tronquée : tous les acteurs ne sont pas affichés. Restreignez la vue ou exportez-la.",
        "nothing_to_show": "Aucun acteur à afficher pour ces réglages.",
        "error_status": "erreur {status}",
        "vis_missing": ("La bibliothèque de dessin (vis-network) manque : la page doit être servie par l'API "
                        "maillage."),
        # tooltips and the side panel
        "family": "Famille", "place": "Lieu", "kind": "Type", "document": "Document", "document_id": "document {id}",
        "certainty": "Certitude", "period": "Période", "source": "Source", "source_line": "Source : {source}",
        # a period's open end (maillage.writing.PERIODS): « depuis mars 2024 », « jusqu'au 1er mars 2024 »
        **{k: PERIODS["fr"][k] for k in ("since", "since_day", "until", "until_day")},
        "unknown": "inconnu",
        "loading": "Chargement…", "territory_administered": "Territoire administré", "legal_form": "Forme juridique",
        "identifiers": "Identifiants", "aliases": "Autres noms", "group_of": "Groupe de", "declared": "Déclaré ({key})",
        "phase": "Phase", "founding_year": "Année de création", "sources": "Sources",
        "placeholder_note": "Acteur mentionné sans être nommé dans la source.",
        "neighbourhood_map": "Carte de son voisinage", "pole_map": "Carte du pôle",
        "administered_button": "Territoire administré : {name}", "territory_button": "Territoire : {name}",
        "relations_heading": "Relations et leurs sources ({n})", "metrics_heading": "Métriques (dernière analyse)",
        "other_metrics": "Autres indicateurs ({n})", "run": "Mesures de {run}.",
        "no_run": "Aucune analyse n'a encore été lancée (maillage analyse).",
        "details_failed": "Détails indisponibles : {error}",
        # a pôle's diagnostic
        "pole_diagnostic": "Diagnostic du pôle", "pole_diagnostic_year": "Diagnostic du pôle en {year}",
        "founded": "Création", "perimeter": "Périmètre", "named_members": "Membres nommés",
        "core_units": "Membres et porteurs", "declared_members": "Membres déclarés",
        "families_present": "Familles présentes", "blau": "Diversité (Blau)", "density": "Densité interne",
        "centralisation": "Centralisation", "hhi": "Concentration des financements (HHI)",
        "forms": "Formes de coopération", "composition": "Composition : {list}",
        "criteria": "Critères (art. 9, Labo de l'ESS)", "diagnostic_failed": "Diagnostic indisponible : {error}",
        "density_definition": ("Part des paires de membres liées directement (liens documentés seulement : une borne "
                               "inférieure)."),
        "centralisation_definition": ("Centralisation des degrés (Freeman) : à quel point les liens internes passent "
                                      "par un seul membre ; 1 pour une étoile autour d'un membre, 0 quand chacun en "
                                      "a autant."),
        "centralisation_same_reason": "inconnue, pour la même raison que la densité interne",
        # a territory's diagnostic
        "territory_hint": "Cliquez sur un acteur ou un lien de la carte pour voir ses détails et ses sources.",
        "territory_diagnostic": "Diagnostic du territoire",
        "territory_diagnostic_year": "Diagnostic du territoire en {year}",
        "actors_located": "Acteurs situés", "in_pole": "Dans un pôle", "not_in_pole": "Hors de tout pôle",
        "isolated": "Isolés", "peripheral": "Périphériques", "documentation_gaps": "Peut-être sous-documentés",
        "poles_present": "Pôles présents", "funders": "Financeurs", "isolated_actors": "Acteurs isolés",
        "circled_one": "{n} d'entre eux est sur la carte, entouré de magenta.",
        "circled_many": "{n} d'entre eux sont sur la carte, entourés de magenta.",
        "no_isolated": "Aucun acteur isolé.",
        "members_here_one": "{n} membre ici", "members_here_many": "{n} membres ici",
        "grants_one": "{n} financement", "grants_many": "{n} financements",
        "beneficiaries_one": "{n} bénéficiaire", "beneficiaries_many": "{n} bénéficiaires",
        "grants_to": "{grants} à {beneficiaries}", "amount_known_for": " (montant connu pour {known} sur {ties})",
        "more_one": "… et {n} autre", "more_many": "… et {n} autres",
        "lists_cut": "Listes abrégées : le rapport du territoire (maillage report --territory {tid}) les donne en entier.",
        # the page opened with no view
        "poles": "Pôles", "poles_failed": "Pôles indisponibles : {error}",
        "no_poles": "Aucun pôle dans cette base : recherchez un acteur ou un territoire.",
        "poles_one": "{n} pôle", "poles_many": "{n} pôles",
        "poles_top": " ; les {n} qui comptent le plus de membres :", "poles_all": " :",
        "named_one": "{n} membre nommé", "named_many": "{n} membres nommés",
        "declared_none_named": "{n} membres déclarés, aucun nommé", "none_named": "aucun membre nommé",
    },
    "en": {
        "page_title": "Maillage — cooperation explorer", "tagline": "cooperation explorer",
        "search_label": "Search for an actor, a pôle or a territory",
        "search_placeholder": "An actor, a pôle… or a territory (Haute-Garonne, 31)",
        "family_filter": "Actor family", "all_families": "All families", "search_button": "Search",
        "settings": "View settings", "lens": "Lens", "year": "Year", "year_placeholder": "all",
        "depth": "Depth", "size": "Node size", "size_same": "the same (pôles enlarged)",
        "map": "Map", "choose_view": "Choose an actor, a pôle or a territory",
        "map_empty": "Search for an actor, a pôle or a territory to show its map, or choose a pôle alongside.",
        "legend_families": "Actor families", "legend_types": "Relation types",
        "details": "Details",
        "details_hint": ("Click an actor or a tie on the map to see its attributes, its metrics, a pôle's "
                         "diagnostic and the sources of each relation (quote, document and line)."),
        "export_view": "Export this view:", "standalone_map": "Standalone map (to share)",
        "footer": "Maillage — every piece of data comes from this server; the page loads nothing from elsewhere.",
        "openapi": "OpenAPI schema",
        "label_sep": ": ", "list_sep": "; ", "quote": "\u201c{text}\u201d", "euros": AMOUNT["en"],
        "searching": "Searching…", "search_failed": "Search failed: {error}", "no_result": "No result.",
        "territory_meta": "{level} · map of the actors located in this territory",
        "territories_one": "{n} territory", "territories_many": "{n} territories",
        "no_actor": "no actor.", "first_shown": " (the first {n})",
        "actors_one": "{n} actor", "actors_many": "{n} actors",
        "relations_one": "{n} relation", "relations_many": "{n} relations",
        "view_actor": "Neighbourhood of {name}", "view_pole": "Pôle: {name}", "view_territory": "Territory: {name}",
        "loading_map": "Loading the map…", "map_failed": "Map unavailable: {error}",
        "capped_count": " (view capped at {limit} actors out of {total})",
        "capped_note": "Capped view: not every actor is shown. Narrow the view or export it.",
        "nothing_to_show": "No actor to show with these settings.",
        "error_status": "error {status}",
        "vis_missing": "The drawing library (vis-network) is missing: the page must be served by the maillage API.",
        "family": "Family", "place": "Place", "kind": "Kind", "document": "Document", "document_id": "document {id}",
        "certainty": "Certainty", "period": "Period", "source": "Source", "source_line": "Source: {source}",
        **{k: PERIODS["en"][k] for k in ("since", "since_day", "until", "until_day")},
        "unknown": "unknown",
        "loading": "Loading…", "territory_administered": "Administered territory", "legal_form": "Legal form",
        "identifiers": "Identifiers", "aliases": "Other names", "group_of": "Group of", "declared": "Declared ({key})",
        "phase": "Phase", "founding_year": "Year founded", "sources": "Sources",
        "placeholder_note": "Actor mentioned without being named in the source.",
        "neighbourhood_map": "Map of its neighbourhood", "pole_map": "Map of the pôle",
        "administered_button": "Administered territory: {name}", "territory_button": "Territory: {name}",
        "relations_heading": "Relations and their sources ({n})", "metrics_heading": "Metrics (latest analysis)",
        "other_metrics": "Other indicators ({n})", "run": "Measures of {run}.",
        "no_run": "No analysis has been run yet (maillage analyse).",
        "details_failed": "Details unavailable: {error}",
        "pole_diagnostic": "Pôle diagnostic", "pole_diagnostic_year": "Pôle diagnostic in {year}",
        "founded": "Founded", "perimeter": "Perimeter", "named_members": "Named members",
        "core_units": "Members and carrying structures", "declared_members": "Declared members",
        "families_present": "Families present", "blau": "Diversity (Blau)", "density": "Internal density",
        "centralisation": "Centralisation", "hhi": "Funding concentration (HHI)",
        "forms": "Cooperation forms", "composition": "Composition: {list}",
        "criteria": "Criteria (art. 9, Labo de l'ESS)", "diagnostic_failed": "Diagnostic unavailable: {error}",
        "density_definition": "Share of the pairs of members directly tied (documented ties only: a lower bound).",
        "centralisation_definition": ("Degree centralisation (Freeman): how much the internal ties go through one "
                                      "member; 1 for a star around one member, 0 when every member has as many ties."),
        "centralisation_same_reason": "unknown, for the same reason as the internal density",
        "territory_hint": "Click an actor or a tie on the map to see its details and sources.",
        "territory_diagnostic": "Territory diagnostic",
        "territory_diagnostic_year": "Territory diagnostic in {year}",
        "actors_located": "Actors located", "in_pole": "In a pôle", "not_in_pole": "In no pôle",
        "isolated": "Isolated", "peripheral": "Peripheral", "documentation_gaps": "Possibly under-documented",
        "poles_present": "Pôles present", "funders": "Funders", "isolated_actors": "Isolated actors",
        "circled_one": "{n} of them is on the map, circled in magenta.",
        "circled_many": "{n} of them are on the map, circled in magenta.",
        "no_isolated": "No isolated actor.",
        "members_here_one": "{n} member here", "members_here_many": "{n} members here",
        "grants_one": "{n} grant", "grants_many": "{n} grants",
        "beneficiaries_one": "{n} beneficiary", "beneficiaries_many": "{n} beneficiaries",
        "grants_to": "{grants} to {beneficiaries}", "amount_known_for": " (amount known for {known} of {ties})",
        "more_one": "… and {n} more", "more_many": "… and {n} more",
        "lists_cut": "Shortened lists: the territory report (maillage report --territory {tid}) gives them in full.",
        "poles": "Pôles", "poles_failed": "Pôles unavailable: {error}",
        "no_poles": "No pôle in this store: search for an actor or a territory.",
        "poles_one": "{n} pôle", "poles_many": "{n} pôles",
        "poles_top": "; the {n} with the most members:", "poles_all": ":",
        "named_one": "{n} named member", "named_many": "{n} named members",
        "declared_none_named": "{n} declared members, none named", "none_named": "no named member",
    },
}


def explorer_config(lang: str = "fr") -> dict[str, Any]:
    """What the explorer page needs from the vocabulary, as plain data: families (label,
    colour), relation types (label, colour, dash style, direction, lenses, field labels and
    enumeration labels), lenses, certainty, declared-size and pôle-phase labels, metric labels,
    export formats, the ``marks`` of a territory's flagged actors (:data:`RINGS`: colour and
    ring width, with the legend line and the tooltip row of the static maps), the names of the
    territory levels and every text the script shows (``strings``: :data:`EXPLORER_STRINGS`),
    all in ``lang``.

    >>> cfg = explorer_config()
    >>> next(f for f in cfg["families"] if f["name"] == "pole")["label"]
    'Pôle'
    >>> cfg["lenses"][0]["name"]
    'all'
    >>> [(m["name"], m["border"]) for m in cfg["marks"]]
    [('isolated', '#d100d1'), ('peripheral', '#ff6a00')]
    >>> explorer_config("en")["strings"]["family"], cfg["levels"]["epci"]
    ('Family', 'Intercommunalité (EPCI)')
    """
    _check_lang(lang)
    from maillage.analytics.metrics import METRICS
    from maillage.analytics.report import LENS_LABELS, METRIC_LABELS
    from maillage.api.service import level_label

    voc = vocabulary()
    types = []
    for t in voc.relation_types.values():
        fields = {}
        for name, spec in t.fields.items():
            values = {v: spec.value_label(v, lang) for v in spec.values}
            fields[name] = {"label": spec.label(lang), "unit": spec.unit, "type": spec.type, "values": values}
        types.append({"name": t.name, "label": t.label(lang), "colour": t.colour, "style": t.style,
                      "directed": t.directed, "lenses": list(t.lenses), "fields": fields})
    lenses = sorted(voc.lenses(), key=lambda x: (x != "all", x))
    labels = METRIC_LABELS.get(lang, METRIC_LABELS["fr"])
    try:
        from maillage.api.exports import EXPORT_FORMATS
        exports = list(EXPORT_FORMATS)
    except ImportError:  # pragma: no cover - the exports module is part of the package
        exports = ["json", "csv", "gexf", "graphml", "kumu.xlsx", "ftm.jsonl"]
    return {
        "lang": lang,
        "families": [{"name": f.name, "label": f.label(lang), "colour": f.colour, "personal": f.personal_data}
                     for f in voc.families.values()],
        "types": types,
        "lenses": [{"name": x, "label": _capital(LENS_LABELS.get(lang, LENS_LABELS["fr"]).get(x, x))} for x in lenses],
        "certainty": {k: term.label(lang) for k, term in voc.enum("certainty").items()},
        "declared": {k: term.label(lang) for k, term in voc.enum("declared_sizes").items()},
        "phases": {k: term.label(lang) for k, term in voc.enum("phases").items()},
        "marks": [{"name": kind, "border": colour, "width": width, "swatch": swatch, "legend": STRINGS[lang][kind],
                   "row": STRINGS[lang][kind + "_row"]} for kind, (colour, width, swatch) in RINGS.items()],
        "metrics": ([{"name": m, "label": labels.get(m, m), "sizable": m not in NOT_SIZES, "main": m in MAIN_METRICS}
                     for m in METRICS]
                    + [{"name": f"brokerage_{role}", "label": metric_label(f"brokerage_{role}", lang), "sizable": True,
                        "main": False} for role in _brokerage_roles(lang)]),
        "exports": exports,
        "attributes": ATTRIBUTE_LABELS[lang], "attribute_values": ATTRIBUTE_VALUES[lang],
        "levels": {x: level_label(x, lang) for x in ("region", "departement", "epci", "commune")},
        "strings": EXPLORER_STRINGS[lang],
        # a relation's dates in words (« 1er mars 2024 », "March 2024") as maillage.writing.date_text writes them
        "dates": date_words(lang),
        "name_scaling": NAME_SCALING,
    }


@lru_cache(maxsize=4)
def explorer_page(lang: str = "fr") -> str:
    """The explorer page served at ``GET /``: ``static/index.html`` (a template: its texts are
    :data:`EXPLORER_STRINGS` in ``lang``) with vis-network's JS and CSS (from the installed pyvis
    package) and :func:`explorer_config` inlined, so the page needs nothing but this server
    (``/static/explorer.js``, ``/static/explorer.css`` and the API).

    >>> page = explorer_page()
    >>> 'id="vocabulaire-explorateur"' in page and "<!-- vis-network -->" not in page
    True
    >>> '<html lang="en">' in explorer_page("en") and 'placeholder="An actor, a pôle' in explorer_page("en")
    True
    """
    _check_lang(lang)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    html = env.from_string((STATIC_DIR / "index.html").read_text(encoding="utf-8")).render(
        lang=lang, t=EXPLORER_STRINGS[lang])
    js, css = _vis_assets()
    parts = {
        "<!-- vis-network-css -->": f"<style>{css}</style>",
        "<!-- vocabulaire -->": ('<script type="application/json" id="vocabulaire-explorateur">'
                                 f"{_json_for_script(explorer_config(lang))}</script>"),
        "<!-- vis-network -->": f"<script>{js}</script>",
    }
    for marker, text in parts.items():
        if html.count(marker) != 1:  # pragma: no cover - guards the template
            raise RuntimeError(f"index.html must hold the marker {marker} once")
        html = html.replace(marker, text)
    return html


__all__ = ["render_map", "map_page", "source_labels", "SourceLabels", "write_map", "run_notices", "aggregate", "Aggregation", "Group", "metric_label",
           "vis_network_js", "explorer_page", "explorer_config", "EXPLORER_STRINGS", "view_marks", "isolated_map_marks", "RINGS", "STATIC_DIR", "layout", "STRINGS", "AGG_STRINGS",
           "AGGREGATE_ABOVE", "VIS_VERSION"]
