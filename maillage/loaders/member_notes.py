"""What a member list's load says once its members are resolved, before anything is written:
a pôle it names that is new but close to a known one, a misspelling? (:func:`new_pole_notes`), or
one pôle written two ways or more in the file (:func:`_spellings_notes`);
how its memberships are read beside the pôle's other lists (no year, one year, a year missing:
:func:`member_list_notes`); and, loaded again, which members of its earlier load it no longer has
— gone, renamed, or moved to another pôle (:func:`members_gone`, :func:`pole_moves`). Called by
the member-list and Kumu loaders' ``notes_after_resolution`` (:class:`~maillage.loaders.base.Resolved`)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from maillage.graph.model import Source
from maillage.graph.names import name_key
from maillage.graph.store import ResolvedRelation, Store
from maillage.writing import listed

from .resolution import ResolutionPolicy


#: What a member list that gives no year is read as, beside another list of its pôle, and what to
#: do when each is one year's list (:func:`member_list_notes`).
_EACH_YEAR = ("If each file is the list of the pôle's members in one year, load each again with its year, --year "
              "YEAR{hint}: a member of one year's list missing from the next then leaves (or put each year's list on "
              "its own sheet of one workbook, sheets named 2022, 2023…)")
_THIS_YEAR = ("If this file is the list of the pôle's members in one year, load it again with its year, --year "
              "YEAR{hint}: a member of one year's list missing from the next then leaves")
_THAT_YEAR = ("If it is the list of the pôle's members in one year, load it again with its year, --year "
              "YEAR{hint}: a member of one year's list missing from the next then leaves")
_SHEETS = ("To follow the pôle over the years, put each year's list on its own sheet of one workbook (sheets named "
           "2022, 2023…), or give a 'Date d'adhésion' column (and a 'Date de sortie' one)")


def _name_hint(name: str | None) -> str:
    """« (the name 'membres_2025.csv' says 2025: --year 2025) » when a file's name holds a year."""
    from .formats.members import year_in_name

    year = year_in_name(name) if name else None
    return f" (the name {Path(name).name!r} says {year}: --year {year})" if name and year else ""


def member_list_notes(store: Store, sid: str, name: str, fmt: str, relations: list[ResolvedRelation],
                      statements, years: list[str]) -> list[str]:
    """What a member list's memberships are read as, when it matters — for each pôle it lists
    members of, beside the other member lists of that pôle:

    - this list gives no year (no ``--year``, no sheet per year) and another list of the pôle is
      loaded (``membres_2024.csv`` then ``membres_2025.csv``): both are lists of members with no
      end, so nobody leaves — nobody joins either when neither gives dates. Said, with how to give
      each file its year (``--year``; the year its name holds, if any);
    - this list is one year's, another list of the pôle gives none: that list's members never
      leave, whatever this one says; said, with how to give it its year;
    - this list, the pôle's first, gives no year but its file's name holds one
      (``membres_2024.csv``): ``--year`` suggested, so that a later year's list shows who left
      (not for a network's list of several pôles).
    """
    memberships = [r for r in relations if r.relation.type == "membership"]
    poles = sorted({r.target_id for r in memberships})
    if not poles:
        return []
    dated = any(r.relation.start or r.relation.end for r in memberships)
    lists: dict[str, Source | None] = {}
    notes = []
    for pole in poles:
        others: dict[str, bool] = {}  # another member list of the pôle → whether it dates its memberships
        for r in store.relations(touching=[pole], types=["membership"]):
            o = r.provenance.source
            if r.target != pole or o == sid:
                continue
            if o not in lists:
                lists[o] = store.source(o)
            if lists[o] is None or lists[o].format not in ("members", "kumu"):
                continue
            others[o] = others.get(o, False) or bool(r.start or r.end)
        actor = store.get_actor(pole)
        pname = actor.name if actor else next((st.actor.name for st in statements if st.actor_id == pole), pole)
        if years:  # this list is one year's (--year), or a sheet per year: another without a year never loses members
            undated = [o for o in sorted(others) if not lists[o].meta.get("years")]
            if undated:
                o = undated[0]
                advice = _THAT_YEAR.format(hint=_name_hint(lists[o].uri)) if lists[o].format == "members" else _SHEETS
                notes.append(f"the member list of the pôle {pname!r} in source {o!r} gives no year: its members are "
                             f"read as members with no end, whatever the list of {', '.join(years)} says. {advice}")
            spans = {o: lists[o].meta["years"] for o in others if lists[o].meta.get("years")}
            notes += year_gap_notes(pname, {**spans, sid: years})
            continue
        if not others:  # the pôle's first list (a network's list of several pôles: no hint per pôle)
            if fmt == "members" and len(poles) == 1 and (hint := _name_hint(name)):
                notes.append(f"this list of the pôle {pname!r} gives no year{hint}: if it is the list of the pôle's "
                             "members in one year, load it again with its year, and each year's list with its own: "
                             "a member of one year's list missing from the next is then read as leaving (without a "
                             "year, a list's members never leave)")
            continue
        o = sorted(others)[0]
        other_years = lists[o].meta.get("years") or []
        if fmt != "members" and (dated or any(others.values()) or other_years):
            continue  # a Kumu map: no --year to give; said only when nothing has a date
        if fmt != "members":
            advice = _SHEETS
        elif other_years:
            advice = _THIS_YEAR.format(hint=_name_hint(name))
        else:
            advice = _EACH_YEAR.format(hint=_name_hint(name))
        if not dated and not any(others.values()):
            notes.append(f"another member list of the pôle {pname!r} (source {o!r}) gives no years either: both are "
                         f"read as the same years, so nobody joins or leaves. {advice}")
        elif other_years:
            notes.append(f"the member list of the pôle {pname!r} for {', '.join(other_years)} (source {o!r}) is "
                         "loaded: this one, given no year, is read as a list of members with no end, so a member "
                         f"missing from it or from that one does not leave. {advice}")
        else:
            notes.append(f"another member list of the pôle {pname!r} (source {o!r}) is loaded and neither gives a "
                         "year: both are read as lists of members with no end (from their date d'adhésion), so a "
                         f"member missing from one of them does not leave. {advice}")
    return notes


