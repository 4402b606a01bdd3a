"""Gould–Fernandez brokerage roles: who mediates between which groups.

For every *open two-path* a → b → c (a ≠ c, no tie a → c) the middle actor b is a broker,
and its role depends on the groups of a, b and c (Gould, R. V., Fernandez, R. M. (1989).
Structures of mediation: a formal approach to brokerage in transaction networks.
*Sociological Methodology* 19, 89–126)::

    coordinator     [a b c]      all three in one group                      (sna: w_I)
    consultant      [a c] [b]    itinerant broker: a and c together, b apart (sna: w_O)
    representative  [a b] [c]    b speaks for its own group to another       (sna: b_IO)
    gatekeeper      [a] [b c]    b lets an outsider into its own group       (sna: b_OI)
    liaison         [a] [b] [c]  three different groups                      (sna: b_O)

Conventions are those of R's ``sna::brokerage`` (Butts, C. T., *sna: Tools for Social
Network Analysis*, C routine ``brokerage_R`` in ``gli.c``), the implementation researchers
use: ordered two-paths of a directed graph are counted; an undirected graph is read as
symmetric (each edge both ways), so there a path a — b — c is counted twice, once as
(a, c) and once as (c, a), and *representative* and *gatekeeper* counts coincide. Self-loops
and parallel edges are ignored. Actors without a group (``None`` or NaN) take part in no
counted path: the counts are those of the subgraph of grouped actors; ungrouped actors are
reported with zeros (and NaN expectations).

Counting is vectorised: open pairs come from group histograms of each broker's in- and
out-neighbours, minus the pairs a = c and minus the closed pairs, which are read from the
triangles of the graph, enumerated once with degree ordering (Chiba, N., Nishizeki, T.
(1985). Arboricity and subgraph listing algorithms. *SIAM J. Comput.* 14(1), 210–223).

>>> import networkx as nx
>>> G = nx.DiGraph([("a", "b"), ("b", "c")])
>>> brokerage(G, {"a": "x", "b": "y", "c": "y"})["b"]["gatekeeper"]
1.0
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from types import MappingProxyType

import networkx as nx
import numpy as np

from maillage.runtime import gc_paused

#: The five Gould–Fernandez roles, in ``sna::brokerage`` column order (w_I, w_O, b_IO, b_OI, b_O).
ROLES: tuple[str, ...] = ("coordinator", "consultant", "representative", "gatekeeper", "liaison")
#: Key of the per-actor sum of the five roles (sna's ``t``): every open two-path through the actor.
TOTAL = "total"
#: The metric names a run stores for the roles (``brokerage_<role>``): counts of two-paths, whole numbers.
COUNT_METRICS = frozenset(f"brokerage_{r}" for r in (*ROLES, TOTAL))
#: Column names of ``sna::brokerage`` for each role.
SNA_NAMES = MappingProxyType({"coordinator": "w_I", "consultant": "w_O", "representative": "b_IO",
                              "gatekeeper": "b_OI", "liaison": "b_O", TOTAL: "t"})

_LABELS = {
    "fr": {"coordinator": "coordinateur", "consultant": "consultant (itinérant)",
           "representative": "représentant", "gatekeeper": "gardien (gatekeeper)",
           "liaison": "agent de liaison", TOTAL: "total des rôles de courtage"},
    "en": {"coordinator": "coordinator", "consultant": "itinerant broker (consultant)",
           "representative": "representative", "gatekeeper": "gatekeeper",
           "liaison": "liaison", TOTAL: "total brokerage"},
}

Groups = Mapping[Hashable, Hashable] | str
RoleTable = dict[Hashable, dict[str, float]]


def role_labels(lang: str = "fr") -> dict[str, str]:
    """Display labels of the brokerage roles (and of ``"total"``), French by default,
    English with ``lang="en"`` (roles of Gould, R. V., Fernandez, R. M. (1989). Structures of
    mediation. *Sociological Methodology* 19, 89–126). An unknown ``lang`` falls back to French.

    >>> role_labels()["gatekeeper"]
    'gardien (gatekeeper)'
    >>> role_labels("en")["consultant"]
    'itinerant broker (consultant)'
    """
    return dict(_LABELS.get(lang, _LABELS["fr"]))


#: French labels of the roles (``role_labels("fr")``).
brokerage_roles_fr: Mapping[str, str] = MappingProxyType(role_labels("fr"))


# --------------------------------------------------------------------------------------------
# Preparation: node index, group codes, arcs among grouped actors


def _unique(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct values, the index of each value of ``x`` among them, and their counts
    (sort-based: plain ``np.unique`` can be 50× slower on large int64 arrays)."""
    order = np.argsort(x, kind="stable")
    sx = x[order]
    first = np.ones(sx.size, bool)
    first[1:] = sx[1:] != sx[:-1]
    inverse = np.empty(x.size, np.int64)
    inverse[order] = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, sx.size))
    return sx[first], inverse, counts


