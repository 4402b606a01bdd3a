"""Another edition of a loaded file, loaded beside it under a new name (« adherents (2).xlsx »
after « adherents.xlsx », « carte (2).xlsx », a later SIRENE extract): the source id is
``<format>:<file name>``, so the new file is a second source and what both state is counted
twice. :func:`edition_notes` says so after a load, whatever the format, with the two ways to
replace the earlier source (docs/provenance.md, « Another edition of a file »).

A source is taken for an earlier edition of this file when it is of the same kind
(:func:`kin`) and states most of what this file states: :data:`SHARED_EDITION` of its
statements (each actor it describes, each tie by its ends, type and fields), or
:data:`SHARED_SAME_NAME` when the two file names differ only by dates, numbers, « (2) » or
« copie » (:func:`name_stem`). Member lists of two different years (``--year``) are the pôle's
history, never editions (docs/formats/members.md)."""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

#: Share of this file's statements another source states, above which it is an edition of it
#: whatever the names: measured on the real files of tests/test_editions.py (a copy with a few
#: rows dropped: 1.0; a SIRENE extract with a tenth of its rows new: 0.9; two halves of Paris's
#: grants, as two years of one publisher: 0.13; two halves of a SIRENE extract: none).
SHARED_EDITION = 0.7
#: The share that suffices when the two names differ only by dates, numbers, « (2) »…
SHARED_SAME_NAME = 0.5

_WORDS_OF_A_COPY = re.compile(r"\b(copie|copy|of|de|du|version|v|edition|maj|mise a jour|final|finale|def)\b")


def name_stem(name: str) -> str:
    """A file's name without its folders, extension, digits (dates, years, « (2) ») and the words
    of a copy, lower case and unaccented: two editions of one file share it.

    >>> name_stem("Adhérents-2024.xlsx") == name_stem("adherents_2025 (2).xlsx") == "adherents"
    True
    >>> name_stem("Copie de carte.xlsx")
    'carte'
    """
    stem = PurePosixPath(name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = unicodedata.normalize("NFKD", stem.lower()).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z]+", " ", stem)
    return " ".join(_WORDS_OF_A_COPY.sub(" ", stem).split())


def kin(fmt: str) -> str:
    """The kind of file a format's sources are compared within: a publisher's grants are one kind
    whatever the loader that read them (:data:`~.formats.subsidies.GRANT_FORMATS`)."""
    from .formats.subsidies import GRANT_FORMATS

    return "grants" if fmt in GRANT_FORMATS else fmt


def _tie_key(src: str, dst: str, fields: dict[str, Any]) -> tuple:
    return src, dst, tuple(sorted((k, round(v, 2) if isinstance(v, float) else str(v)) for k, v in fields.items()
                                  if v is not None))


def shared_statements(store, sid: str, fmt: str, statements, relations) -> dict[str, tuple[int, int]]:
    """For each other source of this load's kind that states some of what it states:
    ``{source id: (statements it states too, this load's statements)}``. A statement is an actor
    this load describes or a tie (its two ends, type and fields). An actor is the other source's
    when the entity resolution took it for one of its actors, or when the other source gave it the
    same key (a FollowTheMoney or Popolo id, a SIREN: two editions of one dump name their entities
    alike, and a name alone does not merge two of its persons — docs/resolution.md); its ties are
    then compared through that actor."""
    total = len({st.actor_id for st in statements}) + len(relations)
    others = {s.id for s in store.sources() if s.id != sid and s.kind != "dataset" and kin(s.format) == kin(fmt)}
    if not others or not total:
        return {}
    # only a source that describes an actor of this load is read further (its resolution log)
    touched: set[str] = set()
    for actor in store.get_actors({st.actor_id for st in statements}).values():
        touched.update(set(actor.sources) & others)
    out = {}
    for o in sorted(touched):
        o_map = store.resolution_of(o)
        o_actors = set(o_map.values())
        to_theirs = {st.actor_id: o_map.get(st.actor.key, st.actor_id) for st in statements}
        both = sum(1 for aid in set(to_theirs.values()) if aid in o_actors)
        mine: dict[str, Counter] = {}
        for r in relations:
            key = _tie_key(to_theirs.get(r.source_id, r.source_id), to_theirs.get(r.target_id, r.target_id),
                           r.relation.fields)
            mine.setdefault(r.relation.type, Counter())[key] += 1
        for rtype, ties in mine.items():
            ends = min({k[0] for k in ties}, {k[1] for k in ties}, key=len)
            theirs = Counter(_tie_key(src, dst, fields)
                             for _, src, dst, fields in store.tie_fields(ends, types=[rtype], source=o))
            both += sum(min(n, theirs[k]) for k, n in ties.items() if k in theirs)
        out[o] = (both, total)
    return out


