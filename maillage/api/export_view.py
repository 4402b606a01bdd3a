"""What an export holds: the view of the graph (scope, lens, year) and the analysis run whose
metrics go on its nodes — one code path for ``maillage export`` and ``GET /api/export/{fmt}``.

A run describes the graph as it was when it was made, through one lens and one year.
:func:`choose_run` takes the latest run of the export's own lens and year (else the latest run,
flagged as describing another view), and :func:`graph_changes` lists what changed in the store
after the run: a source loaded or reloaded (its ``loaded_at``), a source removed (a run keeps
the ids of the sources it read), a reviewer's merge or undo (a decision's ``decided_at``; a
rejected proposal changes no actor, no tie). :meth:`RunChoice.notes` says both, in French or
English (docs/exports.md). Maps, the API's subgraph views and the reports choose the run of
their metrics the same way and say the same notes, naming themselves (``subject``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from maillage.analytics.views import lens_view, view_types
from maillage.clock import short_when
from maillage.graph.model import Source
from maillage.api.exports import unknown_run
from maillage.graph.store import AnalysisRun, Store, Subgraph
from maillage.graph.vocabulary import lens_word

#: Decisions that change the graph: a merge accepted, a merge undone (a reject changes nothing).
GRAPH_DECISIONS = ("accept", "detach", "undo")


@dataclass
class Change:
    """One change of the store after a run: ``kind`` is ``loaded``, ``removed`` or ``decision``;
    ``what`` a source id or ``source:key``; ``when`` its time (None for a removal: not kept);
    ``actor`` a decision's actor."""

    kind: str
    what: str
    when: datetime | None = None
    actor: str | None = None  # a decision's actor


def _utc(t: datetime | None) -> datetime | None:
    return None if t is None else (t if t.tzinfo else t.replace(tzinfo=timezone.utc))


def graph_changes(store: Store, run: AnalysisRun, sources: list[Source] | None = None) -> list[Change]:
    """What changed in ``store`` after ``run`` was made, latest first (removals last);
    ``sources``: the store's, if already read."""
    made = _utc(run.created_at)
    read = run.params.get("sources")  # ids of the sources the run read (runs made before: unknown)
    out: list[Change] = []
    current = set()
    for s in store.sources() if sources is None else sources:
        current.add(s.id)
        when = _utc(s.loaded_at)
        if (when is not None and when > made) or (read is not None and s.id not in read):
            out.append(Change("loaded", s.id, when))
    for d in store.decisions():
        when = _utc(d.decided_at)
        if d.action in GRAPH_DECISIONS and when is not None and when > made:
            out.append(Change("decision", f"{d.source}:{d.key}", when, d.actor_id))
    out.sort(key=lambda c: c.when or made, reverse=True)
    out += [Change("removed", sid) for sid in sorted(set(read or ()) - current)]
    return out


def year_label(as_of: int | None, lang: str = "fr") -> str:
    """« 2016 », or « toutes années » / "all years"."""
    return str(as_of) if as_of is not None else ("all years" if lang == "en" else "toutes années")


def analyse_command(lens: str, as_of: int | None, lang: str = "fr") -> str:
    """The ``maillage analyse`` command that makes a run of ``lens`` and ``as_of``: in French
    with the lens's French name, which ``--lens`` takes (« --lens financement »).

    >>> analyse_command("funding", 2016), analyse_command("funding", None, "en")
    ('maillage analyse --lens financement --as-of 2016', 'maillage analyse --lens funding')
    """
    name = lens if lang == "en" else lens_word(lens)
    return f"maillage analyse --lens {name}" + (f" --as-of {as_of}" if as_of is not None else "")


def _when(t: datetime | None, lang: str = "fr") -> str:
    """« 05/12/2026 11:02 » in Paris time, as ``maillage sources`` writes a load's time (the
    reports say the same time as a sentence: ``report.when_text``); in English "2026-12-05 11:02
    (Paris time)"."""
    if not t:
        return ""
    return short_when(t, lang) + (" (Paris time)" if lang == "en" else "")


def _names(items: list[str], lang: str) -> str:
    """« a, b et 3 autres » / "a, b and 3 others"."""
    more = len(items) - 2
    if more <= 0:
        return (" and " if lang == "en" else " et ").join(items)
    return ", ".join(items[:2]) + (f" and {more} other{'s' if more > 1 else ''}" if lang == "en"
                                   else f" et {more} autre{'s' if more > 1 else ''}")


