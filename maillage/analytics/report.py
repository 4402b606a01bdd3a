"""The analysis report: one self-contained HTML page (French by default).

:func:`render_report` gathers, for one analysis run: headline counts, the sources (with
their sha256 and, for the reference data, the founding documents), the composition by
actor family, the relation types, the most central actors of the run, the pôles table
(:func:`~maillage.analytics.run.pole_table`), isolated and peripheral actors with their
reasons (:func:`~maillage.analytics.run.isolated_actors`: isolé = no cooperation tie, a single
partner is peripheral, as everywhere), the contradictions between
sources, and a methods section (lens, as-of year, parameters, definitions, provenance
rules); under its title, when the graph changed after the run, a note saying so
(:func:`maillage.api.export_view.stale_note`). The page has inline CSS only and loads nothing; the template autoescapes every
value. Natural persons are never listed (only counted).

>>> from maillage.graph import open_store
>>> from maillage.analytics.run import analyse
>>> import tempfile, pathlib
>>> store = open_store(":memory:")
>>> run = analyse(store)
>>> out = render_report(store, run.id, pathlib.Path(tempfile.mkdtemp()) / "rapport.html")
>>> "Contradictions entre sources" in out.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, Callable, TypeVar

import jinja2
from markupsafe import Markup

from maillage.clock import paris_time
from maillage.graph.names import alpha_key
from maillage.graph.projection import lens_types, project
from maillage.graph.store import NotFound, Store
from maillage.graph.vocabulary import LENS_WORDS_FR, vocabulary
from maillage.writing import date_text, number_text

from .lenses import get_lens
from .metrics import METRICS
from .run import ISOLATION_CODES, isolated_actors, location_label, person_groups, pole_table

TOP_N = 10

#: The map link on paper, where it cannot be followed: which file to open, the map being beside
#: the report or (``map_paper_path``) in another folder, its path from the report's.
MAP_ON_PAPER = {
    "fr": {"map_paper": ("Carte interactive : elle ne s'imprime pas ; ouvrez dans un navigateur le fichier "
                         "{file}, livré avec ce rapport dans le même dossier."),
           "map_paper_path": ("Carte interactive : elle ne s'imprime pas ; ouvrez dans un navigateur le fichier "
                              "{file} (chemin depuis le dossier de ce rapport).")},
    "en": {"map_paper": ("Interactive map: it does not print; open the file {file}, supplied with this report "
                         "in the same folder, in a web browser."),
           "map_paper_path": ("Interactive map: it does not print; open the file {file} (path from this "
                              "report's folder) in a web browser.")},
}


def when_text(t: datetime | None = None, lang: str = "fr") -> str:
    """A time as a reader says it, in Paris time (``t`` naive: UTC; None: now): « 6 décembre
    2026 à 03 h 12 », "6 December 2026, 03:12 (Paris time)"; « 1er » for the first day. The
    reports' style; lists and console lines write the same Paris time shorter
    (:func:`maillage.clock.short_when`: « 06/12/2026 03:12 »).

    >>> when_text(datetime(2026, 12, 6, 2, 12))
    '6 décembre 2026 à 03 h 12'
    >>> when_text(datetime(2026, 7, 1, 8, 5), "en")
    '1 July 2026, 10:05 (Paris time)'
    """
    t = paris_time(t)
    day = date_text(f"{t:%Y-%m-%d}", lang)  # the day as every printed date: « 1er juillet 2026 »
    if lang == "en":
        return f"{day}, {t:%H:%M} (Paris time)"
    return f"{day} à {t:%H} h {t:%M}"

T = TypeVar("T")

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "lang": "fr", "title": "Rapport d'analyse du maillage", "run": "Analyse", "generated": "Généré le",
        "skip": "Aller au contenu",
        "actors": "Acteurs", "relations": "Relations", "poles": "Pôles", "sources": "Sources",
        "persons_note": "{n} personne(s) physique(s) présente(s) dans les données ne sont ni listées ni "
                        "comptées ici (données personnelles).",
        "contents": "Sommaire", "map": "Carte interactive", "map_link": "Ouvrir la carte interactive", **MAP_ON_PAPER["fr"],
        "s_sources": "Sources", "s_families": "Composition par famille d'acteurs", "s_types": "Types de relations",
        "s_central": "Acteurs les plus centraux", "s_poles": "Pôles", "s_isolated": "Acteurs isolés ou périphériques",
        "s_conflicts": "Contradictions entre sources", "s_methods": "Méthodes",
        "id": "Identifiant", "source_title": "Titre", "file": "Fichier", "sha": "SHA-256 (début)",
        "loaded": "Chargée le", "documents": "Documents", "family": "Famille", "count": "Nombre", "share": "Part",
        "type": "Type", "cooperation": "Coopération", "yes": "oui", "no": "non", "actor": "Acteur",
        "value": "Valeur", "pole": "Pôle", "kind": "Type", "phase": "Phase", "founded": "Création",
        "place": "Lieu", "members_listed": "Membres listés", "members_declared": "Membres déclarés",
        "carriers": "Structure(s) porteuse(s)", "collectivites": "Collectivités liées", "n_sources": "Sources",
        "reason": "Raison", "caveat": "Précaution", "field": "Attribut", "conflict_values": "Valeurs selon les sources",
        "thin": "peu documenté", "see_names": "voir les noms", "none": "Aucun.",
        "no_run_metrics": "Cette analyse n'a calculé aucune mesure (graphe vide).",
        "central_note": ("Les {n} premiers acteurs de l'analyse pour chaque mesure (valeurs non nulles) ; "
                         "définitions dans la section Méthodes."),
        "central_none": ("Aucun acteur ne se distingue : dans la lentille analysée, tous ont les mêmes valeurs "
                         "(c'est le cas des membres d'un seul pôle, reliés seulement à travers lui). Aucun "
                         "classement n'est donc donné ; chargez des partenariats, des coopérations ou des "
                         "financements entre acteurs pour voir qui relie qui."),
        "central_tied": "{measures} : tous les acteurs ont la même valeur, aucun classement n'est donné.",
        "central_tie_rest": "{measure} : puis {n} acteurs à égalité ({value}), non départagés.",
        "central_tie_head": "{measure} : {n} acteurs à égalité en tête ({value}), non départagés.",
        "poles_note": ("« Membres listés » compte les acteurs que les sources nomment comme membres du pôle "
                       "(relation « membre de ») ; « membres déclarés » est l'effectif que les sources "
                       "annoncent sans en donner la liste. Un écart entre les deux mesure la documentation "
                       "disponible, pas la taille réelle du pôle."),
        "isolated_intro": ("Acteurs isolés (aucun lien direct de coopération dans la lentille « {lens} »{asof}), "
                           "puis acteurs périphériques avec un seul partenaire direct.{co_membership} Les acteurs "
                           "signalés « peu documenté » (non nommés, groupes, dont les sources déclarent une "
                           "taille sans lister les acteurs, ou pôles dont aucun membre n'est nommé) et les collectivités ou organismes publics (des "
                           "financeurs) ne sont pas comptés comme isolés."),
        "isolated_co_membership": (" Seules les relations énoncées entre deux acteurs comptent ici, pas "
                                   "l'appartenance à un même pôle (que les mesures de centralité comptent) : "
                                   "un membre relié seulement à son pôle a un seul partenaire, le pôle."),
        "single_tie": "Acteurs périphériques avec un seul partenaire direct ({n})",
        "conflicts_intro": ("Attributs sur lesquels les sources (ou les documents d'une même source) ne "
                            "concordent pas. Le graphe garde la valeur la plus fréquente (ou la plus précise) "
                            "et conserve les autres ici, sans trancher."),
        "as_of": "en {year}", "all_years": "toutes années confondues",
    },
    "en": {
        "lang": "en", "title": "maillage analysis report", "run": "Analysis", "generated": "Generated on",
        "skip": "Skip to content",
        "actors": "Actors", "relations": "Relations", "poles": "Pôles", "sources": "Sources",
        "persons_note": "{n} natural person(s) in the data are neither listed nor counted here (personal data).",
        "contents": "Contents", "map": "Interactive map", "map_link": "Open the interactive map", **MAP_ON_PAPER["en"],
        "s_sources": "Sources", "s_families": "Composition by actor family", "s_types": "Relation types",
        "s_central": "Most central actors", "s_poles": "Pôles", "s_isolated": "Isolated or peripheral actors",
        "s_conflicts": "Contradictions between sources", "s_methods": "Methods",
        "id": "Id", "source_title": "Title", "file": "File", "sha": "SHA-256 (prefix)",
        "loaded": "Loaded", "documents": "Documents", "family": "Family", "count": "Count", "share": "Share",
        "type": "Type", "cooperation": "Cooperation", "yes": "yes", "no": "no", "actor": "Actor",
        "value": "Value", "pole": "Pôle", "kind": "Kind", "phase": "Phase", "founded": "Founded",
        "place": "Place", "members_listed": "Listed members", "members_declared": "Declared members",
        "carriers": "Carrying structure(s)", "collectivites": "Local authorities", "n_sources": "Sources",
        "reason": "Reason", "caveat": "Caveat", "field": "Attribute", "conflict_values": "Values by source",
        "thin": "thinly documented", "see_names": "see names", "none": "None.",
        "no_run_metrics": "This analysis computed no measure (empty graph).",
        "central_note": "The first {n} actors of the run for each measure (non-zero values); see Methods.",
        "central_none": ("No actor stands out: in the analysed lens they all have the same values (as the "
                         "members of a single pôle, tied only through it). No ranking is given; load "
                         "partnerships, cooperations or funding between actors to see who links whom."),
        "central_tied": "{measures}: every actor has the same value, no ranking is given.",
        "central_tie_rest": "{measure}: then {n} actors tied ({value}), not ranked.",
        "central_tie_head": "{measure}: {n} actors tied at the top ({value}), not ranked.",
        "poles_note": ("'Listed members' counts the actors the sources name as members of the pôle; "
                       "'declared members' is the size the sources state without listing them. A gap "
                       "between the two measures the documentation, not the pôle's real size."),
        "isolated_intro": ("Isolated actors (no direct cooperation tie in the '{lens}' lens{asof}), then "
                           "peripheral actors with a single direct partner.{co_membership} Actors marked "
                           "'thinly documented' (unnamed, groups, with a stated size but no listed actors, or pôles "
                           "with no named member) "
                           "and collectivités or public bodies (funders) are not counted as isolated."),
        "isolated_co_membership": (" Only relations stated between two actors count here, not membership of a "
                                   "same pôle (which the centrality measures count): a member tied only to its "
                                   "pôle has a single partner, the pôle."),
        "single_tie": "Peripheral actors with a single direct partner ({n})",
        "conflicts_intro": ("Attributes on which the sources (or the documents of one source) disagree. The "
                            "graph keeps the most frequent (or most precise) value and keeps the others here."),
        "as_of": "in {year}", "all_years": "all years",
    },
}

METRIC_LABELS = {
    "fr": {"degree": "Degré", "strength": "Force (degré pondéré)", "betweenness": "Intermédiarité",
           "closeness": "Proximité", "pagerank": "PageRank", "core_number": "Cœur (k-core)",
           "component": "Composante", "component_size": "Taille de la composante",
           "eigenvector": "Centralité de vecteur propre", "harmonic": "Centralité harmonique",
           "constraint": "Contrainte (Burt)", "effective_size": "Taille effective (Burt)",
           "community": "Communauté (Leiden)"},
    "en": {"degree": "Degree", "strength": "Strength (weighted degree)", "betweenness": "Betweenness",
           "closeness": "Closeness", "pagerank": "PageRank", "core_number": "Core number",
           "component": "Component", "component_size": "Component size",
           "eigenvector": "Eigenvector centrality", "harmonic": "Harmonic centrality",
           "constraint": "Constraint (Burt)", "effective_size": "Effective size (Burt)",
           "community": "Community (Leiden)"},
}

# Lens names are codes of the vocabulary; their display names (the vocabulary has none yet).
LENS_LABELS = {  # the lenses' French names (vocabulary.LENS_WORDS_FR), « all » said as a phrase
    "fr": {**LENS_WORDS_FR, "all": "toutes relations"},
    "en": {"cooperation": "cooperation", "funding": "funding", "governance": "governance", "all": "all ties"},
}

CONFLICT_FIELDS = {
    "fr": {"family": "Famille", "kind": "Type", "location": "Lieu", "siren": "SIREN", "rna": "RNA",
           "name": "Nom", "phase": "Phase", "founding_year": "Année de création"},
    "en": {"family": "Family", "kind": "Kind", "location": "Place", "siren": "SIREN", "rna": "RNA",
           "name": "Name", "phase": "Phase", "founding_year": "Founding year"},
}


def fmt_number(value: Any, lang: str = "fr", digits: int | None = None) -> str:
    """``12345.6`` → ``12 345,6`` in French (narrow no-break space, decimal comma): the reports'
    name for :func:`maillage.writing.number_text`."""
    return number_text(value, lang, digits)


def fmt_measure(value: Any, lang: str = "fr") -> str:
    """A measure as the spreadsheet files round it (:func:`maillage.tableur.measure`: 4
    significant digits, the whole part kept), written as :func:`fmt_number` writes numbers.

    >>> fmt_measure(0.000205123), fmt_measure(0.5, "en"), fmt_measure(12345.678), fmt_measure(None)
    ('0,0002051', '0.5', '12\u202f346', '')
    """
    from maillage.tableur import measure

    text = measure(value)
    return fmt_number(float(text), lang, len(text.partition(".")[2])) if text else ""


def level(value: Any) -> float:
    """A measure's value for comparing actors: rounded, so that float noise (PageRank values
    equal up to 1e-17) does not rank actors the measure does not tell apart."""
    return round(float(value or 0), 9)


def top_without_split_ties(ordered: list[T], value: Callable[[T], Any], n: int,
                           floor: Any = None) -> tuple[list[T], int]:
    """The first ``n`` of ``ordered`` (best first) without a group of equal ``value`` that a
    ranking cannot tell apart: the group the cut would split (shown in part, it would be
    picked by alphabetical order), and the group of several at the ``floor`` (everyone left at
    the lowest value, such as the members of a pôle tied only through it). Returns the rows
    kept and the size of the group left out (0 when none is).

    >>> top_without_split_ties([5, 4, 3, 3, 3], lambda v: v, 3)
    ([5, 4], 3)
    >>> top_without_split_ties([5, 4, 3, 2], lambda v: v, 3)
    ([5, 4, 3], 0)
    >>> top_without_split_ties([5, 1, 1], lambda v: v, 10, floor=1)
    ([5], 2)
    """
    if floor is not None:
        bottom = sum(1 for x in ordered if value(x) == floor)
        if bottom > 1 and len(ordered) - bottom <= n:
            return ordered[:len(ordered) - bottom], bottom
    if len(ordered) <= n or value(ordered[n - 1]) != value(ordered[n]):
        return ordered[:n], 0
    cut = value(ordered[n - 1])
    first = next(i for i, x in enumerate(ordered) if value(x) == cut)
    return ordered[:first], sum(1 for x in ordered if value(x) == cut)


def _conflict_value(field: str, value: Any, lang: str) -> str:
    voc = vocabulary()
    if field == "family" and value in voc.families:
        return voc.family(value).label(lang)
    if field == "kind":
        fam = voc.family_of_kind(str(value))
        if fam:
            return voc.family(fam).kinds[value].label(lang)
    if field == "location":
        return location_label(str(value))
    if field == "phase" and value in voc.enum("phases"):
        return voc.enum("phases")[value].label(lang)
    if field.startswith("declared") or field in voc.enum("declared_sizes"):
        return fmt_number(value, lang)
    return str(value)


def _conflict_label(field: str, lang: str) -> str:
    sizes = vocabulary().enum("declared_sizes")
    key = field.split(".", 1)[-1] if field.startswith("declared") else field
    if key in sizes:
        return sizes[key].label(lang)
    return CONFLICT_FIELDS[lang].get(field, field)


def _only_precision(values: list[Any]) -> bool:
    """True when differing places are nested (a commune and its région): the sources differ in
    precision, not in substance, so it is not a contradiction."""
    from maillage.geography import load_geography

    geo = load_geography()
    vals = [str(v) for v in values]
    try:
        return all(geo.contains(a, b) or geo.contains(b, a)
                   for i, a in enumerate(vals) for b in vals[i + 1:])
    except Exception:  # noqa: BLE001 - an unknown territory: keep the difference visible
        return False


def _documents(meta: dict[str, Any], mask=lambda t: t) -> list[dict[str, str]]:
    docs = meta.get("documents") or {}
    out = []
    if isinstance(docs, dict):
        for key, d in docs.items():
            if isinstance(d, dict):
                out.append({"id": str(key), "title": mask(str(d.get("title") or d.get("name") or "")),
                            "sha": str(d.get("sha256") or "")[:12]})
            else:
                out.append({"id": str(key), "title": mask(str(d)), "sha": ""})
    elif isinstance(docs, list):
        for d in docs:
            if isinstance(d, dict):
                out.append({"id": str(d.get("id", "")), "title": mask(str(d.get("title") or "")),
                            "sha": str(d.get("sha256") or "")[:12]})
            else:
                out.append({"id": str(d), "title": "", "sha": ""})
    return out


def _bars(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Geometry of a horizontal bar chart (inline SVG) of ``rows`` (label, count, colour)."""
    top = max((r["count"] for r in rows), default=0) or 1
    label_w, bar_w, row_h = 260, 360, 24
    bars = []
    for i, r in enumerate(rows):
        w = max(1.0, bar_w * r["count"] / top)
        bars.append({"y": i * row_h, "w": round(w, 1), "label": r["label"], "colour": r["colour"],
                     "text": fmt_number(r["count"], lang), "tx": round(label_w + w + 6, 1)})
    return {"bars": bars, "label_w": label_w, "width": label_w + bar_w + 60, "height": len(rows) * row_h,
            "row_h": row_h}