def _missing(g: object) -> bool:
    return g is None or (isinstance(g, float) and math.isnan(g))


@dataclass
class _Prepared:
    nodes: list[Hashable]
    codes: np.ndarray            # group code per node, -1 = no group
    group_values: list[Hashable]  # code -> group value
    src: np.ndarray              # arcs among grouped actors: no loops, no duplicates
    dst: np.ndarray


def _prepare(G: nx.Graph, groups: Groups) -> _Prepared:
    nodes = list(G.nodes)
    if isinstance(groups, str):
        raw = [G.nodes[v].get(groups) for v in nodes]
    elif isinstance(groups, Mapping):
        raw = [groups.get(v) for v in nodes]
    else:
        raise TypeError("groups must be a mapping node -> group or the name of a node attribute")
    index_of: dict[Hashable, int] = {}
    group_values: list[Hashable] = []
    codes = np.full(len(nodes), -1, dtype=np.int64)
    for i, g in enumerate(raw):
        if _missing(g):
            continue
        c = index_of.get(g)
        if c is None:
            c = index_of[g] = len(group_values)
            group_values.append(g)
        codes[i] = c
    n = len(nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    # G.adj: successors of a digraph, both directions of an undirected edge; a multigraph's
    # parallel edges appear once per neighbour
    adj = G.adj
    deg = np.fromiter((len(adj[v]) for v in nodes), np.int64, count=n)
    dst = np.fromiter(chain.from_iterable(map(idx.__getitem__, adj[v]) for v in nodes),
                      np.int64, count=int(deg.sum()))
    src = np.repeat(np.arange(n, dtype=np.int64), deg)
    keep = (src != dst) & (codes[src] >= 0) & (codes[dst] >= 0)
    key = _unique(src[keep] * n + dst[keep])[0]
    return _Prepared(nodes, codes, group_values, key // max(n, 1), key % max(n, 1))


# --------------------------------------------------------------------------------------------
# Structure: everything that does not depend on the groups (reused by permutations)


@dataclass
class _Structure:
    n: int
    src: np.ndarray
    dst: np.ndarray
    indeg: np.ndarray
    outdeg: np.ndarray
    recip: np.ndarray            # mask over arcs a -> b whose reverse b -> a exists
    tri: np.ndarray              # (3, T) vertices x, y, z of each triangle of the underlying graph
    closed: np.ndarray           # (6, T) which of the 6 orderings (a, b, c) is a closed two-path

    @property
    def n_arcs(self) -> int:
        return int(self.src.size)


# the 6 orderings (a, b, c) of a triangle (x, y, z) = positions (0, 1, 2)
_ORDERINGS = ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))