def changes_text(changes: list[Change], lang: str = "fr") -> str:
    """The changes in a few words, by kind, each with its latest time: « source reference:s000a
    chargée le 05/12/2026 10:02 ; 1 décision de résolution le 05/12/2026 10:05 »."""
    en, parts = lang == "en", []
    loaded = [c for c in changes if c.kind == "loaded"]
    if loaded:
        s, names = "s" if len(loaded) > 1 else "", _names([c.what for c in loaded], lang)
        when = _when(loaded[0].when, lang)
        if en:
            parts.append(f"source{s} {names} loaded" + (f", the latest on {when}" if s else f" on {when}"))
        else:
            parts.append(f"source{s} {names} chargée{s}" + (f", la dernière le {when}" if s else f" le {when}"))
    removed = [c.what for c in changes if c.kind == "removed"]
    if removed:  # counted, not named: a removed source's persons are gone, a name in its id could not be masked
        n, s = len(removed), "s" if len(removed) > 1 else ""
        parts.append(f"{n} source{s} removed" if en else f"{n} source{s} retirée{s}")
    decided = [c for c in changes if c.kind == "decision"]
    if decided:
        n = len({c.actor for c in decided})  # the statements an accept moved together are one decision
        s, when = "s" if n > 1 else "", _when(decided[0].when, lang)
        parts.append(f"{n} resolution decision{s}{', the latest' if s else ''} on {when}" if en else
                     f"{n} décision{s} de résolution{', la dernière' if s else ''} le {when}")
    return ("; " if en else " ; ").join(parts)


def run_named(run: AnalysisRun, lang: str = "fr", plain: bool = False) -> str:
    """How a note names ``run``: by its id and date for a file's lines (« l'analyse run-… du
    06/12/2026 02:57 », to cite it or export it again with ``--run``), by its date alone
    as the reports say it for a page's or a view's reader (``plain``:
    :func:`maillage.analytics.report.run_text`)."""
    if plain:
        from maillage.analytics.report import run_text

        return run_text(run, lang)
    when = _when(run.created_at, lang)
    return f"analysis run {run.id} of {when}" if lang == "en" else f"l'analyse {run.id} du {when}"


def stale_note(run: AnalysisRun, changes: list[Change], lang: str = "fr", plain: bool = False) -> str | None:
    """The sentence saying ``run`` was made before the latest change of the graph, or None
    (``plain``: the run named as :func:`run_named` says)."""
    if not changes:
        return None
    what, cmd = changes_text(changes, lang), analyse_command(run.lens, run.as_of, lang)
    if lang == "en":
        return (f"the measures come from {run_named(run, lang, plain)}, made before the "
                f"latest change of the graph ({what}): run `{cmd}` again")
    return (f"les mesures viennent de {run_named(run, lang, plain)}, faite avant la dernière "
            f"modification du graphe ({what}) : relancez « {cmd} »")


@dataclass
class RunSource:
    """A source an analysis run read, as it was then: ``id``, its file's name (``file``), what
    it is (``label``: the titles of the documents it names, else the file's name:
    :func:`maillage.api.maps.source_labels`), when it was loaded and its sha256 (None when not
    known: a document, or a run made before runs recorded them and the source reloaded since);
    ``since``: ``reloaded`` or ``removed`` when the store's source is no longer that one."""

    id: str
    file: str
    label: str
    loaded_at: datetime | None = None
    sha256: str | None = None
    since: str | None = None


def run_sources(store: Store, run: AnalysisRun, sources: list[Source] | None = None,
                mask: Callable[[str], str] | None = None) -> list[RunSource] | None:
    """The sources ``run`` read, each as the run recorded it (``params["source_sha256"]`` and
    ``["source_loaded"]``; a run made before they were recorded: the store's source when it
    has not been reloaded since). None when the run did not record which sources it read.
    ``sources``: the store's, if already read; ``mask``: hides persons in their labels (a
    document's title may name its author, :func:`~maillage.api.maps.source_labels`)."""
    from pathlib import Path

    from maillage.api.maps import source_labels

    read = run.params.get("sources")
    if read is None:
        return None
    current = {s.id: s for s in (store.sources() if sources is None else sources)}
    labels = source_labels(current.values(), mask)
    shas, loads = run.params.get("source_sha256"), run.params.get("source_loaded") or {}
    made = _utc(run.created_at)
    out = []
    for sid in read:
        now = current.get(sid)
        if shas is not None:  # recorded by the run
            sha, when = shas.get(sid), loads.get(sid)
            when = _utc(datetime.fromisoformat(when)) if when else None
            changed = now is not None and (now.sha256 != sha or _utc(now.loaded_at) != when)
        else:  # known only if the source was not reloaded after the run
            changed = now is not None and now.loaded_at is not None and _utc(now.loaded_at) > made
            sha, when = (None, None) if now is None or changed else (now.sha256, _utc(now.loaded_at))
        name = Path(now.uri).name if now is not None and now.uri else sid.split(":", 1)[-1]
        out.append(RunSource(sid, name, labels.source(sid) if now is not None else name, when, sha,
                             "removed" if now is None else "reloaded" if changed else None))
    return out