# the templates' folder: a template imports the macros every report shares (_commun.html.j2)
TEMPLATES = jinja2.PackageLoader("maillage.analytics", "templates")


def report_masker(store: Store, lang: str) -> tuple[list[tuple[str, ...]], Callable[[str], str]]:
    """The persons (:func:`~maillage.analytics.run.person_groups`: each one's names) and the mask
    every printed string of a report goes through: their names in text, and as a file or a source
    id writes them (« entretien-Didier-Cognon.csv », « cr_cognon_didier_2019 »:
    :func:`maillage.api.exports.source_masker`), since a report prints its sources' ids and file
    names; each person numbered as in the store's other views (« [personne 2] »)."""
    from maillage.api.exports import source_masker

    names = person_groups(store)
    return names, source_masker(names, "[personne]" if lang == "fr" else "[person]")


def _template(lang: str, mask: Callable[[str], str] = lambda t: t) -> jinja2.Template:
    """The report's template; every string it prints goes through ``mask`` (the persons' names,
    in the sources' ids and file names too), as the pôle and territory reports do."""
    text = resources.files("maillage.analytics").joinpath("templates/report.html.j2").read_text(encoding="utf-8")

    def finalize(value: Any) -> Any:
        return mask(value) if isinstance(value, str) and not isinstance(value, Markup) else value

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=finalize,
                             trim_blocks=True, lstrip_blocks=True, loader=TEMPLATES)
    env.filters["num"] = lambda v, digits=None: fmt_number(v, lang, digits)
    return env.from_string(text)


