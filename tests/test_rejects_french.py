"""The rejects file in French (``maillage/loaders/motifs``): every entry of the table translates
its own example and is not shadowed by an earlier one; every reason the loaders give on the real
files has an entry (the loader tests check the same of every reason they read: ``rejects_of``);
the file's header, levels and reasons are French by default and English with ``lang="en"``."""

from __future__ import annotations

import csv
import doctest
import re

import pytest

from _loading import rejects_of
from maillage.graph import open_store
from maillage.loaders import LoadError, load_file
from maillage.loaders import motifs
from maillage.loaders.motifs import ENTRIES, french_grouping, motif, rows_text, translated

#: The files of ../shared/realdata a loader reads, with what the load needs.
REAL_FILES = {
    "ftm-zala/entities.ftm.json": {},
    "paris-subventions-2013/subventions-accordees-et-refusees.csv": {},
    "popolo-tas-councillors/local_councillor_popolo.json": {},
    "scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv": {},
    "scdl-somme/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv": {},
    "sirene-ess-numerique/04_ess_flag_insee.csv": {},
    "tiers-lieux-numerique/03_tiers_lieux.csv": {},
}


@pytest.mark.parametrize("i", range(len(ENTRIES)), ids=lambda i: ENTRIES[i][2][:40])
def test_each_entry_translates_its_example_and_is_the_one_that_does(i):
    pattern, template, example = ENTRIES[i]
    assert re.fullmatch(pattern, example, re.DOTALL), f"the pattern does not match its own example: {example!r}"
    first = next(j for j, (p, _, _) in enumerate(ENTRIES) if re.fullmatch(p, example, re.DOTALL))
    assert first == i, f"entry {first} ({ENTRIES[first][0]!r}) takes this example first"
    out = motif(example)
    assert out != example
    # the same as a plain scan of the whole table gives (motif skips entries by their first characters)
    m = re.fullmatch(pattern, example, re.DOTALL)
    plain = template.format(**{k: "" if v is None else motif(v) if k.startswith("motif") else rows_text(v)
                               if k.startswith("where") else french_grouping(v) for k, v in m.groupdict().items()})
    assert out == plain


def test_the_examples_of_the_docs_run():
    assert doctest.testmod(motifs).failed == 0


def test_numbers_grouped_the_english_way_are_grouped_the_french_way():
    """« 1,000 » in a French sentence reads as one with three decimals: « 1 000 » (narrow no-break
    space); a list of rows keeps its commas."""
    assert motif("name longer than 1,000 characters: not a name") == "nom de plus de 1\u202f000 caractères : pas un nom"
    assert motif("alias longer than 1,000 characters: not a name") == "alias de plus de 1\u202f000 caractères : pas un nom"
    out = motif("99,724 of the 99,724 grants of this file are already stated by the source 'scdl:a.csv' (same "
                "attribuant, bénéficiaire, amount and year): each is counted twice in the totals")
    assert out.startswith("99\u202f724 des 99\u202f724 subventions de ce fichier sont déjà dans la source")


def test_a_reason_in_a_reason_is_translated_too():
    """A cell's error inside a row's reason: both parts French."""
    out = motif("no valid SIREN ('123' has 3 digits: expected a SIREN (9) or a SIRET (14))")
    assert "SIREN" in out and "has 3 digits" not in out and "expected" not in out


def test_an_unknown_reason_is_kept_as_stated():
    assert motif("a reason from another version") == "a reason from another version"
    assert not translated("a reason from another version")
    with pytest.raises(ValueError, match="fr, en"):
        motif("x", "de")


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_every_reason_on_the_real_files_is_translated(name, shared, tmp_path):
    path = shared / "realdata" / name
    with open_store(":memory:") as store:
        report = load_file(store, path, rejects_dir=tmp_path / "en", lang="en", **REAL_FILES[name])
    reasons = {r["reason"] for r in rejects_of(report)}
    assert reasons, "each of these files has rejects or warnings"
    missing = sorted(r for r in reasons if not translated(r))
    assert not missing, f"{len(missing)} reasons without a French entry: {missing[:5]}"


