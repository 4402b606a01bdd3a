"""The territory tree: load the shipped reference data and navigate it.

Levels, from finest to coarsest (ids are ``"{level}:{code}"``):

- ``commune`` — INSEE code (``commune:31555``); the unit everything rolls up from.
- ``epci`` — EPCI à fiscalité propre, identified by its SIREN (``epci:243100518``).
  An *établissement public de coopération intercommunale à fiscalité propre*
  (communauté de communes CC, d'agglomération CA, urbaine CU, métropole) is a
  grouping of communes that levies its own tax; since 2014 every commune belongs to
  exactly one (CGCT art. L5210-1-1), except four single-commune islands (Bréhat,
  Sein, Ouessant, Yeu).
- ``ept`` — établissement public territorial of the Métropole du Grand Paris
  (EPCI *without* its own tax, by SIREN). An extra level beside the contract:
  reachable by ``get``/``by_siren``/``communes_of``, never a commune's parent.
- ``departement`` — INSEE code (``departement:31``, ``departement:2A``).
- ``region`` — INSEE code of the post-2016 région (``region:76``).
- ``pays`` — the root, ``pays:FR``.

Parents are the smallest territories that contain a territory: a commune's parents
are its EPCI and its département; an EPCI's parent is its département, or its
région (or ``pays:FR``) when it spans several; a département's parent is its
région; a région's is ``pays:FR``. The *rollup* of a territory is, for each of the
four levels commune/epci/departement/region, the unique territory of that level
that contains it (``None`` where there is none or it is not unique).

Populations are INSEE's population municipale of each commune as shipped by the
package; higher levels carry the sum over their communes (one vintage throughout).
"""

from __future__ import annotations

import bisect
import functools
import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .names import FORMER_EPCI_NAMES, FORMER_REGIONS, abbreviate_form, address_form, epci_name_keys, normalize_name

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "geography" / "geography.json.gz"
LEVELS = ("commune", "epci", "ept", "departement", "region", "pays")
ROLLUP_LEVELS = ("commune", "epci", "departement", "region")
COUNTRY_ID = "pays:FR"
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