def _structure(src: np.ndarray, dst: np.ndarray, n: int, chunk: int = 1 << 22) -> _Structure:
    indeg = np.bincount(dst, minlength=n)
    outdeg = np.bincount(src, minlength=n)
    key = src * n + dst                   # sorted: _prepare sorts, renumbering keeps order
    rkey = dst * n + src
    pos = np.searchsorted(key, rkey).clip(max=max(key.size - 1, 0))
    recip = key[pos] == rkey if key.size else np.zeros(0, bool)

    # underlying simple undirected graph, with the direction flags of each edge
    lo_end, hi_end = np.minimum(src, dst), np.maximum(src, dst)
    ukey, inv, _ = _unique(lo_end * n + hi_end)
    fwd = np.zeros(ukey.size, bool)
    bwd = np.zeros(ukey.size, bool)
    fwd[inv[src < dst]] = True
    bwd[inv[src > dst]] = True
    eu, ev = ukey // max(n, 1), ukey % max(n, 1)
    deg = np.bincount(eu, minlength=n) + np.bincount(ev, minlength=n)
    rank = np.empty(n, np.int64)
    rank[np.lexsort((np.arange(n), deg))] = np.arange(n)
    # orient every edge from lower to higher (degree, index) rank
    low = np.where(rank[eu] < rank[ev], eu, ev)
    high = eu + ev - low
    order = np.lexsort((high, low))
    low, high, eid = low[order], high[order], order
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(low, minlength=n), out=indptr[1:])
    E = low.size
    later = indptr[low + 1] - np.arange(E) - 1            # later positions in the same row
    cum = np.cumsum(later)
    parts_tri, parts_e = [], []
    start = 0
    while start < E:
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + chunk, side="right"))
        stop = max(stop, start + 1)
        c = later[start:stop]
        P = np.repeat(np.arange(start, stop), c)
        if P.size:
            offs = np.arange(P.size) - np.repeat(np.cumsum(c) - c, c)
            Q = P + 1 + offs
            y, z = high[P], high[Q]
            k = np.minimum(y, z) * n + np.maximum(y, z)
            at = np.searchsorted(ukey, k).clip(max=ukey.size - 1)
            hit = ukey[at] == k
            parts_tri.append(np.stack([low[P[hit]], y[hit], z[hit]]))
            parts_e.append(np.stack([eid[P[hit]], eid[Q[hit]], at[hit]]))   # xy, xz, yz
        start = stop
    if parts_tri:
        tri = np.concatenate(parts_tri, axis=1)
        te = np.concatenate(parts_e, axis=1)
    else:
        tri = np.zeros((3, 0), np.int64)
        te = np.zeros((3, 0), np.int64)
    edge_of = {(0, 1): te[0], (0, 2): te[1], (1, 2): te[2]}

    def arc(i: int, j: int) -> np.ndarray:               # does tri[i] -> tri[j] exist?
        e = edge_of[(min(i, j), max(i, j))]
        return np.where(tri[i] < tri[j], fwd[e], bwd[e])

    closed = np.stack([arc(a, b) & arc(b, c) & arc(a, c) for a, b, c in _ORDERINGS]) \
        if tri.shape[1] else np.zeros((6, 0), bool)
    return _Structure(n, src, dst, indeg, outdeg, recip, tri.astype(np.int64), closed)


_DENSE_HISTOGRAMS = 1 << 24      # above n × groups cells, histograms are built sparse


def _role_index(ga: np.ndarray, gb: np.ndarray, gc: np.ndarray) -> np.ndarray:
    """Role index (position in ROLES) of two-paths with groups ga, gb, gc (sna's order of tests)."""
    ab, bc, ac = ga == gb, gb == gc, ga == gc
    return np.select([ab & bc, ab, bc, ac], [0, 2, 3, 1], default=4)


