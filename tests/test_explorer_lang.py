"""The explorer page speaks one language at a time: every text its script shows comes from
``explorer_config(lang)["strings"]`` (maps.EXPLORER_STRINGS) and every text of its page from the
same table (index.html is a template), none is written in French in explorer.js or index.html.
With lang=en the tooltips, the side panel, the buttons and the messages used to stay French."""

from __future__ import annotations

import html.parser
import re

from maillage.api.maps import EXPLORER_STRINGS, STATIC_DIR, explorer_config, explorer_page

JS = (STATIC_DIR / "explorer.js").read_text(encoding="utf-8")
TEMPLATE = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
FRENCH_LETTERS = re.compile("[àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»]")
#: texts that read the same in both languages (a domain word kept in English, a symbol, a name)
SAME = {"document", "source", "sources", "phase", "centralisation", "poles", "poles_one", "poles_many",
        "relations_one", "relations_many", "document_id"}
#: labels the explorer showed in French whatever the language, before (the brief's list and more)
KNOWN_FRENCH = ["Famille", "Lieu", "Certitude", "Période", "Chargement…", "Recherche…", "Rechercher",
                "Diagnostic du pôle", "Relations et leurs sources", "Métriques (dernière analyse)",
                "Membres nommés", "Densité interne", "Carte du pôle", "Carte de son voisinage", "Aucun résultat",
                "Carte indisponible", "Détails indisponibles", "Acteurs situés", "Pôles présents", "Financeurs",
                "d'entre eux", "Voisinage de", "vue plafonnée", "jusqu'en", "depuis"]


def code_and_literals(source: str) -> tuple[str, list[str]]:
    """The script without its comments, and its string literals (double or single quoted)."""
    code, literals, i, n = [], [], 0, len(source)
    while i < n:
        if source.startswith("//", i):
            i = source.find("\n", i) if source.find("\n", i) >= 0 else n
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif source[i] in "\"'":
            j = i + 1
            while source[j] != source[i]:
                j += 2 if source[j] == "\\" else 1
            literals.append(source[i + 1:j])
            code.append(source[i:j + 1])
            i = j + 1
        else:
            code.append(source[i])
            i += 1
    return "".join(code), literals


def fragments(text: str) -> list[str]:
    """The words of a text of the table around its ``{name}``s, each at least 4 characters."""
    parts = (p.strip(" :;()…·") for p in re.split(r"\{\w+\}", text))
    return [p for p in parts if len(p) >= 4 and re.search(r"[^\W\d_]", p)]


def only_in(lang: str) -> list[str]:
    """Fragments of the texts of ``lang`` that no text of the other language contains: a sign of
    that language. A lone lowercase word (« acteur », « inconnu ») is left out: the script's URL
    keys and CSS classes are such words (``#acteur=…``, class ``inconnu``), not texts it shows."""
    mine, other = EXPLORER_STRINGS[lang], EXPLORER_STRINGS["en" if lang == "fr" else "fr"]
    theirs = "\n".join(other.values())
    return sorted({f for k, v in mine.items() if v != other[k] for f in fragments(v) if f not in theirs
                   and (" " in f or f[0].isupper() or FRENCH_LETTERS.search(f))})


def french_only() -> list[str]:
    return only_in("fr")


def test_english_has_every_text_of_french_and_differs_where_it_should():
    fr, en = explorer_config("fr")["strings"], explorer_config("en")["strings"]
    assert fr == EXPLORER_STRINGS["fr"] and en == EXPLORER_STRINGS["en"]
    assert set(en) == set(fr) and len(fr) > 100
    for key, value in fr.items():
        assert isinstance(en[key], str) and en[key].strip(), key
        # the same {names} to fill in, in both languages
        assert sorted(re.findall(r"\{(\w+)\}", en[key])) == sorted(re.findall(r"\{(\w+)\}", value)), key
        assert (en[key] == value) == (key in SAME), key
    # a singular and a plural of each counted text
    counted = {k.rsplit("_", 1)[0] for k in fr if k.endswith(("_one", "_many"))}
    assert counted and all(f"{k}_one" in fr and f"{k}_many" in fr for k in counted)
    # French typography in French only
    assert fr["label_sep"] == " : " and en["label_sep"] == ": "
    assert fr["quote"] == "« {text} »" and "«" not in en["quote"]
    assert explorer_config("en")["levels"]["epci"] != explorer_config("fr")["levels"]["epci"]
    assert not FRENCH_LETTERS.search("".join(en[k] for k in en if k not in ("search_placeholder",)).replace(
        "pôle", "").replace("Pôle", "").replace("analyse", "").replace("ESS", ""))


def test_the_script_writes_no_french():
    code, literals = code_and_literals(JS)
    assert len(literals) > 100  # the scan reads the script's strings
    accented = [x for x in literals if FRENCH_LETTERS.search(x)]
    assert accented == [], accented
    left = [f for f in french_only() + KNOWN_FRENCH if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", code)]
    assert left == [], left
    # every text it asks for is in the table (T("key"), TN("key", n) → key_one, key_many)
    asked = re.findall(r"\bTN?\((?:[^()\"]*\?\s*)?\"(\w+)\"(?:\s*:\s*\"(\w+)\")?", JS)
    keys = {k for pair in asked for k in pair if k}
    assert len(keys) > 80
    strings = EXPLORER_STRINGS["fr"]
    missing = sorted(k for k in keys if k not in strings and not {f"{k}_one", f"{k}_many"} <= set(strings))
    assert missing == [], missing
    # and the number format is the page's language
    assert "Intl.NumberFormat(CONFIG.lang" in JS and "toLocaleString" not in JS


class _Texts(html.parser.HTMLParser):
    """The texts a reader sees in a page (outside scripts and styles), and its labelling attributes."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0
        self.lang = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self.texts += [v for k, v in attrs if k in ("placeholder", "aria-label", "title", "alt") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


def page_texts(text: str) -> _Texts:
    parser = _Texts()
    parser.feed(text)
    return parser


def test_the_page_is_in_its_language():
    template = page_texts(re.sub(r"\{#.*?#\}", "", TEMPLATE))
    # the page template holds no text of its own but the name and the depths: the rest is the table's
    assert [x for x in template.texts if not re.fullmatch(r"\{\{ t\.\w+ \}\}|Maillage|[123·]", x)] == []
    for lang, other in (("en", "fr"), ("fr", "en")):
        page = page_texts(explorer_page(lang))
        assert page.lang == lang
        s, o = EXPLORER_STRINGS[lang], EXPLORER_STRINGS[other]
        shown = "\n".join(page.texts)
        for key in ("page_title", "search_placeholder", "search_button", "lens", "size_same", "choose_view",
                    "details_hint", "export_view", "standalone_map", "legend_types"):
            assert s[key] in page.texts, key
            assert o[key] not in shown, key
    english = "\n".join(page_texts(explorer_page("en")).texts)
    assert [f for f in french_only() + KNOWN_FRENCH if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", english)] == []
