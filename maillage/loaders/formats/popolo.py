"""The ``popolo`` format: Popolo JSON, people and organisations of public life.

Popolo (http://www.popoloproject.com/specs/) describes elected bodies as one JSON document:
``{"persons": [...], "organizations": [...], "memberships": [...], "posts": [...],
"events": [...], "areas": [...]}``. A *membership* says a person belongs to an organisation
(``person_id``, ``organization_id``, ``role``, ``post_id``, ``on_behalf_of_id`` — the party
the person sits for —, ``start_date``, ``end_date``); a *post* is a seat in an organisation
that exists whoever holds it (``label``, ``organization_id``).

**Rows.** Each person, organization, post and membership is one row, numbered from 1 in that
order (persons first); the locator is its JSON path, e.g. ``memberships[12]`` (0-based), and a
reject's column names it too (``memberships[12].person_id``). Areas and events are not rows:
they are looked up by the rows that point at them (an area's name becomes an organisation's
``location_text``; a membership's ``legislative_period_id`` event gives it its dates when it
has none of its own).

**Mapping** (also in ``docs/formats/popolo.md``):

- persons → family ``person`` (personal data), kind ``elu`` when they sit in a legislature or
  council, else ``personne``; only the name and ``other_names`` are kept (no e-mail, image,
  birth date: data minimisation).
- organizations → by ``classification``: legislature, council, executive, government →
  ``collectivite`` (option ``legislature_family=state`` for a national parliament); party →
  ``other``; committee, board → ``other``/``collectif``; company → ``enterprise``; ngo,
  association → ``ess``; anything else → ``other``. ``identifiers`` that are valid
  SIREN/SIRET/RNA are kept as identifiers, others as facts.
- a **placeholder party** — a party named unknown, independent, none… — is the absence of a
  party, not an actor: its row is rejected, and a membership on its behalf gets no party tie
  (a warning), so independents are not tied together through a fake "Independent" node.
- memberships → ``governs`` (person → organisation; ``role`` as stated, ``seat`` = the post's
  label, else the role) when the organisation is a legislature, council, executive, committee
  or board; else ``membership`` (``role``). ``on_behalf_of_id`` adds a second relation
  ``represents`` person → party (``mandate`` = role and body), since the person sits *for*
  the party rather than being shown a party member.
- a post is *merged* when a membership holds it (its label is the membership's ``seat``),
  rejected when none does (a vacant seat ties no one).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from maillage.graph.identifiers import InvalidIdentifier, normalise_identifier
from maillage.graph.model import Actor, Identifier, Provenance, Relation, Source, check_partial_date
from maillage.graph.names import fold

from ..base import LoadError, Loader, Parsed, Reject, brief, json_error, rejects_from_validation

SECTIONS = ("persons", "organizations", "posts", "memberships")  # the row order

GOVERNING = {"legislature", "council", "executive", "government", "cabinet", "parliament", "assembly",
             "upper house", "lower house", "chamber", "committee", "board", "bureau"}
PUBLIC_BODIES = {"legislature", "council", "executive", "government", "cabinet", "parliament", "assembly",
                 "upper house", "lower house", "chamber"}
# classification (folded) → (family, kind); public bodies follow the legislature_family option
CLASSIFICATION = {
    "party": ("other", None),
    "political party": ("other", None),
    "committee": ("other", "collectif"),
    "board": ("other", "collectif"),
    "bureau": ("other", "collectif"),
    "company": ("enterprise", "entreprise"),
    "corporation": ("enterprise", "entreprise"),
    "business": ("enterprise", "entreprise"),
    "ngo": ("ess", "association"),
    "association": ("ess", "association"),
    "charity": ("ess", "association"),
    "nonprofit": ("ess", "association"),
    "non profit": ("ess", "association"),
    "foundation": ("ess", "fondation"),
    "cooperative": ("ess", "cooperative"),
    "union": ("network", "reseau_autre"),
    "trade union": ("network", "reseau_autre"),
}
PUBLIC_KIND = {"collectivite": "collectivite_autre", "state": "etat_autre"}
NO_PARTY = {"unknown", "independent", "independents", "none", "no party", "non affiliated", "unaffiliated",
            "non partisan", "nonpartisan", "ind", "n a", "na", "sans etiquette", "divers", "inconnu"}


def partial_date(value: Any) -> str | None:
    """A Popolo date (ISO 8601, possibly partial) as a partial date, or None."""
    if not isinstance(value, str):
        return None
    try:
        return check_partial_date(value.strip()[:10])
    except ValueError:
        return None


def _list(item: dict[str, Any], key: str) -> list[Any]:
    """``item[key]`` when it is a JSON array, else nothing (``"other_names": true`` is not a
    list of names: left out, as a missing one, never a crash).

    >>> _list({"other_names": [{"name": "A"}]}, "other_names"), _list({"other_names": True}, "other_names")
    ([{'name': 'A'}], [])
    """
    v = item.get(key)
    return v if isinstance(v, list) else []


def _text(v: Any) -> str | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, str | int | float):
        s = str(v).strip()
        return s or None
    return None


def _quote(item: dict[str, Any]) -> str:
    q = orjson.dumps(item, option=orjson.OPT_NON_STR_KEYS).decode()
    return q if len(q) <= 300 else q[:299] + "…"


#: What is read of a person (the rest is never loaded: data minimisation)
PERSON_READ = ("id", "name", "given_name", "family_name", "other_names")
#: What the rejects file shows in place of a value that is not read of a person
LEFT_OUT = "…"


def shown(section: str, item: Any) -> Any:
    """An item as the rejects file shows it (its *original*): a person's fields other than
    :data:`PERSON_READ` — e-mail, birth date, contact details, image… — keep their name, not their
    value, so that nothing of a person that is not loaded is copied there (docs/privacy.md,
    « Rejected rows »). Other items as read."""
    if section != "persons" or not isinstance(item, dict):
        return item
    return {k: v if k in PERSON_READ else LEFT_OUT for k, v in item.items()}


class PopoloLoader(Loader):
    name = "popolo"
    description = "Popolo JSON (persons, organizations, memberships, posts): elected bodies and parties"
    priority = 22
    options = frozenset({"legislature_family"})

    def sniff(self, path: Path, head: bytes) -> bool:
        h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return h.startswith(b"{") and re.search(rb'"(persons|organizations|memberships)"\s*:\s*\[', head) is not None

    def parse(self, path: Path, source: Source, options: dict[str, Any] | None = None) -> Parsed:
        options = options or {}
        public_family = str(options.get("legislature_family", "collectivite"))
        if public_family not in PUBLIC_KIND:
            raise LoadError(f"option legislature_family={public_family!r}: expected 'collectivite' or 'state'")
        doc = self._read(path)
        out = Parsed()
        rows: dict[str, list[tuple[int, Any]]] = {}
        for section in SECTIONS:
            items = doc.get(section, [])
            rows[section] = [(out.rows_read + i + 1, item) for i, item in enumerate(items)]
            out.rows_read += len(items)
        areas = {str(a["id"]): a for a in _list(doc, "areas") if isinstance(a, dict) and _text(a.get("id"))}
        events = {str(e["id"]): e for e in _list(doc, "events") if isinstance(e, dict) and _text(e.get("id"))}
        ctx = _Context(source, out, public_family, areas, events)
        for section in SECTIONS:
            for i, (row, item) in enumerate(rows[section]):
                out.originals[row] = shown(section, item)
                if not isinstance(item, dict):
                    out.rejects.append(Reject(row, "expected a JSON object", f"{section}[{i}]", brief(item)))
                    continue
                getattr(ctx, section[:-1])(row, i, item)
        ctx.finish()
        out.title = _text(doc.get("title")) or _text(doc.get("name"))
        out.meta = {"counts": {s: len(rows[s]) for s in SECTIONS}, "areas": len(areas), "events": len(events)}
        return out

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            data = path.read_bytes()
            doc = orjson.loads(data)
        except orjson.JSONDecodeError as e:
            raise LoadError(f"{path}: not a JSON document ({json_error(data, e)}); expected a Popolo object with "
                            "persons, organizations and memberships") from None
        if not isinstance(doc, dict):
            raise LoadError(f"{path}: the document is a JSON {type(doc).__name__}; expected a Popolo object "
                            "with persons, organizations and memberships")
        if not any(k in doc for k in ("persons", "organizations", "memberships")):
            raise LoadError(f"{path}: no persons, organizations or memberships; this is not a Popolo document")
        for k in (*SECTIONS, "areas", "events"):
            if k in doc and doc[k] is not None and not isinstance(doc[k], list):
                raise LoadError(f"{path}: {k!r} is a JSON {type(doc[k]).__name__}; expected a list")
            if doc.get(k) is None:
                doc[k] = []
        return doc


class _Context:
    """State of one parse: ids seen so far, and what the later sections need of the earlier."""

    def __init__(self, source: Source, out: Parsed, public_family: str, areas: dict[str, Any],
                 events: dict[str, Any]):
        self.source, self.out, self.public_family = source, out, public_family
        self.areas, self.events = areas, events
        self.persons: dict[str, tuple[int, str, dict[str, Any]]] = {}   # id → (row, locator, item)
        self.orgs: dict[str, tuple[int, str, dict[str, Any], str, str | None]] = {}  # … family, classification
        self.no_party: dict[str, str] = {}  # placeholder party id → its name
        self.posts: dict[str, tuple[int, str, dict[str, Any]]] = {}
        self.held_posts: set[str] = set()
        self.governing: set[str] = set()  # persons who sit in a public body
        self.person_actor: dict[str, tuple[int, dict[str, Any]]] = {}
        self.seen_memberships: dict[bytes, int] = {}

    def prov(self, locator: str, quote: str | None) -> Provenance:
        return Provenance(source=self.source.id, locator=locator, quote=quote, certainty="stated")

    def _id(self, row: int, loc: str, item: dict[str, Any]) -> str | None:
        pid = _text(item.get("id"))
        if pid is None:
            self.out.rejects.append(Reject(row, "no id (expected a string)", f"{loc}.id"))
            return None
        if pid in self.persons or pid in self.orgs or pid in self.posts:
            prev_row, prev_loc, prev = next(d[pid][:3] for d in (self.persons, self.orgs, self.posts) if pid in d)
            if prev == item:
                self.out.merged_rows.add(row)  # the same object twice
            else:
                self.out.rejects.append(Reject(row, f"id {pid!r} is already used by {prev_loc}", f"{loc}.id", pid))
            return None
        return pid

    # -- rows --------------------------------------------------------------------------------------
    def person(self, row: int, i: int, item: dict[str, Any]) -> None:
        loc = f"persons[{i}]"
        pid = self._id(row, loc, item)
        if pid is None:
            return
        name = _text(item.get("name")) or " ".join(x for x in (_text(item.get("given_name")),
                                                              _text(item.get("family_name"))) if x)
        if not name:
            self.out.rejects.append(Reject(row, "a person needs a name (or given_name and family_name)",
                                           f"{loc}.name", pid))
            return
        self.persons[pid] = (row, loc, item)
        other = [_text(o.get("name")) for o in _list(item, "other_names") if isinstance(o, dict)]
        # the actor is built in finish(): its kind depends on the person's memberships
        self.person_actor[pid] = (row, {"key": pid, "name": name, "family": "person",
                                        "aliases": [o for o in dict.fromkeys(other) if o and o != name],
                                        "provenance": self.prov(loc, name)})

    def organization(self, row: int, i: int, item: dict[str, Any]) -> None:
        loc = f"organizations[{i}]"
        oid = self._id(row, loc, item)
        if oid is None:
            return
        name = _text(item.get("name"))
        if not name:
            self.out.rejects.append(Reject(row, "an organization needs a name", f"{loc}.name", oid))
            return
        cls = fold(_text(item.get("classification")) or "")
        if cls in ("party", "political party") and (fold(name) in NO_PARTY or fold(oid.rsplit("/", 1)[-1]) in NO_PARTY):
            self.no_party[oid] = name
            self.orgs[oid] = (row, loc, item, "other", cls)
            self.out.rejects.append(Reject(row, f"placeholder party {name!r}: the absence of a party, not an actor; "
                                                "memberships on its behalf get no party tie", f"{loc}.name", name))
            return
        if cls in PUBLIC_BODIES:
            family, kind = self.public_family, PUBLIC_KIND[self.public_family]
        else:
            family, kind = CLASSIFICATION.get(cls, ("other", "non_precise"))
        identifiers, facts = [], []
        for ident in _list(item, "identifiers"):
            if not isinstance(ident, dict):
                continue
            scheme, value = fold(_text(ident.get("scheme")) or ""), _text(ident.get("identifier"))
            if value is None:
                continue
            found = next((s for s in ("siret", "siren", "rna") if s in scheme.split()), None)
            try:
                if found is None:
                    raise InvalidIdentifier(scheme)
                identifiers.append(Identifier(scheme=found, value=normalise_identifier(found, value)))
            except (InvalidIdentifier, ValidationError):
                facts.append(f"{_text(ident.get('scheme')) or 'identifier'}: {value}")
        if cls and cls not in CLASSIFICATION and cls not in PUBLIC_BODIES:
            facts.append(f"classification: {item.get('classification')}")
        area = self.areas.get(_text(item.get("area_id")) or "")
        data = {"key": oid, "name": name, "family": family, "kind": kind, "identifiers": identifiers,
                "aliases": [n for n in dict.fromkeys(_text(o.get("name")) for o in _list(item, "other_names")
                                                     if isinstance(o, dict)) if n and n != name],
                "facts": facts, "provenance": self.prov(loc, name)}
        if area and _text(area.get("name")):
            data["location_text"] = _text(area.get("name"))
        try:
            self.out.actors.append((row, Actor.model_validate(data)))
        except ValidationError as e:
            self.out.rejects.extend(rejects_from_validation(row, e))
            return
        self.orgs[oid] = (row, loc, item, family, cls)

    def post(self, row: int, i: int, item: dict[str, Any]) -> None:
        loc = f"posts[{i}]"
        pid = self._id(row, loc, item)
        if pid is None:
            return
        org = _text(item.get("organization_id"))
        if org is not None and (org not in self.orgs or org in self.no_party):
            self.out.rejects.append(Reject(row, f"organization_id {org!r} is not an organization of this document",
                                           f"{loc}.organization_id", org))
            return
        self.posts[pid] = (row, loc, item)

    def membership(self, row: int, i: int, item: dict[str, Any]) -> None:
        loc = f"memberships[{i}]"
        out = self.out
        fingerprint = orjson.dumps(item, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
        if fingerprint in self.seen_memberships:
            out.merged_rows.add(row)  # repeats an earlier (loaded) membership exactly
            return
        post_id = _text(item.get("post_id"))
        post = None
        if post_id is not None:
            if post_id not in self.posts:
                out.rejects.append(Reject(row, f"post_id {post_id!r} is not a post of this document",
                                          f"{loc}.post_id", post_id))
                return
            post = self.posts[post_id][2]
        person = _text(item.get("person_id")) or _text(item.get("member_id"))
        org = _text(item.get("organization_id")) or (_text(post.get("organization_id")) if post else None)
        col = "person_id" if _text(item.get("person_id")) else "member_id"
        if person is None:
            out.rejects.append(Reject(row, "a membership needs a person_id", f"{loc}.person_id"))
            return
        if person not in self.persons and not (col == "member_id" and person in self.orgs):
            where = "a placeholder party" if person in self.no_party else "not a person of this document"
            out.rejects.append(Reject(row, f"{col} {person!r} is {where}", f"{loc}.{col}", person))
            return
        if org is None:
            out.rejects.append(Reject(row, "a membership needs an organization_id (or a post_id with one)",
                                      f"{loc}.organization_id"))
            return
        if org in self.no_party:
            out.rejects.append(Reject(row, f"organization_id {org!r} is a placeholder party, not an actor",
                                      f"{loc}.organization_id", org))
            return
        if org not in self.orgs:
            out.rejects.append(Reject(row, f"organization_id {org!r} is not an organization of this document",
                                      f"{loc}.organization_id", org))
            return
        _, _, org_item, family, cls = self.orgs[org]
        role = _text(item.get("role")) or (_text(post.get("role")) if post else None)
        start, end = self._dates(row, loc, item)
        quote = _quote(item)
        if cls in GOVERNING and person in self.persons:
            rtype = "governs"
            fields = {"role": role, "seat": (_text(post.get("label")) if post else None) or role}
            if cls in PUBLIC_BODIES:
                self.governing.add(person)
        else:
            rtype, fields = "membership", {"role": role}
        made = self._relation(row, rtype, person, org, fields, start, end, loc, quote)
        if made:
            self.seen_memberships[fingerprint] = row
            if post_id:
                self.held_posts.add(post_id)
        party = _text(item.get("on_behalf_of_id"))
        if party is None or not made:
            return
        if party in self.no_party:
            out.rejects.append(Reject(row, f"on behalf of placeholder party {self.no_party[party]!r}: no party tie",
                                      f"{loc}.on_behalf_of_id", party, fatal=False))
        elif party not in self.orgs:
            out.rejects.append(Reject(row, f"on_behalf_of_id {party!r} is not an organization of this document; "
                                           "no party tie", f"{loc}.on_behalf_of_id", party, fatal=False))
        elif party != org:
            body = _text(org_item.get("name"))
            mandate = ", ".join(x for x in (role, body) if x) or None
            self._relation(row, "represents", person, party, {"mandate": mandate}, start, end, loc, quote,
                           fatal=False)

    def _relation(self, row: int, rtype: str, a: str, b: str, fields: dict[str, Any], start: str | None,
                  end: str | None, loc: str, quote: str, fatal: bool = True) -> bool:
        try:
            rel = Relation(type=rtype, source=a, target=b, fields={k: v for k, v in fields.items() if v is not None},
                           start=start, end=end, provenance=self.prov(loc, quote))
        except ValidationError as e:
            for r in rejects_from_validation(row, e):
                r.fatal = fatal
                self.out.rejects.append(r)
            return False
        self.out.relations.append((row, rel))
        return True

    def _dates(self, row: int, loc: str, item: dict[str, Any]) -> tuple[str | None, str | None]:
        period = self.events.get(_text(item.get("legislative_period_id")) or "", {})
        got: list[str | None] = []
        for col in ("start_date", "end_date"):
            raw = item.get(col)
            if raw in (None, ""):
                got.append(partial_date(period.get(col)))
                continue
            d = partial_date(raw)
            if d is None:
                self.out.rejects.append(Reject(row, "not a date (expected YYYY, YYYY-MM or YYYY-MM-DD); dropped",
                                               f"{loc}.{col}", str(raw)[:80], fatal=False))
            got.append(d)
        start, end = got
        if start and end and start[:4] > end[:4]:
            self.out.rejects.append(Reject(row, f"end_date {end} is before start_date {start}; end dropped",
                                           f"{loc}.end_date", end, fatal=False))
            end = None
        return start, end

    def finish(self) -> None:
        """Persons (their kind depends on their memberships), then vacant posts."""
        for pid, (row, data) in self.person_actor.items():
            data["kind"] = "elu" if pid in self.governing else "personne"
            try:
                self.out.actors.append((row, Actor.model_validate(data)))
            except ValidationError as e:
                self.out.rejects.extend(rejects_from_validation(row, e))
        self.out.actors.sort(key=lambda x: x[0])
        for pid, (row, loc, _) in self.posts.items():
            if pid in self.held_posts:
                self.out.merged_rows.add(row)  # its label is the seat of the memberships that hold it
            else:
                self.out.rejects.append(Reject(row, f"post {pid!r} is held by no membership: a vacant seat ties no one",
                                               f"{loc}.id", pid))


LOADER = PopoloLoader()