def _years_of(labels: list[str]) -> tuple[int, int]:
    """The years a member list stands for, from its ``years`` (« 2024 », « 2023-2024 »; a workbook
    of a sheet per year: « 2022 », « 2024 », its gaps bridged by the loader): first, last."""
    spans = [(int(a), int(b or a)) for a, _, b in (str(x).partition("-") for x in labels)]
    return min(a for a, _ in spans), max(b for _, b in spans)


def _label(first: int, last: int, dash: str = "-") -> str:
    return str(first) if first == last else f"{first}{dash}{last}"


def year_gap_notes(pname: str, lists: dict[str, list[str]]) -> list[str]:
    """The years no member list of a pôle stands for, between two that do (``lists``: source id
    → its ``years``; ``membres_2022.csv`` given ``--year 2022``, ``membres_2024.csv`` ``--year
    2024``, no list for 2023). Unlike the sheets of one workbook (:func:`.formats.members._bridge_year_gaps`),
    lists loaded apart are not bridged: each membership ends with its list's last year, and starts
    with it unless its row gives a date d'adhésion. So, for the evolution of the pôle
    (:mod:`maillage.analytics.evolution`): a member of the list before the gap missing from the
    list after it leaves in the gap's first year; a member on both lists leaves then too and joins
    again the year the list after starts, unless its row there gives an earlier date d'adhésion
    (its membership then runs from that date). Said for each gap, with how to fill it: the missing
    year's list, or the list before given a span (``--year 2022-2023``) when it held on.

    >>> year_gap_notes("PTCE Sud", {"members:a.csv": ["2022"], "members:b.csv": ["2023"]})
    []
    >>> print(year_gap_notes("PTCE Sud", {"members:a.csv": ["2022"], "members:b.csv": ["2024"]})[0][:86])
    no member list of the pôle 'PTCE Sud' is loaded for 2023, between the list of 2022 (so
    """
    spans = sorted(((*_years_of(labels), sid) for sid, labels in lists.items() if labels), key=lambda x: x[:2])
    notes = []
    if not spans:
        return notes
    until, before = spans[0][1], spans[0]
    for first, last, sid in spans[1:]:
        if first > until + 1:
            gap = (until + 1, first - 1)
            missing = _label(*gap, dash="–")
            b_label, a_label = _label(*before[:2]), _label(first, last)
            if gap[0] == gap[1]:
                advice = f"If you have the list of {missing}, load it with its year, --year {missing}"
            else:
                advice = f"If you have the lists of {missing}, load each with its year (--year {gap[0]}, …)"
            if lists[before[2]] and len(lists[before[2]]) == 1:  # a --year list: a span says it held on
                advice += (f"; if the list of {b_label} still held in {missing}, load it again with --year "
                           f"{before[0]}-{gap[1]}")
            notes.append(f"no member list of the pôle {pname!r} is loaded for {missing}, between the list of "
                         f"{b_label} (source {before[2]!r}) and the list of {a_label} (source {sid!r}): a member of the "
                         f"list of {b_label} missing from the list of {a_label} is counted as leaving in {gap[0]}; a "
                         f"member on both lists is counted as leaving in {gap[0]} and joining again in {first}, unless "
                         f"its row on the list of {a_label} gives a date d'adhésion before {first}. {advice}")
        if last > until:
            until, before = last, (first, last, sid)
    return notes


