"""``python -m maillage.queries [NAME] [-p k=v …] [--store bolt://…] [--lang en]``: list the
catalogue, or run one query on a Neo4j store and print its rows as JSON lines.

Each value is read as its parameter's type says (``2``, ``true``, ``null``): a list takes one
value (``-p types=membership``), several separated by commas or a JSON list; relation types
may be written as the vocabulary names them (``funds``) or as in the graph (``FUNDS``); an
actor or a pôle may be given by id, SIREN/SIRET/RNA or name (``-p actor_id="Le Périscope"``),
a territory by id, code or name (``-p territory_id=Haute-Garonne``), as with ``maillage``.
Messages are in French unless ``--lang en`` (or ``$MAILLAGE_LANG=en``)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any

from . import LANGS, Query, catalogue, run


class Refused(Exception):
    """What the command cannot do, said to the user (no traceback)."""


def _relation_type(text: str, t) -> str:
    """The graph's name of the relation type ``text`` (``funds`` or ``FUNDS`` → ``FUNDS``)."""
    from maillage.graph.neo4j_store import TYPES

    if (graph_name := TYPES.get(text.strip().lower())) is not None:
        return graph_name
    raise Refused(t(f"type de relation inconnu « {text} » ; types du vocabulaire : {', '.join(sorted(TYPES))}",
                    f"unknown relation type '{text}'; the vocabulary's types: {', '.join(sorted(TYPES))}"))


def _family(text: str, t) -> str:
    """An actor family by its name (``pole``) or its label (« Collectivité »)."""
    from maillage.graph.names import fold
    from maillage.graph.vocabulary import vocabulary

    families = vocabulary().families
    for name, fam in families.items():
        if fold(text) in (fold(name), fold(fam.label("fr")), fold(fam.label("en"))):
            return name
    raise Refused(t(f"famille d'acteurs inconnue « {text} » ; familles : {', '.join(sorted(families))}",
                    f"unknown actor family '{text}'; families: {', '.join(sorted(families))}"))


def _value(q: Query, name: str, text: str, t) -> Any:
    """``text`` read as the type the query's header gives parameter ``name``."""
    ptype = q.params[name].type
    if ptype.endswith("|null") and text.strip().lower() in ("null", ""):
        return None
    base = ptype.removesuffix("|null")
    if base == "int":
        try:
            return int(text)
        except ValueError:
            raise Refused(t(f"${name} : un nombre entier attendu, pas « {text} »",
                            f"${name}: expected a whole number, not '{text}'")) from None
    if base == "bool":
        word = text.strip().lower()
        if word in ("true", "oui", "yes", "1"):
            return True
        if word in ("false", "non", "no", "0"):
            return False
        raise Refused(t(f"${name} : true ou false attendu, pas « {text} »",
                        f"${name}: expected true or false, not '{text}'"))
    if base.startswith("list"):
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = None
        if not isinstance(items, list):
            items = [x.strip() for x in text.split(",") if x.strip()]
        if not all(isinstance(x, str) for x in items):
            raise Refused(t(f"${name} : une liste de textes attendue, pas {text}",
                            f"${name}: expected a list of texts, not {text}"))
        return [_relation_type(x, t) for x in items] if name == "types" else items
    if name == "type":
        return _relation_type(text, t)
    if name == "family":
        return _family(text, t)
    return text


