"""Reasons of the subsidy files (SCDL, ODF, mappings): parties, status, amounts, shares, dates, natures."""

from ._shapes import VALUE

FR: list[tuple[str, str, str]] = [
    # -- the parties
    (r"the header again \(files pasted one after another\?\), not a grant: not loaded",
     "l'en-tête à nouveau (des fichiers collés l'un après l'autre ?), pas une subvention : non chargée",
     "the header again (files pasted one after another?), not a grant: not loaded"),
    (rf"{VALUE} marks a total row \(a sum of other rows\), not a grant: not loaded",
     "{value} marque une ligne de total (la somme d'autres lignes), pas une subvention : non chargée",
     "'TOTAL' marks a total row (a sum of other rows), not a grant: not loaded"),
    (rf"bénéficiaire {VALUE}: a name withheld \(a natural person's, as the SCDL asks\), no one to tie the grant to: "
     r"not loaded",
     "bénéficiaire {value} : un nom retiré (celui d'une personne physique, comme le demande le SCDL), personne à "
     "qui rattacher la subvention : non chargée",
     "bénéficiaire 'Personne physique': a name withheld (a natural person's, as the SCDL asks), no one to tie the "
     "grant to: not loaded"),
    (r"no bénéficiaire: (?P<col>(?:(?!, ).)+) empty or unusable",
     "aucun bénéficiaire : {col} vide ou inutilisable",
     "no bénéficiaire: nomBeneficiaire empty or unusable"),
    (r"no bénéficiaire: (?P<cols>.+) empty or unusable",
     "aucun bénéficiaire : {cols} vides ou inutilisables",
     "no bénéficiaire: nomBeneficiaire, idBeneficiaire, rnaBeneficiaire empty or unusable"),
    (r"no attribuant: (?P<col>(?:(?!, ).)+) empty or unusable",
     "aucun attribuant : {col} vide ou inutilisable",
     "no attribuant: nomAttribuant empty or unusable"),
    (r"no attribuant: (?P<cols>.+) empty or unusable",
     "aucun attribuant : {cols} vides ou inutilisables",
     "no attribuant: COLL_NOM, COLL_SIRET empty or unusable"),
    (r"an RNA number in the SIRET column: kept as the RNA",
     "un numéro RNA dans la colonne du SIRET : conservé comme RNA",
     "an RNA number in the SIRET column: kept as the RNA"),
    (r"the attribuant is its own bénéficiaire \(same identifier\): kept as a tie to itself",
     "l'attribuant est son propre bénéficiaire (même identifiant) : conservé comme lien vers lui-même",
     "the attribuant is its own bénéficiaire (same identifier): kept as a tie to itself"),
    (r"attribuant's level unknown: its identifier is missing or not a public body's SIREN, and no type column says "
     r"it \(recorded as an other collectivité\)",
     "niveau de l'attribuant inconnu : son identifiant manque ou n'est pas le SIREN d'un organisme public, et aucune "
     "colonne de type ne l'indique (enregistré comme autre collectivité)",
     "attribuant's level unknown: its identifier is missing or not a public body's SIREN, and no type column says "
     "it (recorded as an other collectivité)"),
    (r"attribuant's level inferred: (?P<motif_why>.+)", "niveau de l'attribuant déduit : {motif_why}",
     "attribuant's level inferred: SIREN 100000017 starts with 1: the State or a national public body by INSEE's "
     "numbering"),
    # why an attribuant's level is inferred (maillage.loaders.formats._public_bodies)
    (r"SIREN (?P<siren>\d{9}) starts with (?P<prefix>\d\d): a commune by INSEE's numbering, not found in the "
     r"reference geography \(territory unknown\)",
     "SIREN {siren} commençant par {prefix} : une commune selon la numérotation de l'INSEE, absente de la "
     "géographie de référence (territoire inconnu)",
     "SIREN 219999993 starts with 21: a commune by INSEE's numbering, not found in the reference geography "
     "(territory unknown)"),
    (r"SIREN (?P<siren>\d{9}) starts with (?P<prefix>\d\d): a département by INSEE's numbering, not found in the "
     r"reference geography \(territory unknown\)",
     "SIREN {siren} commençant par {prefix} : un département selon la numérotation de l'INSEE, absent de la "
     "géographie de référence (territoire inconnu)",
     "SIREN 229999991 starts with 22: a département by INSEE's numbering, not found in the reference geography "
     "(territory unknown)"),
    (r"SIREN (?P<siren>\d{9}) starts with (?P<prefix>\d\d): a région by INSEE's numbering, not found in the "
     r"reference geography \(territory unknown\)",
     "SIREN {siren} commençant par {prefix} : une région selon la numérotation de l'INSEE, absente de la "
     "géographie de référence (territoire inconnu)",
     "SIREN 239999999 starts with 23: a région by INSEE's numbering, not found in the reference geography "
     "(territory unknown)"),
    (r"SIREN (?P<siren>\d{9}) starts with 2 \(a collectivité or one of its groupings or bodies\) but is neither a "
     r"commune, an EPCI, a département nor a région of the reference data",
     "SIREN {siren} commençant par 2 (une collectivité, un de ses groupements ou organismes) mais qui n'est ni "
     "une commune, ni un EPCI, ni un département, ni une région des données de référence",
     "SIREN 200000172 starts with 2 (a collectivité or one of its groupings or bodies) but is neither a commune, "
     "an EPCI, a département nor a région of the reference data"),
    (r"SIREN (?P<siren>\d{9}) starts with 1: the State or a national public body by INSEE's numbering",
     "SIREN {siren} commençant par 1 : l'État ou un organisme public national selon la numérotation de l'INSEE",
     "SIREN 100000017 starts with 1: the State or a national public body by INSEE's numbering"),

    # -- the status
    (r"status empty: cannot tell a grant from a refusal \(expected one of (?P<expected>.*)\)",
     "statut vide : impossible de distinguer une subvention accordée d'un refus (attendu l'une de {expected})",
     "status empty: cannot tell a grant from a refusal (expected one of en cours, non, oui)"),
    (r"status (?P<value>.+) is not one the mapping lists \((?P<expected>.*)\): cannot tell a grant from a refusal",
     "statut {value} absent des valeurs listées par le mapping ({expected}) : impossible de distinguer une "
     "subvention accordée d'un refus",
     "status 'peut-etre' is not one the mapping lists (en cours, non, oui): cannot tell a grant from a refusal"),

    # -- amounts and shares
    (r"a negative amount \(a cancellation\?\): amount left unknown",
     "montant négatif (une annulation ?) : montant laissé inconnu",
     "a negative amount (a cancellation?): amount left unknown"),
    (r"not a finite amount: amount left unknown", "montant non fini : montant laissé inconnu",
     "not a finite amount: amount left unknown"),
    (r"an amount above 100,000,000,000 € is a typing or unit error, not a grant: amount left unknown",
     "un montant de plus de 100 000 000 000 € est une erreur de saisie ou d'unité, pas une subvention : montant "
     "laissé inconnu",
     "an amount above 100,000,000,000 € is a typing or unit error, not a grant: amount left unknown"),
    (r"a request marked refused has an amount granted: ignored",
     "une demande marquée comme refusée porte un montant accordé : montant ignoré",
     "a request marked refused has an amount granted: ignored"),
    (r"a request marked pending has an amount granted: ignored",
     "une demande marquée comme en attente porte un montant accordé : montant ignoré",
     "a request marked pending has an amount granted: ignored"),
    (r"expected a share such as 1\.0 or 0\.45: share unknown, amount is the total of the grant",
     "part attendue (par ex. 1.0 ou 0.45) : part inconnue, le montant est le total de la subvention",
     "expected a share such as 1.0 or 0.45: share unknown, amount is the total of the grant"),
    (r"share (?P<value>.+) read as a percentage \((?P<share>[^()]+)\); the SCDL expects a decimal between 0\.01 and 1",
     "part {value} lue comme un pourcentage ({share}) ; le SCDL attend un nombre décimal entre 0.01 et 1",
     "share 45 read as a percentage (0.45); the SCDL expects a decimal between 0.01 and 1"),
    (r"a share must be above 0 and at most 1 \(100 %\): share unknown, amount is the total of the grant",
     "une part doit être supérieure à 0 et d'au plus 1 (100 %) : part inconnue, le montant est le total de la "
     "subvention",
     "a share must be above 0 and at most 1 (100 %): share unknown, amount is the total of the grant"),
    (r"share not stated: amount is the total of the grant",
     "part non indiquée : le montant est le total de la subvention",
     "share not stated: amount is the total of the grant"),

    # -- dates, periods, years
    (r"expected a year such as 2013; year left unknown", "année attendue (par ex. 2013) ; année laissée inconnue",
     "expected a year such as 2013; year left unknown"),
    (r"year (?P<year>-?\d+) is outside 1800–2200: left unknown",
     "année {year} hors de la plage 1800–2200 : laissée inconnue",
     "year 9999 is outside 1800–2200: left unknown"),
    (r"date outside 1800–2200: left unknown", "date hors de la plage 1800–2200 : laissée inconnue",
     "date outside 1800–2200: left unknown"),
    (r"period outside 1800–2200: left unknown", "période hors de la plage 1800–2200 : laissée inconnue",
     "period outside 1800–2200: left unknown"),
    (r"the period ends before it starts: left unknown", "la période finit avant de commencer : laissée inconnue",
     "the period ends before it starts: left unknown"),

    # -- natures
    (r"expected 'aide en numéraire' and/or 'aide en nature'",
     "attendu : 'aide en numéraire' et/ou 'aide en nature'",
     "expected 'aide en numéraire' and/or 'aide en nature'"),
    (r"nature not understood; expected fonctionnement, investissement, projet or en nature",
     "nature non comprise ; attendu : fonctionnement, investissement, projet ou en nature",
     "nature not understood; expected fonctionnement, investissement, projet or en nature"),

    # -- a file the format or its mapping cannot read: the whole load refused (LoadError)
    (r"(?P<path>.+): cannot read this file as (?P<motif_label>.+?): it lacks (?P<motif_needs>.+)\. "
     r"Columns found: (?P<found>.*)",
     "{path} : ce fichier ne se lit pas comme {motif_label} : il y manque {motif_needs}. Colonnes trouvées : {found}",
     "subventions.csv: cannot read this file as SCDL subventions: it lacks a bénéficiaire column (name, SIRET or "
     "RNA), an amount column. Columns found: a, b"),
    (r"SCDL subventions", "des subventions SCDL", "SCDL subventions"),
    (r"OpenDataFrance subventions", "des subventions OpenDataFrance (format odf-subventions)",
     "OpenDataFrance subventions"),
    (r"subsidies \(mapping (?P<name>.+)\)", "des subventions lues par la correspondance {name}",
     "subsidies (mapping ma-collectivite)"),
    (r"(?P<motif_first>a bénéficiaire column \(name, SIRET or RNA\)|the attribuant \(a column, or a fixed "
     r"name/SIREN in the mapping\)|an amount column|an amount or a status column), (?P<motif_rest>.+)",
     "{motif_first}, {motif_rest}",
     "the attribuant (a column, or a fixed name/SIREN in the mapping), an amount column"),
    (r"a bénéficiaire column \(name, SIRET or RNA\)", "une colonne du bénéficiaire (nom, SIRET ou RNA)",
     "a bénéficiaire column (name, SIRET or RNA)"),
    (r"the attribuant \(a column, or a fixed name/SIREN in the mapping\)",
     "l'attribuant (une colonne, ou un nom ou un SIREN fixé dans la correspondance)",
     "the attribuant (a column, or a fixed name/SIREN in the mapping)"),
    (r"an amount column", "une colonne de montant", "an amount column"),
    (r"an amount or a status column", "une colonne de montant ou de statut", "an amount or a status column"),
    (r"(?P<path>.+): the mapping (?P<mapping>.+?) names column\(s\) this file does not have: (?P<missing>.+)\. "
     r"Columns found: (?P<found>.*)",
     "{path} : la correspondance {mapping} nomme des colonnes que ce fichier n'a pas : {missing}. Colonnes "
     "trouvées : {found}",
     "aides.csv: the mapping ma-collectivite.yaml names column(s) this file does not have: grant.amount (Montant "
     "vote). Columns found: Nom, Montant"),
    # the mapping file itself (--mapping FILE.yaml; its keys stay as the file writes them)
    (r"(?P<path>.+): mapping (?P<mapping>.+?): no such file",
     "{path} : correspondance {mapping} : fichier introuvable (--mapping attend un fichier YAML ou le nom d'une "
     "correspondance livrée avec maillage)",
     "aides.csv: mapping ma-collectivite.yaml: no such file"),
    (r"(?P<path>.+): mapping (?P<mapping>.+?): not readable YAML \((?P<why>.+)\)",
     "{path} : correspondance {mapping} : pas du YAML lisible ({why})",
     "aides.csv: mapping ma-collectivite.yaml: not readable YAML (found character '\\t' that cannot start any "
     "token)"),
    (r"(?P<path>.+): mapping (?P<mapping>.+?): cannot read it: this user may not read it",
     "{path} : correspondance {mapping} : lecture refusée : cet utilisateur n'a pas le droit de la lire",
     "aides.csv: mapping ma-collectivite.yaml: cannot read it: this user may not read it"),
    (r"(?P<path>.+): mapping (?P<mapping>.+?): cannot read it \((?P<why>.+)\)",
     "{path} : correspondance {mapping} : impossible de la lire ({why})",
     "aides.csv: mapping ma-collectivite.yaml: cannot read it (Input/output error)"),
    (r"(?P<path>.+): mapping (?P<mapping>.+?): status\.column must name a column",
     "{path} : correspondance {mapping} : status.column doit nommer une colonne (pas une valeur fixe)",
     "aides.csv: mapping ma-collectivite.yaml: status.column must name a column"),
    (r"(?P<path>.+): mapping (?P<mapping>[^:]+?): (?P<motif_why>.+)",
     "{path} : correspondance {mapping} : {motif_why}",
     "aides.csv: mapping ma-collectivite.yaml: ignored_columns: expected a list of column names"),
    (r"a mapping is a YAML object with sections attribuant, beneficiaire, grant, status…",
     "une correspondance est un objet YAML avec les sections attribuant, beneficiaire, grant, status…",
     "a mapping is a YAML object with sections attribuant, beneficiaire, grant, status…"),
    (r"unknown key\(s\) (?P<keys>.+); expected: (?P<expected>.+)",
     "clé(s) inconnue(s) : {keys} ; clés possibles : {expected}",
     "unknown key(s) foo; expected: attribuant, beneficiaire, grant"),
    (r"version (?P<version>.+): this maillage reads mapping version 1",
     "version {version} : cette version de maillage lit les correspondances de version 1",
     "version 2: this maillage reads mapping version 1"),
    (r"status: expected \{column: …, granted: \[values\], refused: \[values\], requested: \[values\]\}",
     "status : {{column: …, granted: [valeurs], refused: [valeurs], requested: [valeurs]}} attendu",
     "status: expected {column: …, granted: [values], refused: [values], requested: [values]}"),
    (r"status: unknown key\(s\) (?P<keys>.+); expected column, granted, refused, requested",
     "status : clé(s) inconnue(s) : {keys} ; clés possibles : column, granted, refused, requested",
     "status: unknown key(s) accepted; expected column, granted, refused, requested"),
    (r"status: list the values that mean granted, refused \(and requested\)",
     "status : listez les valeurs qui veulent dire accordée (granted), refusée (refused) et en cours (requested)",
     "status: list the values that mean granted, refused (and requested)"),
    (r"nature_values: (?P<value>.+) is not a nature; expected one of (?P<natures>.+) or null",
     "nature_values : {value} n'est pas une nature ; l'une de {natures}, ou null, était attendue",
     "nature_values: 'fonct' is not a nature; expected one of fonctionnement, investissement, projet, en_nature "
     "or null"),
    (r"nature_columns: (?P<value>.+) is not a nature; expected one of (?P<natures>.+)",
     "nature_columns : {value} n'est pas une nature ; l'une de {natures} était attendue",
     "nature_columns: 'fonct' is not a nature; expected one of fonctionnement, investissement, projet, en_nature"),
    (r"ignored_columns: expected a list of column names", "ignored_columns : une liste de noms de colonnes attendue",
     "ignored_columns: expected a list of column names"),
    (r"(?P<section>\w+): expected an object with keys (?P<keys>.+)",
     "{section} : un objet avec les clés {keys} était attendu",
     "grant: expected an object with keys year, date, amount"),
    (r"(?P<section>\w+): unknown key\(s\) (?P<keys>.+); expected: (?P<expected>.+)",
     "{section} : clé(s) inconnue(s) : {keys} ; clés possibles : {expected}",
     "beneficiaire: unknown key(s) nom; expected: name, id, rna"),
    (r"(?P<key>[\w.]+): expected a column name, a list of column names, or \{value: …\} for a fixed value; "
     r"got (?P<value>.+)",
     "{key} : un nom de colonne, une liste de noms de colonnes ou {{value: …}} pour une valeur fixe était attendu ; "
     "reçu {value}",
     "beneficiaire.name: expected a column name, a list of column names, or {value: …} for a fixed value; got 12"),
    # -- a load's note: grants another subsidy file already states
    (r"(?P<n>[\d,]+) of the (?P<m>[\d,]+) grants of this file are already stated by the source (?P<other>.+) \(same "
     r"attribuant, bénéficiaire, amount and year\): each is counted twice in the totals",
     "{n} des {m} subventions de ce fichier sont déjà dans la source {other} (même attribuant, bénéficiaire, "
     "montant et année) : chacune est comptée deux fois dans les totaux",
     "1,067 of the 1,068 grants of this file are already stated by the source 'scdl:subventions.csv' (same attribuant, "
     "bénéficiaire, amount and year): each is counted twice in the totals"),
]