#: How many names of the members a reloaded list no longer has its note gives (:func:`members_gone`).
GONE_NAMES = 5


def members_gone(store: Store, sid: str, relations: list[ResolvedRelation], statements,
                 policy: ResolutionPolicy | None = None, kept: dict[str, str] | None = None) -> list[str]:
    """For a member list loaded again (``membres.csv`` overwritten with next year's list): per
    pôle, the members its earlier load listed that this one does not — how many, the first few
    names (natural persons counted, never named), how many are gone from the store altogether —
    and that their membership from this source, with the years it gave, is gone; and how to keep
    the pôle's history (each year's list under its own name, with ``--year``).

    A member this list names under another name and another key (« Association Vélo Solidaire »
    now « Vélo Solidaire Association » in the same commune, its RNA number kept and a SIRET
    given: :func:`.resolution.same_as_earlier`) is not gone: a member only this list described
    keeps its record (``kept``: this load's statement key → the earlier actor id it kept,
    :meth:`.resolution.Resolver.keep_earlier_ids`), one another source also describes may be
    tied to another record under its new name; either way it is still a member. Said apart, old
    name → new name (persons counted, never named); nothing said when the name is the same. (A
    member keeping its SIREN keeps its key, hence its record: never gone.)

    A list loaded again for another pôle (``--pole`` misspelt, then corrected, the source not
    removed first), or a network's list with a pôle's name corrected in its column, has moved:
    the earlier pôle's members are the new pôle's, not gone (which pôles: :func:`pole_moves`).
    Said so first — the two pôles, how many members pass from one to the other, and the earlier
    pôle gone from the store when only this list named it; the members this file no longer has
    are still said gone."""
    now = {(r.source_id, r.target_id) for r in relations if r.relation.type == "membership"}
    before: dict[str, set[str]] = {}
    for r in store.relations(types=["membership"], source=sid):
        before.setdefault(r.target, set()).add(r.source)

    now, moved_note = pole_moves(store, sid, before, now, statements)  # a pôle renamed: its members moved
    gone: dict[str, set[str]] = {}
    for p, ids in before.items():
        for a in ids:
            if (a, p) not in now:
                gone.setdefault(p, set()).add(a)
    renamed: dict[str, list[tuple[str, Any]]] = {}  # pôle → (earlier actor id, this load's statement)
    for st in statements:  # renamed, its record kept: a member still, of the pôles it was a member of
        if (old := (kept or {}).get(st.actor.key)) is not None:
            for pole in sorted(p for p, ids in before.items() if old in ids and (old, p) in now):
                renamed.setdefault(pole, []).append((old, st.actor))
    if not gone and not renamed:
        return moved_note
    stated = {st.actor_id for st in statements}
    actors = store.get_actors({a for ids in gone.values() for a in ids} | set(gone) | set(renamed)
                              | {old for pairs in renamed.values() for old, _ in pairs})
    from maillage.graph.names import alpha_key

    from .resolution import same_as_earlier

    # members only the earlier load described, and this load's members new to their pôle: the same, renamed?
    only_here = {a for ids in gone.values() for a in ids if a in actors and not set(actors[a].sources) - {sid}}
    joined = {(a, p) for a, p in now if p in gone and a not in before[p]}
    if only_here and joined:
        earlier = {a: [st for s_, st in store.statements(a) if s_ == sid] for a in sorted(only_here)}
        new_ids = {a for a, _ in joined}
        candidates = [st for st in statements if st.actor_id in new_ids]
        same = same_as_earlier(store, sid, earlier, [st.actor for st in candidates], policy)
        for st in candidates:
            old = same.get(st.actor.key)
            for pole in gone:
                if old in gone[pole] and (st.actor_id, pole) in joined:
                    gone[pole].discard(old)
                    renamed.setdefault(pole, []).append((old, st.actor))
    notes = moved_note
    for pole in sorted(set(gone) | set(renamed)):
        pname = actors[pole].name if pole in actors else pole
        moved = _renamed_note(pname, [(actors[old], new) for old, new in renamed.get(pole, [])])
        members = [actors[a] for a in gone.get(pole, ()) if a in actors]
        if not members:
            notes += moved
            continue
        persons = [a for a in members if a.personal_data or a.family == "person"]
        named = sorted((a.name for a in members if a not in persons), key=alpha_key)
        n, p = len(members), len(persons)
        left = sum(1 for a in members if a.id not in stated and not set(a.sources) - {sid})
        text = (f"{n} member{'s' if n > 1 else ''} of the pôle {pname!r} in the earlier load of this source "
                f"{'are' if n > 1 else 'is'} not in this file")
        if p:
            text += f", {p} natural person{'s' if p > 1 else ''} among them (not named)"
        if named:
            text += ": " + ", ".join(named[:GONE_NAMES]) + (", …" if len(named) > GONE_NAMES else "")
        text += ". Their membership from this source is gone from the store, with the years it gave"
        if left:
            text += f" ({left} of these members {'is' if left == 1 else 'are'} no longer in the store at all)"
        text += (". If the earlier file was the list of another year, load it again under its own name with --year "
                 "YEAR, and this one with its year: the pôle's history keeps both")
        notes += [text, *moved]
    return notes