def _resolve(store, params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Actors, pôles and territories given by name (or code, SIREN…) turned into their ids, as
    ``maillage`` does (:mod:`maillage.queries.lookup`); refuses what designates none or several."""
    from maillage.queries.lookup import find_actor, find_territory

    out = dict(params)
    for name, value in params.items():
        if not isinstance(value, str):
            continue
        if name == "territory_id":
            out[name] = find_territory(value)
        elif name.endswith("_id"):
            out[name] = find_actor(store, value, family="pole" if name == "pole_id" else None, lang=lang)
    return out


def _listing(lang: str, t) -> str:
    """The catalogue as the command lists it: each query's title, its parameters (type, default
    or « obligatoire », meaning) and what it returns, in the reader's language."""
    from . import defaults

    lines = [t("Requêtes du catalogue Cypher (python -m maillage.queries NOM -p clé=valeur --store bolt://…). "
               "Un acteur ou un pôle se donne par son identifiant, son SIREN/SIRET/RNA ou son nom, un territoire "
               "par son identifiant, son code ou son nom ; un paramètre omis prend sa valeur par défaut :",
               "The Cypher catalogue's queries (python -m maillage.queries NAME -p key=value --store bolt://…). "
               "An actor or a pôle is given by id, SIREN/SIRET/RNA or name, a territory by id, code or name; "
               "a parameter left out takes its default:")]
    for q in catalogue().values():
        given = defaults(q.name)
        lines += ["", f"{q.name} — {q.title(lang)}"]
        for p, param in q.params.items():
            if p in given:
                said = json.dumps(given[p], ensure_ascii=False)
                when = t(f"{param.type} ; par défaut {said}", f"{param.type}; default {said}")
            else:
                when = t(f"{param.type} ; obligatoire", f"{param.type}; required")
            lines.append(f"    ${p} ({when}){t(' : ', ': ')}{param.doc(lang)}")
        lines.append(f"    {t('renvoie : ', 'returns: ')}{q.returns(lang)}")
    return "\n".join(lines)


#: argparse's own words (« positional arguments: »…) and errors, in French unless --lang en.
_ARGPARSE_FR = (("\npositional arguments:\n", "\narguments :\n"), ("\noptions:\n", "\noptions :\n"))
_ARGPARSE_ERRORS_FR = ((re.compile(r"^unrecognized arguments: "), "arguments inconnus : "),
                       (re.compile(r"^argument (\S+): expected one argument$"), r"\1 : une valeur attendue"),
                       (re.compile(r"^argument (\S+): "), r"\1 : "))


class _FrenchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "usage : " if prefix is None else prefix)


def _argv_lang(argv: list[str]) -> str:
    """The language asked for before the options are read (for --help and argparse's errors):
    ``--lang X`` or ``--lang=X``, else ``$MAILLAGE_LANG``, else ``fr``."""
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--lang="):
            return a.partition("=")[2]
    return os.environ.get("MAILLAGE_LANG") or "fr"


