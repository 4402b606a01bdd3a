#!/usr/bin/env python3
"""Build the reference dataset shipped with maillage from the seed-graph extractions.

Reads the four extractions of the founding documents (``../shared/seed-graph/*_graph.json``,
with their source texts in ``../shared/seeds/*.txt``) and writes one ``maillage-jsonl``
file per extraction to ``maillage/data/reference/`` plus its ``README.md``.

The curation is faithful: every actor and every link of every extraction is kept, with
the extraction's own ids as keys (no merging, no renaming — entity resolution does that
at load time); kinds and link types are mapped to the vocabulary by the tables of
:mod:`maillage.loaders.reference_mapping`; places are resolved with
:mod:`maillage.geography` only when they resolve. The output is deterministic (same input,
same bytes), so running the script twice changes nothing.

Usage::

    .venv/bin/python scripts/build_reference.py            # rebuild in place
    .venv/bin/python scripts/build_reference.py --check    # exit 1 if the shipped files differ
    .venv/bin/python scripts/build_reference.py --out /tmp/ref --seed-graph DIR --seeds DIR
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from maillage.geography.names import former_epci_siren  # noqa: E402
from maillage.graph.model import Actor, Relation  # noqa: E402
from maillage.graph.vocabulary import vocabulary  # noqa: E402
from maillage.loaders import reference_mapping as rm  # noqa: E402

EXTRACTIONS = ("s000a", "s000b", "s001_002", "s003_004")
DEFAULT_SEED_GRAPH = ROOT.parent / "shared" / "seed-graph"
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_OUT = ROOT / "maillage" / "data" / "reference"
ALLOWED_LEVELS = ("commune", "epci", "departement", "region", "pays")  # levels a model TerritoryId takes
DECLARED_FAMILIES = frozenset({"pole", "ess", "network", "support", "tiers_lieu", "enterprise"})
CURATION = "[curation] "


# ----------------------------------------------------------------------------- helpers

def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def count_lines(text: str) -> int:
    """Physical lines as ``awk`` counts them (the last line may lack its newline)."""
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def split_ref(ref: str) -> tuple[str, str]:
    """``"000 L746"`` → ``("000", "L746")``; ranges and lists are kept as written."""
    m = re.fullmatch(r"\s*(\d{3})\s+(L.+?)\s*", ref)
    if not m:
        raise ValueError(f"reference {ref!r} is not '<document> L<line>'")
    return m.group(1), m.group(2)


def dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = str(text).strip()
    return text or None


class Places:
    """The geography, or nothing when the module is not available."""

    def __init__(self, enabled: bool = True):
        self.geo = None
        self.error = None if enabled else "disabled by --no-geography"
        if enabled:
            try:
                from maillage.geography import load_geography, place_is_inferred
                self.geo = load_geography()
                self.inferred = place_is_inferred
            except Exception as e:  # pragma: no cover - only when the module is missing
                self.error = f"{type(e).__name__}: {e}"

    def resolve(self, text: str | None) -> list:
        if self.geo is None or not text:
            return []
        return list(self.geo.resolve_place(text))

    def is_inferred(self, text: str | None) -> bool:
        return bool(self.geo is not None and text and self.inferred(text))

    def usable(self, territories: list) -> tuple[str | None, str | None]:
        """The territory a list of matches designates, as an id the model accepts.

        Returns ``(id, ept)`` where ``ept`` is the id of an établissement public territorial
        stood in for by its département (the model has no ``ept`` level). When the text
        names several places that do not contain each other ("Vaucluse (Pays d'Apt,
        Lauris)", "Paris, Seine-Saint-Denis, Val-de-Marne"), the place is the smallest
        territory containing them all — not the first one named.
        """
        ids, ept = [], None
        for t in territories:
            tid = t.id
            if t.level == "ept":
                deps = {self.geo.rollup(c)["departement"] for c in self.geo.communes_of(t.id)}
                if len(deps) != 1 or None in deps:
                    continue
                tid, ept = deps.pop(), t.id
            if tid.split(":")[0] in ALLOWED_LEVELS and tid not in ids:
                ids.append(tid)
        if not ids:
            return None, None
        if len(ids) == 1:
            return ids[0], ept
        common = None
        for tid in ids:
            chain = [tid, *self.geo.ancestors(tid)]
            common = chain if common is None else [c for c in common if c in chain]
        common = [c for c in (common or []) if c.split(":")[0] in ALLOWED_LEVELS]
        return (common[0] if common else None), ept


# ----------------------------------------------------------------------------- actors

def build_actor(a: dict, places: Places, stats: Counter, carries_pole: tuple[str, str] | None = None) -> dict:
    """One actor line. ``carries_pole``: ``(key, name)`` of the pôle this actor, called a PTCE by
    the extraction, carries (:func:`~maillage.loaders.reference_mapping.porteurs_of_poles`): it is
    then mapped as the organisation it is, its structure porteuse."""
    key = a["id"]
    written = rm.french_name(clean(a["name"]))
    name, _ = rm.name_notes(written)  # « X (also 'Y') »: the name is X, Y an alias (rm.aliases)
    subkind = clean(a.get("subkind"))
    facts = [f for f in (a.get("facts") or []) if clean(f)]
    territory_text = clean(a.get("territory"))
    added: list[str] = []
    if name != written:
        added.append(f"{CURATION}nom écrit par l'extraction : « {written} » ; l'autre graphie est un alias")
        stats["name_spellings"] += 1
    if carries_pole:
        fam, kind, _rule = rm.map_kind("ess_org", subkind, name, facts)
        added.append(f"{CURATION}structure porteuse du pôle « {carries_pole[1]} » ({carries_pole[0]}, lien "
                     f"« carries » de l'extraction) : une organisation de l'ESS, pas un second pôle")
        stats["porteurs_not_poles"] += 1
    else:
        fam, kind, _rule = rm.map_kind(a["kind"], subkind, name, facts)

    placeholder = rm.is_placeholder(name, subkind)
    location = territory = None

    # a collectivité named unambiguously administers a territory of the geography
    level = rm.KIND_LEVEL.get(kind) if fam == "collectivite" else None
    if level and not placeholder:
        for text in (name, f"{name} ({territory_text})" if territory_text else None):
            if not text:
                continue
            found = [t for t in places.resolve(text) if t.level in (level, "ept")]
            if found:
                t = found[0]
                location = t.id
                former = rm.pre_2016_region(name) if kind == "region" else None
                if former:
                    # a région of before the 2016 merger is its own (former) collectivité: it is
                    # located in today's région, but does not administer it, so it is never
                    # taken for its successor (nor for the other régions merged with it)
                    added.append(f"{CURATION}région d'avant 2016 : son territoire fait partie de l'actuelle "
                                 f"région {t.name} ({t.id}) ; localisée là, sans être confondue avec elle")
                    stats["regions_pre_2016"] += 1
                else:
                    territory = t.id
                    if t.level == "epci" and former_epci_siren(name) == t.code:
                        added.append(f"{CURATION}ancien nom de l'EPCI {t.name} ({t.id}), le même établissement "
                                     f"(SIREN inchangé) : confondu avec lui")
                        stats["epci_former_name"] += 1
                stats["collectivite_territory" if territory else "collectivite_former_region"] += 1
                break
    if location is None and territory_text:
        location, ept = places.usable(places.resolve(territory_text))
        if ept:
            added.append(f"{CURATION}le lieu désigne un établissement public territorial ({ept}), "
                         f"niveau que le modèle ne prend pas ; localisé à son département ({location})")
        if location and places.is_inferred(territory_text):
            added.append(f"{CURATION}localisation déduite par l'extraction")
            stats["location_inferred"] += 1
    stats["location_resolved" if location else "location_unresolved"] += 1

    declared = rm.declared_sizes(facts) if fam in DECLARED_FAMILIES else {}
    pole = None
    if fam == "pole":
        pole = {"phase": rm.phase([subkind or "", *facts]), "founding_year": rm.founding_year(facts),
                "perimeter": [], "perimeter_text": territory_text, "labels": rm.labels(facts)}
    document, locator = split_ref(a["source"])
    line = {
        "record": "actor",
        "key": key,
        "name": name,
        "aliases": rm.aliases(written, facts, fam),
        "family": fam,
        "kind": kind,
        "subkind": subkind,
        "legal_form": rm.legal_form(subkind, name) if fam in rm.LEGAL_FORM_FAMILIES else None,
        "identifiers": [],
        "location": location,
        "location_text": territory_text,
        "territory": territory,
        "ess": True if fam == "ess" else None,
        "placeholder": placeholder,
        "group_count": rm.group_count(name, subkind),
        "personal_data": bool(vocabulary().family(fam).personal_data),
        "declared": declared,
        "pole": pole,
        "facts": facts + added,
        "provenance": {"document": document, "locator": locator, "quote": None, "certainty": "stated"},
    }
    _validate(Actor, line)
    return line


# ----------------------------------------------------------------------------- relations

FRENCH_TABLE = ROOT / "scripts" / "reference_french.tsv"


def french_wording(path: Path = FRENCH_TABLE) -> dict[str, str]:
    """The extraction's English relation wording (role, note, programme) → its French
    (``scripts/reference_french.tsv``: the text, a tab, the French; ``#`` starts a comment)."""
    table = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        english, tab, french = line.partition("\t")
        if not tab or not english.strip() or not french.strip():
            raise SystemExit(f"{path}:{n}: expected « English text<TAB>French text », got {line!r}")
        table[english.strip()] = french.strip()
    return table


FRENCH = french_wording()
FRENCH_USED: set[str] = set()


def in_french(text: str | None) -> str | None:
    """``text`` as the reference dataset writes it: its French (:data:`FRENCH`) when the
    extraction wrote it in English."""
    if text is None or text not in FRENCH:
        return text
    FRENCH_USED.add(text)
    return FRENCH[text]


def build_relation(link: dict, families: dict[str, str], flipped: frozenset[str]) -> dict:
    rtype = rm.LINK_TYPES[link["type"]]
    spec = vocabulary().relation_type(rtype).fields
    attrs = link.get("attrs") or {}
    # the rules below read the extraction's own words; the fields are written in French
    role, note = clean(attrs.get("role")), clean(attrs.get("note"))
    fields: dict = {}
    notes = [in_french(note)] if note else []
    if role:
        fields["role"] = in_french(role)

    start = end = None
    y0, y1 = rm.parse_year(attrs.get("year"))
    if y0 is not None:
        if "year" in spec and y1 is None:
            fields["year"] = y0
        else:
            start, end = str(y0), (str(y1) if y1 else None)
    programme = clean(attrs.get("programme"))
    if programme:
        if "programme" in spec:
            fields["programme"] = in_french(programme)
        else:
            notes.append(f"programme : {in_french(programme)}")
    amount = attrs.get("amount_eur")
    if amount is not None:
        if "amount" in spec:
            fields["amount"] = float(amount)
        else:
            notes.append(f"montant : {amount} €")
    if notes:
        fields["note"] = " ; ".join(notes)

    source, target = link["source"], link["target"]
    if link["type"] in flipped:
        source, target = target, source
    if rtype == "supports" and families.get(source) == "collectivite":
        form = rm.first_value(rm.SUPPORT_FORM_RULES, role)
        if form:
            fields["form"] = form
    elif rtype == "cooperates":
        practice = rm.first_value(rm.COOPERATION_PRACTICE_RULES, role, note)
        if practice:
            fields["practice"] = practice
            fields["form"] = vocabulary().enum("cooperation_practices")[practice].extra["form"]
    elif rtype == "membership":
        tier = rm.first_value(rm.MEMBERSHIP_TIER_RULES, role)
        if tier:
            fields["tier"] = tier
    elif rtype == "carries":
        function = rm.first_value(rm.CARRIES_FUNCTION_RULES, role)
        if function:
            fields["function"] = function
    elif rtype == "governs":
        body = rm.first_value(rm.GOVERNS_BODY_RULES, role)
        if body:
            fields["body"] = body
    elif rtype == "funds":
        nature = rm.first_value(rm.FUNDS_NATURE_RULES, role, programme)
        if nature:
            fields["nature"] = nature
        resource = rm.first_value(rm.FUNDS_RESOURCE_RULES, role)
        if resource:
            fields["resource"] = resource

    document, locator = split_ref(link["ref"])
    line = {
        "record": "relation",
        "type": rtype,
        "source": source,
        "target": target,
        "fields": fields,
        "start": start,
        "end": end,
        "provenance": {"document": document, "locator": locator, "quote": link["quote"],
                       "certainty": rm.link_certainty(note, role)},
    }
    _validate(Relation, line)
    return line


def _validate(model, line: dict) -> None:
    body = {k: v for k, v in line.items() if k != "record"}
    body["provenance"] = {**body["provenance"], "source": "build"}
    rec = model.model_validate(body)
    if model is Relation and rec.fields != line["fields"]:
        raise ValueError(f"fields not in canonical form: {line['fields']} vs {rec.fields}")


# ----------------------------------------------------------------------------- files

def build_file(name: str, seed_graph: Path, seeds: Path, places: Places, stats: Counter) -> tuple[str, dict]:
    gpath = seed_graph / f"{name}_graph.json"
    raw = gpath.read_bytes()
    data = json.loads(raw)
    porteurs = rm.porteurs_of_poles(data["actors"], data["links"])
    names = {a["id"]: rm.name_notes(rm.french_name(clean(a["name"])))[0] for a in data["actors"]}
    actors = [build_actor(a, places, stats, (porteurs[a["id"]], names[porteurs[a["id"]]]) if a["id"] in porteurs
                          else None) for a in data["actors"]]
    families = {a["key"]: a["family"] for a in actors}
    if len(families) != len(actors):
        raise ValueError(f"{gpath}: duplicate actor ids")
    flipped = rm.FLIPPED_LINK_TYPES.get(name, frozenset())
    relations = [build_relation(link, families, flipped) for link in data["links"]]
    for r in relations:
        for end in (r["source"], r["target"]):
            if end not in families:
                raise ValueError(f"{gpath}: link end {end!r} is not an actor of the file")
    rm.drop_porteur_aliases(actors, relations)  # a pôle is not named after the structure that carries it

    docs = sorted({a["provenance"]["document"] for a in actors} | {r["provenance"]["document"] for r in relations})
    documents = {}
    for doc in docs:
        matches = sorted(seeds.glob(f"{doc}_*.txt"))
        if len(matches) != 1:
            raise FileNotFoundError(f"{seeds}: expected one file {doc}_*.txt, found {len(matches)}")
        traw = matches[0].read_bytes()
        documents[doc] = {"file": matches[0].name, "title": rm.DOCUMENT_TITLES[doc], "sha256": sha256_bytes(traw),
                          "lines": count_lines(traw.decode("utf-8"))}
    header = {"record": "header", "format": "maillage-jsonl", "version": 1,
              "title": rm.EXTRACTIONS[name]["title"], "description": rm.EXTRACTIONS[name]["description"],
              "documents": documents, "derived_from": f"seed-graph/{gpath.name}",
              "derived_sha256": sha256_bytes(raw)}
    text = "".join(dumps(x) + "\n" for x in [header, *actors, *relations])
    summary = {"name": name, "actors": len(actors), "relations": len(relations), "documents": documents,
               "derived_sha256": header["derived_sha256"], "source_actors": len(data["actors"]),
               "source_links": len(data["links"]),
               "kinds": Counter((a["family"], a["kind"]) for a in actors),
               "types": Counter(r["type"] for r in relations),
               "certainty": Counter(r["provenance"]["certainty"] for r in relations),
               "locations": sum(1 for a in actors if a["location"]),
               "territories": sum(1 for a in actors if a["territory"]),
               "declared": sum(len(a["declared"]) for a in actors),
               "declared_actors": sum(1 for a in actors if a["declared"]),
               "placeholders": sum(1 for a in actors if a["placeholder"]),
               "aliases": sum(len(a["aliases"]) for a in actors),
               "founding_years": sum(1 for a in actors if a["pole"] and a["pole"]["founding_year"]),
               "labels": sum(1 for a in actors if a["pole"] and a["pole"]["labels"]),
               "phases": sum(1 for a in actors if a["pole"] and a["pole"]["phase"])}
    return text, summary


def build(seed_graph: Path, seeds: Path, geography: bool = True) -> tuple[dict[str, str], list[dict], Places]:
    """Return ``{file name: content}`` for every output file, the per-file summaries, the geography."""
    places = Places(geography)
    stats: Counter = Counter()
    outputs, summaries = {}, []
    for name in EXTRACTIONS:
        text, summary = build_file(name, seed_graph, seeds, places, stats)
        outputs[f"{name}.jsonl"] = text
        summaries.append(summary)
    outputs["README.md"] = readme(summaries, places)
    stale = sorted(set(FRENCH) - FRENCH_USED)
    if stale:  # a line that matches nothing is a typo, or wording the extraction no longer has
        raise SystemExit(f"{FRENCH_TABLE}: {len(stale)} line(s) match no role, note or programme of the "
                         f"extraction: {stale[:3]}")
    return outputs, summaries, places


# ----------------------------------------------------------------------------- README

def _table(rows: list[list[str]], head: list[str]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def readme(summaries: list[dict], places: Places) -> str:
    docs: dict[str, dict] = {}
    for s in summaries:
        docs.update(s["documents"])
    kinds: Counter = Counter()
    types: Counter = Counter()
    cert: Counter = Counter()
    for s in summaries:
        kinds.update(s["kinds"])
        types.update(s["types"])
        cert.update(s["certainty"])
    doc_rows = [[d, f"`{v['file']}`", v["title"], str(v["lines"]), f"`{v['sha256']}`"] for d, v in sorted(docs.items())]
    file_rows = [[f"`{s['name']}.jsonl`", f"`{s['name']}_graph.json`", ", ".join(sorted(s["documents"])),
                  str(s["actors"]), str(s["relations"]), str(s["locations"]), str(s["territories"]),
                  str(s["declared_actors"]), str(s["aliases"]), str(s["placeholders"])] for s in summaries]
    fam_rows = [[f, k, str(n)] for (f, k), n in sorted(kinds.items())]
    type_rows = [[t, str(n)] for t, n in sorted(types.items())]
    cert_rows = [[c, str(n)] for c, n in sorted(cert.items())]
    geo_note = ("" if places.geo is not None else
                f"\n**The geography was not available when this was built ({places.error}); no location "
                f"was resolved.**\n")
    return f"""# Reference dataset: the founding documents as a graph

This folder is the **reference dataset** shipped with maillage: what five founding
documents on PTCE (pôles territoriaux de coopération économique) say about who cooperates
with whom, curated from four extractions of those documents into the project's native
`maillage-jsonl` format. `maillage.loaders.load_reference(store)` loads it (one source
per file: `reference:s000a`, …); the demo and the tests start from it.

**Generated file — do not edit.** It is rebuilt, with the four `.jsonl` files, by

```sh
.venv/bin/python scripts/build_reference.py          # from the repository root
.venv/bin/python scripts/build_reference.py --check  # exit 1 if the shipped files are stale
```

which reads `../shared/seed-graph/*_graph.json` and `../shared/seeds/*.txt` (override with
`--seed-graph DIR --seeds DIR`). The build is deterministic: the same inputs give the same
bytes (`tests/test_reference_dataset.py` checks it). The mapping rules are tables in
`maillage/loaders/reference_mapping.py`. The extraction's notes are in English: the roles,
notes and programmes it wrote in English are written in French from
`scripts/reference_french.tsv` (the rules still read the extraction's words).
{geo_note}
## The documents

{_table(doc_rows, ["doc", "file", "title", "lines", "sha256"])}

Extractions s000a and s000b both come from document 000 (lines 1–760 and 740–1453).

## The files

One file per extraction; each starts with a header line (`record: header`) naming the
extraction it derives from (`derived_from`, `derived_sha256`) and the documents its
provenance points into, then one line per actor and one per relation.

{_table(file_rows, ["file", "derived from", "documents", "actors", "relations", "located", "collectivité territory", "with declared sizes", "aliases", "placeholders"])}

Actor lines carry the fields of `maillage.graph.model.Actor` (the loader adds the source
id to `provenance`); relation lines those of `Relation`. Every relation has its document,
line locator (`L746`, kept as written) and the verbatim quote of the extraction.

## How it was derived (and what was kept as it is)

Faithful, typed, nothing lost, **no hand-merging**:

- **Every actor and every link** of every extraction is kept, with the extraction's own
  id as `key`. Duplicates are *not* merged, within or across extractions (the same
  organisation appears under different ids and spellings): entity resolution merges them
  at load time. The documents' inconsistencies are kept as statements (two porteurs for
  one pôle stay two `carries` relations; Le Damier's wrong annex région stays in its facts).
- **Names, subkinds, facts, quotes** are kept verbatim. Facts the curation adds start
  with `[curation]`.
- **Families and kinds**: the extraction's `kind` + `subkind` + name are mapped to the
  vocabulary by ordered tables (first match wins); the original subkind stays in
  `subkind`. Rules that apply across kinds come first so that one body gets one family in
  every file: CBE → support/cbe, CCI/CMA → support/chambre_consulaire, DLA → support/dla,
  incubateur/pépinière → support/incubateur, PLIE/mission locale →
  support/emploi_insertion, cooperative and mutual banks, France Active and its territorial
  funds, La Nef, microcredit → ess/finance_solidaire, pôles d'excellence/de compétitivité →
  pole/pole_autre, employers' organisations and unions → network/reseau_autre, working
  groups → other/collectif. Then per kind:
  - `ptce` → pole/ptce, except an actor that `carries` another PTCE of its extraction: a
    structure porteuse is an organisation, not a second pôle (Initiatives et Cité, « cette
    coopérative » that co-built Lille MétroPôle Solidaire, 000 L131, listed beside it in the
    annex of 001, L1104), mapped by the `ess_org` rules, with a `[curation]` fact saying so.
    A pôle the extraction calls a PTCE stays one even when its subkind
    describes a cluster or grappe (Le Damier is a grappe *recognised PTCE in 2014*;
    Clus'Ter Jura is on the Labo's list of PTCE); only explicit non-PTCE labels (pôle de
    compétitivité, PRIDES, SPL) give pole/pole_autre.
  - `ess_org` → the ESS kind of its *function* first (CAE, groupement d'employeurs/GEIQ,
    SIAE, mutuelle, fondation), then of its *legal form* (SCOP, SCIC, coopérative,
    association); the form is also kept in `legal_form` when the subkind or name states it.
  - `collectivite` → pnr, syndicat_mixte, petr_pays, epci (communauté de communes,
    d'agglomération, urbaine, métropole, agglomération), departement (conseil
    général/départemental), region (conseil régional, Région), commune (ville, mairie);
    CCAS and associations de préfiguration → collectivite_autre.
  - `agency` → support/agence_developpement for development/innovation/cultural agencies
    (ID Champagne-Ardenne, ADI NA, Le Transfo), **Avise → support/accompagnement_autre**
    (an ESS support agency: an association, neither a State operator nor a federation),
    otherwise state/operateur (CDC, ADEME, BPI, Pôle emploi, CAF, ANCT, OSEO, ANR…).
  - `state` → ministere (ministries, DATAR, délégation interministérielle), prefecture,
    service_deconcentre, operateur, else etat_autre (the State as a whole, Parliament,
    national councils, Luxembourg).
  - `network` → cress (CRESS/CRES/CNCRES), reseau_collectivites (RTES, ARF, AdCF),
    reseau_autre (inter-réseau, territorial committees), otherwise tete_de_reseau; the
    national PTCE *démarche* is other/programme, the Nouvelle-Aquitaine *cellule* other/collectif.
  - `research` → laboratoire (UMR, labs, research centres and institutes) or universite
    (universities, IEP, CNAM, écoles); `training` → training (an IUT → research/universite).
  - `eu` → fse, feder, feader_leader, interreg, else ue_autre.
  - `person` → elu, chercheur or salarie from the subkind, else from the facts (elected
    mandates first), else personne; always `personal_data: true`.
  - `other` → fondation, coopérative, evenement, programme, collectif, lieu, else non_precise.
- **Collectivités**: when the name identifies it (with the extraction's place as context
  when the name alone is ambiguous), `territory` is the territory it administers and
  `location` the same id. A région named after a pre-2016 région (Région Aquitaine…) maps to
  the current région and says so in a `[curation]` fact. An EPCI named by a former name of
  the same établissement (« Grand Toulouse », « Brest Métropole Océane »: SIREN unchanged,
  `maillage.geography.names.FORMER_EPCI_NAMES`) administers today's EPCI, so it is merged with
  it at load, and a `[curation]` fact says so. Placeholders get no territory.
- **Locations**: `location_text` is the extraction's place text, verbatim; `location` is
  the `maillage.geography` match, only when the text resolves. When the text names several
  places that do not contain each other ("Vaucluse (Pays d'Apt, Lauris)", "Paris,
  Seine-Saint-Denis, Val-de-Marne"), `location` is the smallest territory containing them
  all rather than the first one named. Places the extraction
  marks as inferred ("(déduit)", "implicite", "added context"…) are resolved too, with the
  fact `[curation] localisation déduite par l'extraction`. An établissement public
  territorial (Plaine Commune) is located at its département, which the model accepts.
- **Placeholders**: names saying "non nommé(e)" / "nom non cité" / "unnamed" (every
  `anon-` id of s000a has one) and "(group, unnamed)" subkinds → `placeholder: true` — the
  name decides, not the id: s000b reuses s000a's ids for the same actors, and its « PTCE du
  Centre Isère » (`anon-ptce-centre-isere`, 000 L1057) is named; a stated number
  ("4 Communautés de Communes", "groupe de 3") → `group_count`.
- **Aliases** come from facts that state other names (`alias :`, `annex name`, `also
  called`, `spelled`, `écrit aussi`, `sous le nom`, `expanded as`, `cited as`, `Annexe 1:`)
  and from names (`(also '…')`, `(written '…')`, `(also spelled Surname, 002 L710)`, `[= …]`,
  taken out of the name, with a `[curation]` fact that keeps the extraction's text: « Antoine
  Meurice (also 'Antoine Maurice') » is Antoine Meurice, alias Antoine Maurice; and a trailing
  parenthesis that writes the same
  name differently — "Périscope (le Périscope)", "Val Horizon (Valhorizon)" — or, outside
  pôles and persons, gives an acronym — "Métropole Européenne de Lille (MEL)"); hedged facts
  (presumably, probably, inference) give none. In annex entries the parenthesis names the
  porteur ("Resto Passerelle (APPUI)"), which is not an alias.
- **Declared sizes** (`members`, `jobs`, `budget_eur`, `partners`, `collectivites`) come
  from simple patterns on the facts of pôles and organisations ("une quarantaine
  d'adhérents" → 40, "ecosystem of 27 actors", "145 ETP", "chiffre d'affaires consolidé de
  2,4 millions d'euros"). Created jobs, a zone's employees, members' own members and
  aggregates are not matched; "plus de N" gives N. The facts stay as written.
- **Pôle fields**: `founding_year` ("created 2011", "créé en 2010", "se regroupent en
  2011"), `phase` (amorçage, émergence/préfiguration…), `labels` ("lauréat AAP PTCE 2013",
  "reconnu PTCE 2014", "pôle témoin", "PRIDES 2007", "fabrique des transitions"; a laureate's
  label names one of the two national calls, launched in 2013 and 2015 (000 L802): by its
  ordinal when the text gives one — « lauréats du premier appel … en 2014 » (000 L1033) won the
  2013 call — else by the year written when it is a call's, else undated);
  `perimeter_text` is the extraction's place text; `perimeter` is left empty.
- **Relations**: member_of → membership, partner_of → partner, cooperates_with →
  cooperates, contracts_with → contracts, other → related; carries, funds, governs,
  supports, hosts, founded, employs, represents keep their name. The four extractions use
  the vocabulary's directions (carries: porteur → pôle; employs: organisation → person;
  represents: person → organisation); **no link was flipped**.
- **Fields**: `role` and `note` as written; `year` → the `year` field (funds, founded,
  contracts) or `start` (others; "2013-2014" → start and end); `programme` → the field
  where the type has one, else appended to `note`; `amount_eur` → `amount` (else `note`).
  A collectivité's `supports` gets `form` when its role names a collectivité role
  (ingénierie, co-construction, investissement, mise à disposition…); `cooperates` gets
  `practice`/`form` only for explicit joint work; `membership` tier `socle` for "acteur
  socle"; `carries` function, `governs` body, `funds` nature/resource when the role says so.
- **Certainty** of a link, from its note and role: planned ("planned", "prévu",
  "announced") first, then inferred ("inference", "INFERRED", "inferred", "probable",
  "(déduit)", "deduced", "assumed"), then implied ("implied", "implicite"), else stated.
  Actors are stated.

## Checks (`tests/test_reference_dataset.py`)

Every line validates against the model; every relation has a document, a locator and a
quote, and both ends are actors of its file; the counts, keys, links and facts equal those
of the source extraction; the header's sha256 and line counts are those of the seed files
(line counts include an unterminated last line, as `awk` counts them: document 000 has 1454
physical lines); each quote is found on its cited line or the next two, after normalising
apostrophes, markdown (`*`, `[text](url)`) and whitespace — 937 of 939 (99.8 %); the two
misses cite `001 L1107` for an annex entry that runs to L1110; rebuilding reproduces these
files byte for byte.

## Distribution

Families and kinds (all files):

{_table(fam_rows, ["family", "kind", "actors"])}

Relation types:

{_table(type_rows, ["type", "relations"])}

Certainty of relations:

{_table(cert_rows, ["certainty", "relations"])}
"""


# ----------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Build maillage's reference dataset from the seed-graph extractions.")
    p.add_argument("--seed-graph", type=Path, default=DEFAULT_SEED_GRAPH,
                   help=f"folder of the *_graph.json extractions (default: {DEFAULT_SEED_GRAPH})")
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS,
                   help=f"folder of the seed documents *.txt (default: {DEFAULT_SEEDS})")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    p.add_argument("--check", action="store_true", help="do not write; exit 1 if the output folder differs")
    p.add_argument("--no-geography", action="store_true", help="do not resolve places")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    args = p.parse_args(argv)

    outputs, summaries, places = build(args.seed_graph, args.seeds, geography=not args.no_geography)
    if args.check:
        stale = [n for n, text in outputs.items()
                 if not (args.out / n).is_file() or (args.out / n).read_bytes() != text.encode("utf-8")]
        if stale:
            print(f"stale: {', '.join(stale)}", file=sys.stderr)
            return 1
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        for n, text in outputs.items():
            path = args.out / n
            if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
                path.write_bytes(text.encode("utf-8"))
    if not args.quiet:
        if places.geo is None:
            print(f"warning: no geography ({places.error}); no location resolved", file=sys.stderr)
        for s in summaries:
            print(f"{s['name']}: {s['actors']} actors ({s['source_actors']} in source), {s['relations']} relations "
                  f"({s['source_links']} in source), {s['locations']} located, {s['declared']} declared sizes "
                  f"on {s['declared_actors']} actors, {s['aliases']} aliases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