def _counts(s: _Structure, codes: np.ndarray) -> np.ndarray:
    """(n, 5) int64 counts of open two-paths per broker and role, for group codes ``codes``."""
    n = s.n
    src, dst = s.src, s.dst
    n_groups = int(codes.max()) + 1 if codes.size else 0
    ga, gc = codes[src], codes[dst]
    same = ga == gc
    ind, outd = s.indeg.astype(np.int64), s.outdeg.astype(np.int64)
    in_same = np.bincount(dst, weights=same, minlength=n).astype(np.int64)
    out_same = np.bincount(src, weights=same, minlength=n).astype(np.int64)
    # pairs (a in In(b), c in Out(b)) with group(a) == group(c): sum over groups of hin * hout,
    # hin / hout the group histograms of b's in- and out-neighbours
    if n * n_groups <= _DENSE_HISTOGRAMS:
        hin = np.bincount(dst * n_groups + ga, minlength=n * n_groups)
        hout = np.bincount(src * n_groups + gc, minlength=n * n_groups)
        dot = (hin * hout).reshape(n, n_groups).sum(axis=1) if n_groups else np.zeros(n, np.int64)
    else:                                                  # many groups: sparse histograms
        kin, _, cin = _unique(dst * n_groups + ga)
        kout, _, cout = _unique(src * n_groups + gc)
        common, i_in, i_out = np.intersect1d(kin, kout, assume_unique=True, return_indices=True)
        dot = np.zeros(n, np.int64)
        np.add.at(dot, common // n_groups, cin[i_in] * cout[i_out])
    out = np.empty((n, 5), np.int64)
    out[:, 0] = in_same * out_same
    out[:, 1] = dot - in_same * out_same
    out[:, 2] = in_same * (outd - out_same)
    out[:, 3] = (ind - in_same) * out_same
    out[:, 4] = (ind - in_same) * (outd - out_same) - out[:, 1]
    # minus the pairs a == c (a -> b -> a): coordinator if a is in b's group, else consultant
    r = s.recip
    out[:, 0] -= np.bincount(dst[r & same], minlength=n)
    out[:, 1] -= np.bincount(dst[r & ~same], minlength=n)
    # minus the closed pairs (a -> c exists), read from the triangles
    if s.tri.shape[1]:
        g = codes[s.tri]
        flat = np.zeros(n * 5, np.int64)
        for o, (a, b, c) in enumerate(_ORDERINGS):
            m = s.closed[o]
            if m.any():
                role = _role_index(g[a, m], g[b, m], g[c, m])
                flat += np.bincount(s.tri[b, m] * 5 + role, minlength=n * 5)
        out -= flat.reshape(n, 5)
    return out


def _grouped(prep: _Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Indices of grouped nodes and the arcs renumbered among them."""
    keep = np.flatnonzero(prep.codes >= 0)
    new = np.full(prep.codes.size, -1, np.int64)
    new[keep] = np.arange(keep.size)
    return keep, new


def _analyse(G: nx.Graph, groups: Groups) -> tuple[_Prepared, np.ndarray, _Structure, np.ndarray]:
    prep = _prepare(G, groups)
    keep, new = _grouped(prep)
    s = _structure(new[prep.src], new[prep.dst], keep.size)
    return prep, keep, s, prep.codes[keep]


def _check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    roles = tuple(roles)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown brokerage role(s) {unknown}; known: {list(ROLES)}")
    return roles


def _table(nodes: list[Hashable], keep: np.ndarray, values: np.ndarray, roles: tuple[str, ...],
           fill: float) -> RoleTable:
    """{node: {role: value, ..., total: value}} in G's node order, from an (n_kept, 6) array
    (5 roles + total) over the grouped nodes ``keep``; other nodes get ``fill``."""
    cols = [ROLES.index(r) for r in roles] + [5]
    names = (*roles, TOTAL)
    with gc_paused():
        rows = [dict(zip(names, r)) for r in np.asarray(values, dtype=float)[:, cols].tolist()]
        if keep.size == len(nodes):
            return dict(zip(nodes, rows))
        at = dict(zip(keep.tolist(), rows))
        return {v: at[i] if i in at else dict.fromkeys(names, fill) for i, v in enumerate(nodes)}


def _with_total(counts: np.ndarray) -> np.ndarray:
    return np.column_stack([counts, counts.sum(axis=1)])


# --------------------------------------------------------------------------------------------
# Public API


def brokerage(G: nx.Graph, groups: Groups, roles: Iterable[str] = ROLES) -> RoleTable:
    """Gould–Fernandez brokerage counts: for each actor b, the number of open two-paths
    a → b → c (a ≠ c, no tie a → c) in each role, plus ``"total"`` (all five roles).

    Roles (Gould, R. V., Fernandez, R. M. (1989). Structures of mediation: a formal approach
    to brokerage in transaction networks. *Sociological Methodology* 19, 89–126), by the groups
    of a, b, c: *coordinator* [a b c], *consultant* (itinerant) [a c][b], *representative*
    [a b][c], *gatekeeper* [a][b c], *liaison* [a][b][c].

    ``G``: ``nx.DiGraph`` (ordered two-paths) or ``nx.Graph`` (read as symmetric, as
    ``sna::brokerage`` does: every path a — b — c counts twice, as (a, c) and (c, a), and
    representative = gatekeeper); multigraphs accepted; self-loops and parallel edges ignored.
    ``groups``: a mapping actor → group, or the name of a node attribute (e.g. ``"family"``).
    Actors without a group (``None``, NaN, absent) take part in no counted path and get zeros.
    ``roles``: the roles to report (``"total"`` is always reported and always sums all five).
    Values are floats (exact integer counts).

    >>> G = nx.Graph([(1, 2), (2, 3)])
    >>> brokerage(G, {1: "ess", 2: "collectivite", 3: "ess"})[2]
    {'coordinator': 0.0, 'consultant': 2.0, 'representative': 0.0, 'gatekeeper': 0.0, 'liaison': 0.0, 'total': 2.0}
    """
    roles = _check_roles(roles)
    prep, keep, s, codes = _analyse(G, groups)
    return _table(prep.nodes, keep, _with_total(_counts(s, codes)).astype(float), roles, 0.0)


@dataclass(frozen=True)
class BrokerageAnalysis:
    """Observed brokerage counts with their expectation under a null model.

    Per actor (``{actor: {role: value}}``, roles of :data:`ROLES` plus ``"total"``): ``raw``
    (sna ``raw.nli``), ``expected`` (``exp.nli``), ``sd`` (``sd.nli``), ``z`` = (raw −
    expected) / sd (``z.nli``; NaN where sd = 0, and for actors without a group). Whole graph
    (``{role: value}``): ``global_raw`` (``raw.gli``), ``global_expected`` (``exp.gli``),
    ``global_sd`` and ``global_z``: the exact whole-graph sd and z — sna's ``sd.gli`` is
    kept as ``global_sd_sna``; it differs for coordinator, representative, gatekeeper and
    total, see :func:`brokerage_analysis`. ``null`` names the model:
    ``"bernoulli"`` (Gould–Fernandez / sna, analytic) or ``"permutation"`` (group labels
    shuffled, ``n_permutations`` draws with ``seed``; then ``p_upper`` holds the one-sided
    permutation p-value (k + 1) / (R + 1) of a count at least as large as observed).
    """

    null: str
    raw: RoleTable
    expected: RoleTable
    sd: RoleTable
    z: RoleTable
    global_raw: dict[str, float]
    global_expected: dict[str, float]
    global_sd: dict[str, float]
    global_z: dict[str, float]
    group_sizes: dict[Hashable, int]
    n_actors: int            # grouped actors (sna's N)
    n_arcs: int              # directed arcs among them (sna's m; an undirected edge counts 2)
    density: float           # m / (N (N − 1))
    group_expected: dict[Hashable, dict[str, float]] = field(default_factory=dict)
    group_sd: dict[Hashable, dict[str, float]] = field(default_factory=dict)
    global_sd_sna: dict[str, float] = field(default_factory=dict)
    p_upper: RoleTable = field(default_factory=dict)
    n_permutations: int = 0
    seed: int | None = None


_ALL = (*ROLES, TOTAL)


def _z(raw: np.ndarray, exp: np.ndarray, sd: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (raw - exp) / sd
    return np.where(sd > 0, z, np.nan)


def _sna_moments(sizes: list[int], N: int, d: float) -> tuple[np.ndarray, np.ndarray, list[float], list[float]]:
    """sna::brokerage's expectations and variances, transcribed from its R code: per broker's
    group (G × 6 arrays) and global (6 values; sna's variances, not all exact), columns in
    ROLES order + total. Combinatorial factors are exact integers (sna's R sums over groups
    are expanded into power sums, so thousands of groups cost nothing)."""
    p = d * d * (1 - d)
    a3 = d ** 3 * (1 - d) ** 3
    a4 = d ** 4 * (1 - d) ** 2
    a5 = d ** 5 * (1 - d)
    P = [sum(x ** t for x in sizes) for t in range(5)]     # power sums
    G = len(sizes)
    e = np.zeros((G, 6))
    v = np.zeros((G, 6))
    for i, ni in enumerate(sizes):
        M = N - ni
        s1, s2, s3 = P[1] - ni, P[2] - ni ** 2, P[3] - ni ** 3          # sums over other groups
        pairs = [(ni - 1) * (ni - 2),
                 (s2 - s1),                                            # sum n_j (n_j - 1)
                 M * (ni - 1), M * (ni - 1),
                 M * M - s2,
                 (N - 1) * (N - 2)]
        share = [2 * (ni - 1) * (ni - 2) * (ni - 3),
                 2 * (s3 - 3 * s2 + 2 * s1),                           # 2 sum n_j (n_j-1)(n_j-2)
                 2 * ((ni - 1) * M * (M - 1) // 2 + M * (ni - 1) * (ni - 2) // 2),
                 0,
                 2 * (M * (M - 1) * s1 - (2 * M - 1) * s2 + s3),       # 4 sum n_j C(M - n_j, 2)
                 2 * (N - 1) * (N - 2) * (N - 3)]
        share[3] = share[2]
        for k in range(6):
            e[i, k] = p * pairs[k]
            v[i, k] = e[i, k] * (1 - p) + share[k] * a3
    # global (sna's exp.gli / sd.gli)
    n = sizes
    c1 = sum(x * (x - 1) * (x - 2) for x in n)
    eg = [p * c1]
    vg = [eg[0] * (1 - p) + sum(x * (x - 1) * (x - 2) * ((4 * x - 10) * a3 - 4 * (x - 3) * a4 + (x - 3) * a5)
                                for x in n)]
    c2 = sum(x * (N - x) * (x - 1) for x in n)
    eg.append(p * c2)
    A3 = sum(x * (x - 1) * ((2 * x - 6) * P[1] + 2 * P[2]) - x * x * (x - 1) * (4 * x - 6) for x in n)
    A5 = sum(x * (x - 1) * (N - x - 1) * (P[1] - x) for x in n)
    vg.append(eg[1] * (1 - p) + A3 * a3 + A5 * a5)
    eg.append(p * c2)
    vg.append(eg[2] * (1 - p) + sum(x * (N - x) * (x - 1) * ((N - 3) * a3 + (x - 2) * a5) for x in n))
    eg.append(eg[2])
    vg.append(vg[2])
    eg.append(p * (N * P[1] ** 2 - 2 * P[1] * P[2] - (N * P[2] - 2 * P[3])))

    def distinct(pq: tuple[int, int, int]) -> int:
        # sum over ordered triples of distinct groups of n_i^p n_j^q n_k^r (Möbius inversion)
        a, b, c = pq
        return (P[a] * P[b] * P[c] - P[a + b] * P[c] - P[b + c] * P[a] - P[a + c] * P[b]
                + 2 * P[a + b + c])

    D111, D211, D121, D112 = (distinct(t) for t in ((1, 1, 1), (2, 1, 1), (1, 2, 1), (1, 1, 2)))
    # n_i n_j n_k [(4(N-n_j) - 2(n_i+n_k+1)) a3 - (4(N-n_k) - 2(n_i+n_j+1)) a4 + (N-(n_i+n_k+1)) a5]
    t3 = (4 * N - 2) * D111 - 2 * D211 - 4 * D121 - 2 * D112
    t4 = (4 * N - 2) * D111 - 2 * D211 - 2 * D121 - 4 * D112
    t5 = (N - 1) * D111 - D211 - D112
    vg.append(eg[4] * (1 - p) + t3 * a3 - t4 * a4 + t5 * a5)
    eg.append(p * N * (N - 1) * (N - 2))
    vg.append(eg[5] * (1 - p) + N * (N - 1) * (N - 2) * ((4 * N - 10) * a3 - 4 * (N - 3) * a4 + (N - 3) * a5))
    return e, v, eg, vg


def _set_partitions(items: list) -> Iterable[list[list]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _set_partitions(rest):
        yield [[first], *part]
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1:]]


def _falling(n: int, k: int) -> int:
    return math.prod(range(n - k + 1, n + 1)) if k <= n else 0


def _role_of(ga: int, gb: int, gc: int) -> int:
    return 0 if ga == gb == gc else 2 if ga == gb else 3 if gb == gc else 1 if ga == gc else 4


# Triples t' = (a', b', c') sharing an ordered pair with t = (a, b, c), written in the
# variables a, b, c and x (a fourth actor): "pp" share a present arc (covariance
# d³(1−d)³), "aa" share the absent arc a → c (d⁵(1−d)), "cf" need an arc both present and
# absent (covariance −p² = −d⁴(1−d)²). Every t' ≠ t sharing an arc with t is listed once.
_SHARING = (("pp", "abx"), ("pp", "xab"), ("pp", "cab"), ("pp", "bcx"), ("pp", "bca"), ("pp", "xbc"),
            ("aa", "axc"),
            ("cf", "acx"), ("cf", "acb"), ("cf", "xac"), ("cf", "bac"), ("cf", "axb"), ("cf", "bxc"))


def _exact_global_variance(sizes: list[int], d: float) -> list[float]:
    """Exact variance of each whole-graph count (ROLES + total) in a Bernoulli(d) digraph with
    fixed group sizes: Σ_t p(1−p) + Σ_{t≠t'} cov, the covariances counted over the patterns of
    group equality of the actors involved (exact integers, Möbius inversion over set
    partitions for 'distinct groups')."""
    cache: dict[tuple[int, ...], int] = {}

    def per_group(ks: tuple[int, ...]) -> int:          # Σ_g Π_j (n_g)_{k_j}
        if ks not in cache:
            cache[ks] = sum(math.prod(_falling(n, k) for k in ks) for n in sizes)
        return cache[ks]

    def labelings(blocks: list[int]) -> int:           # actors tuples with exactly this pattern
        total = 0
        for sigma in _set_partitions(list(range(len(blocks)))):
            term = 1
            for b in sigma:
                term *= (-1) ** (len(b) - 1) * math.factorial(len(b) - 1) \
                    * per_group(tuple(sorted(blocks[j] for j in b)))
            total += term
        return total

    size = [0] * 6
    for part in _set_partitions(list("abc")):
        lab = {v: i for i, blk in enumerate(part) for v in blk}
        c = labelings([len(blk) for blk in part])
        size[_role_of(lab["a"], lab["b"], lab["c"])] += c
        size[5] += c
    cov = {kind: [0] * 6 for kind in ("pp", "aa", "cf")}
    for kind, other in _SHARING:
        for part in _set_partitions(sorted(set("abc") | set(other))):
            lab = {v: i for i, blk in enumerate(part) for v in blk}
            c = labelings([len(blk) for blk in part])
            r = _role_of(lab["a"], lab["b"], lab["c"])
            if r == _role_of(*(lab[v] for v in other)):
                cov[kind][r] += c
            cov[kind][5] += c
    p = d * d * (1 - d)
    a3, a4, a5 = d ** 3 * (1 - d) ** 3, d ** 4 * (1 - d) ** 2, d ** 5 * (1 - d)
    return [size[r] * p * (1 - p) + cov["pp"][r] * a3 - cov["cf"][r] * a4 + cov["aa"][r] * a5
            for r in range(6)]


def brokerage_analysis(G: nx.Graph, groups: Groups) -> BrokerageAnalysis:
    """Brokerage counts with expectations, standard deviations and z-scores under the null
    model of Gould & Fernandez (1989) as implemented in ``sna::brokerage`` (Butts): a
    Bernoulli random digraph of the observed density d = m / (N (N − 1)) on the same actors,
    **group sizes fixed**. For a broker in a group of size nᵢ, each ordered pair (a, c) of
    the right groups is an open two-path with probability d²(1 − d); e.g. E[coordinator] =
    d²(1 − d)(nᵢ − 1)(nᵢ − 2), E[total] = d²(1 − d)(N − 1)(N − 2). Variances add the
    covariance of paths sharing an arc, d³(1 − d)³ per pair; global (whole-graph) moments
    are computed exactly (Gould, R. V., Fernandez, R. M. (1989). Structures of mediation.
    *Sociological Methodology* 19, 89–126).

    Per actor and per group, expectations and sds equal sna's ``exp.nli`` / ``sd.nli`` (its
    formulas are exact; checked against every digraph on 5 actors). Whole-graph
    expectations equal sna's ``exp.gli``; whole-graph sds are the exact ones, because sna's
    ``sd.gli`` is not exact for coordinator, representative, gatekeeper and total (for the
    total it counts 4(N − 3) instead of 4N − 10 conflicting triples per triple, omitting
    (a, c, b) and (b, a, c)); sna's values are kept in ``global_sd_sna``.

    N counts the grouped actors, isolated ones included; m the arcs among them (an undirected
    edge counts twice, so d is the usual density). For an undirected graph the moments are
    those of the directed model, as in sna: expectations are exact, but (a, c) and (c, a)
    are then one path counted twice, so the true sd is larger than reported (up to ×√2) and
    z-scores are inflated. Strongly skewed (hub) networks are far from Bernoulli: read the
    z-scores as descriptive, or use :func:`brokerage_permutation`.

    >>> G = nx.DiGraph([(1, 2), (2, 3)])
    >>> r = brokerage_analysis(G, {1: "a", 2: "a", 3: "a"})
    >>> r.raw[2]["coordinator"], round(r.expected[2]["coordinator"], 4), r.density
    (1.0, 0.1481, 0.3333333333333333)
    """
    prep, keep, s, codes = _analyse(G, groups)
    raw = _with_total(_counts(s, codes)).astype(float)
    N, m = keep.size, s.n_arcs
    d = m / (N * (N - 1)) if N > 1 else 0.0
    sizes = np.bincount(codes, minlength=len(prep.group_values)).tolist() if N else []
    e, v, eg, vg = _sna_moments([int(x) for x in sizes], N, d)
    exp = e[codes] if N else np.zeros((0, 6))
    sd = np.sqrt(v[codes]) if N else np.zeros((0, 6))
    graw = raw.sum(axis=0) if N else np.zeros(6)
    gsd = np.sqrt(np.maximum(_exact_global_variance([int(x) for x in sizes], d), 0.0))
    gz = _z(graw, np.array(eg), gsd)
    nan = float("nan")
    return BrokerageAnalysis(
        null="bernoulli",
        raw=_table(prep.nodes, keep, raw, ROLES, 0.0),
        expected=_table(prep.nodes, keep, exp, ROLES, nan),
        sd=_table(prep.nodes, keep, sd, ROLES, nan),
        z=_table(prep.nodes, keep, _z(raw, exp, sd), ROLES, nan),
        global_raw=dict(zip(_ALL, graw.tolist())),
        global_expected=dict(zip(_ALL, map(float, eg))),
        global_sd=dict(zip(_ALL, gsd.tolist())),
        global_z=dict(zip(_ALL, gz.tolist())),
        group_sizes=dict(zip(prep.group_values, map(int, sizes))),
        n_actors=int(N), n_arcs=int(m), density=float(d),
        group_expected={g: dict(zip(_ALL, e[i].tolist())) for i, g in enumerate(prep.group_values)},
        group_sd={g: dict(zip(_ALL, np.sqrt(v[i]).tolist())) for i, g in enumerate(prep.group_values)},
        global_sd_sna=dict(zip(_ALL, np.sqrt(np.maximum(vg, 0.0)).tolist())),
    )


def brokerage_permutation(G: nx.Graph, groups: Groups, n_permutations: int = 1000,
                          seed: int | None = 0) -> BrokerageAnalysis:
    """Brokerage counts against a permutation null: the graph is kept and the group labels
    of the grouped actors are shuffled (group sizes kept), ``n_permutations`` times with
    ``seed``. ``expected`` and ``sd`` are the mean and standard deviation (ddof = 1) of each
    count over the permutations, ``z`` = (raw − expected) / sd (NaN where sd = 0), ``p_upper``
    the one-sided permutation p-value (k + 1) / (R + 1), k = permutations with a count ≥ the
    observed one (Phipson, B., Smyth, G. K. (2010). Permutation p-values should never be
    zero. *Stat. Appl. Genet. Mol. Biol.* 9(1), 39). Unlike the Bernoulli null of
    :func:`brokerage_analysis`, this one conditions on the degrees and the triangles, so a hub
    is not a broker "by chance" merely for having many ties; it asks whether the actor
    bridges *these* groups more than random groups of the same sizes (roles of Gould, R. V.,
    Fernandez, R. M. (1989). *Sociological Methodology* 19, 89–126). The graph's triangles are
    enumerated once; each permutation only relabels.

    >>> G = nx.Graph([(1, 2), (2, 3)])
    >>> r = brokerage_permutation(G, {1: "a", 2: "b", 3: "a"}, n_permutations=50)
    >>> r.raw[2]["total"], r.expected[2]["total"], r.sd[2]["total"]
    (2.0, 2.0, 0.0)
    """
    if n_permutations < 2:
        raise ValueError(f"n_permutations must be ≥ 2, got {n_permutations}")
    prep, keep, s, codes = _analyse(G, groups)
    raw_counts = _with_total(_counts(s, codes))
    rng = np.random.default_rng(seed)
    total = np.zeros(raw_counts.shape)
    total_sq = np.zeros(raw_counts.shape)
    ge = np.zeros(6)
    ge_sq = np.zeros(6)
    k = np.zeros(raw_counts.shape, np.int64)
    graw = raw_counts.sum(axis=0)
    for _ in range(n_permutations):
        c = _with_total(_counts(s, rng.permutation(codes)))
        total += c
        total_sq += c.astype(float) ** 2
        k += c >= raw_counts
        gc = c.sum(axis=0).astype(float)
        ge += gc
        ge_sq += gc ** 2
    R = n_permutations
    exp = total / R
    sd = np.sqrt(np.maximum(total_sq - R * exp ** 2, 0.0) / (R - 1))
    gexp = ge / R
    gsd = np.sqrt(np.maximum(ge_sq - R * gexp ** 2, 0.0) / (R - 1))
    raw = raw_counts.astype(float)
    N, m = keep.size, s.n_arcs
    nan = float("nan")
    sizes = np.bincount(codes, minlength=len(prep.group_values)).tolist() if N else []
    return BrokerageAnalysis(
        null="permutation",
        raw=_table(prep.nodes, keep, raw, ROLES, 0.0),
        expected=_table(prep.nodes, keep, exp, ROLES, nan),
        sd=_table(prep.nodes, keep, sd, ROLES, nan),
        z=_table(prep.nodes, keep, _z(raw, exp, sd), ROLES, nan),
        global_raw=dict(zip(_ALL, graw.astype(float).tolist())),
        global_expected=dict(zip(_ALL, gexp.tolist())),
        global_sd=dict(zip(_ALL, gsd.tolist())),
        global_z=dict(zip(_ALL, _z(graw.astype(float), gexp, gsd).tolist())),
        group_sizes=dict(zip(prep.group_values, map(int, sizes))),
        n_actors=int(N), n_arcs=int(m), density=float(m / (N * (N - 1))) if N > 1 else 0.0,
        p_upper=_table(prep.nodes, keep, (k + 1) / (R + 1), ROLES, nan),
        n_permutations=R, seed=seed,
    )


__all__ = ["ROLES", "TOTAL", "COUNT_METRICS", "SNA_NAMES", "brokerage_roles_fr", "role_labels", "brokerage",
           "BrokerageAnalysis", "brokerage_analysis", "brokerage_permutation"]