class _Parser(argparse.ArgumentParser):
    """argparse with its frame and its errors in French, unless the reader asked for English."""

    def __init__(self, *args, french: bool, **kwargs):
        self.french = french
        super().__init__(*args, formatter_class=_FrenchFormatter if french else argparse.HelpFormatter, **kwargs)

    def format_help(self) -> str:
        text = super().format_help()
        for en, fr in _ARGPARSE_FR if self.french else ():
            text = text.replace(en, fr)
        return text

    def error(self, message: str):
        for pattern, fr in _ARGPARSE_ERRORS_FR if self.french else ():
            message = pattern.sub(fr, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{'erreur :' if self.french else 'error:'} {message}\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    early = _argv_lang(argv)

    def h(fr: str, en: str) -> str:
        return en if early == "en" else fr

    ap = _Parser(prog="python -m maillage.queries", add_help=False, french=early != "en",
                 description=h("Liste le catalogue Cypher, ou lance une de ses requêtes sur une base Neo4j et "
                               "écrit ses lignes en JSON, une par ligne.",
                               "List the Cypher catalogue, or run one of its queries on a Neo4j store and print "
                               "its rows as JSON lines."))
    ap.add_argument("-h", "--help", action="help", help=h("affiche cette aide", "show this help and exit"))
    ap.add_argument("name", nargs="?", metavar=h("NOM", "NAME"),
                    help=h("la requête à lancer (sans nom : la liste du catalogue)",
                           "query to run (none: list the catalogue)"))
    ap.add_argument("--param", "-p", action="append", default=[], metavar=h("CLÉ=VALEUR", "KEY=VALUE"),
                    help=h("un paramètre (autant de fois qu'il faut)", "a parameter (repeatable)"))
    ap.add_argument("--store", metavar="bolt://…",
                    help=h("l'adresse de la base Neo4j (par défaut $MAILLAGE_STORE)",
                           "Neo4j URI (default $MAILLAGE_STORE)"))
    ap.add_argument("--lang", metavar="fr|en", help=h("fr (par défaut, ou $MAILLAGE_LANG) ou en",
                                                      "fr (default, or $MAILLAGE_LANG) or en"))
    args = ap.parse_args(argv)
    lang = args.lang or os.environ.get("MAILLAGE_LANG") or "fr"
    if lang not in LANGS:
        print(f"« {lang} » : fr ou en attendu (expected fr or en)", file=sys.stderr)
        return 2

    def t(fr: str, en: str) -> str:
        return en if lang == "en" else fr

    try:
        return _main(args, lang, t)
    except Refused as e:
        print(f"{t('erreur :', 'error:')} {e}", file=sys.stderr)
        return 2


def _main(args, lang: str, t) -> int:
    from maillage.graph import NEO4J_SCHEMES
    from maillage.graph.store import StoreError
    from maillage.loaders.motifs import motif

    queries = catalogue()
    if not args.name:
        print(_listing(lang, t))
        return 0
    if args.name not in queries:
        raise Refused(t(f"pas de requête « {args.name} » dans le catalogue ; requêtes : {', '.join(queries)} "
                        "(python -m maillage.queries les décrit)",
                        f"no query '{args.name}' in the catalogue; queries: {', '.join(queries)} "
                        "(python -m maillage.queries describes them)"))
    q = queries[args.name]
    params: dict[str, Any] = {}
    for kv in args.param:
        k, sep, v = kv.partition("=")
        k = k.strip().lstrip("$")
        if not sep:
            raise Refused(t(f"--param « {kv} » : CLÉ=VALEUR attendu", f"--param '{kv}': expected KEY=VALUE"))
        if k not in q.params:
            raise Refused(t(f"{q.name} n'a pas de paramètre « {k} » ; paramètres : {', '.join(q.params)}",
                            f"{q.name} has no parameter '{k}'; parameters: {', '.join(q.params)}"))
        params[k] = _value(q, k, v, t)
    if params.get("depth") not in (None, 1, 2):
        raise Refused(t("$depth : 1 ou 2", "$depth: 1 or 2"))
    from . import defaults

    missing = [p for p in q.params if p not in params and p not in defaults(q.name)]
    if missing:
        raise Refused(t(f"{q.name} demande {', '.join('$' + p for p in missing)} "
                        f"({' ; '.join(q.params[p].doc(lang) for p in missing)}) : -p {missing[0]}=…",
                        f"{q.name} needs {', '.join('$' + p for p in missing)} "
                        f"({'; '.join(q.params[p].doc(lang) for p in missing)}): -p {missing[0]}=…"))
    uri = args.store or os.environ.get("MAILLAGE_STORE")
    if not uri or not uri.startswith(NEO4J_SCHEMES):
        said = t(f" (pas {uri})", f" (not {uri})") if uri else ""
        raise Refused(t(f"le catalogue Cypher lit une base Neo4j{said} : donnez --store bolt://hôte:7687 "
                        "ou $MAILLAGE_STORE=bolt://…",
                        f"the Cypher catalogue reads a Neo4j store{said}: give --store bolt://host:7687 "
                        "or $MAILLAGE_STORE=bolt://…"))
    from maillage.graph import open_store

    try:
        with open_store(uri) as store:
            values = _resolve(store, params, lang)
            if not values.get("include_persons") and "include_persons" in q.params:
                ids = [v for k, v in values.items() if k.endswith("_id") and k != "territory_id" and v]
                for a in store.get_actors(ids).values():
                    if a.personal_data:
                        raise Refused(t(f"{a.id} est une personne physique (donnée personnelle) : le catalogue "
                                        "laisse les personnes de côté, sauf avec -p include_persons=true",
                                        f"{a.id} is a natural person (personal data): the catalogue leaves "
                                        "persons out, unless -p include_persons=true"))
            rows = run(store, q.name, **values)
    except StoreError as e:  # NotFound and Ambiguous from the lookups, an unreachable server
        raise Refused(motif(str(e), lang)) from None
    except Exception as e:  # the server refused the query (neo4j.exceptions.Neo4jError)
        if type(e).__module__.startswith("neo4j"):
            raise Refused(t(f"Neo4j a refusé la requête : {getattr(e, 'message', None) or e}",
                            f"Neo4j refused the query: {getattr(e, 'message', None) or e}")) from None
        raise
    for row in rows:
        print(json.dumps(row, ensure_ascii=False, default=str))
    if not rows:
        print(t("aucune ligne", "no rows"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped reading (`… | head`): no traceback, nothing more to print
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