def source_name(src: Any) -> str:
    """A loaded source as its reader knows it: the file's name (« membres_2023.csv »), else its
    title, else its id without the format (``members:membres_2023.csv``), an id given alone too.

    >>> source_name("members:membres_2023.csv")
    'membres_2023.csv'
    """
    if isinstance(src, str):  # an id (a source removed since): a str has a ``title`` method, not a title
        return src.partition(":")[2] or src
    uri = getattr(src, "uri", None) or ""
    return Path(uri).name or getattr(src, "title", None) or str(getattr(src, "id", src)).partition(":")[2] or str(src)


def run_text(run: Any, lang: str = "fr") -> str:
    """An analysis run as a reader says it: « l'analyse du 6 décembre 2026 à 02 h 57 »; its id
    goes to a report's small print."""
    return (f"the analysis of {when_text(run.created_at, 'en')}" if lang == "en"
            else f"l'analyse du {when_text(run.created_at)}")


def run_sentences(store: Store, choice: Any, lang: str = "fr") -> list[str]:
    """What a report's reader must know of the run its measures come from
    (:class:`maillage.api.export_view.RunChoice`: its measures describe another view, or the
    graph changed after it), as :meth:`~maillage.api.export_view.RunChoice.notes` says it but
    plainly: the run by its date, a source by its file's name and its load date, no id."""
    from maillage.api.export_view import SUBJECTS, analyse_command, year_label
    from maillage.graph.vocabulary import lens_word

    run, en, out = choice.run, lang == "en", []
    if run is None:
        return out
    if not choice.matches:
        subject = SUBJECTS[choice.subject][1 if en else 0]
        cmd = analyse_command(choice.lens, choice.as_of, lang)
        out.append(f"The measures of {run_text(run, lang)} (lens {run.lens}, {year_label(run.as_of, lang)}) describe "
                   f"another view than {subject} (lens {choice.lens}, {year_label(choice.as_of, lang)}); for the "
                   f"measures of this view: {cmd}." if en else
                   f"Les mesures de {run_text(run, lang)} (lentille {lens_word(run.lens)}, "
                   f"{year_label(run.as_of, lang)}) décrivent une autre vue que {subject} (lentille "
                   f"{lens_word(choice.lens)}, {year_label(choice.as_of, lang)}) ; pour les mesures de cette vue : "
                   f"{cmd}.")
    if choice.changes:
        sources = {s.id: s for s in store.sources()}
        parts = []
        loaded = [c for c in choice.changes if c.kind == "loaded"]
        for c in loaded[:3]:
            name = source_name(sources.get(c.what, c.what))
            parts.append(f"file {name} loaded on {when_text(c.when, lang)}" if en else
                         f"fichier {name} chargé le {when_text(c.when)}")
        if len(loaded) > 3:
            parts.append(f"{len(loaded) - 3} other files" if en else f"{len(loaded) - 3} autres fichiers")
        removed = [source_name(c.what) for c in choice.changes if c.kind == "removed"]
        if removed:
            parts.append(("removed: " if en else "retiré : ") + ", ".join(removed))
        decided = [c for c in choice.changes if c.kind == "decision"]
        if decided:
            n = len({c.actor for c in decided})
            parts.append(f"{n} resolution decision{'s' if n > 1 else ''}, the latest on {when_text(decided[0].when, lang)}"
                         if en else f"{n} décision{'s' if n > 1 else ''} de résolution, la dernière le "
                         f"{when_text(decided[0].when)}")
        cmd = analyse_command(run.lens, run.as_of, lang)
        out.append(f"The measures come from {run_text(run, lang)}, made before the latest change of the graph "
                   f"({'; '.join(parts)}): run `{cmd}` again." if en else
                   f"Les mesures viennent de {run_text(run, lang)}, faite avant la dernière modification du graphe "
                   f"({' ; '.join(parts)}) : relancez « {cmd} ».")
    return out


