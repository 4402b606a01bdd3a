"""SCDL subventions: the essential data of subsidy conventions that collectivités publish.

Schema: Socle Commun des Données Locales, « Subventions », versions 1.1, 2.0 (2.0.0–2.0.2) and
2.1 (2.1.0–2.1.1) — https://schema.data.gouv.fr/scdl/subventions/ (sources read:
``datagouv/schema.data.gouv.fr`` ``site/scdl/subventions/{1.1.0,2.1.1}/documentation.md`` and
``latest/CHANGELOG.md``), implementing the décret n° 2017-779 du 5 mai 2017 and the arrêté du
17 novembre 2017. One row per (convention, bénéficiaire):

==========================  ==============================================================
``nomAttribuant``           name of the collectivité that grants
``idAttribuant``            its SIRET (14 digits)
``dateConvention``          date of the convention (ISO 8601)
``referenceDecision``       internal reference of the decision (optional)
``nomBeneficiaire``         name of the bénéficiaire
``idBeneficiaire``          its SIRET (optional since 2.1, when ``rnaBeneficiaire`` is given)
``rnaBeneficiaire``         its RNA number, ``W`` + 9 digits (2.1)
``objet``                   object of the grant (≤ 256 characters)
``montant``                 **total** amount of the grant in euros, *before* it is split
                            between bénéficiaires
``nature``                  ``aide en numéraire`` and/or ``aide en nature``
``conditionsVersement``     ``unique``, ``échelonné`` or free text
``datesPeriodeVersement``   a date, or a period ``A/B`` (real files write ``A_B``)
``idRAE``                   number in the Répertoire des aides aux entreprises (optional)
``notificationUE``          ``oui``/``non``: de minimis aid notified to the European Commission
``pourcentageSubvention``   the bénéficiaire's share of ``montant``, 0.01–1 (1.x: 0–1)
``dispositifAide``          identifier of the aid scheme (2.1)
==========================  ==============================================================

Versions 1.1 and 2.0 have the same 14 columns (2.0 changed descriptions, examples and the range
of ``pourcentageSubvention``); 2.1 adds ``rnaBeneficiaire`` and ``dispositifAide`` and requires
``idBeneficiaire`` *or* ``rnaBeneficiaire``. The version is told from the columns and recorded in
the source's metadata. Column names are matched without regard to case or accents
(``NomAttribuant``, ``datesperiodeVersement`` occur in real files); columns may come in any
order; an extra ``type`` column (``fonctionnement``/``investissement``, Somme) is read as the
tie's nature. ``referenceDecision``, ``conditionsVersement`` and ``notificationUE`` are not
loaded (they describe the act, not the tie).

What rows become, and what is rejected: :mod:`.subsidies` (the bénéficiaire's amount is
``montant × pourcentageSubvention``; a row with neither ``nomBeneficiaire`` nor
``idBeneficiaire``/``rnaBeneficiaire`` is rejected).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from maillage.graph.model import Source

from ..base import Parsed
from ..tabular import header_key, read_head, spreadsheet_header
from .subsidies import TABLE_OPTIONS, GrantFile, Ref, SubsidyMapping, parse_with_mapping

COLUMNS: dict[str, tuple[str, ...]] = {
    "attribuant.name": ("nomAttribuant",),
    "attribuant.id": ("idAttribuant",),
    "beneficiaire.name": ("nomBeneficiaire",),
    "beneficiaire.id": ("idBeneficiaire",),
    "beneficiaire.rna": ("rnaBeneficiaire",),
    "grant.date": ("dateConvention",),
    "grant.object": ("objet",),
    "grant.amount": ("montant",),
    "grant.aid_form": ("nature",),
    "grant.nature": ("type", "typeSubvention", "natureSubvention"),
    "grant.period": ("datesPeriodeVersement",),
    "grant.rae": ("idRAE",),
    "grant.share": ("pourcentageSubvention",),
    "grant.dispositif": ("dispositifAide",),
    "grant.year": ("annee", "exercice"),
}
NOT_LOADED = ("referenceDecision", "conditionsVersement", "notificationUE")
CORE = {header_key(c) for c in ("nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire",
                                "idBeneficiaire", "rnaBeneficiaire", "montant", "pourcentageSubvention",
                                "datesPeriodeVersement", "conditionsVersement", "notificationUE", "objet")}


def score(columns: list[str]) -> int:
    """How many SCDL column names a candidate header holds."""
    return sum(1 for c in columns if header_key(c) in CORE)


def looks_like_scdl(columns: list[str] | None) -> bool:
    if not columns:
        return False
    folded = {header_key(c) for c in columns}
    attribuant = bool(folded & {"nomattribuant", "idattribuant"})
    beneficiaire = bool(folded & {"nombeneficiaire", "idbeneficiaire", "rnabeneficiaire"})
    return attribuant and beneficiaire and score(columns) >= 3


def scdl_version(columns: list[str]) -> str:
    folded = {header_key(c) for c in columns}
    return "2.1" if folded & {"rnabeneficiaire", "dispositifaide"} else "1.x/2.0"


MAPPING = SubsidyMapping(name="scdl", fields={k: Ref(columns=v) for k, v in COLUMNS.items()},
                         title=None, strict=False, required_amount=True)


class ScdlLoader(GrantFile):
    name = "scdl"
    description = "SCDL subventions 1.x, 2.0, 2.1 (nomAttribuant, idBeneficiaire, montant, pourcentageSubvention…)"
    priority = 20
    options = TABLE_OPTIONS

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_scdl(read_head(path, head) or spreadsheet_header(path, score))

    def parse(self, path: Path, source: Source, options: dict[str, Any]) -> Parsed:
        parsed = parse_with_mapping(path, source, MAPPING, options, self.name, expect=score)
        parsed.meta["scdl_version"] = scdl_version(parsed.meta["columns"])
        return parsed


LOADER = ScdlLoader()
