"""Reasons about one cell (:mod:`maillage.loaders.cells`): amounts, dates, periods, SIREN/SIRET/RNA, postal codes."""

import re

from maillage.graph.vocabulary import vocabulary
from maillage.loaders.cells import certainty_words

from ._shapes import QUOTED

# A value as the loaders quote it: Python's repr of a string ('x', or "x" when it holds a quote),
# or a bare number (check_quantity without the raw text: -5.0, nan, 1e+30).
_V = rf"(?:{QUOTED}|[-+\w.]+)"
# What a failed check of a SIREN/SIRET means, in words (« clé de Luhn » means nothing to a reader).
_WRONG = "un chiffre est faux ou manquant (le numéro ne passe pas le contrôle de validité)"
# A SIRET ending in zeros that fails the check: what a spreadsheet leaves of a 14-digit number it
# showed as 4,50325E+13 (its « Standard » format shows 11 digits at most) and saved as shown.
_ROUNDED = ("sans doute abîmé par un tableur (il finit par des zéros, comme un long numéro affiché en 4,5E+13 puis "
            "enregistré tel qu'affiché)")
_TEXT = "pour l'éviter, mettez la colonne au format de cellule Texte avant d'y saisir ou d'y coller les numéros"
_STATED = vocabulary().enum("certainty")["stated"]
_ZEROS14 = r"'\d{10}0000(?:[.,]0+)?'"  # 14 digits, the last four zeros