_YEAR_IN_NAME = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _history(this_years: list[str], other_years: list[str], this_name: str = "", other_name: str = "") -> bool:
    """Whether two member lists are lists of the pôle in different years (or one dated, the other
    not: what member_notes says of them), or their file names give two different years
    (« adherents-2024.csv », « adherents-2025.csv », loaded without --year: the member lists' note
    says to give it): its history, not two editions of one list.

    >>> _history([], [], "adherents-2024.csv", "adherents 2025 (2).csv"), _history([], [], "a (2).csv", "a.csv")
    (True, False)
    """
    if (this_years or other_years) and sorted(this_years) != sorted(other_years):
        return True
    named = [set(_YEAR_IN_NAME.findall(PurePosixPath(n.replace("\\", "/")).name)) for n in (this_name, other_name)]
    return all(named) and named[0] != named[1]


def load_command(file: str, fmt: str, options: dict[str, Any], source_id: str) -> str:
    """The ``maillage load`` that loads ``file`` again in ``fmt`` with the same options, as ``source_id``.

    >>> load_command("adhérents 2025.csv", "members", {"pole": "Le Périscope", "year": "2025"}, "members:a.csv")
    "maillage load 'adhérents 2025.csv' --format members --pole 'Le Périscope' --year 2025 --source-id members:a.csv"
    """
    named = {"pole": "--pole", "year": "--year", "mapping": "--mapping"}
    words = ["maillage", "load", file, "--format", fmt]
    for k, v in options.items():
        words += [named[k], str(v)] if k in named else ["--option", f"{k}={v}"]
    return " ".join(shlex.quote(w) for w in [*words, "--source-id", source_id])


def edition_notes(store, source, name: str, file: str, options: dict[str, Any], statements,
                  relations, said: str | None = None) -> list[str]:
    """A note for each other source this load looks like another edition of (module docstring):
    what both state is counted twice, and how to keep only this one — ``maillage remove`` of the
    other, or this file loaded in its place with ``--source-id`` (its reviewers' decisions kept,
    a member list's leavers said); only the latter when the other has reviewers' decisions, which
    its removal would lose (they are the other source's: :meth:`~maillage.graph.store.GraphStore.decisions`). ``store`` is as it was before this load; ``file``: the file as
    a command that loads it again names it."""
    notes = []
    shared = shared_statements(store, source.id, source.format, statements, relations)
    for o, (both, total) in sorted(shared.items(), key=lambda kv: -kv[1][0]):
        if o == said:
            continue
        other = store.source(o)
        stem = name_stem(name)  # (a name of digits alone, « 2025.csv », says nothing)
        same_name = bool(stem) and stem == name_stem(other.uri or o.split(":", 1)[-1])
        if both < (SHARED_SAME_NAME if same_name else SHARED_EDITION) * total:
            continue
        if source.format in ("members", "kumu") and _history(source.meta.get("years") or [],
                                                            other.meta.get("years") or [], name,
                                                            other.uri or o.split(":", 1)[-1]):
            continue
        why = "; a name that differs only by a date or a number" if same_name else ""
        years = ("; if it is the pôle's list of another year, keep both, each loaded again with its --year"
                 if source.format == "members" else "")
        said_twice = (f"this file looks like another edition of the source {o!r} ({both:,} of its {total:,} "
                      f"statements already stated by it{why}): both are kept, and what both state is counted twice. ")
        in_its_place = (f"maillage remove {shlex.quote(source.id)} --yes, then "
                        f"{load_command(file, source.format, options, o)}{years}")
        if decided := len(store.decisions(o)):  # removed, its decisions would no longer apply to this file
            whose = "1 reviewer's decision" if decided == 1 else f"{decided:,} reviewers' decisions"
            notes.append(f"{said_twice}If this file replaces that one, load it in that source's place, keeping its "
                         f"{whose} (removing that source would lose them): {in_its_place}")
            continue
        notes.append(f"{said_twice}If this file replaces that one: maillage remove {shlex.quote(o)} --yes; or, to "
                     f"load it in that source's place (keeping its reviewers' decisions): {in_its_place}")
    return notes