def run_software(run: AnalysisRun) -> str:
    """« maillage 0.1.0, networkx 3.6, igraph 1.0 »: the versions the run recorded (a run made
    before they were: those it has)."""
    return ", ".join(f"{name} {run.params[name]}" for name in ("maillage", "networkx", "igraph")
                     if run.params.get(name))


def citation_lines(run: AnalysisRun, sources: list[RunSource] | None, lang: str = "fr") -> list[str]:
    """What a file says to cite ``run``: when it was made and with which versions, each source
    (id, file, load time, sha256; no document title: a title may name a person), and the
    command that prints the whole citation (``maillage runs ID``)."""
    from maillage.analytics.report import when_text

    en = lang == "en"
    soft = run_software(run)
    lines = [(f"analysis run {run.id} made on {when_text(run.created_at, lang)}" + (f" with {soft}" if soft else ""))
             if en else (f"analyse {run.id} faite le {when_text(run.created_at, lang)}" + (f" avec {soft}" if soft else ""))]
    for src in sources or ():
        # a source removed since: by its sha256, not its id or file (a name there could be a person's,
        # and the store, which no longer holds that person, cannot mask it)
        parts = ["source retirée depuis" if not en else "a source removed since"] if src.since == "removed" else \
            [f"source {src.id} ({src.file})"]
        if src.loaded_at:
            parts.append(f"loaded on {when_text(src.loaded_at, lang)}" if en else f"chargée le {when_text(src.loaded_at, lang)}")
        if src.sha256:
            parts.append(f"sha256 {src.sha256}")
        if src.since == "reloaded":
            parts.append("reloaded since" if en else "rechargée depuis")
        lines.append(", ".join(parts))
    lines.append(f"to cite it: maillage runs {run.id}" if en else f"pour la citer : maillage runs {run.id}")
    return lines


#: What a :class:`RunChoice`'s notes call the view its measures are shown on (« cet export »).
SUBJECTS = {"export": ("cet export", "this export"), "map": ("cette carte", "this map"),
            "report": ("ce rapport", "this report"), "view": ("celle-ci", "this one")}