class UnknownTerritory(KeyError):
    """A territory id (or code) that is not in the reference data."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0]) if self.args else "unknown territory"


@dataclass(frozen=True, slots=True)
class Territory:
    """One territory of the reference data (immutable, hashable)."""

    id: str
    level: str
    code: str
    name: str
    siren: str | None = None
    population: int | None = None
    kind: str | None = None  # EPCI legal form: CC, CA, CU, METRO, MET69; EPT
    postal_codes: tuple[str, ...] = field(default=(), repr=False)
    # départements: INSEE's type de nom en clair, the article the name takes (3: « de la Haute-Garonne »)
    tncc: int | None = field(default=None, repr=False)


def level_rank(level: str) -> int:
    """0 for commune … 5 for pays: sort key from finest to coarsest."""
    return _LEVEL_RANK[level]


class Geography:
    """Territories, their containment and their names. Build with ``load_geography``."""

    FORMAT = 1  # layout written by scripts/build_geography.py

    def __init__(self, payload: dict):
        if payload.get("format") != self.FORMAT:
            raise ValueError(
                f"geography data format {payload.get('format')!r} is not {self.FORMAT}; "
                "rebuild it with `python scripts/build_geography.py`"
            )
        self.version: dict = dict(payload["source"])
        self._t: dict[str, Territory] = {}
        self._parents: dict[str, tuple[str, ...]] = {}
        self._communes: dict[str, tuple[str, ...]] = {}  # non-commune id -> member commune ids
        self._siren: dict[str, str] = {}
        self._code_alias: dict[str, str] = {}  # old / delegated / arrondissement code -> commune id
        self._name_alias: list[tuple[str, str]] = []  # (alias name, commune id)
        self._load(payload)

    # ------------------------------------------------------------------ loading

    def _load(self, p: dict) -> None:
        def rows(table: str) -> list[dict]:
            columns = p[table]["columns"]
            return [dict(zip(columns, r)) for r in p[table]["rows"]]

        members: dict[str, list[str]] = defaultdict(list)
        for r in rows("communes"):
            cid = f"commune:{r['code']}"
            self._add(Territory(cid, "commune", r["code"], r["name"], r["siren"], r["population"],
                                postal_codes=tuple(r["postal_codes"])))
            dep = f"departement:{r['departement']}"
            epci = f"epci:{r['epci']}" if r["epci"] else None
            self._parents[cid] = (epci, dep) if epci else (dep,)
            for container in (epci, dep, f"ept:{r['ept']}" if r["ept"] else None):
                if container:
                    members[container].append(cid)
        members[COUNTRY_ID] = list(self._t)

        def population(tid: str) -> int | None:
            ids = members.get(tid)
            return sum(self._t[c].population or 0 for c in ids) if ids else None

        departements = rows("departements")
        for r in departements:
            did, rid = f"departement:{r['code']}", f"region:{r['region']}"
            self._parents[did] = (rid,)
            members[rid].extend(members[did])
            self._add(Territory(did, "departement", r["code"], r["name"], population=population(did),
                                tncc=r.get("tncc")))
        for r in rows("regions"):
            rid = f"region:{r['code']}"
            self._parents[rid] = (COUNTRY_ID,)
            self._add(Territory(rid, "region", r["code"], r["name"], population=population(rid)))
        for level in ("epci", "ept"):
            for r in rows(level):
                tid = f"{level}:{r['siren']}"
                self._add(Territory(tid, level, r["siren"], r["name"], r["siren"], population(tid),
                                    r["kind"]))
        self._add(Territory(COUNTRY_ID, "pays", "FR", "France", population=population(COUNTRY_ID)))
        self._parents[COUNTRY_ID] = ()
        self._communes = {k: tuple(v) for k, v in members.items()}
        for tid, t in self._t.items():
            if t.level in ("epci", "ept"):
                self._parents[tid] = self._smallest_containers(tid)
        for r in rows("aliases"):
            cid = f"commune:{r['commune']}"
            self._code_alias.setdefault(r["code"], cid)
            if r["name"]:
                self._name_alias.append((r["name"], cid))

    def _add(self, t: Territory) -> None:
        self._t[t.id] = t
        if t.siren:
            self._siren.setdefault(t.siren, t.id)

    def _smallest_containers(self, tid: str) -> tuple[str, ...]:
        """Parents of an EPCI/EPT: the finest territories holding all its communes."""
        communes = self._communes.get(tid, ())
        if tid.startswith("ept:"):
            epcis = {self._parents[c][0] for c in communes if self._parents[c][0].startswith("epci:")}
            if len(epcis) == 1 and set(communes) <= set(self._communes[next(iter(epcis))]):
                return (epcis.pop(),)
        deps = {self._parents[c][-1] for c in communes}
        if len(deps) == 1:
            return (deps.pop(),)
        regions = {self._parents[d][0] for d in deps}
        return (regions.pop(),) if len(regions) == 1 else (COUNTRY_ID,)

    # ------------------------------------------------------------------ lookup

    def __repr__(self) -> str:
        v = self.version
        return f"<Geography {v.get('package')}@{v.get('version')}: {len(self._t)} territories>"

    def __len__(self) -> int:
        return len(self._t)

    def __iter__(self):
        return iter(self._t.values())

    def territories(self, level: str | None = None) -> list[Territory]:
        """All territories, or those of one level, sorted by id."""
        if level is not None and level not in _LEVEL_RANK:
            raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
        return sorted((t for t in self._t.values() if level in (None, t.level)), key=lambda t: t.id)

    def get(self, ref: str) -> Territory | None:
        """Territory for an id (``"commune:31555"``) or a bare INSEE commune code.

        Commune codes that are no longer current — arrondissements municipaux
        (``75101``), communes déléguées/associées, former codes of merged communes —
        return the current commune they belong to. Unknown references return None.
        """
        if not isinstance(ref, str):
            raise TypeError(f"territory reference must be a str, not {type(ref).__name__}")
        level, sep, code = ref.strip().rpartition(":")
        ref = f"{level if sep else 'commune'}:{code.upper()}"
        t = self._t.get(ref)
        if t is None and ref.startswith("commune:"):
            alias = self._code_alias.get(ref.removeprefix("commune:"))
            t = self._t.get(alias) if alias else None
        return t

    def _require(self, ref: str) -> Territory:
        t = self.get(ref)
        if t is None:
            raise UnknownTerritory(
                f"unknown territory {ref!r}: expected '<level>:<code>' with level in "
                f"{', '.join(LEVELS)} (e.g. 'commune:31555', 'epci:243100518') or an INSEE commune code"
            )
        return t

    def by_siren(self, siren: str) -> Territory | None:
        """Commune, EPCI or EPT whose SIREN this is (spaces ignored); else None.

        Départements and régions have no SIREN in the source data.
        """
        key = "".join(str(siren).split())
        tid = self._siren.get(key)
        return self._t[tid] if tid else None

    # ------------------------------------------------------------------ tree

    def parents(self, ref: str) -> list[str]:
        """Ids of the direct parents (smallest containing territories), finest first."""
        return list(self._parents[self._require(ref).id])

    def ancestors(self, ref: str) -> list[str]:
        """All containing territories, nearest first (breadth-first over ``parents``)."""
        seen: list[str] = []
        frontier = self.parents(ref)
        while frontier:
            frontier = sorted(frontier, key=lambda i: level_rank(i.split(":", 1)[0]))
            nxt = []
            for tid in frontier:
                if tid not in seen:
                    seen.append(tid)
                    nxt.extend(self._parents[tid])
            frontier = nxt
        return seen

    def rollup(self, ref: str) -> dict[str, str | None]:
        """For commune/epci/departement/region: the one territory of that level holding ``ref``."""
        t = self._require(ref)
        chain = [t.id, *self.ancestors(t.id)]
        out: dict[str, str | None] = {}
        for level in ROLLUP_LEVELS:
            ids = [i for i in chain if i.startswith(level + ":")]
            out[level] = ids[0] if len(ids) == 1 else None
        return out

    def communes_of(self, ref: str) -> set[str]:
        """Ids of the communes inside a territory (a commune contains itself)."""
        t = self._require(ref)
        if t.level == "commune":
            return {t.id}
        return set(self._communes.get(t.id, ()))

    def contains(self, outer: str, inner: str) -> bool:
        """True when every commune of ``inner`` lies in ``outer`` (a territory contains itself)."""
        o, i = self._require(outer), self._require(inner)
        if o.id == i.id or o.id in self.ancestors(i.id):
            return True
        return self.communes_of(i.id) <= self.communes_of(o.id)

    # ------------------------------------------------------------------ names

    @functools.cached_property
    def _names(self) -> dict[str, dict[str, list[str]]]:
        """normalised name -> level -> ids; current names, then aliases (kept apart)."""
        index: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

        def put(key: str, level: str, tid: str) -> None:
            if tid not in index[key][level]:
                index[key][level].append(tid)

        for t in self._t.values():
            keys = epci_name_keys(t.name) if t.level in ("epci", "ept") else {normalize_name(t.name)}
            for key in keys:
                put(key, t.level, t.id)
        for name, code in FORMER_REGIONS.items():
            put(normalize_name(name), "region", f"region:{code}")
        for name, siren in FORMER_EPCI_NAMES.items():  # the same body under its former name
            if f"epci:{siren}" in self._t:
                for key in epci_name_keys(name):
                    put(key, "epci", f"epci:{siren}")
        for name, cid in self._name_alias:
            put(normalize_name(name), "commune-alias", cid)
        return index

    @functools.cached_property
    def _commune_keys(self) -> tuple[list[str], list[str]]:
        pairs = sorted((normalize_name(t.name), t.id) for t in self._t.values() if t.level == "commune")
        return [k for k, _ in pairs], [i for _, i in pairs]

    def commune_prefix(self, key: str) -> list[str]:
        """Communes whose normalised name starts with the words of ``key`` (``ramonville``)."""
        if len(key) < 4:
            return []
        keys, ids = self._commune_keys
        start = key + " "
        lo = bisect.bisect_left(keys, start)
        hi = bisect.bisect_left(keys, start + "\uffff")
        return ids[lo:hi]

    @functools.cached_property
    def _alias_names(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = defaultdict(list)
        for name, cid in self._name_alias:
            index[cid].append(name)
        return dict(index)

    def commune_names(self, ref: str) -> list[str]:
        """A commune's names: its current one, then those of its communes déléguées or associées,
        former communes and arrondissements (« Équeurdreville-Hainneville » for Cherbourg-en-Cotentin)."""
        t = self._require(ref)
        return [t.name, *self._alias_names.get(t.id, [])]

    @functools.cached_property
    def _postal_index(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = defaultdict(list)
        for t in self._t.values():
            for code in t.postal_codes:
                index[code].append(t.id)
        return dict(index)

    def name_matches(self, name: str) -> dict[str, list[str]]:
        """Ids matching a name after normalisation, by level (``commune-alias`` apart); a name as an
        address writes it (``Toulouse Cedex 9``, ``Lyon 3ème``) when nothing has the name itself."""
        key = normalize_name(name)
        found = self._names.get(key, {})
        short = abbreviate_form(key)  # "communaute de communes x" is indexed as "cc x"
        if short != key and short in self._names:
            found = {**self._names[short], **found}
        if not found and (plain := address_form(key)) != key:
            found = self._names.get(plain, {})
        return found

    def by_name(self, name: str, level: str | None = None) -> list[Territory]:
        """Territories whose name equals ``name`` after normalisation, finest level first.

        Communes match on their current name; the names of communes déléguées /
        associées and arrondissements municipaux are used only when no current
        commune has that name (they return the current commune). EPCI/EPT also
        match on their name without the legal form (``Sicoval``); régions also on
        the pre-2016 names (``Lorraine`` → Grand Est).
        """
        if level is not None and level not in _LEVEL_RANK:
            raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
        found = self.name_matches(name)
        ids: list[str] = []
        for lvl in LEVELS:
            if level not in (None, lvl):
                continue
            hits = found.get(lvl, [])
            if lvl == "commune" and not hits:
                hits = found.get("commune-alias", [])
            ids.extend(sorted(hits))
        return [self._t[i] for i in ids]

    def resolve_place(self, text: str) -> list[Territory]:
        """Territories designated by free text, most precise first (see ``places``)."""
        from .places import resolve_place

        return resolve_place(self, text)


def read_payload(path: Path = DATA_PATH) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"geography data not found at {path}; rebuild it with `python scripts/build_geography.py`"
        ) from None


@functools.lru_cache(maxsize=4)
def load_geography(path: str | Path | None = None) -> Geography:
    """Load the shipped reference data once (cached); ``path`` overrides the file."""
    return Geography(read_payload(Path(path) if path else DATA_PATH))