def _stale(store: Store, run_id: str, lang: str) -> list[str]:
    """What the report of run ``run_id`` must say of it: the graph changed since
    (:func:`run_sentences`; the report is the run's own view)."""
    from maillage.api.export_view import choose_run

    return run_sentences(store, choose_run(store, None, None, run_id, subject="report"), lang)


def render_report(store: Store, run_id: str, path: str | Path, map_path: str | Path | None = None,
                  lang: str = "fr") -> Path:
    """Write the HTML report of analysis run ``run_id`` to ``path``; return the path.

    ``map_path`` (e.g. from :func:`maillage.api.maps.render_map`) is linked relative to the
    report. ``lang``: ``"fr"`` (default) or ``"en"``. Raises
    :class:`~maillage.graph.store.NotFound` for an unknown run.
    """
    if lang not in STRINGS:
        raise ValueError(f"lang must be one of {sorted(STRINGS)}, got {lang!r}")
    s = dict(STRINGS[lang])
    s["central_note"] = s["central_note"].format(n=TOP_N)
    voc = vocabulary()
    run = next((r for r in store.runs() if r.id == run_id), None)
    if run is None:
        raise NotFound(f"no analysis run {run_id!r}")
    path = Path(path)
    metrics = store.metrics(run_id)

    # everything below is computed without natural persons
    everything = project(store, lens="all", as_of=None)
    actors = everything.actors
    stats = store.stats()
    persons = stats.get("persons", 0)

    # natural persons' names are masked in everything printed: the free text of the sources
    # (titles, notes), and their ids and file names as a file writes a name (« entretien-Didier-Cognon.csv »)
    _names, mask = report_masker(store, lang)
    sources = []
    for src in store.sources():
        sources.append({"id": src.id, "title": mask(src.title or ""), "uri": src.uri,
                        "sha": (src.sha256 or "")[:12],
                        "loaded": when_text(src.loaded_at, lang) if src.loaded_at else "",
                        "documents": _documents(src.meta or {}, mask)})

    fam_count = Counter(a.family for a in actors.values())
    n_actors = len(actors)
    families = [{"name": f.name, "label": f.label(lang), "colour": f.colour, "count": fam_count[f.name],
                 "share": fmt_number(100 * fam_count[f.name] / n_actors, lang, 1) + "\u00a0%"}
                for f in voc.families.values() if fam_count[f.name]]

    type_count = Counter(r.type for r in everything.relations)
    n_rel = len(everything.relations)
    types = [{"name": t.name, "label": t.label(lang), "colour": t.colour, "cooperation": t.cooperation,
              "count": type_count[t.name],
              "share": fmt_number(100 * type_count[t.name] / n_rel, lang, 1) + "\u00a0%"}
             for t in voc.relation_types.values() if type_count[t.name]]

    central = []
    known = store.get_actors(metrics) if metrics else {}
    for metric in ("betweenness", "degree", "pagerank"):
        values = {aid: level(m.get(metric)) for aid, m in metrics.items()
                  if aid in known and not known[aid].personal_data}
        # every actor with the same value (the members of a single pôle, tied only through it):
        # a « top 10 » would be an alphabetical list, so none is given
        tied = len(values) > 1 and len(set(values.values())) == 1
        ordered = [] if tied else sorted(((aid, v) for aid, v in values.items() if v),
                                         key=lambda x: (-x[1], *alpha_key(known[x[0]].name), x[0]))
        ranked, left_out = top_without_split_ties(ordered, lambda x: x[1], TOP_N,
                                                  floor=min(values.values(), default=None))
        rows = []
        for aid, value in ranked:
            a = known[aid]
            fam = voc.families.get(a.family)
            rows.append({"name": a.name, "family": fam.label(lang) if fam else a.family,
                         "colour": fam.colour if fam else "#999999",
                         "value": fmt_number(value, lang, 0 if metric == "degree" else 3)})
        central.append({"metric": metric, "label": METRIC_LABELS[lang][metric], "rows": rows, "tied": tied,
                        "tie_note": s["central_tie_head" if not ranked else "central_tie_rest"].format(
                            measure=METRIC_LABELS[lang][metric], n=left_out, value=fmt_number(
                                ordered[len(ranked)][1], lang, 0 if metric == "degree" else 3))
                        if left_out else ""})
    all_tied = bool(central) and all(c["tied"] for c in central)
    tied_labels = ", ".join(c["label"] for c in central if c["tied"])

    poles = pole_table(store, as_of=run.as_of, lang=lang)
    for p in poles:
        p["declared_text"] = fmt_number(p["declared_members"], lang) if p["declared_members"] is not None else ""

    # isolé = no direct cooperation tie (territory.status_of, as the territory report and the
    # API); a single partner is peripheral; the thinly documented and the public bodies are flagged
    listed = [i for i in isolated_actors(store, lens=run.lens, as_of=run.as_of, lang=lang, include_peripheral=True)
              if i["code"] in ISOLATION_CODES]
    code_counts = Counter(i["code"] for i in listed)
    codes = [{"code": c, "label": d.get(lang, d["fr"]), "count": code_counts[c]} for c, d in ISOLATION_CODES.items()]
    isolated_main = [i for i in listed if i["code"] != "lien_unique"]
    single_tie = [i for i in listed if i["code"] == "lien_unique"]

    conflicts = []
    for a in sorted(actors.values(), key=lambda a: (*alpha_key(a.name), a.id)):
        if not a.conflicts:
            continue
        for field, values in sorted(a.conflicts.items()):
            if field == "location" and _only_precision(values):
                continue
            conflicts.append({"name": a.name, "id": a.id, "field": _conflict_label(field, lang),
                              "values": [_conflict_value(field, v, lang) for v in values],
                              "sources": ", ".join(a.sources)})

    asof_text = s["as_of"].format(year=run.as_of) if run.as_of else s["all_years"]
    methods = {
        "lens": run.lens,
        "lens_label": LENS_LABELS[lang].get(run.lens, run.lens),
        "lens_types": [voc.relation_type(t).label(lang) for t in lens_types(run.lens)],
        "as_of": asof_text,
        "params": run.params,
        "metric_labels": [METRIC_LABELS[lang].get(m, m) for m in METRICS],
    }
    map_href = None
    if map_path is not None:
        map_href = Path(os.path.relpath(Path(map_path).resolve(), path.parent.resolve())).as_posix()

    from .reports import shared_css  # the style every report shares (reports imports this module)

    generated = when_text(lang=lang)
    html = _template(lang, mask).render(
        s=s, lang=lang, run=run, run_note=mask(run.note or ""), run_notes=_stale(store, run_id, lang), generated=generated, run_when=run_text(run, lang),
        shared_css=Markup(shared_css(lang, generated, s["title"], asof_text, mask=mask)),
        headline={"actors": n_actors, "relations": n_rel, "poles": sum(1 for a in actors.values()
                                                                        if a.family == "pole"),
                  "sources": len(sources)},
        persons_note=s["persons_note"].format(n=persons) if persons else "",
        sources=sources, families=families, family_chart=_bars(families, lang), types=types,
        central=central, central_rows=max((len(c["rows"]) for c in central), default=0),
        central_all_tied=all_tied,
        central_tied_note=s["central_tied"].format(measures=tied_labels) if tied_labels else "",
        has_metrics=bool(metrics), poles=poles,
        codes=codes, isolated=isolated_main, single_tie=single_tie,
        isolated_intro=s["isolated_intro"].format(lens=LENS_LABELS[lang].get(run.lens, run.lens),
                                                  asof=(" " + asof_text) if run.as_of else "",
                                                  co_membership=s["isolated_co_membership"]
                                                  if "co_membership" in get_lens(run.lens).layers else ""),
        conflicts=conflicts, methods=methods, map_href=map_href,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


__all__ = ["render_report", "fmt_number", "level", "top_without_split_ties", "STRINGS", "METRIC_LABELS"]