@dataclass
class RunChoice:
    """The run whose metrics an export of ``lens`` × ``as_of`` carries (None: the store has no
    run), whether it was asked for by id, and what changed in the store after it. ``lens``
    None: the export is the run's own table (``maillage export --format csv``), no other view.
    ``subject``: what the notes call the view (a key of :data:`SUBJECTS`: an export, a map, a
    report, an API view)."""

    lens: str | None
    as_of: int | None
    run: AnalysisRun | None = None
    asked: bool = False
    changes: list[Change] = field(default_factory=list)
    subject: str = "export"
    sources: list[RunSource] | None = None  # the run's (:func:`run_sources`)

    @property
    def counted(self) -> dict[str, Any]:
        """What the run counted as a tie (:func:`maillage.analytics.lenses.tie_rule`'s
        ``certainty`` and ``refused``, as its parameters keep them; ``{}``: the default rule), for
        a projection to count the ties its measures were computed on."""
        params = self.run.params if self.run is not None else {}
        return {k: params[k] for k in ("certainty", "refused") if k in params}

    @property
    def matches(self) -> bool:
        """Whether the run was made on the export's lens and year."""
        return self.run is not None and (self.lens is None or (self.run.lens, self.run.as_of) == (self.lens, self.as_of))

    def label(self, lang: str = "fr") -> str:
        """« mesures de l'analyse run-… (lentille coopération, 2016) », or that there are none."""
        if self.run is None:
            return ("no measures: no analysis run (maillage analyse)" if lang == "en"
                    else "sans mesures : aucune analyse (maillage analyse)")
        r = self.run
        if lang == "en":
            return f"measures of analysis run {r.id} (lens {r.lens}, {year_label(r.as_of, lang)})"
        return f"mesures de l'analyse {r.id} (lentille {lens_word(r.lens)}, {year_label(r.as_of, lang)})"

    def notes(self, lang: str = "fr", plain: bool = False) -> list[str]:
        """What the reader of the file must know: another view's measures, a graph changed since
        (``plain``: the run named by its date, as the reports do: :func:`run_named`)."""
        out = []
        if self.run is not None and not self.matches:
            r, cmd = self.run, analyse_command(self.lens, self.as_of, lang)
            fr, en = SUBJECTS[self.subject]
            named = run_named(r, lang, True) if plain else (f"run {r.id}" if lang == "en" else f"l'analyse {r.id}")
            if lang == "en":
                out.append(f"the measures of {named} (lens {r.lens}, {year_label(r.as_of, lang)}) describe "
                           f"another view than {en} (lens {self.lens}, {year_label(self.as_of, lang)}); "
                           f"for the measures of this view: {cmd}")
            else:
                out.append(f"les mesures de {named} (lentille {lens_word(r.lens)}, {year_label(r.as_of, lang)}) "
                           f"décrivent une autre vue que {fr} (lentille {lens_word(self.lens)}, "
                           f"{year_label(self.as_of, lang)}) ; pour les mesures de cette vue : {cmd}")
        stale = self.run is not None and stale_note(self.run, self.changes, lang, plain)
        if stale:
            out.append(stale)
        return out

    def about(self, lang: str = "fr", mask: Callable[[str], str] | None = None) -> list[str]:
        """What a file says of its metrics: the run (:meth:`label`), how to cite it
        (:func:`citation_lines`: its date, versions and sources with their sha256), then each
        note after « remarque : ». ``mask`` (:func:`~maillage.analytics.run.person_masker`, when
        persons are left out): the titles of the sources may name a person."""
        cite = citation_lines(self.run, self.sources, lang) if self.run is not None else []
        lines = [self.label(lang), *cite, *(("note: " if lang == "en" else "remarque : ") + n for n in self.notes(lang))]
        return [mask(x) for x in lines] if mask is not None else lines

    def sentences(self, lang: str = "fr") -> list[str]:
        """:meth:`notes` as sentences (a capital, a full stop), for a page's or a JSON view's
        notes: the run named by its date, as the reports name it (its id, to cite it, is in the
        view's ``X-Maillage-Run`` header and a file's lines)."""
        return [n[:1].upper() + n[1:] + "." for n in self.notes(lang, plain=True)]


def choose_run(store: Store, lens: str | None = "all", as_of: int | None = None,
               run_id: str | None = None, subject: str = "export") -> RunChoice:
    """The run for an export (or a map, a report, an API view: ``subject``) of ``lens`` ×
    ``as_of``: ``run_id`` if given (:func:`~maillage.api.exports.unknown_run` if unknown), else
    the latest run of that lens and year, else the latest run."""
    runs = store.runs()  # oldest first
    choice = RunChoice(lens, as_of, asked=run_id is not None, subject=subject)
    if run_id is not None:
        choice.run = next((r for r in runs if r.id == run_id), None)
        if choice.run is None:
            raise unknown_run(run_id, runs)
    elif runs:
        same = [r for r in runs if (r.lens, r.as_of) == (lens, as_of)]
        choice.run = (same or runs)[-1]
    if choice.run is not None:
        current = store.sources()  # read once for both
        choice.changes = graph_changes(store, choice.run, current)
        choice.sources = run_sources(store, choice.run, current)
    return choice


def query_spelling(*options: tuple[str, object]) -> str:
    """Options as an API query writes them: ``actor=x&depth=2`` (a name alone: ``depth``)."""
    return "&".join(o if v is None else f"{o}={v}" for o, v in options)


def depth_refusal(depth: int | None, pole: str | None = None, territory: str | None = None,
                  actor: str | None = None, path: bool = False,
                  spell: Callable[..., str] = query_spelling) -> tuple[str, str] | None:
    """Why ``depth`` is refused, in French and English, or None when it applies: not given, or
    given with an ``actor`` (its neighbourhood), the only view it has a meaning for — a pôle, a
    territory, a ``path`` or the whole graph (nothing named) has no depth, and ignoring it would
    pass a pôle's subgraph off as its wider neighbourhood. A pôle is also an actor: the message
    gives the options for its neighbourhood ``depth`` ties away, the pôle named as given.
    ``spell(("actor", x), ("depth", 2))`` writes options as the caller's users type them
    (:func:`query_spelling`, or a command line's)."""
    if depth is None or actor is not None:
        return None
    fr, en = (f"{spell(('depth', None))} ne s'applique qu'au voisinage d'un acteur ({spell(('actor', None))})",
              f"{spell(('depth', None))} only applies to an actor's neighbourhood ({spell(('actor', None))})")
    if pole is not None:
        how = spell(("actor", pole), ("depth", depth))
        return (f"{fr} ; pour le voisinage du pôle à {depth} liens : {how}",
                f"{en}; for the pôle's neighbourhood {depth} ties away: {how}")
    if territory is not None:
        return f"{fr} ; un territoire se prend en entier, sans profondeur", f"{en}; a territory is taken whole, without depth"
    if path:
        hops = spell(("max_hops", None))
        return f"{fr} ; un chemin se borne par {hops}", f"{en}; a path is bounded by {hops}"
    return (f"{fr} ; sans pôle, territoire ni acteur, c'est le graphe entier",
            f"{en}; with no pôle, territory or actor, it is the whole graph")