def test_the_rejects_file_is_french_by_default_and_english_on_request(shared, tmp_path):
    """Haute-Garonne's row 35 has no bénéficiaire (nomBeneficiaire empty)."""
    path = shared / "realdata/scdl-haute-garonne/SCDL_DEP_Haute Garonne_datalocale-subvention.csv"
    rows = {}
    for lang in ("fr", "en"):
        with open_store(":memory:") as store:
            report = load_file(store, path, rejects_dir=tmp_path / lang, **({"lang": lang} if lang == "en" else {}))
        with open(report.rejects_file, encoding="utf-8-sig", newline="") as f:
            rows[lang] = list(csv.DictReader(f, delimiter=";"))
    (fr,), (en,) = rows["fr"], rows["en"]
    assert (fr["ligne"], fr["niveau"], fr["colonne"]) == (en["row"], "rejet", en["column"]) == ("35", "rejet",
                                                                                               "nomBeneficiaire")
    assert en["level"] == "rejected" and en["reason"].startswith("no bénéficiaire: nomBeneficiaire")
    assert fr["motif"] == motif(en["reason"]) and fr["motif"].startswith("aucun bénéficiaire : nomBeneficiaire")
    assert fr["original"] == en["original"] and "SICOVAL" in fr["original"]


def test_an_unknown_language_is_refused_before_the_store_changes(shared, tmp_path):
    path = shared / "realdata/scdl-somme/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv"
    with open_store(":memory:") as store:
        with pytest.raises(LoadError, match="lang must be one of fr, en"):
            load_file(store, path, rejects_dir=tmp_path, lang="de")
        assert store.stats()["actors"] == 0 and not any(tmp_path.iterdir())


def test_a_sheet_s_row_is_named_in_french_in_the_french_rejects_file(tmp_path):
    """A workbook of two sheets with a nameless row on sheet « 2022 », row 3: the French file says
    « feuille 2022, ligne 3 » (as the map does), the English one ``2022!row 3``."""
    from _workbooks import write_xlsx

    path = write_xlsx(tmp_path / "adherents.xlsx", {
        "2022": [["Nom", "Commune"], ["Alpha", "Albi"], ["", "Albi"]],
        "2023": [["Nom", "Commune"], ["Alpha", "Albi"]],
    })
    rows = {}
    for lang in ("fr", "en"):
        with open_store(":memory:") as store:
            report = load_file(store, path, options={"pole": "Pôle Sud"}, rejects_dir=tmp_path / lang, lang=lang)
        with open(report.rejects_file, encoding="utf-8-sig", newline="") as f:
            rows[lang] = list(csv.DictReader(f, delimiter=";"))
    (fr,), (en,) = rows["fr"], rows["en"]
    assert (fr["ligne"], fr["niveau"]) == ("feuille 2022, ligne 3", "rejet")
    assert (en["row"], en["level"]) == ("2022!row 3", "rejected")


