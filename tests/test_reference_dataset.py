"""The reference dataset (``maillage/data/reference``): valid, complete, faithful, reproducible.

The dataset is curated from the four seed-graph extractions by
``scripts/build_reference.py`` with the rules of ``maillage.loaders.reference_mapping``.
These tests read the shipped files as a user gets them, compare them with the extractions
and documents in ``../shared`` (skipped, with the reason, when that folder is absent), and
pin the mapping rules with exact expected values.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from _env import SHARED
from _env import need_shared as shared_part

from maillage.graph.model import Actor, Relation
from maillage.loaders import reference_mapping as rm

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "maillage" / "data" / "reference"
SEED_GRAPH = SHARED / "seed-graph"
SEEDS = SHARED / "seeds"
FILES = ("s000a", "s000b", "s001_002", "s003_004")
QUOTE_PASS_RATE = 0.97


@cache
def records(name: str) -> tuple[dict, list[dict], list[dict]]:
    """(header, actors, relations) of one shipped file."""
    lines = [json.loads(x) for x in (REFERENCE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    header = lines[0]
    actors = [x for x in lines if x["record"] == "actor"]
    relations = [x for x in lines if x["record"] == "relation"]
    assert len(lines) == 1 + len(actors) + len(relations), f"{name}: unknown record kinds"
    return header, actors, relations


def actor(name: str, key: str) -> dict:
    found = [a for a in records(name)[1] if a["key"] == key]
    assert len(found) == 1, f"{name}: {len(found)} actors with key {key!r}"
    return found[0]


def relations_between(name: str, source: str, target: str, rtype: str | None = None) -> list[dict]:
    return [r for r in records(name)[2] if r["source"] == source and r["target"] == target
            and (rtype is None or r["type"] == rtype)]


def need_shared() -> None:
    """The seed extractions and documents the shipped files are compared with."""
    shared_part("seed-graph")
    shared_part("seeds")


# ----------------------------------------------------------------------------- validity

@pytest.mark.parametrize("name", FILES)
def test_every_line_validates_against_the_model(name):
    header, actors, relations = records(name)
    assert header["record"] == "header" and header["format"] == "maillage-jsonl" and header["version"] == 1
    assert header["derived_from"] == f"seed-graph/{name}_graph.json"
    assert re.fullmatch(r"[0-9a-f]{64}", header["derived_sha256"])
    for doc, meta in header["documents"].items():
        assert meta["file"].startswith(doc + "_") and re.fullmatch(r"[0-9a-f]{64}", meta["sha256"])
        assert meta["title"] and meta["lines"] > 0
    for line in actors:
        body = {k: v for k, v in line.items() if k != "record"}
        assert "source" not in body["provenance"], "the loader fills the source id in"
        Actor.model_validate({**body, "provenance": {**body["provenance"], "source": "test"}})
    for line in relations:
        body = {k: v for k, v in line.items() if k != "record"}
        rel = Relation.model_validate({**body, "provenance": {**body["provenance"], "source": "test"}})
        assert rel.fields == line["fields"], "fields must be shipped in their canonical (validated) form"


@pytest.mark.parametrize("name", FILES)
def test_relations_have_provenance_and_known_ends(name):
    header, actors, relations = records(name)
    keys = [a["key"] for a in actors]
    assert len(keys) == len(set(keys)), "actor keys are unique within a file"
    keys = set(keys)
    for r in relations:
        p = r["provenance"]
        assert p["document"] in header["documents"], r
        assert re.fullmatch(r"L\d+.*", p["locator"]), r
        assert p["quote"] and p["quote"].strip(), r
        assert r["source"] in keys and r["target"] in keys, r
    for a in actors:
        assert a["provenance"]["document"] in header["documents"]
        assert re.fullmatch(r"L\d+.*", a["provenance"]["locator"])


# ----------------------------------------------------------------------------- nothing lost

@pytest.mark.parametrize("name", FILES)
def test_counts_equal_the_source_extraction(name):
    need_shared()
    raw = (SEED_GRAPH / f"{name}_graph.json").read_bytes()
    src = json.loads(raw)
    header, actors, relations = records(name)
    assert header["derived_sha256"] == hashlib.sha256(raw).hexdigest(), "stale: rebuild the dataset"
    assert len(actors) == len(src["actors"])
    assert len(relations) == len(src["links"])
    assert [a["key"] for a in actors] == [a["id"] for a in src["actors"]], "keys are the extraction ids, unchanged"
    # every link kept, one for one, with its quote and reference
    assert Counter((r["source"], r["target"], r["provenance"]["quote"]) for r in relations) == \
        Counter((x["source"], x["target"], x["quote"]) for x in src["links"])
    assert Counter(f"{r['provenance']['document']} {r['provenance']['locator']}" for r in relations) == \
        Counter(x["ref"] for x in src["links"])
    # facts are kept verbatim (the curation only appends its own, marked)
    by_key = {a["key"]: a for a in actors}
    for a in src["actors"]:
        assert by_key[a["id"]]["facts"][:len(a["facts"])] == a["facts"]
        assert all(f.startswith("[curation] ") for f in by_key[a["id"]]["facts"][len(a["facts"]):])


@pytest.mark.parametrize("name", FILES)
def test_documents_in_the_header_are_the_seeds(name):
    need_shared()
    header, _, _ = records(name)
    for doc, meta in header["documents"].items():
        data = (SEEDS / meta["file"]).read_bytes()
        assert meta["sha256"] == hashlib.sha256(data).hexdigest()
        text = data.decode("utf-8")
        assert meta["lines"] == text.count("\n") + (0 if text.endswith("\n") else 1)


# ----------------------------------------------------------------------------- quotes

def _norm(text: str) -> str:
    """Apostrophes, markdown (``*``, ``[text](url)``) and whitespace normalised."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub("[\u2019\u2018\u02bc`\u00b4]", "'", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def _quote_found(quote: str, lines: list[str], line_no: int) -> bool:
    window = _norm(" ".join(lines[line_no - 1:line_no + 2]))  # cited line and the following 2
    parts = [_norm(p) for p in re.split(r"\.\.\.|…", quote)]
    return all(p in window for p in parts if p)


def test_quotes_are_verbatim_on_their_cited_lines():
    need_shared()
    docs = {p.name[:3]: p.read_text(encoding="utf-8").split("\n") for p in SEEDS.glob("*.txt")}
    total, failures = 0, []
    for name in FILES:
        for r in records(name)[2]:
            p = r["provenance"]
            line_no = int(re.match(r"L(\d+)", p["locator"]).group(1))
            total += 1
            if not _quote_found(p["quote"], docs[p["document"]], line_no):
                failures.append(f"{name} {p['document']} {p['locator']}: {p['quote'][:90]!r}")
    rate = 1 - len(failures) / total
    assert rate >= QUOTE_PASS_RATE, f"quote pass rate {rate:.1%} < {QUOTE_PASS_RATE:.0%}:\n" + "\n".join(failures)
    # the known misses are quotes that run past the 3-line window; say so if more appear
    assert len(failures) <= 5, f"quote pass rate {rate:.2%} ({total - len(failures)}/{total}); misses:\n" + \
        "\n".join(failures)


def test_quote_check_can_fail():
    lines = ["Le Damier compte une quarantaine d\u2019adh\u00e9rents", "", "**suite**"]
    assert _quote_found("une quarantaine d'adhérents", lines, 1)
    assert _quote_found("Damier ... suite", lines, 1)
    assert not _quote_found("une cinquantaine d'adhérents", lines, 1)
    assert not _quote_found("suite", lines, 4)


# ----------------------------------------------------------------------------- reproducible

def test_rebuilding_reproduces_the_shipped_files(tmp_path):
    need_shared()
    out = tmp_path / "reference"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference.py"), "--out", str(out),
                           "--seed-graph", str(SEED_GRAPH), "--seeds", str(SEEDS), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    shipped = sorted(p.name for p in REFERENCE.iterdir() if p.is_file())
    assert sorted(p.name for p in out.iterdir()) == shipped
    for fname in shipped:
        assert (out / fname).read_bytes() == (REFERENCE / fname).read_bytes(), f"{fname} differs: rebuild"
    # and --check agrees
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference.py"), "--out", str(out),
                            "--seed-graph", str(SEED_GRAPH), "--seeds", str(SEEDS), "--check", "--quiet"],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stderr
    (out / "s000a.jsonl").write_text("{}\n", encoding="utf-8")
    stale = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference.py"), "--out", str(out),
                            "--seed-graph", str(SEED_GRAPH), "--seeds", str(SEEDS), "--check", "--quiet"],
                           capture_output=True, text=True, timeout=300)
    assert stale.returncode == 1 and "s000a.jsonl" in stale.stderr


def test_build_script_help():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference.py"), "--help"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "--seed-graph" in proc.stdout and "--seeds" in proc.stdout


# ----------------------------------------------------------------------------- spot checks

def test_le_damier():
    d = actor("s000b", "ptce-le-damier")
    assert (d["family"], d["kind"], d["subkind"]) == ("pole", "ptce", "cluster / grappe d'entreprises")
    assert d["declared"] == {"members": 40.0}
    assert d["pole"]["founding_year"] == 2011
    assert d["pole"]["labels"] == ["reconnu PTCE 2014"]
    assert d["location"] == "commune:63113"  # Clermont-Ferrand, in département 63
    assert d["location_text"] == "Clermont-Ferrand, Puy-de-Dôme (Auvergne)"
    assert d["aliases"] == ["DAMIER (Le) (cluster Musique Media Image Auvergne)"]
    assert d["provenance"] == {"document": "000", "locator": "L740", "quote": None, "certainty": "stated"}
    assert actor("s000a", "ptce-le-damier")["declared"] == {"members": 40.0}


def test_persons_are_personal_data():
    for name in FILES:
        for a in records(name)[1]:
            assert a["personal_data"] == (a["family"] == "person"), a["key"]
    assert actor("s000b", "alain-hajjaj")["kind"] == "elu"               # "maire de La Verrière"
    assert actor("s000b", "raphaelle-merlet")["kind"] == "salarie"       # "directrice du CBE …"
    assert actor("s003_004", "thomas_podlewski")["kind"] == "chercheur"  # subkind "chercheur"


def test_placeholders_and_groups():
    for a in records("s000a")[1]:
        if a["key"].startswith("anon-"):  # s000a's convention: its anon- ids are unnamed, and say so
            assert a["placeholder"], a["key"]
    # s000b reuses s000a's id for the same pôle, which it names (000 L1057): a named pôle is not
    # a placeholder (it was, by its id alone, and no rule could merge it by its name)
    named = actor("s000b", "anon-ptce-centre-isere")
    assert named["name"] == "PTCE du Centre Isère" and not named["placeholder"]
    assert not rm.is_placeholder("PTCE du Centre Isère", None)
    assert actor("s000a", "anon-domb-4-cc")["group_count"] == 4
    assert actor("s000a", "anon-jardins-de-cocagne-audruicq")["group_count"] == 3
    m = actor("s000a", "anon-domb-municipalites")
    assert m["placeholder"] and m["group_count"] is None  # "plusieurs": no number stated
    assert actor("s000b", "communes-limitrophes-trevoux")["placeholder"]  # "(group, unnamed)"
    assert actor("s003_004", "cellule_regionale_na")["placeholder"]       # "nom non donné"
    assert not actor("s000b", "ptce-les-ateliers-castres")["placeholder"]  # its *porteur* is unnamed


def test_link_certainty():
    (r,) = relations_between("s000a", "zutique-productions", "ptce-la-coursive-boutaric")
    # the extraction's English note, in French; the certainty read from the extraction's words
    assert r["fields"]["note"] == "implicite" and r["provenance"]["certainty"] == "implied"
    assert r["type"] == "membership"
    (r,) = relations_between("s000a", "agglo-troyes", "ptce-cis-52")
    assert r["provenance"]["certainty"] == "planned"
    assert r["fields"]["note"] == "prévu (« bientôt ») ; programme : contrat de ville"  # partner has no programme
    (r,) = relations_between("s001_002", "departement_essonne", "pole_eco_solidaire_sud_essonne")
    assert r["provenance"]["certainty"] == "inferred"
    (r,) = relations_between("s000b", "etat", "ptce-maison-solidarites-pays-de-bray")
    assert r["provenance"]["certainty"] == "stated"
    assert r["fields"]["year"] == 2013 and r["fields"]["programme"] == "AAP interministériel PTCE 2013"


def test_collectivite_territories():
    r = actor("s000b", "region-aquitaine")
    # a former région is located in today's région but does not administer it: it must not be
    # merged with its successor nor with the other régions merged in 2016
    assert (r["family"], r["kind"], r["territory"], r["location"]) == ("collectivite", "region", None, "region:75")
    assert any("région d'avant 2016" in f for f in r["facts"]), "the pre-2016 mapping says so"
    paca = actor("s000b", "region-paca")
    assert paca["territory"] == "region:93" and not any("avant 2016" in f for f in paca["facts"])
    assert actor("s003_004", "region_nouvelle_aquitaine")["territory"] == "region:75"
    assert actor("s000b", "departement-haute-garonne")["territory"] == "departement:31"
    assert actor("s000b", "toulouse-metropole")["territory"] == "epci:243100518"
    assert actor("s000b", "commune-ramonville-saint-agne")["territory"] == "commune:31446"
    assert actor("s000a", "ca-sicoval")["kind"] == "epci"
    # homonymous commune placed by the extraction's context: Roussillon (Vaucluse), not (Isère)
    assert actor("s000b", "commune-roussillon")["territory"] == "commune:84102"
    # a placeholder administers nothing we can name, but its stated place still locates it
    anon = actor("s000a", "anon-ardaines-region")
    assert anon["territory"] is None and anon["location"] == "region:44"
    assert "[curation] localisation déduite par l'extraction" in anon["facts"]
    # Plaine Commune is an EPT (établissement public territorial of the Métropole du Grand Paris)
    pc = actor("s000b", "ca-plaine-commune")
    assert pc["territory"] == pc["location"] == "ept:200057867"


def test_relation_fields_and_directions():
    (r,) = relations_between("s003_004", "cbe_du_seignanx", "ptce_sud_aquitaine", "membership")
    assert r["fields"] == {"role": "acteur socle", "tier": "socle"}
    (r,) = relations_between("s000a", "commune-commercy", "savecom")
    assert r["type"] == "supports" and r["fields"]["form"] == "mise_a_disposition"
    (r,) = relations_between("s001_002", "michel_adam", "groupe_analyses_connaissances")
    assert (r["start"], r["end"]) == ("2013", "2014")  # year "2013-2014" on a type without a year field
    (r,) = relations_between("s000b", "etic-fonciere", "ptce-les-ateliers-castres")
    assert r["type"] == "hosts" and "montant : 2800000 €" in r["fields"]["note"]
    (r,) = relations_between("s001_002", "rtes", "atelier_cooperatif")
    assert r["fields"]["practice"] == "projet_commun" and r["fields"]["form"] == "cooperation_strategique"
    # the vocabulary's directions, as the extractions write them
    for name in FILES:
        fam = {a["key"]: a["family"] for a in records(name)[1]}
        for r in records(name)[2]:
            if r["type"] == "employs":
                assert fam[r["target"]] == "person", r
            if r["type"] == "represents":
                assert fam[r["source"]] == "person", r
            if r["type"] == "carries":
                assert fam[r["source"]] != "person" and fam[r["target"]] != "person", r


def test_family_distribution_is_plausible():
    fams = Counter(a["family"] for n in FILES for a in records(n)[1])
    assert fams["pole"] >= 140 and fams["person"] >= 180 and fams["collectivite"] >= 110
    assert fams["support"] >= 20 and fams["ess"] >= 120
    labo = {actor("s000a", "labo-ess")["family"], actor("s001_002", "labo_ess")["family"],
            actor("s003_004", "labo_ess")["family"]}
    assert labo == {"ess"}, "one body gets one family across extractions"
    cbe = {actor("s000a", "cbe-sud-aquitain")["kind"], actor("s000b", "cbe-sud-aquitain")["kind"],
           actor("s001_002", "cbe_seignanx")["kind"], actor("s003_004", "cbe_du_seignanx")["kind"]}
    assert cbe == {"cbe"}


# ----------------------------------------------------------------------------- mapping tables

@pytest.mark.parametrize("kind, subkind, name, expected", [
    ("ess_org", "scic", "Scic Ecosimo", ("ess", "scic")),
    ("ess_org", "scop / entreprise_d_insertion (SIAE)", "Scop Val Emploi", ("ess", "siae")),
    ("ess_org", "scic ; cae", "Interstices Sud Aquitaine (SCIC Interstices)", ("ess", "cae")),
    ("ess_org", "geiq", "Geiq BTP Landes et Côte Basque", ("ess", "groupement_employeurs")),
    ("ess_org", "association", "association Ecopya", ("ess", "association")),
    ("ess_org", "", "Habitat Jeunes Sud Aquitaine", ("ess", "ess_autre")),
    ("enterprise", "banque coopérative", "Crédit Coopératif", ("ess", "finance_solidaire")),
    ("network", "reseau_financement_solidaire", "France Active", ("ess", "finance_solidaire")),
    ("network", "cress", "CRESS Aquitaine", ("network", "cress")),
    ("network", "cress", "la CRESS (partenaire de la CAN, non précisée)", ("network", "cress")),
    ("network", "tete_de_reseau_cres", "CNCRES – Conseil National des Chambres Régionales", ("network", "cress")),
    ("network", "réseau de collectivités", "RTES", ("network", "reseau_collectivites")),
    ("network", "federation_nationale_iae", "COORACE", ("network", "tete_de_reseau")),
    ("network", "pôle d'excellence (filière)", "pôle d'excellence ICC", ("pole", "pole_autre")),
    ("collectivite", "communaute-agglomeration", "Communauté d'Agglomération du Niortais (CAN)",
     ("collectivite", "epci")),
    ("collectivite", "metropole", "Toulouse Métropole", ("collectivite", "epci")),
    ("collectivite", "epci", "Communauté de communes de la région d'Audruicq (CCRA)", ("collectivite", "epci")),
    ("collectivite", "departement", "Conseil Général de l'Ain", ("collectivite", "departement")),
    ("collectivite", "region", "Conseil régional du Nord-Pas de Calais", ("collectivite", "region")),
    ("collectivite", "commune", "Ville de Toulouse", ("collectivite", "commune")),
    ("collectivite", "pays", "Pays (non nommé)", ("collectivite", "petr_pays")),
    ("collectivite", "parc naturel régional", "Parc naturel régional de Millevaches", ("collectivite", "pnr")),
    ("collectivite", "syndicat mixte (déchets)", "S.M.I.C.T.O.M.", ("collectivite", "syndicat_mixte")),
    ("ptce", "cluster / grappe d'entreprises", "LE DAMIER", ("pole", "ptce")),
    ("other", "comité de bassin d'emploi", "Comité de Bassin d'Emploi du Pays d'Apt", ("support", "cbe")),
    ("ess_org", "cbe", "Comité de bassin d'emploi (CBE de Seignanx)", ("support", "cbe")),
    ("other", "chambre consulaire (cci)", "CCI de l'Oise", ("support", "chambre_consulaire")),
    ("other", "incubateur d'innovation sociale (dispositif)", "Première Brique", ("support", "incubateur")),
    ("other", "event", "séminaire national des 3 et 4 mai 2016", ("other", "evenement")),
    ("other", "unspecified", "KHNET", ("other", "non_precise")),
    ("agency", "agence culturelle régionale", "Le TRANSFO", ("support", "agence_developpement")),
    ("agency", "", "ADI NA", ("support", "agence_developpement")),
    ("agency", "agence d'ingénierie ESS", "AVISE", ("support", "accompagnement_autre")),
    ("agency", "institution financière publique", "Caisse des Dépôts", ("state", "operateur")),
    ("agency", "dla (dispositif)", "DLA (Dispositif Local d'Accompagnement)", ("support", "dla")),
    ("state", "ministere", "ministère du Redressement productif", ("state", "ministere")),
    ("state", "préfet", "le préfet de Vaucluse", ("state", "prefecture")),
    ("research", "laboratoire (UMR)", "Laboratoire LISE", ("research", "laboratoire")),
    ("research", "universite", "Université de Picardie", ("research", "universite")),
    ("training", "iut", "l'IUT", ("research", "universite")),
    ("training", "opca", "Uniformation", ("training", "organisme_formation")),
    ("eu", "fonds structurel", "FEADER (programmes de développement rural)", ("eu", "feader_leader")),
    ("eu", "fonds structurel", "FEDER", ("eu", "feder")),
    ("tiers_lieu", "projet tiers-lieu", "La ManuCo", ("tiers_lieu", "tiers_lieu")),
])
def test_kind_mapping_table(kind, subkind, name, expected):
    assert rm.map_kind(kind, subkind, name)[:2] == expected


def test_person_kind_from_facts():
    assert rm.map_kind("person", "", "X", ["conseillère régionale déléguée à l'ESS (L1105)"])[:2] == ("person", "elu")
    assert rm.map_kind("person", "", "X", ["présidente du RTES; conseillère municipale (L1105)"]).kind == "elu"
    assert rm.map_kind("person", "", "X", ["président du Labo de l'ESS (L1126)"]).kind == "salarie"
    assert rm.map_kind("person", "", "X", ["Vice-Président du Conseil Supérieur de l'Economie Sociale"]).kind \
        == "salarie"
    assert rm.map_kind("person", "", "X", ["PTCE Le Multiple (role not stated) (L1428)"]).kind == "personne"
    with pytest.raises(KeyError):
        rm.map_kind("spaceship", "", "X")


@pytest.mark.parametrize("facts, expected", [
    (["une quarantaine d'adhérents (L748)"], {"members": 40.0}),
    (["about 40 adherents ('une quarantaine d'adhérents') (L748)"], {"members": 40.0}),
    (["ecosystem of 27 actors animated by the GEIE (L840)"], {"members": 27.0}),
    (["≈40 members"], {"members": 40.0}),
    (["huit structures se regroupent en 2011 (L276)"], {"members": 8.0}),
    (["145 ETP (L956)"], {"jobs": 145.0}),
    (["[004 L158] 350 emplois permanents dans les organisations ESS."], {"jobs": 350.0}),
    (["une soixantaine d'emplois et un chiffre d'affaires consolidé de 2,4 millions d'euros (L738)"],
     {"jobs": 60.0, "budget_eur": 2_400_000.0}),
    (["groups about fifty local authorities ('une cinquantaine de collectivités locales')"],
     {"collectivites": 50.0}),
    (["partenariats avec une vingtaine d'entreprises « classiques » et de l'ESS (L278)"], {"partners": 20.0}),
    # not the actor's own size: nothing
    (["100 jobs and 11 enterprises created in 5 years (L855)"], {}),
    (["20 direct jobs created (L1023)"], {}),
    (["[004 L188-190] Plus de 280 entreprises adhérentes ou sociétaires des organisations collectives ; "
      "350 entreprises partenaires des actions menées."], {"partners": 350.0}),
    (["premises in Espace Technologique Jean Bertin (zone industrielle et portuaire, >3000 salariés, 300 ha)"], {}),
    (["investments of nearly 7 M EUR + CBE loan >2 M EUR (L1007)"], {}),
    (["[004 L200-202] Plus de 30 millions de chiffre d'affaires annuel cumulés (unité monétaire non précisée)."],
     {}),
    (["rencontres nationales mars 2012 avec 14 partenaires français (L222)"], {}),
])
def test_declared_sizes(facts, expected):
    assert rm.declared_sizes(facts) == expected


def test_pole_fields_from_facts():
    assert rm.founding_year(["created 2011 (L744)", "recognised PTCE in 2014 (L748)"]) == 2011
    assert rm.founding_year(["pôle créé en 2010 (L196)"]) == 2010
    assert rm.founding_year(["ouvert en janvier 2014 (L322)", "lance en 2011 un appel à projet"]) is None
    assert rm.labels(["laureate of first government AAP 2013 (L954)"]) == ["lauréat AAP PTCE 2013"]
    assert rm.labels(["[003 L320] Pôle témoin non lauréat de l'appel à projet national."]) == ["pôle témoin"]
    assert rm.labels(["lauréat de l'appel à projet national PTCE en 2013 (L282)",
                      "lauréat de l'appel à projet national PTCE"]) == ["lauréat AAP PTCE 2013"]
    # the national calls were launched in 2013 and 2015 (000 L802): « lauréats du premier appel … en 2014 »
    # (000 L1033) won the 2013 call, not a « AAP PTCE 2014 » that never was
    assert rm.labels(["laureate of first government AAP 'PTCE' ('en 2014' as written) (L1033)"]) == \
        ["lauréat AAP PTCE 2013"]
    assert rm.labels(["laureate of national AAP PTCE 2015, in January 2016 (L1182)"]) == ["lauréat AAP PTCE 2015"]
    assert rm.labels(["lauréat de l'appel à projet national en 2014"]) == ["lauréat AAP PTCE"]
    assert actor("s000b", "ptce-les-ateliers-castres")["pole"]["labels"] == ["lauréat AAP PTCE 2013"]
    dated = {x for name in FILES for a in records(name)[1] if a["pole"] for x in a["pole"]["labels"]
             if x.startswith("lauréat AAP PTCE ")}
    assert dated == {"lauréat AAP PTCE 2013", "lauréat AAP PTCE 2015"}
    assert rm.phase(["en préfiguration"]) == "emergence"
    assert rm.phase(["lauréat de l'appel à projet national PTCE ; en phase d'amorçage en 2016 (L605)"]) == "amorcage"
    assert rm.phase(["La mixité favorise l'émergence d'événements culturels"]) is None


def test_a_porteur_is_not_a_pole():
    """s001_002 calls Initiatives et Cité a PTCE and says it carries Lille MétroPôle Solidaire
    (annex of 001, L1104, « nom du PTCE ou structure porteuse »); 000 L131 says what it is: « Cette
    coopérative […] s'associe à la Métropole Européenne de Lille (MEL) afin de co-construire le PTCE,
    Lille MétroPôle Solidaire ». A structure porteuse is an organisation: the store counted it as a
    second pôle."""
    need_shared()
    iec = actor("s001_002", "initiatives_et_cite")
    assert (iec["family"], iec["pole"]) == ("ess", None)
    assert iec["facts"][-1].startswith("[curation] structure porteuse du pôle « Lille MétroPôle Solidaire »")
    assert actor("s001_002", "lille_metropole_solidaire")["family"] == "pole"
    assert rm.porteurs_of_poles([{"id": "a", "kind": "ess_org"}, {"id": "p", "kind": "ptce"}],
                                [{"type": "carries", "source": "a", "target": "p"}]) == {}
    # the only one in the four extractions
    assert {name: rm.porteurs_of_poles(*(lambda g: (g["actors"], g["links"]))(
        json.loads((SEED_GRAPH / f"{name}_graph.json").read_text(encoding="utf-8")))) for name in FILES} \
        == {"s000a": {}, "s000b": {}, "s001_002": {"initiatives_et_cite": "lille_metropole_solidaire"}, "s003_004": {}}


def test_aliases_and_legal_forms():
    assert rm.aliases("Le TRANSFO", ["spelled 'Transfo' in L1428"]) == ["Transfo"]
    assert rm.aliases("X", ["annex name presumably 'Y', page 25 [identification is an inference]"]) == []
    assert rm.aliases("X", ["described as 'un organisme de formation' (L952)"]) == []
    assert rm.aliases("CBE du Pays d'Apt", ["annex: 'Matière et Couleurs du Luberon (PTCE – CBE du Pays d'Apt)'"]) \
        == []
    assert rm.aliases("Jean Brioussel (also 'Jean Briussel')", []) == ["Jean Briussel"]
    assert rm.name_variants("Périscope (le Périscope)", "pole") == ["le Périscope"]
    assert rm.name_variants("Val Horizon (Valhorizon)", "ess") == ["Valhorizon"]
    assert rm.name_variants("Métropole Européenne de Lille (MEL)", "collectivite") == ["MEL"]
    assert rm.name_variants("Resto Passerelle (APPUI)", "pole") == []            # the porteur
    assert rm.name_variants("Maison de l'Economie Solidaire (Ramonville)", "ess") == []  # a place
    assert rm.name_variants("TRIVEO (PTCE)", "other") == []                      # a generic acronym
    assert rm.name_variants("Henri Arevalo (Arévalo)", "person") == []
    assert actor("s000a", "ptce-periscope")["aliases"] == ["le Périscope"]
    assert rm.legal_form("scic (porteur, unnamed)", "Les Ateliers de Castres") is None
    assert rm.legal_form("geie", "GEIE Eco-Trans-Faire") == "GEIE"


def test_certainty_rules():
    assert rm.link_certainty() == "stated"
    assert rm.link_certainty(note="laureate status stated; funding implied by AAP") == "implied"
    assert rm.link_certainty(note="winning the AAP implies funding; amount not stated") == "implied"
    assert rm.link_certainty(note="carrier role inferred from that header") == "inferred"
    assert rm.link_certainty(role="planned partner of the 1 June IAE meeting") == "planned"
    assert rm.link_certainty(note="Région (déduit)") == "inferred"
    assert rm.parse_year("2013-2014") == (2013, 2014) and rm.parse_year(2011) == (2011, None)
    with pytest.raises(ValueError):
        rm.parse_year("fin 2013")


def test_link_type_table_covers_the_vocabulary():
    from maillage.graph.vocabulary import vocabulary

    assert set(rm.LINK_TYPES.values()) <= set(vocabulary().relation_types)
    for name in FILES:
        assert rm.FLIPPED_LINK_TYPES[name] == frozenset(), "no extraction writes a type backwards"


#: Words of the extraction's English notes that French text never holds (« member », « implied »,
#: « not stated »…): a relation's role, note or programme holding one shows English to a French
#: reader (the map's tooltips, the exports).
_ENGLISH = re.compile(r"\b(?:the|of|by|with|implied|inferred|member|speaker|founding|footnote|laureate|"
                      r"not stated|not specified|not named|co-published|working-group|signatory|planned|"
                      r"initiator|organiser|partnership|applicant|representative|since|former|generic)\b")


def test_relations_are_worded_in_french_and_names_too():
    """The reference data is shown to French readers: the extraction's English wording of roles,
    notes and programmes (« working-group member », « implied », « laureate; amount not stated »)
    and of names (« programme Leader piloted by the Pays Voironnais ») is written in French by
    the build (scripts/reference_french.tsv, ``reference_mapping.NAME_WORDING``), and a relation's
    certainty is still read from the extraction's own words."""
    english = []
    for name in FILES:
        _, actors, relations = records(name)
        english += [(name, a["key"], a["name"]) for a in actors if _ENGLISH.search(a["name"])]
        for r in relations:
            for field in ("role", "note", "programme"):
                text = r["fields"].get(field)
                if isinstance(text, str) and _ENGLISH.search(text):
                    english.append((name, r["source"], text))
    assert english == []
    (r,) = relations_between("s001_002", "departement_essonne", "pole_eco_solidaire_sud_essonne")
    assert r["fields"]["note"].startswith("identité déduite") and r["provenance"]["certainty"] == "inferred"
    assert actor("s000b", "leader-pays-voironnais")["name"] == "programme Leader piloté par le Pays Voironnais"
    # « AMAP (generic: …) » was shown as is in the map, the report and the exports
    assert actor("s001_002", "amap")["name"] == \
        "AMAP (terme générique : Associations pour le maintien d'une agriculture paysanne)"