FR: list[tuple[str, str, str]] = [
    # -- repairs of an identifier (company_identifier's note when the value is kept)
    (r"trailing '\.0' of a number dropped; lost leading zero restored \(the Luhn key confirms it\)",
     "'.0' final d'un nombre retiré ; zéro initial perdu rétabli (le contrôle de validité du numéro le confirme)",
     "trailing '.0' of a number dropped; lost leading zero restored (the Luhn key confirms it)"),
    (r"trailing '\.0' of a number dropped", "'.0' final d'un nombre retiré",
     "trailing '.0' of a number dropped"),
    (r"lost leading zero restored \(the Luhn key confirms it\)",
     "zéro initial perdu rétabli (le contrôle de validité du numéro le confirme)",
     "lost leading zero restored (the Luhn key confirms it)"),

    # -- SIREN / SIRET (company_identifier; normalise_identifier: « fails the Luhn check digit »)
    (rf"SIRET (?P<value>{_ZEROS14}) fails its Luhn key: SIREN (?P<siren>\d{{9}}) kept, SIRET dropped"
     r"(?: \((?P<note>.+)\))?",
     "SIRET {value} invalide, " + _ROUNDED + " : SIREN {siren} conservé, SIRET laissé de côté ; " + _TEXT,
     "SIRET '45032466000000.0' fails its Luhn key: SIREN 450324660 kept, SIRET dropped "
     "(trailing '.0' of a number dropped)"),
    (rf"(?P<value>{_ZEROS14}) is not a valid SIRET \(Luhn key fails, and so does its SIREN\)",
     "SIRET {value} invalide, " + _ROUNDED + " ; " + _TEXT,
     "'45000000000000' is not a valid SIRET (Luhn key fails, and so does its SIREN)"),
    (rf"SIRET (?P<value>{_ZEROS14}) fails the Luhn check digit", "SIRET {value} invalide, " + _ROUNDED + " ; " + _TEXT,
     "SIRET '45032466000000' fails the Luhn check digit"),
    (rf"(?P<scheme>SIREN|SIRET) (?P<value>{_V}) fails the Luhn check digit", "{scheme} {value} invalide : " + _WRONG,
     "SIREN '732829321' fails the Luhn check digit"),
    (rf"SIRET (?P<value>{_V}) fails its Luhn key: SIREN (?P<siren>\d{{9}}) kept, SIRET dropped \((?P<motif_note>.+)\)",
     "SIRET {value} invalide : " + _WRONG + " ; SIREN {siren} conservé, SIRET laissé de côté ({motif_note})",
     "SIRET '47978923200011.0' fails its Luhn key: SIREN 479789232 kept, SIRET dropped "
     "(trailing '.0' of a number dropped)"),
    (rf"SIRET (?P<value>{_V}) fails its Luhn key: SIREN (?P<siren>\d{{9}}) kept, SIRET dropped",
     "SIRET {value} invalide : " + _WRONG + " ; SIREN {siren} conservé, SIRET laissé de côté",
     "SIRET '47978923200011' fails its Luhn key: SIREN 479789232 kept, SIRET dropped"),
    (rf"(?P<value>{_V}) is in scientific notation: digits were lost by a spreadsheet, the identifier is unknown",
     "{value} est en notation scientifique : un tableur a perdu des chiffres, l'identifiant est inconnu ; " + _TEXT,
     "'7,17E+13' is in scientific notation: digits were lost by a spreadsheet, the identifier is unknown"),
    # scientific notation whose digits allow the identifier (company_identifier → _scientific_identifier)
    (rf"(?P<value>{_V}) read from a spreadsheet's scientific notation: all (?P<n>\d+) digits are there, "
     r"(?P<digits>\d+) kept \(the Luhn key confirms it\)",
     "{value} est en notation scientifique, comme l'écrit un tableur, mais ses {n} chiffres y sont tous : "
     "{digits} conservé (le contrôle de validité du numéro le confirme) ; " + _TEXT,
     "'4.4238180200028E+13' read from a spreadsheet's scientific notation: all 14 digits are there, "
     "44238180200028 kept (the Luhn key confirms it)"),
    (rf"SIRET (?P<value>{_V}) in scientific notation lost its last digit to a spreadsheet: "
     r"SIREN (?P<siren>\d{9}) kept, SIRET dropped",
     "SIRET {value} en notation scientifique : un tableur a perdu son dernier chiffre ; SIREN {siren} conservé "
     "(ses 9 chiffres y sont), SIRET laissé de côté ; " + _TEXT,
     "SIRET '4.423818020002E+13' in scientific notation lost its last digit to a spreadsheet: "
     "SIREN 442381802 kept, SIRET dropped"),
    (rf"SIRET (?P<value>{_V}) in scientific notation lost its last (?P<n>\d+) digits to a spreadsheet: "
     r"SIREN (?P<siren>\d{9}) kept, SIRET dropped",
     "SIRET {value} en notation scientifique : un tableur a perdu ses {n} derniers chiffres ; SIREN {siren} "
     "conservé (ses 9 chiffres y sont), SIRET laissé de côté ; " + _TEXT,
     "SIRET '4.17645595E+13' in scientific notation lost its last 5 digits to a spreadsheet: "
     "SIREN 417645595 kept, SIRET dropped"),
    (rf"(?P<motif>.+); (?P<value>{_V}) read from a spreadsheet's scientific notation",
     "{motif} ({value} lu dans la notation scientifique d'un tableur)",
     "SIRET '44238180200029' fails its Luhn key: SIREN 442381802 kept, SIRET dropped; "
     "'4.4238180200029E+13' read from a spreadsheet's scientific notation"),
    (rf"(?P<value>{_V}) is not a SIREN \(9 digits\) or SIRET \(14 digits\)",
     "{value} n'est ni un SIREN (9 chiffres) ni un SIRET (14 chiffres)",
     "'aide en nature' is not a SIREN (9 digits) or SIRET (14 digits)"),
    (rf"(?P<value>{_V}) is not a valid SIRET \(Luhn key fails, and so does its SIREN\)",
     "SIRET {value} invalide : " + _WRONG.removesuffix(")") + ", son SIREN non plus)",
     "'41367389600035' is not a valid SIRET (Luhn key fails, and so does its SIREN)"),
    (rf"(?P<value>{_V}) is not a valid SIREN \(Luhn key fails\)",
     "SIREN {value} invalide : " + _WRONG,
     "'442985000' is not a valid SIREN (Luhn key fails)"),
    (rf"(?P<value>{_V}) has (?P<n>[01]) digit: expected a SIREN \(9\) or a SIRET \(14\)",
     "{value} a {n} chiffre : un SIREN (9) ou un SIRET (14) est attendu",
     "'0' has 1 digit: expected a SIREN (9) or a SIRET (14)"),
    (rf"(?P<value>{_V}) has (?P<n>\d+) digits: expected a SIREN \(9\) or a SIRET \(14\)",
     "{value} a {n} chiffres : un SIREN (9) ou un SIRET (14) est attendu",
     "'429386311014' has 12 digits: expected a SIREN (9) or a SIRET (14)"),
    # SIRENE extracts: a row without a usable SIREN, a SIRET or an RNA number not kept
    (r"no valid SIREN \(empty\)", "aucun SIREN valide (vide)", "no valid SIREN (empty)"),
    (r"no valid SIREN \((?P<motif>.+)\)", "aucun SIREN valide ({motif})",
     "no valid SIREN ('12345678' has 8 digits: expected a SIREN (9) or a SIRET (14))"),
    (r"(?P<motif>.+); SIRET left out", "{motif} ; SIRET laissé de côté",
     "'N' is not a SIREN (9 digits) or SIRET (14 digits); SIRET left out"),
    (r"(?P<motif>.+); RNA left out", "{motif} ; RNA laissé de côté",
     "'W12' is not an RNA number (W followed by 9 characters, e.g. W313012345); RNA left out"),

    # -- RNA, postal code
    (rf"(?P<value>{_V}) is not an RNA number \(W followed by 9 characters, e\.g\. W313012345\)",
     "{value} n'est pas un numéro RNA (W suivi de 9 caractères, par ex. W313012345)",
     "'44137080600016' is not an RNA number (W followed by 9 characters, e.g. W313012345)"),
    (rf"(?P<value>{_V}) is not a French postal code \(5 digits\)",
     "{value} n'est pas un code postal français (5 chiffres)",
     "'&~ß' is not a French postal code (5 digits)"),

    # -- amounts (parse_amount, check_quantity)
    (rf"expected an amount such as 2400\.0 or 26 956,00, got (?P<value>{_V})",
     "montant attendu (par ex. 2400.0 ou 26 956,00), reçu {value}",
     "expected an amount such as 2400.0 or 26 956,00, got 'beaucoup'"),
    (rf"expected an amount, got (?P<value>{_V}) \(several decimal separators\)",
     "montant attendu, reçu {value} (plusieurs séparateurs décimaux)",
     "expected an amount, got '1,2,3.4.5,6' (several decimal separators)"),
    (rf"expected an amount, got (?P<value>{_V})", "montant attendu, reçu {value}",
     "expected an amount, got '€'"),
    (rf"amount (?P<value>{_V}) is ambiguous \(thousands separator or decimals\?\)",
     "montant {value} ambigu (séparateur de milliers ou décimales ?)",
     "amount '1,234' is ambiguous (thousands separator or decimals?)"),
    (rf"expected a finite number, got (?P<value>{_V})", "nombre fini attendu, reçu {value}",
     "expected a finite number, got '1e400'"),
    (rf"expected an amount of at least 0 €, got (?P<value>{_V}) \(a cancellation or a refund is not a grant\)",
     "montant d'au moins 0 € attendu, reçu {value} (une annulation ou un remboursement n'est pas une subvention)",
     "expected an amount of at least 0 €, got '-5' (a cancellation or a refund is not a grant)"),
    (rf"expected an amount of at most 100,000,000,000 €, got (?P<value>{_V}): a typing or unit error",
     "montant d'au plus 100 000 000 000 € attendu, reçu {value} : erreur de saisie ou d'unité",
     "expected an amount of at most 100,000,000,000 €, got '1e30': a typing or unit error"),
    # the other cell errors of Kumu's tie fields (maillage.loaders.formats.kumu.coerce)
    (rf"expected a whole number, got (?P<value>{_V})", "nombre entier attendu, reçu {value}",
     "expected a whole number, got '2.5'"),
    (rf"expected oui/non \(yes/no\), got (?P<value>{_V})", "oui/non attendu, reçu {value}",
     "expected oui/non (yes/no), got 'peut-être'"),
    # (the values by their labels, translated by an entry of tables: « 'requested', 'granted' »)
    (rf"expected one of (?P<motif_values>.+), got (?P<value>{_V})", "valeur attendue parmi {motif_values}, reçu {value}",
     "expected one of 'requested', 'granted', 'refused', 'planned', got 'bof'"),

    # -- dates, periods, years (parse_date, parse_period)
    (rf"(?P<value>{_V}) is not a calendar date", "{value} n'existe pas dans le calendrier",
     "'31/02/2020' is not a calendar date"),
    (rf"(?P<value>{_V}) is not a month", "{value} n'a pas un mois valide", "'2017-13' is not a month"),
    (rf"(?P<value>{_V}) is outside 1800–2200", "{value} est hors de la plage 1800–2200",
     "'31/12/9999' is outside 1800–2200"),
    (rf"expected a date \(2017-09-08, 08/09/2017, 8 septembre 2017, 2017/09/08 or an Excel date number\), "
     rf"got (?P<value>{_V})",
     "date attendue (2017-09-08, 08/09/2017, 8 septembre 2017, 2017/09/08 ou numéro de date Excel), reçu {value}",
     "expected a date (2017-09-08, 08/09/2017, 8 septembre 2017, 2017/09/08 or an Excel date number), "
     "got '2017-01-01_2016-01-01'"),
    (rf"expected a period such as 2017-09-08_2021-09-07 or 2017/09/08_2021/09/07, got (?P<value>{_V})",
     "période attendue (par ex. 2017-09-08_2021-09-07 ou 2017/09/08_2021/09/07), reçu {value}",
     "expected a period such as 2017-09-08_2021-09-07 or 2017/09/08_2021/09/07, got 'oui'"),
    (r"year (?P<year>\d+) is outside 1800–2200", "année {year} hors de la plage 1800–2200",
     "year 9999 is outside 1800–2200"),
    # what the loaders do with a cell error
    (r"(?P<motif>.+): date dropped", "{motif} : date ignorée", "'31/02/2020' is not a calendar date: date dropped"),
    (r"(?P<motif>.+); date left unknown", "{motif} ; date laissée inconnue",
     "expected a date (2017-09-08, 08/09/2017, 8 septembre 2017, 2017/09/08 or an Excel date number), got '¶?ú¸7'; "
     "date left unknown"),
    (r"(?P<motif>.+); period left unknown", "{motif} ; période laissée inconnue",
     "expected a period such as 2017-09-08_2021-09-07 or 2017/09/08_2021/09/07, got 'oui'; period left unknown"),
    (r"(?P<motif>.+); amount left unknown", "{motif} ; montant laissé inconnu",
     "expected an amount such as 2400.0 or 26 956,00, got 'W313012345'; amount left unknown"),

    # a tie's certainty (cells.certainty_or_stated: Kumu, FtM; unknown_certainty: maillage-jsonl rejects the line)
    (rf"certainty (?P<value>{_V}) is not one of {re.escape(certainty_words())} \(or their labels\): read as "
     + re.escape(repr(_STATED.label("en"))),
     "certitude {value} non reconnue (attendu : " + certainty_words("fr") + ") : lue comme « " + _STATED.label("fr")
     + " »", f"certainty 'sûr' is not one of {certainty_words()} (or their labels): read as {_STATED.label('en')!r}"),
    (rf"certainty (?P<value>{_V}) is not one of {re.escape(certainty_words())} \(or their labels\)",
     "certitude {value} non reconnue (attendu : " + certainty_words("fr") + ")",
     f"certainty 'sûr' is not one of {certainty_words()} (or their labels)"),
]