def scope_refusal(pole: str | None = None, territory: str | None = None, actor: str | None = None,
                  depth: int | None = None, path: bool = False,
                  spell: Callable[..., str] = query_spelling) -> tuple[str, str, str] | None:
    """Why a view's scope is refused — the option at fault, then French and English — or None.
    A view (an export, a map) is scoped by at most one of ``pole``, ``territory``, ``actor`` (none:
    the whole graph), and ``depth`` only with an actor (:func:`depth_refusal`). The one rule of
    ``maillage export``/``viz`` (exit 2) and ``GET /api/export`` (400), each side naming the
    options as its users type them (``spell``: :func:`query_spelling`, or a command line's).

    >>> option, french, english = scope_refusal("p", "31")
    >>> option, french[:33]
    ('territory', 'pole et territory donnés ensemble')
    >>> scope_refusal(actor="a", depth=2) is None
    True
    """
    given = [spell((o, None)) for o, v in (("pole", pole), ("territory", territory), ("actor", actor))
             if v is not None]
    if len(given) > 1:
        p, t, a = (spell((o, None)) for o in ("pole", "territory", "actor"))
        both = ", ".join(given[:-1])
        return (given[1],
                f"{both} et {given[-1]} donnés ensemble : une vue est celle d'un pôle ({p}), d'un territoire ({t}) "
                f"ou du voisinage d'un acteur ({a}), un seul à la fois ; sans aucun, c'est le graphe entier",
                f"{both} and {given[-1]} given together: a view is a pôle's ({p}), a territory's ({t}) or an "
                f"actor's neighbourhood ({a}), one at a time; with none, it is the whole graph")
    refused = depth_refusal(depth, pole, territory, actor, path, spell)
    return (spell(("depth", None)), *refused) if refused else None


def export_subgraph(store: Store, pole: str | None = None, territory: str | None = None, actor: str | None = None,
                    depth: int = 1, lens: str = "all", as_of: int | None = None, include_persons: bool = False,
                    most: int | None = None) -> Subgraph:
    """The view an export writes: a pôle, a territory (with its unplaced pôles), an actor's
    neighbourhood or the whole graph (ids, not names), through ``lens`` and ties active in
    ``as_of``; above ``most`` actors, the most tied are kept (``capped``)."""
    types = view_types(lens)
    if pole is not None or territory is not None:  # a pôle's, a territory's: the one rule of its map and report
        sub = lens_view(store, pole, territory, lens, as_of, include_persons)[0]
    elif actor is not None:
        sub = store.neighbourhood(actor, depth=depth, types=types, as_of=as_of, include_persons=include_persons,
                                  max_actors=most)
    else:
        sub = store.projection(types=types, as_of=as_of, include_persons=include_persons)
    return _capped(sub, most)


def _capped(sub: Subgraph, most: int | None) -> Subgraph:
    """``sub`` with its ``most`` most tied actors only (ties among them), when it has more."""
    if most is None or len(sub.actors) <= most:
        return sub
    deg: Counter[str] = Counter(e for r in sub.relations if r.source != r.target for e in (r.source, r.target))
    keep = set(sorted(sub.actors, key=lambda a: (-deg[a], a))[:most])
    return Subgraph(actors={k: a for k, a in sub.actors.items() if k in keep},
                    relations=[r for r in sub.relations if r.source in keep and r.target in keep], capped=True,
                    notes=[*sub.notes, f"capped at {most} actors of {len(sub.actors)}: the most tied are kept"])


__all__ = ["Change", "RunChoice", "RunSource", "run_sources", "run_software", "citation_lines", "SUBJECTS", "choose_run",
           "depth_refusal", "scope_refusal", "query_spelling", "export_subgraph", "graph_changes", "run_named", "stale_note", "analyse_command", "year_label", "GRAPH_DECISIONS"]