def test_a_subsidy_or_sirene_file_refused_as_a_whole_is_said_in_french(tmp_path):
    """A collectivité that loads a file with the wrong format, or through a mapping with a mistake,
    reads why in French (the command prints ``motif`` of the error): the format, what the file
    lacks, the mapping's faulty key, the columns found — no English phrase left (they were)."""
    ab = tmp_path / "ab.csv"
    ab.write_text("a;b\n1;2\n", encoding="utf-8")
    mine = tmp_path / "mine.csv"
    mine.write_text("nom;montant\nA;12\n", encoding="utf-8")
    mappings = {"absente.yaml": None,
                "colonne.yaml": "attribuant: {name: {value: V}}\nbeneficiaire: {name: X}\n",
                "cle.yaml": "attribuant: {name: {value: V}}\nbeneficiaire: {nom: nom}\n",
                "inconnue.yaml": "foo: 1\n",
                "statut.yaml": "attribuant: {name: {value: V}}\nbeneficiaire: {name: nom}\n"
                               "status: {column: {value: x}, granted: [a]}\n",
                "nature.yaml": "attribuant: {name: {value: V}}\nbeneficiaire: {name: nom}\n"
                               "nature_columns: {fonct: montant}\n",
                "sans-montant.yaml": "attribuant: {name: {value: V}}\nbeneficiaire: {name: nom}\n"}
    cases = [(ab, "scdl", {}), (ab, "odf-subventions", {}), (ab, "sirene", {})]
    for name, text in mappings.items():
        if text is not None:
            (tmp_path / name).write_text(text, encoding="utf-8")
        cases.append((mine, "subsidies", {"mapping": str(tmp_path / name)}))
    said = []
    for path, fmt, options in cases:
        with open_store(":memory:") as store, pytest.raises(LoadError) as e:
            load_file(store, path, format=fmt, options=options, rejects_dir=tmp_path / "rejets")
        reason = str(e.value)
        assert translated(reason), reason
        fr = motif(reason)
        said.append(fr)
        for english in ("Columns found", "cannot read", "it lacks", "mapping ", " column", "expected", "unknown key",
                        "not a ", "no such file", "must name"):
            assert english not in fr.replace("--mapping", "--"), (english, fr)
        assert fr.startswith(str(path) + " : ")
    assert "Colonnes trouvées : a, b" in said[0] and "une colonne de montant" in said[0]
    assert "une colonne de montant ou de statut" not in said[0]  # « an amount column » says it
    assert "OpenDataFrance" in said[1] and "extrait SIRENE" in said[2]
    assert "absente.yaml : fichier introuvable" in said[3]
    assert "beneficiaire.name (X)" in said[4] and "Colonnes trouvées : nom, montant" in said[4]
    assert "beneficiaire : clé(s) inconnue(s) : nom" in said[5] and "clé(s) inconnue(s) : foo" in said[6]
    assert "status.column doit nommer une colonne" in said[7] and "'fonct' n'est pas une nature" in said[8]
    assert "correspondance sans-montant : il y manque une colonne de montant ou de statut" in said[9]


def test_an_option_a_governance_format_does_not_take_is_refused_in_french(shared, tmp_path):
    """`maillage load entities.ftm.json -o pole=X` printed « erreur : …/entities.ftm.json: format
    'ftm' does not take option(s) pole; it takes: none », and a wrong legislature_family of a
    Popolo file « option legislature_family='etat': expected … »: the load names the file
    before the loader's reason, and no entry matched that whole sentence."""
    cases = [(shared / "realdata/ftm-zala/entities.ftm.json", {"pole": "X"}),
             (shared / "realdata/popolo-tas-councillors/local_councillor_popolo.json", {"pole": "X"}),
             (shared / "realdata/popolo-tas-councillors/local_councillor_popolo.json", {"legislature_family": "etat"})]
    said = []
    for path, options in cases:
        with open_store(":memory:") as store, pytest.raises(LoadError) as e:
            load_file(store, path, options=options, rejects_dir=tmp_path)
        assert translated(str(e.value)), str(e.value)
        said.append(motif(str(e.value)))
    assert said == [f"{cases[0][0]} : le format 'ftm' ne prend aucune option (donnée : pole)",
                    f"{cases[1][0]} : le format 'popolo' ne prend pas la ou les options pole ; il prend : "
                    "legislature_family",
                    f"{cases[2][0]} : option legislature_family='etat' : valeur attendue 'collectivite' ou 'state'"]


def test_de_before_a_name_beginning_with_a_vowel_is_elided():
    """« le nom de Évry-Courcouronnes » is not French: « d'Évry-Courcouronnes »; a list of words in
    small letters after « de » keeps it."""
    said = motif("'Evry' is not the name of Évry-Courcouronnes, the commune of postal code 91000: located there by "
                 "the code (a typo?)")
    assert said.startswith("'Evry' n'est pas le nom d'Évry-Courcouronnes, la commune du code postal 91000")
    said = motif("'toulous' is not the name of Toulouse, the commune of postal code 31000: located there by the code "
                 "(a typo?)")
    assert "le nom de Toulouse" in said