def _renamed_note(pname: str, pairs: list[tuple[Any, Any]]) -> list[str]:
    """« 1 member of the pôle 'P' in the earlier load of this source is in this file under another
    name: Association Vélo Solidaire → Vélo Solidaire Association. … » for ``(earlier actor, this
    load's statement)`` pairs whose names differ (natural persons counted, never named)."""
    from maillage.graph.names import alpha_key

    pairs = [(old, new) for old, new in pairs if old.name != new.name]
    if not pairs:
        return []
    persons = sum(1 for old, new in pairs if old.personal_data or old.family == "person" or new.personal_data
                  or new.family == "person")
    named = sorted(((old.name, new.name) for old, new in pairs if not (old.personal_data or old.family == "person"
                                                                       or new.personal_data or new.family == "person")),
                   key=lambda x: alpha_key(x[0]))
    n = len(pairs)
    text = (f"{n} member{'s' if n > 1 else ''} of the pôle {pname!r} in the earlier load of this source "
            f"{'are' if n > 1 else 'is'} in this file under another name")
    if persons:
        text += f", {persons} natural person{'s' if persons > 1 else ''} among them (not named)"
    if named:
        text += ": " + "; ".join(f"{a} → {b}" for a, b in named[:GONE_NAMES]) + ("; …" if len(named) > GONE_NAMES
                                                                                 else "")
    return [text + f". Not gone: still {'members' if n > 1 else 'a member'} of the pôle, under the name this file gives"]


#: The most characters Excel allows in a sheet's name (LibreOffice allows more).
EXCEL_SHEET_NAME = 31
#: The characters no sheet's name may hold, in Excel or LibreOffice.
SHEET_NAME_FORBIDDEN = ":\\/?*[]"


def sheet_name_refused(name: str, file: str) -> str | None:
    """Why a workbook cannot name a sheet ``name`` — longer than :data:`EXCEL_SHEET_NAME` characters
    in an Excel file (« PTCE Pays de Figeac Coopération Solidaire »), or holding a character of
    :data:`SHEET_NAME_FORBIDDEN` — or None when it can.

    >>> sheet_name_refused("PTCE Pays de Figeac Coopération Solidaire", "reseau.xlsx")
    "an Excel sheet's name holds 31 characters at most, this one 41"
    >>> sheet_name_refused("PTCE Pays de Figeac Coopération Solidaire", "reseau.ods") is None
    True
    """
    if Path(file).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".xlsb") and len(name) > EXCEL_SHEET_NAME:
        return f"an Excel sheet's name holds {EXCEL_SHEET_NAME} characters at most, this one {len(name)}"
    if bad := "".join(dict.fromkeys(c for c in name if c in SHEET_NAME_FORBIDDEN)):
        return f"a sheet's name cannot hold {' '.join(bad)}"
    return None


