"""OpenDataFrance subventions: the upper-case layout that came before the SCDL (2017 and earlier).

OpenDataFrance's first model of « données locales » named columns ``<OBJECT>_<FIELD>``, as its
délibérations model still does (``COLL_NOM``, ``COLL_SIRET``: the collectivité that decides).
For subsidies, real files (Ville de Poitiers 2017, ``betagouv/SCDL-Subvention-DataSubvention``
``exemples/SCDL_COM_Poitiers_…csv``; Département de la Savoie 2017–2020) use:

==================================  =======================================================
``COLL_NOM``, ``COLL_SIRET``        the **attribuant** (the collectivité that grants)
``COLL_TYPE``                       its level as stated (``COM``, ``DEP``, ``REG``, ``EPCI``…),
                                    used only when its SIRET says nothing
``ATTRIB_NOM``, ``ATTRIB_SIRET``    the **bénéficiaire** — *attributaire*, not attribuant
``ATTRIB_RNA``                      its RNA number, when given
``ANNEE``                           budget year
``ACTE_DATE``, ``CONV_DATE``,       date of the act or convention
``CONV_DAT``, ``DELIB_DATE``
``SUB_OBJ``, ``SUB_OBJET``          object of the grant
``SUB_MONTANT``, ``MONTANT``        amount granted
``SUB_NATURE``                      nature (fonctionnement, investissement…)
``SUB_PERIODE``                     payment period
``ACTE_REF``, ``CONV_REF``          reference of the act (not loaded)
==================================  =======================================================

There is no share column: the amount is the bénéficiaire's. Identifiers damaged by spreadsheet
software are frequent in these files (Poitiers writes every SIRET as ``45032466000000.0``:
the SIREN is kept, the SIRET dropped with a warning). Rows become ``funds`` ties exactly as in
:mod:`.subsidies`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from maillage.graph.model import Source

from ..base import Parsed
from ..tabular import header_key, read_head, spreadsheet_header
from .subsidies import TABLE_OPTIONS, GrantFile, Ref, SubsidyMapping, parse_with_mapping

COLUMNS: dict[str, tuple[str, ...]] = {
    "attribuant.name": ("COLL_NOM",),
    "attribuant.id": ("COLL_SIRET", "COLL_SIREN"),
    "attribuant.type": ("COLL_TYPE",),
    "beneficiaire.name": ("ATTRIB_NOM", "BENEF_NOM"),
    "beneficiaire.id": ("ATTRIB_SIRET", "ATTRIB_SIREN", "BENEF_SIRET"),
    "beneficiaire.rna": ("ATTRIB_RNA", "BENEF_RNA"),
    "grant.year": ("ANNEE", "BUDGET_ANNEE"),
    "grant.date": ("CONV_DATE", "CONV_DAT", "ACTE_DATE", "DELIB_DATE"),
    "grant.object": ("SUB_OBJET", "SUB_OBJ"),
    "grant.amount": ("SUB_MONTANT", "MONTANT"),
    "grant.nature": ("SUB_NATURE",),
    "grant.period": ("SUB_PERIODE",),
}
KNOWN = {header_key(c) for cols in COLUMNS.values() for c in cols}


def score(columns: list[str]) -> int:
    return sum(1 for c in columns if header_key(c) in KNOWN)


def looks_like_odf(columns: list[str] | None) -> bool:
    if not columns:
        return False
    folded = {header_key(c) for c in columns}
    return "coll nom" in folded and bool(folded & {"attrib nom", "attrib siret", "benef nom"}) and score(columns) >= 3


MAPPING = SubsidyMapping(name="odf-subventions", fields={k: Ref(columns=v) for k, v in COLUMNS.items()},
                         strict=False, required_amount=True)


class OdfSubventionsLoader(GrantFile):
    name = "odf-subventions"
    description = "OpenDataFrance subsidy files before the SCDL (COLL_NOM, ATTRIB_NOM, ATTRIB_SIRET, SUB_MONTANT…)"
    priority = 21
    options = TABLE_OPTIONS

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_odf(read_head(path, head) or spreadsheet_header(path, score))

    def parse(self, path: Path, source: Source, options: dict[str, Any]) -> Parsed:
        return parse_with_mapping(path, source, MAPPING, options, self.name, expect=score)


LOADER = OdfSubventionsLoader()
