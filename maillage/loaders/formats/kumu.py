"""The ``kumu`` format: Kumu-style workbooks, the generic way to bring any actors and ties.

Kumu (https://docs.kumu.io/guides/import/import) imports a spreadsheet with a sheet of
**elements** (column ``Label`` first, or ``ID`` then ``Label``; optional ``Type``,
``Description``, ``Tags`` — ``|``-separated — and any other column) and a sheet of
**connections** (``From``, ``To`` — either may hold several elements separated by ``|`` —,
``Type``, ``Direction``, ``Label``, ``Description``, ``Tags``, ``Strength``…). Sheets whose name
contains ``(ignore)`` are skipped, as Kumu does. Animators export their maps this way.

Accepted here: an XLSX/XLS/ODS workbook with a sheet named ``Elements`` (or ``Éléments``,
``Nodes``, ``Acteurs``) and, optionally, one named ``Connections`` (or ``Connexions``,
``Liens``, ``Relations``, ``Links``, ``Edges``); names compared without case or accents, or given
with ``--option elements=SHEET --option connections=SHEET``. A CSV of elements alone is accepted
too (``--format kumu``); a CSV of connections alone is refused, since its ends would be unknown —
put both sheets in one workbook. maillage's own actors file (``nodes.csv``, :func:`is_actors_file`)
is sniffed as elements, its kinds, places and placeholders read by :data:`OWN_ELEMENT_COLUMNS`.

- **Element** → an actor, read like a row of a member list
  (:class:`~maillage.loaders.formats.members.ActorReader`: SIREN, RNA, commune, code postal,
  code INSEE, forme juridique… when present). ``Type`` → family and kind
  (:func:`~maillage.loaders.formats.members.classify`: the vocabulary's family and kind names
  and labels in French or English — "Association", "Collectivité", "EPCI", "Entreprise", "PTCE" —
  then the documented word rules; "Person"/"Personne"/"Élu" → a natural person, personal data).
  An unknown type is a warning and the actor is ``other``. Key: the ``ID`` when there is an ID
  column, else the label (two rows with the same label are one element, as in Kumu).
- **Connection** → one relation per (From, To) pair. ``Type`` → relation type by the
  vocabulary's names and FR/EN labels ("membre de", "member of", "finance", "funds",
  "coopère avec"…), then :data:`CONNECTION_TYPE_RULES` — some read the tie backwards ("financé
  par", "funded by", "a pour membre"). Empty type → ``related``; an unknown type → ``related``
  (the vocabulary's unqualified tie) and a warning. ``Direction`` ``mutual`` on a directed type
  states the tie both ways; ``undirected`` on a directed type is a warning. ``Label`` → the
  relation's ``role``, ``Description`` → ``note``; other columns named like a field of the
  relation type (``Montant``/``Amount``, ``Année``/``Year``, ``Collège``, ``Cercle``…) fill it.
  From/To name elements by ID (when the elements have IDs) or by label; a connection to an
  unknown or ambiguous element is rejected with the reason.

Row numbers: every statement's locator names the sheet (``Connections!row 12``), and so does the
rejects file. Internally, connection rows are numbered ``1_000_000 + sheet row`` so that both
sheets' rows stay distinct in the accounting (``rows_read`` = element rows + connection rows).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from maillage.geography import load_geography
from maillage.graph.model import Actor, Provenance, Relation, Source, year_of
from maillage.graph.names import fold
from maillage.graph.vocabulary import vocabulary

from ..base import LoadError, Loader, Parsed, Reject, Resolved, rejects_from_validation
from ..cells import CellError, blank, certainty_or_stated, check_quantity, parse_amount, parse_date
from ..tabular import Row, Table, column_of, header_key, is_spreadsheet, read_table, sheet_names
from .members import (MEMBERSHIP_FIELDS, ActorReader, RowActor, _Builder, clean_name, header_fields,
                      unread_column_notes, yes_no)

ELEMENT_SHEETS = ("elements", "element", "nodes", "noeuds", "acteurs", "actors")
CONNECTION_SHEETS = ("connections", "connexions", "liens", "relations", "links", "edges", "aretes")
CONNECTION_ROW_OFFSET = 1_000_000

#: Accepted header names of the connections sheet (compared folded).
CONNECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifiant"),
    "from": ("from", "de", "source", "origine"),
    "to": ("to", "vers", "a", "target", "cible", "destination"),
    "type": ("type", "connection type", "type de lien", "type de relation", "relation"),
    "direction": ("direction", "connection direction", "sens"),
    "label": ("label", "libelle", "etiquette"),
    "description": ("description", "commentaire", "remarque", "notes", "note"),
    "start": ("start", "start date", "debut", "date de debut", "depuis"),
    "end": ("end", "end date", "fin", "date de fin", "jusqu a"),
    "tags": ("tags", "mots cles"),
    "strength": ("strength", "force", "intensite", "poids", "weight"),
    "certainty": ("certainty", "certitude", "provenance certainty"),
}

CONNECTION_HELP: dict[str, str] = {
    "id": "the connection's own id (kept in the locator only)",
    "from": "the element the tie starts from: its ID or label; several, pipe-separated — **required**",
    "to": "the element the tie goes to: its ID or label; several, pipe-separated — **required**",
    "type": "the relation type, by the vocabulary's names and labels or the word rules below",
    "direction": "directed (default), undirected or mutual (mutuel, réciproque…)",
    "label": "kept as the relation's `role`; read as the type when Type is empty",
    "description": "kept in the relation's `note`",
    "start": "start date (ISO, dd/mm/yyyy, a year…)",
    "end": "end date",
    "tags": "kept in the relation's `note`",
    "strength": "kept in the relation's `note`",
    "certainty": "how sure the tie is, in French or English: `stated` (affirmé, the default), `implied` "
                 "(implicite), `inferred` (déduit), `planned` (prévu, annoncé: left out of the pôles' figures)",
}

#: Connection types read by their words when they are not a vocabulary name or label:
#: (pattern on fold()ed text, relation type, read backwards). Ordered: the first match wins.
CONNECTION_TYPE_RULES: list[tuple[str, str, bool]] = [
    (r"\bfinancee?s? par\b|\bfunded by\b|\bsubventionnee?s? par\b", "funds", True),
    (r"\ba pour membres?\b|\bhas members?\b|\bcompte parmi ses membres\b", "membership", True),
    (r"\bportee?s? par\b|\bcarried by\b", "carries", True),
    (r"\bhebergee?s? par\b|\bhosted by\b|\bdomiciliee?s? (?:chez|par)\b", "hosts", True),
    (r"\baccompagnee?s? par\b|\bsupported by\b|\bsoutenue?s? par\b", "supports", True),
    (r"\bemployee?s? par\b|\bsalariee?s? (?:de|d|du|chez)\b|\bemployed by\b|\bworks (?:for|at)\b", "employs", True),
    (r"\bfondee?s? par\b|\bfounded by\b|\bcreee?s? par\b|\bcreated by\b", "founded", True),
    (r"\brepresentee?s? par\b|\brepresented by\b", "represents", True),
    (r"\bgouvernance\b|conseil d administration|\bboard\b|administrat|\bbureau\b|societaire|\bassociee?\b|"
     r"actionnaire|shareholder|\bsiege\b|\bdirector", "governs", False),
    (r"\bmembres?\b|\bmembers?\b|adherent|adhesion|membership", "membership", False),
    (r"structure porteuse|\bporte\b|\bporteu|\bcarries\b|\bcarrying\b|cellule d animation", "carries", False),
    (r"financ|subvention|\bfonds\b|\bfund|\bgrant|cotis|\bdon\b|donation|mecen", "funds", False),
    (r"heberge|\bhosts?\b|\blocaux\b|premises|domicili", "hosts", False),
    (r"accompagn|\bsoutien\b|\bsupport|\bconseil\b|\bappui\b|mentor|coaching", "supports", False),
    (r"cooper|collabor|mutualis|projet commun|\bjoint\b|co construction", "cooperates", False),
    (r"commande|marche public|contract|procurement|prestat|fournisseur|supplier|\bclient\b", "contracts", False),
    (r"partenai|partner", "partner", False),
    (r"\bfond|\bfound|\bcree\b|\bcreated\b", "founded", False),
    (r"\bemplo|salari|\bstaff\b", "employs", False),
    (r"represent", "represents", False),
    (r"^lie\b|related|^liens?\b|\blinks?\b|connection|relation|connexion|^contact", "related", False),
]
_CONNECTION_TYPE_RULES = [(re.compile(p), t, r) for p, t, r in CONNECTION_TYPE_RULES]

DIRECTIONS = {
    "directed": ("directed", "dirige", "oriente", "one way", "sens unique", "->"),
    "undirected": ("undirected", "non dirige", "non oriente", "none", "aucun", "sans"),
    "mutual": ("mutual", "mutuel", "mutuelle", "reciproque", "bidirectionnel", "bidirectional", "both",
               "two way", "<->"),
}


def _label_terms() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, rt in vocabulary().relation_types.items():
        for text in (name, *rt.labels.values()):
            for t in (text, re.sub(r"\([^)]*\)", " ", text)):
                k = fold(t)
                if k:
                    out.setdefault(k, name)
    return out


def connection_types_markdown() -> str:
    """The table of :data:`CONNECTION_TYPE_RULES`, for the docs (``docs/formats/kumu.md``)."""
    lines = ["| type words (regular expression on the folded type) | relation type | read backwards |",
             "|---|---|---|"]
    for pattern, rtype, backwards in CONNECTION_TYPE_RULES:
        cell = pattern.replace("|", "\\|")
        lines.append(f"| `{cell}` | `{rtype}` | {'yes (To → From)' if backwards else ''} |")
    return "\n".join(lines)


def relation_type_of(text: str | None) -> tuple[str, bool, bool]:
    """``(type, backwards, known)`` for a connection's Type cell.

    >>> relation_type_of("membre de")[:2], relation_type_of("Funded by")[:2]
    (('membership', False), ('funds', True))
    >>> relation_type_of("Amitié")
    ('related', False, False)
    """
    if blank(text):
        return "related", False, True
    t = fold(str(text))
    hit = _label_terms().get(t)
    if hit:
        return hit, False, True
    for rx, rtype, backwards in _CONNECTION_TYPE_RULES:
        if rx.search(t):
            return rtype, backwards, True
    return "related", False, False


def direction_of(text: str) -> str | None:
    t = fold(text) if text.strip() not in ("->", "<->") else text.strip()
    for d, words in DIRECTIONS.items():
        if t in words:
            return d
    return None


def _field_headers(rtype: str) -> dict[str, str]:
    """Folded header → field name, for the fields of a relation type (name and FR/EN labels)."""
    out: dict[str, str] = {}
    for fname, spec in vocabulary().relation_type(rtype).fields.items():
        if fname in ("role", "note"):
            continue
        for text in (fname, *spec.labels.values()):
            for t in (text, re.sub(r"\([^)]*\)", " ", text)):
                k = header_key(t)
                if k:
                    out.setdefault(k, fname)
    return out


def coerce(rtype: str, fname: str, raw: str) -> Any:
    """A cell as the value of field ``fname`` of ``rtype``; raises CellError saying what was expected."""
    spec = vocabulary().relation_type(rtype).fields[fname]
    t = spec.type
    if t == "float":
        return check_quantity(parse_amount(raw), raw, euros=spec.unit == "EUR")
    if t == "int":
        v = parse_amount(raw)
        if not float(v).is_integer():
            raise CellError(f"expected a whole number, got {raw!r}")
        return int(v)
    if t == "year":
        return year_of(parse_date(raw, excel_serial=False))
    if t == "bool":
        v = yes_no(raw)
        if v is None:
            raise CellError(f"expected oui/non (yes/no), got {raw!r}")
        return v
    if t == "enum":
        k = fold(raw)
        for value in spec.values:  # the code or its French or English label (« accordée », granted)
            if k in {fold(value), *(fold(x) for x in spec.value_labels.get(value, {}).values())}:
                return value
        raise CellError(f"expected one of {enum_labels(spec)}, got {raw!r}")
    if t == "list":
        return [x.strip() for x in raw.split("|") if x.strip()]
    return raw


def enum_labels(spec: Any, lang: str = "en") -> str:
    """The values of an enum field by their labels, as a reason names them (the codes, without
    accents, are the code's words): « 'requested', 'granted', 'refused', 'planned' »; in French
    « « demandée », « accordée », « refusée », « prévue » » (the rejects file's translation).

    >>> enum_labels(vocabulary().relation_type("carries").fields["function"])
    "'carrying structure', 'coordination team'"
    """
    return _listed([spec.value_labels.get(v, {}).get(lang) or v for v in spec.values], lang)


def _listed(labels: list[str], lang: str) -> str:
    return ", ".join(f"« {x} »" for x in labels) if lang == "fr" else ", ".join(map(repr, labels))


#: Columns of the Elements sheet that maillage's own export writes (:func:`maillage.api.exports.kumu_xlsx`)
#: and Kumu has no column for, compared folded: the place as a territory id (« Vaucluse » is a
#: département and a commune of the Doubs: only the id says which), an actor named by its type only,
#: a group of N actors.
OWN_ELEMENT_COLUMNS = ("location", "placeholder", "group_count", "kind", "territory", "family")


def own_headers(column: str) -> tuple[str, ...]:
    """The header keys (:func:`~maillage.loaders.tabular.header_key`) of one of
    :data:`OWN_ELEMENT_COLUMNS`: its code, and its headers in the actors file for a spreadsheet
    (``maillage export -f nodes.csv --tableur``: « lieu », « acteur générique »,
    :data:`maillage.tableur.TABLEUR_HEADERS`) — but « type », Kumu's own column.

    >>> own_headers("location"), own_headers("kind")
    (('location', 'lieu', 'place'), ('kind',))
    """
    from maillage.tableur import TABLEUR_HEADERS

    keys = [header_key(x) for x in (column, *TABLEUR_HEADERS.get(column, ()))]
    return tuple(k for k in dict.fromkeys(keys) if k != "type")


#: The columns of maillage's actors file that only repeat, in words, what its codes say (the
#: family's, kind's and place's labels, whether the actor is a pôle): not read, and not said unread
ACTORS_FILE_LABELS = frozenset({"family label", "kind label", "location label", "is pole"})


def is_actors_file(columns: list[str]) -> bool:
    """Whether a header row is that of maillage's own actors file — ``maillage export -f
    nodes.csv`` (:data:`maillage.tableur.NODE_COLUMNS`), or with ``--tableur`` in French or
    English (:data:`maillage.tableur.TABLEUR_FILES`) — then any metrics: all of its columns,
    compared folded, in any order. Such a file is read as Kumu elements, its kinds, places and
    placeholders by :data:`OWN_ELEMENT_COLUMNS`; a member list reads none of them.

    >>> is_actors_file("identifiant;nom;famille;type;lieu;acteur générique;SIREN;SIRET;RNA".split(";"))
    True
    >>> is_actors_file(["id", "name", "family", "kind", "location"])  # a list of one's own
    False
    """
    from maillage.tableur import NODE_COLUMNS, TABLEUR_FILES, headers

    have = {header_key(str(c)) for c in columns}
    files = [NODE_COLUMNS, *(headers(TABLEUR_FILES["nodes.csv"], lang) for lang in ("fr", "en"))]
    return any({header_key(c) for c in cols} <= have for cols in files)


def actors_file_sheet(path: Path, head: bytes | None = None) -> int | None:
    """The first of a file's tables (a workbook's sheets, by index; 0 for a CSV) whose first
    filled row is :func:`is_actors_file`'s, or None. ``head``: the file's first bytes, if read."""
    from .members import head_tables

    if head is None:
        try:
            with path.open("rb") as f:
                head = f.read(64 * 1024)
        except OSError:
            return None
    for i, rows in enumerate(head_tables(path, head)):
        first = next((r for r in rows if any(str(c).strip() for c in r)), None)
        if first is not None and is_actors_file(first):
            return i
    return None


class ElementReader(ActorReader):
    """An element read as a member-list row, then by :data:`OWN_ELEMENT_COLUMNS` when the sheet has
    them: a ``location`` that is a territory id of the reference geography (``departement:84``)
    is the place, over Code INSEE and Localité, and a collectivité's ``territory`` the one it
    administers; ``placeholder`` oui/yes and a whole ``group_count`` are kept; a ``kind`` code of the family read is the kind when the type left it unknown or names
    the family only (``nodes.csv``, whose type column is the family's code: a kind guessed from the
    name would replace the stated one). Another value there (a Kumu map's own « Location » column)
    is not read."""

    def __init__(self, table: Table, *args: Any, **kwargs: Any) -> None:
        super().__init__(table, *args, **kwargs)
        folded = {header_key(c): i for i, c in reversed(list(enumerate(table.columns)))}
        self.own = {c: i for c in OWN_ELEMENT_COLUMNS
                    if (i := next((folded[k] for k in own_headers(c) if k in folded), None)) is not None}
        self.own_read: set[int] = set()  # the columns of self.own a row was read from

    def _own(self, row: Row, column: str) -> str:
        i = self.own.get(column)
        return "" if i is None or blank(row.cells[i]) else row.cells[i].strip()

    def _territory(self, row: Row, column: str) -> str | None:
        """The territory id of the cell, when it is one of the reference geography; of a
        ``location`` cell, also the one territory it is the label of (:func:`place_labelled`)."""
        text = self._own(row, column)
        place = load_geography().get(text) if ":" in text else None
        if place is None and text and column == "location":
            return place_labelled(text)
        return place.id if place is not None else None

    def read(self, row: Row, key: str, name: str, college: str | None = None) -> RowActor:
        got = super().read(row, key, name, college)
        a = got.actor
        if vocabulary().family(a.family).personal_data:  # of a person, the name only (docs/privacy.md)
            return got
        place = self._territory(row, "location")
        if place is not None:
            a.location = place
            self.own_read.add(self.own["location"])
        administered = self._territory(row, "territory") if a.family == "collectivite" else None
        if administered is not None:
            a.territory = administered
            self.own_read.add(self.own["territory"])
        if yes_no(self._own(row, "placeholder")) is not None:
            a.placeholder = bool(yes_no(self._own(row, "placeholder")))
            self.own_read.add(self.own["placeholder"])
        stated = _family_named(self.get(row, "type"))
        if not self.get(row, "type") and (stated := _family_named(self._own(row, "family"))) is not None:
            # no type, a family: the spreadsheet file's « famille » of an actor of no kind
            a.family, a.kind = stated, None
            self.own_read.add(self.own["family"])
        if stated is not None and (kind := _kind_named(stated, self._own(row, "kind"))):
            # the family the type names and its kind, over what the name says (« Pôle emploi »:
            # `state`, `operateur` in nodes.csv, not the name's `support`)
            a.family, a.kind = stated, kind
            self.own_read.add(self.own["kind"])
        elif a.kind is None and (kind := _kind_named(a.family, self._own(row, "kind"))):
            a.kind = kind
            self.own_read.add(self.own["kind"])
        count = self._own(row, "group_count")
        if count:
            try:
                n = float(count.replace(",", "."))
            except ValueError:
                n = 0
            if n >= 1 and n.is_integer():
                a.group_count = int(n)
                self.own_read.add(self.own["group_count"])
        return got


def place_labelled(text: str) -> str | None:
    """The territory whose label is ``text``, as the actors file for a spreadsheet writes its place
    (:func:`maillage.geography.places.location_label`: « Toulouse (31) », « Vaucluse (84) » — the
    département, not the commune of the Doubs, « Vaucluse (25) » —, « Occitanie »), when only one
    has it or the others hold it: « Paris (75) », the commune's label and its département's, is the
    commune. None for any other text.

    >>> place_labelled("Vaucluse (84)"), place_labelled("Paris (75)"), place_labelled("Toulouse")
    ('departement:84', 'commune:75056', None)
    """
    from maillage.geography.places import location_label

    geo, text = load_geography(), text.strip()
    m = re.fullmatch(r"(.+) \((\w{2,3})\)", text)
    found = [t.id for t in geo.by_name(m[1] if m else text) if location_label(t.id) == text]
    if not found or not set(found[1:]) <= set(geo.ancestors(found[0])):  # finest level first
        return None
    return found[0]


def _family_named(text: str) -> str | None:
    """The family a type cell names by its code or label alone (``ess``, « Structure de l'ESS »), or None.

    >>> _family_named("enterprise"), _family_named("Collectivité"), _family_named("Association")
    ('enterprise', 'collectivite', None)
    """
    k = fold(text)
    return next((f.name for f in vocabulary().families.values()
                 if k and k in {fold(x) for x in (f.name, *f.labels.values())}), None)


def _kind_named(family: str, text: str) -> str | None:
    """The kind of ``family`` a cell names by its code or label (``scic``, « Intercommunalité (EPCI) »), or None.

    >>> _kind_named("ess", "scic"), _kind_named("collectivite", "Region"), _kind_named("ess", "region")
    ('scic', 'region', None)
    """
    k = fold(text)
    return next((name for name, term in vocabulary().family(family).kinds.items()
                 if k and k in {fold(x) for x in (name, *term.labels.values())}), None)


def _label_key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


class KumuLoader(Loader):
    name = "kumu"
    description = "Kumu-style workbook: a sheet of Elements (Label, Type…) and one of Connections (From, To, Type…)"
    priority = 15
    options = frozenset({"elements", "connections"})  # the two sheets, when their names are not found

    def notes_after_resolution(self, done: Resolved) -> tuple[list[str], list[str]]:
        """How its memberships are read beside the pôle's other lists, as a member list's
        (:func:`~maillage.loaders.member_notes.member_list_notes`)."""
        from maillage.loaders.member_notes import member_list_notes

        return [], member_list_notes(done.store, done.source.id, done.name, self.name, done.relations,
                                     done.statements, done.source.meta.get("years") or [])

    # -- sheets -------------------------------------------------------------------------------
    @staticmethod
    def _pick(names: list[str], wanted: tuple[str, ...], given: str | None) -> str | None:
        if given:
            return given
        for n in names:
            if "(ignore)" in n.lower():
                continue
            if fold(n) in wanted:
                return n
        return None

    def sniff(self, path: Path, head: bytes) -> bool:
        """A workbook of Elements and Connections, or maillage's own actors file (:func:`is_actors_file`)."""
        if is_spreadsheet(path):
            try:
                names = sheet_names(path)
            except LoadError:
                return False
            if self._pick(names, ELEMENT_SHEETS, None) and self._pick(names, CONNECTION_SHEETS, None):
                return True
        return actors_file_sheet(path, head) is not None

    # -- parsing ------------------------------------------------------------------------------
    def parse(self, path: Path, source: Source, options: dict[str, Any]) -> Parsed:
        out = Parsed()
        if is_spreadsheet(path):
            names = sheet_names(path)
            for opt in ("elements", "connections"):
                if options.get(opt) and options[opt] not in names:
                    raise LoadError(f"{path}: no sheet named {options[opt]!r} (option {opt}); sheets: "
                                    f"{', '.join(names)}")
            esheet = self._pick(names, ELEMENT_SHEETS, options.get("elements"))
            csheet = self._pick(names, CONNECTION_SHEETS, options.get("connections"))
            if esheet is None and (own := actors_file_sheet(path)) is not None:
                esheet = names[own]  # maillage's actors file, saved as a workbook (« Feuil1 »)
            if esheet is None:
                raise LoadError(f"{path}: no sheet of elements; expected a sheet named Elements (or Éléments, "
                                f"Nodes, Acteurs), or --option elements=SHEET; sheets: {', '.join(names)}")
            elements = read_table(path, sheet=esheet, expect=lambda cols: len(header_fields(cols)))
        else:
            csheet = None
            elements = read_table(path, expect=lambda cols: len(header_fields(cols)))
            conn_idx = self._connection_index(elements)
            if "name" not in header_fields(elements.columns) and {"from", "to"} <= set(conn_idx):
                raise LoadError(f"{path}: a CSV of Kumu connections cannot be loaded alone (its From/To name "
                                "elements it does not describe): put an Elements sheet and a Connections sheet "
                                "in one workbook (.xlsx or .ods)")
        keys = self._elements(path, elements, source, out)
        notes = [*elements.notes, *keys["notes"]]
        if csheet is not None:
            connections = read_table(path, sheet=csheet,
                                     expect=lambda cols: len(self._connection_index_of(cols)))
            notes += self._connections(path, connections, source, out, keys)
        out.meta["sheets"] = {"elements": elements.sheet, "connections": csheet}
        out.meta["notes"] = notes
        esheet_name, csheet_name = elements.sheet or "Elements", csheet or "Connections"
        out.locate = lambda n: (f"{csheet_name}!row {n - CONNECTION_ROW_OFFSET}" if n >= CONNECTION_ROW_OFFSET
                                else f"{esheet_name}!row {n}")  # for the rejects found when resolving
        return out

    # -- elements -----------------------------------------------------------------------------
    def _elements(self, path: Path, table: Table, source: Source, out: Parsed) -> dict[str, Any]:
        idx = header_fields(table.columns)
        for f in (*MEMBERSHIP_FIELDS, "pole"):
            idx.pop(f, None)  # ties are the Connections sheet's business
        if "name" not in idx:
            where = f"sheet {table.sheet!r}" if table.sheet else "the file"
            raise LoadError(f"{path}: {where} has no Label column (found: {', '.join(table.columns[:10])}); "
                            "a Kumu elements sheet starts with Label (or ID, Label)")
        sheet = table.sheet or "Elements"
        has_id = "id" in idx
        reader = ElementReader(table, source, idx, unknown_type_warns=True,
                               locator=lambda n: f"{sheet}!row {n}", key_prefix="", doc="docs/formats/kumu.md")

        def key_of(row: Row, name: str, actor: Actor) -> str:
            if has_id and reader.get(row, "id"):
                return "id:" + reader.get(row, "id")
            return "label:" + _label_key(name)

        builder = _Builder(out, source, reader, key_of=key_of)
        by_id: dict[str, str] = {}
        by_label: dict[str, set[str]] = {}
        for row in table.rows:
            key = builder.row(row)
            if key is None:
                continue
            if has_id and reader.get(row, "id"):
                by_id[reader.get(row, "id")] = key
            by_label.setdefault(_label_key(clean_name(reader.get(row, "name"))), set()).add(key)
        for r in out.rejects:
            r.locator = r.locator or f"{sheet}!row {r.row}"
        for n in list(out.originals):
            out.originals[n] = {"sheet": sheet, "row": n, **out.originals[n]}
        # maillage's own actors file: its labels and « is_pole » say again what the codes read say
        derived = {i for i, c in enumerate(table.columns) if header_key(str(c)) in ACTORS_FILE_LABELS} \
            if is_actors_file(table.columns) else set()
        return {"by_id": by_id, "by_label": by_label, "sheet": sheet, "builder": builder,
                "notes": unread_column_notes(table.columns, set(idx.values()) | reader.own_read | derived,
                                             f"sheet {table.sheet!r}: " if table.sheet else "")}

    # -- connections --------------------------------------------------------------------------
    @staticmethod
    def _connection_index_of(columns: list[str]) -> dict[str, int]:
        folded: dict[str, int] = {}
        for i, c in enumerate(columns):
            folded.setdefault(header_key(c), i)
        out = {}
        for f, aliases in CONNECTION_FIELDS.items():
            i = column_of(folded, aliases)
            if i is not None:
                out[f] = i
        return out

    def _connection_index(self, table: Table) -> dict[str, int]:
        return self._connection_index_of(table.columns)

    def _connections(self, path: Path, table: Table, source: Source, out: Parsed, keys: dict[str, Any]) -> list[str]:
        """Read the connections into ``out``; returns the notes on the sheet's columns that no row
        reads (a cell that names a field of another relation type than its row's is a warning)."""
        idx = self._connection_index(table)
        sheet = table.sheet or "Connections"
        if not {"from", "to"} <= set(idx):
            raise LoadError(f"{path}: sheet {sheet!r} has no From and To columns (found: "
                            f"{', '.join(table.columns[:10])}); a Kumu connections sheet starts with From, To")
        used = set(idx.values())
        extra_cols = [(i, c) for i, c in enumerate(table.columns) if i not in used]
        voc = vocabulary()  # the fields of every relation type, by folded header
        any_field = {k: voc.relation_type(t).fields[f] for t in voc.relation_types
                     for k, f in _field_headers(t).items()}
        builder: _Builder = keys["builder"]
        seen_rows: set[tuple] = set()

        def get(row: Row, f: str) -> str:
            i = idx.get(f)
            return "" if i is None or blank(row.cells[i]) else row.cells[i].strip()

        for row in table.rows:
            n = CONNECTION_ROW_OFFSET + row.number
            loc = f"{sheet}!row {row.number}"
            out.rows_read += 1
            out.originals[n] = {"sheet": sheet, "row": row.number, **row.as_dict(table.columns)}
            rejects: list[Reject] = []

            def reject(reason: str, column: str | None = None, value: str | None = None, fatal: bool = True,
                       _n: int = n, _loc: str = loc, _into: list = rejects) -> None:
                _into.append(Reject(_n, reason, column, value, fatal=fatal, locator=_loc))

            sig = (tuple(row.cells), tuple(row.extra))
            if sig in seen_rows:
                out.merged_rows.add(n)
                continue
            seen_rows.add(sig)
            ends: dict[str, list[str]] = {}
            for end in ("from", "to"):
                col = table.columns[idx[end]]
                names = _split(get(row, end))
                if not names:
                    reject(f"no element in {col}: a connection needs both ends", col)
                found = []
                for name in names:
                    key, why = self._resolve(name, keys)
                    if key is None:
                        reject(f"{why}: this tie is not loaded", col, name)
                    else:
                        found.append(key)
                ends[end] = found
            type_text = get(row, "type")
            label = get(row, "label")
            rtype, backwards, known = relation_type_of(type_text)
            if not type_text and label:
                guess, gback, gknown = relation_type_of(label)
                if gknown and guess != "related":
                    rtype, backwards = guess, gback
            elif not known:
                reject(f"connection type {type_text!r} is not a relation type of the vocabulary (see "
                       f"docs/formats/kumu.md): loaded as {vocabulary().relation_type(rtype).labels['en']!r}",
                       table.columns[idx["type"]], type_text, False)
            rt = vocabulary().relation_type(rtype)
            direction = get(row, "direction")
            mode = direction_of(direction) if direction else None
            if direction and mode is None:
                reject(f"direction {direction!r} is not directed, undirected or mutual: ignored",
                       table.columns[idx["direction"]], direction, False)
            if mode == "undirected" and rt.directed:  # the type by its label (its French one in the rejects file)
                reject(f"direction {direction!r} on {rt.labels['en']!r}, which is directed: read "
                       f"{table.columns[idx['from']]} → {table.columns[idx['to']]}",
                       table.columns[idx["direction"]], direction, False)
            fields: dict[str, Any] = {}
            if label:
                fields["role"] = label
            notes = [x for x in (get(row, "description"),
                                 f"Tags : {get(row, 'tags')}" if get(row, "tags") else "",
                                 f"Force : {get(row, 'strength')}" if get(row, "strength") else "") if x]
            if notes:
                fields["note"] = " ; ".join(notes)
            headers = _field_headers(rtype)
            for i, col in extra_cols:
                fname = headers.get(header_key(col))
                raw = row.cells[i].strip()
                if blank(raw) or (fname is None and header_key(col) not in any_field):
                    continue
                used.add(i)
                if fname is None:  # a field of other ties (« Année » of a grant on a cooperation)
                    year = any_field[header_key(col)].type == "year"
                    hint = "; a tie is dated by the columns Start and End" if year else ""
                    reject(f"{rt.labels['en']!r} has no field {col!r}: not loaded{hint}", col, raw, False)
                    continue
                try:
                    fields[fname] = coerce(rtype, fname, raw)
                except CellError as e:
                    reject(f"{e}: field {rt.fields[fname].labels['en']!r} of {rt.labels['en']!r} left empty", col,
                           raw, False)
            dates: dict[str, str] = {}
            for f in ("start", "end"):
                v = get(row, f)
                if v:
                    try:
                        dates[f] = parse_date(v)
                    except CellError as e:
                        reject(f"{e}: date dropped", table.columns[idx[f]], v, False)
            if dates.get("start") and dates.get("end") and year_of(dates["start"]) > year_of(dates["end"]):
                reject(f"ends ({dates['end']}) before it starts ({dates['start']}): end dropped",
                       table.columns[idx["end"]], get(row, "end"), False)
                dates.pop("end")
            certainty, unread = certainty_or_stated(get(row, "certainty"))
            if unread:
                reject(unread, table.columns[idx["certainty"]], get(row, "certainty"), False)
            prov = Provenance(source=source.id, locator=loc, certainty=certainty)
            new = False
            stated = 0
            for a in ends.get("from", []):
                for b in ends.get("to", []):
                    pairs = [(b, a) if backwards else (a, b)]
                    if mode == "mutual" and rt.directed:
                        pairs.append(pairs[0][::-1])
                    # From = To: kept, as every loader keeps a self-tie (maillage.loaders.load_file)
                    for s, t in dict.fromkeys(pairs):
                        try:
                            rel = Relation(type=rtype, source=s, target=t, fields=fields, start=dates.get("start"),
                                           end=dates.get("end"), provenance=prov)
                        except ValidationError as e:
                            for r in rejects_from_validation(n, e):
                                r.locator = loc
                                rejects.append(r)
                            continue
                        stated += 1
                        new |= builder.add_relation(n, rel)
            out.rejects += rejects
            if stated and not new:
                out.merged_rows.add(n)
            elif not stated and not any(r.fatal for r in rejects):
                reject("nothing to load on this row")
                out.rejects.append(rejects[-1])
        return unread_column_notes(table.columns, used, f"sheet {sheet!r}: ")

    @staticmethod
    def _resolve(name: str, keys: dict[str, Any]) -> tuple[str | None, str]:
        if name in keys["by_id"]:
            return keys["by_id"][name], ""
        found = keys["by_label"].get(_label_key(clean_name(name)), set())
        if len(found) == 1:
            return next(iter(found)), ""
        if len(found) > 1:
            return None, (f"{name!r} is the label of {len(found)} elements of sheet {keys['sheet']}: "
                          "name it by its ID")
        return None, f"no element with the label or ID {name!r} in sheet {keys['sheet']}"


LOADER = KumuLoader()