def new_pole_notes(store: Any, sid: str, file: str, options: dict[str, Any] | None, statements: list[Any],
                   proposals: list[Any], meta: dict[str, Any] | None = None) -> list[str]:
    """What a member list says of each pôle it names that the store did not know, close to one it
    knows (« PTCE Lauragis Coopère » beside « PTCE Lauragais Coopère »): the load is done — two
    pôles may have close names, « PTCE Nord Aveyron » and « PTCE Sud Aveyron » — but a misspelt
    name would otherwise make a second pôle, said only as « 1 rapprochement possible ». Close:
    the entity resolution's proposals for the pôle (same core name with a doubt, or a similar one
    by rapidfuzz: :mod:`maillage.loaders.resolution`) whose candidate is a pôle. Nothing when the
    name finds a pôle (accents, case, « PTCE » in front or not: the resolver merges them) or none
    is close.

    Where the name comes from says what to do, besides refusing the proposal when they are two
    pôles (then never said again):

    - ``--pole NAME``: the source removed and the list loaded again under the store's name
      (accepting the merge would keep the misspelt name on the pôle);
    - the file itself (``meta["pole_names"]``, :meth:`.formats.members._Builder.pole_actor`) — the cells of a pôle
      column (the column and its first rows named), a sheet's name (a network's workbook, a sheet
      per pôle), pôle headings: the name corrected there and the file loaded again, which moves
      its members to the known pôle (:func:`pole_moves`). A sheet cannot take a name longer than
      31 characters in Excel, nor one holding ``: \\ / ? * [ ]`` (:func:`sheet_name_refused`):
      then a « Pôle » column on the sheet, naming the pôle on each row (it wins over the sheet's name). One note per pôle, naming every place
      the file names it (a column on two sheets); a pôle ``--pole`` names too is said by the
      ``--pole`` note only."""
    from .formats.members import clean_name

    def close_poles(key: str) -> list[tuple[Any, Any]]:
        """The store's pôles close to the pôle ``key`` this load states, when it is new: (proposal, pôle)."""
        st = next((x for x in statements if x.actor.key == key), None)
        if st is None:
            return []
        known = store.get_actor(st.actor_id)
        if known is not None and set(known.sources) - {sid}:  # a pôle the store knew: found
            return []
        by_candidate: dict[str, Any] = {}
        for p in sorted(proposals, key=lambda p: -p.score):
            if p.key == key and p.candidate_id != st.actor_id:
                by_candidate.setdefault(p.candidate_id, p)
        actors = store.get_actors(list(by_candidate))
        # a pôle only this list named is not the store's (two spellings in this file: proposed for review)
        return [(p, actors[c]) for c, p in by_candidate.items()
                if c in actors and actors[c].family == "pole" and set(actors[c].sources) - {sid}]

    def stated_name(key: str) -> str:
        return next(x.actor.name for x in statements if x.actor.key == key)

    year = f" --year {shlex.quote(str(options['year']))}" if (options or {}).get("year") else ""
    notes = []
    name = clean_name((options or {}).get("pole"))
    option_key = "pole:" + name_key(name) if name else None
    if name and (close := close_poles(option_key)):
        names = ", ".join(repr(a.name) for _, a in close)
        pole = close[0][1].name.replace('"', '\\"') if len(close) == 1 else "NAME"
        refuse = "; ".join(f"maillage resolve --reject {p.id}" for p, _ in close)
        if len(close) == 1:
            same = (f"a pôle of the store has a close name: {names}. If it is that pôle, misspelt: maillage remove "
                    f"{shlex.quote(sid)} --yes, then maillage load {shlex.quote(file)} --pole \"{pole}\"{year}")
        else:
            same = (f"pôles of the store have a close name: {names}. If it is one of them, misspelt: maillage remove "
                    f"{shlex.quote(sid)} --yes, then maillage load {shlex.quote(file)} --pole \"NAME\"{year} (NAME: "
                    "its name above)")
        notes.append(f"the pôle {name!r} (--pole) is new: no pôle of the store has this name; {same}; if it is "
                     f"another pôle: {refuse} (not said again)")
    # the pôles the file names itself (a pôle column, a sheet per pôle, pôle headings): corrected there
    pole_opt = " --pole \"{}\"".format(name.replace('"', '\\"')) if name else ""
    load = f"maillage load {shlex.quote(file)}{pole_opt}{year}"
    places: dict[str, list[dict[str, Any]]] = {}  # pôle key → where the file names it, in the file's order
    for named in (meta or {}).get("pole_names") or []:
        places.setdefault(named["pole"], []).append(named)
    for key, named_at in places.items():
        if key == option_key or not (close := close_poles(key)):
            continue
        right = repr(close[0][1].name) if len(close) == 1 else "its name above"
        where, fixes = _where_and_fixes(named_at, right, [a.name for _, a in close], file)
        names = ", ".join(repr(a.name) for _, a in close)
        same = (f"a pôle of the store has a close name: {names}. If it is that pôle" if len(close) == 1 else
                f"pôles of the store have a close name: {names}. If it is one of them")
        refuse = "; ".join(f"maillage resolve --reject {p.id}" for p, _ in close)
        notes.append(f"the pôle {stated_name(key)!r} ({'; '.join(where)}) is new: no pôle of the store has this name; "
                     f"{same}, misspelt: {' and '.join(fixes)}, then load the file again: {load}; if it is another "
                     f"pôle: {refuse} (not said again)")
    return notes + _spellings_notes(store, sid, file, statements, proposals, places, option_key, load)


def _where_and_fixes(named_at: list[dict[str, Any]], right: str, names: list[str], file: str,
                     sheets: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """Where a file names a pôle (``meta["pole_names"]`` entries: a column on each sheet that has
    it, a sheet's name, headings) and, for each, how to write ``right`` there instead (``names``:
    the right name or names, which a sheet may not be able to take, :func:`sheet_name_refused`,
    nor when another sheet of the workbook, in ``sheets``, has it)."""
    where, fixes = [], []
    for named in named_at:
        rows = ", ".join(named["rows"]) + (", …" if named["count"] > len(named["rows"]) else "")
        if "!" not in rows:  # a workbook's rows are named with their sheet (« Collège A!row 2 »)
            rows = f"row{'s' if named['count'] > 1 else ''} {rows}"
        if "column" in named:
            where.append(f"column {named['column']!r} of {file!r}, {rows}")
            fix = f"write {right} instead in those cells"
        elif "sheet" in named:
            where.append(f"name of the sheet {named['sheet']!r} of {file!r}")
            fix = f"name the sheet {right} instead"
            # a name Excel refuses to a sheet: the sheet keeps its own, a pôle column names the pôle
            why = next((w for n in names if (w := sheet_name_refused(n, file))), None)
            if why is None and any(n in sheets for n in names):
                why = "another sheet of the workbook has that name"
            if why:
                fix = (f"add a column 'Pôle' to the sheet {named['sheet']!r} holding {right} on each of its rows "
                       f"(the sheet cannot be named so: {why})")
        else:
            where.append(f"pôle heading of {file!r}, {rows}")
            fix = f"write {right} instead on th{'ose rows' if named['count'] > 1 else 'at row'}"
        fixes += [fix] if fix not in fixes else []
    return where, fixes


#: How many spellings :func:`_spellings_notes` says a pôle has, in words (more: in digits).
_COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def _spellings_notes(store: Any, sid: str, file: str, statements: list[Any], proposals: list[Any],
                     places: dict[str, list[dict[str, Any]]], option_key: str | None, load: str) -> list[str]:
    """Two spellings of one pôle new to the store in one file (« PTCE Lauragais Coopère » in the
    pôle column of most rows, « PTCE Lauragis Coopère » in a few): two pôles, the entity resolution
    proposing them for a merge — its rules and thresholds, :mod:`.resolution` — without merging
    them (a source's two keys are two actors), and nothing said but « 1 rapprochement possible ».
    Not merged here either (nothing tells a misspelling from two pôles of close names, « PTCE
    Nord Aveyron » and « PTCE Sud Aveyron »): said, one note for each group of spellings (the
    connected components of the pairs proposed: three spellings, each close to another, are one
    note), the one to keep first — ``--pole``'s, else the one of the most rows, else the first —
    naming where the file writes each (column and rows, sheet, headings), what to do where the
    others are written, or every proposal of the group to refuse when they are several pôles.
    Spellings that differ only by accents, case, punctuation or spaces (« Pôle Sud Aquitaine »,
    « Pole Sud-Aquitaine ») are one pôle already."""
    stated = {st.actor.key: st for st in statements if st.actor.family == "pole"}
    key_of = {st.actor_id: k for k, st in stated.items()}

    def new_here(key: str) -> bool:
        """A pôle the file names (cells, sheet, headings or --pole) that only this source describes."""
        if key not in stated or (key not in places and key != option_key):
            return False
        known = store.get_actor(stated[key].actor_id)
        return known is None or not (set(known.sources) - {sid})

    pairs: dict[frozenset[str], list[Any]] = {}
    for p in proposals:
        other = key_of.get(p.candidate_id)
        if other and other != p.key and new_here(p.key) and new_here(other):
            pairs.setdefault(frozenset((p.key, other)), []).append(p)
    if not pairs:
        return []
    order = list(stated)

    def rank(key: str) -> tuple:
        """The spelling to keep first: --pole's, the most rows, the first met."""
        return (key != option_key, -sum(n["count"] for n in places.get(key, [])), order.index(key))

    def written(key: str) -> str:
        where = _where_and_fixes(places.get(key, []), "", [], file)[0] + (["--pole"] if key == option_key else [])
        return f"{stated[key].actor.name!r} ({'; '.join(where)})"

    # the spellings of one pôle, grouped (connected components of the pairs proposed): one note per group
    groups: list[set[str]] = []
    for pair in pairs:
        joined = [g for g in groups if g & pair]
        groups = [g for g in groups if not g & pair] + [set(pair).union(*joined)]
    notes = []
    sheets = frozenset(n["sheet"] for named in places.values() for n in named if "sheet" in n)  # the workbook's
    for group in sorted(groups, key=lambda g: min(map(order.index, g))):
        keep, *others = sorted(group, key=rank)
        right = repr(stated[keep].actor.name)
        fixes: list[str] = []
        for other in others:
            fixes += [f for f in _where_and_fixes(places.get(other, []), right, [stated[keep].actor.name], file,
                                                  sheets)[1] if f not in fixes]
        props = {p.id for pair, ps in pairs.items() if pair <= group for p in ps}
        refuse = "; ".join(f"maillage resolve --reject {p}" for p in sorted(props))
        ways = _COUNT_WORDS.get(len(group), str(len(group)))
        spellings = listed([written(k) for k in (keep, *others)], "and")
        again = listed([repr(stated[k].actor.name) for k in others], "or")
        notes.append(f"the file names one pôle in {ways} ways, it seems: {spellings}; their names are close (the "
                     f"entity resolution proposes them for a merge) but they are loaded as {ways} pôles. If it is one "
                     f"pôle: where {again} is written, {' and '.join(fixes)}, then load the file again: {load}; if they "
                     f"are {ways} pôles: {refuse} (not said again)")
    return notes


def _spellings_joined(store: Any, sid: str, before: dict[str, set[str]], now: set[tuple[str, str]],
                      statements: list[Any], was: set[str]) -> list[tuple[str, str]]:
    """Two spellings of one pôle in a file, written as one as :func:`_spellings_notes` says (« PTCE
    Lauragis Coopère » corrected to « PTCE Lauragais Coopère », which other rows already wrote):
    the pôle gone from the list and the one it joined, ``(gone, kept)``, when the earlier load of
    this source proposed them for a merge (the entity resolution's proposal, still in the store)
    and more than half of the gone pôle's members still in this file are the kept pôle's now."""
    resolved = store.resolution_of(sid)
    proposed = {frozenset((resolved.get(p.key), p.candidate_id)) for p in store.proposals(sid)}
    stated = {st.actor_id for st in statements}
    pairs = []
    for old in sorted(was):
        still = before[old] & stated
        best = max(((len({a for a in still if (a, p) in now}), p) for p in set(before) - was
                    if frozenset((old, p)) in proposed), default=(0, None))
        if best[1] is not None and 2 * best[0] > len(still):
            pairs.append((old, best[1]))
    return pairs


def pole_moves(store: Any, sid: str, before: dict[str, set[str]], now: set[tuple[str, str]],
               statements: list[Any]) -> tuple[set[tuple[str, str]], list[str]]:
    """A member list loaded again whose pôle has another name — a misspelt ``--pole`` corrected,
    a pôle's name corrected in its column, its sheet or its heading, the source not removed first
    — has moved that pôle's members, not lost them. ``before``: the earlier load's pôles → their
    members; ``now``: this load's (member, pôle) memberships. Returns ``now`` with each new pôle
    read as the earlier pôle it replaces (what :func:`members_gone` then compares), and the notes
    saying so.

    Which pôles are one pôle renamed, among those the earlier load named and this one does not
    (gone) and those this one names and the earlier did not (come):

    - the list of one pôle both times, another each time: that pôle, whatever its members
      (« this list was loaded for the pôle 'A'; it is now for the pôle 'B' »);
    - otherwise (a network's list, several pôles), a gone pôle and a come pôle sharing members,
      when they are more than half of the gone pôle's members still in this file, and more than
      half of the come pôle's members the earlier load listed (members that joined or left meanwhile
      do not count): « in this list, the pôle 'A' of its earlier load is now the pôle 'B' ». Each
      pôle in one pair at most, the pairs sharing the most members first. A pôle of the network
      that left the list while another joined, with other members, is not a rename: its members
      are said gone;
    - no pôle new to the list: a pôle gone whose spelling the earlier load proposed for a merge
      with a pôle still listed, more than half of its members still in the file now that pôle's
      (two spellings of one pôle in the file, written as one: :func:`_spellings_joined`)."""
    poles_now = {p for _, p in now}
    was, is_ = set(before) - poles_now, poles_now - set(before)
    if not was:
        return now, []
    single = len(before) == 1 and len(poles_now) == 1
    pairs = []
    if not is_:  # no pôle new to this list: perhaps two spellings of one pôle made one (_spellings_notes)
        pairs = _spellings_joined(store, sid, before, now, statements, was)
    elif single:
        pairs = [(next(iter(was)), next(iter(is_)))]
    else:
        stated = {st.actor_id for st in statements}
        earlier = set().union(*before.values())
        members: dict[str, set[str]] = {}
        for a, p in now:
            if p in is_:
                members.setdefault(p, set()).add(a)
        found = []
        for old in was:
            still = before[old] & stated
            for new in is_:
                shared = before[old] & members[new]
                if shared and 2 * len(shared) > len(still) and 2 * len(shared) > len(members[new] & earlier):
                    found.append((-len(shared), old, new))
        used: set[str] = set()
        for _, old, new in sorted(found):
            if old not in used and new not in used:
                used |= {old, new}
                pairs.append((old, new))
    if not pairs:
        return now, []
    if not is_:  # the pôle kept stays its own members' too: the other spelling's members read as both
        now |= {(a, old) for old, new in pairs for a in before[old] if (a, new) in now}
    else:
        into = {new: old for old, new in pairs}
        now = {(a, into.get(p, p)) for a, p in now}  # read as the earlier pôle's
    poles = store.get_actors([p for pair in pairs for p in pair])
    stated_ids = {st.actor_id for st in statements}
    # a pôle new to the store is named as this load states it
    names = {st.actor_id: st.actor.name for st in statements} | {p: a.name for p, a in poles.items()}
    notes = []
    for old, new in sorted(pairs, key=lambda pair: names.get(pair[0], pair[0])):
        old_name, new_name = (names.get(p, p) for p in (old, new))
        k = sum(1 for a in before[old] if (a, old) in now)
        text = (f"this list was loaded for the pôle {old_name!r}; it is now for the pôle {new_name!r}" if single else
                f"in this list, the pôle {old_name!r} of its earlier load is now the pôle {new_name!r}")
        if k:
            text += (f", and {k} member{'s' if k > 1 else ''} of its earlier load still in this file "
                     f"pass{'' if k > 1 else 'es'} from one to the other")
        if old in poles and not set(poles[old].sources) - {sid} and old not in stated_ids:
            text += f"; the pôle {old_name!r}, which only this list named, is no longer in the store"
        notes.append(text)
    return now, notes
