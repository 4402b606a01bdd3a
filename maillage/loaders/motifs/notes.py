"""What reading a file noticed (a load's ``notes``: the encoding guessed, a header below a title,
the sheets read…), why a file of a folder was skipped, and the errors that stop a load most
often (no such file, format not told, no name column, no pôle…): printed by ``maillage load``,
in French unless ``--lang en``. An error the table does not know is printed as stated."""

from ._shapes import QUOTED

_N = r"(?P<n>\d+)"
_ROWS = r".+?"
#: Where a note says a file writes a pôle (« column 'PTCE' of 'reseau.csv', rows 2, 5 »; quoted
#: names may hold parentheses), and a spelling with it (member_notes._spellings_notes).
_PLACES = rf"(?:[^'\"()]|{QUOTED})+"
_SPELLING = rf"{QUOTED} \({_PLACES}\)"
#: How many spellings of one pôle a note counts, in words (member_notes._COUNT_WORDS), in French
#: (« six », and digits, are written as given).
_COUNT_WORDS = {"three": "trois", "four": "quatre", "five": "cinq", "seven": "sept", "eight": "huit", "nine": "neuf",
                "ten": "dix"}

FR: list[tuple[str, str, str]] = [
    # -- reading the file (maillage.loaders.tabular)
    (r"mixed encodings: (?P<n>\d+) line\(s\) are not UTF-8 \(first at byte (?P<b>\d+)\) and were decoded as "
     r"(?P<enc>\S+), the others as UTF-8",
     "encodages mêlés : {n} ligne(s) ne sont pas en UTF-8 (la première à l'octet {b}) et ont été lues en {enc}, "
     "les autres en UTF-8",
     "mixed encodings: 3 line(s) are not UTF-8 (first at byte 120) and were decoded as cp1252, the others as UTF-8"),
    (r"a UTF-8 byte-order mark is followed by a (?P<enc>\S+) body \(not UTF-8 from byte (?P<b>\d+)\): "
     r"decoded as (?P<enc2>\S+)",
     "une marque d'ordre des octets UTF-8 est suivie d'un contenu en {enc} (pas en UTF-8 à partir de l'octet {b}) : "
     "lu en {enc2}",
     "a UTF-8 byte-order mark is followed by a cp1252 body (not UTF-8 from byte 186): decoded as cp1252"),
    (r"not UTF-8 \(byte (?P<b>\d+)\): decoded as (?P<enc>\S+)",
     "encodage {enc} détecté (le fichier n'est pas en UTF-8, dès l'octet {b}) : lu dans cet encodage, accents compris",
     "not UTF-8 (byte 42): decoded as cp1252"),
    (r"merged cells over several rows \((?P<cells>.+) and (?P<n>\d+) more\): each row read with the merged value",
     "cellules fusionnées sur plusieurs lignes ({cells} et {n} autres) : chaque ligne lue avec la valeur fusionnée",
     "merged cells over several rows (B3:B5, C3:C7, B6:B7, A9:A10, B9:B12 and 2 more): each row read with the "
     "merged value"),
    (r"merged cells over several rows \((?P<cells>.+)\): each row read with the merged value",
     "cellules fusionnées sur plusieurs lignes ({cells}) : chaque ligne lue avec la valeur fusionnée",
     "merged cells over several rows (B3:B5, C3:C7): each row read with the merged value"),
    (r"named (?P<suffix>\.\w+) but CSV text: read as CSV",
     "nommé {suffix} mais du texte CSV : lu comme un CSV",
     "named .xlsx but CSV text: read as CSV"),
    (r"named (?P<suffix>\.\w+) but an HTML page \(a web « export Excel »\): its largest table read "
     r"\((?P<rows>\d+) rows of (?P<n>\d+) table\(s\)\)",
     "nommé {suffix} mais une page HTML (un « export Excel » d'un site) : son plus grand tableau lu ({rows} lignes, "
     "{n} tableau(x) dans la page)",
     "named .xls but an HTML page (a web « export Excel »): its largest table read (3 rows of 1 table(s))"),
    (r"a (?P<suffix>\.\w+) document: its largest table read \((?P<rows>\d+) rows of (?P<n>\d+) table\(s\)\)",
     "un document {suffix} : son plus grand tableau lu ({rows} lignes, {n} tableau(x) dans le document)",
     "a .docx document: its largest table read (5 rows of 2 table(s))"),
    (r"a (?P<suffix>\.\w+) document: (?P<k>\d+) tables with the same columns read as one list \(tables "
     r"(?P<which>[\d, ]+) of (?P<n>\d+), from rows (?P<starts>[\d, ]+)\), the line of text above each table read as "
     r"its heading",
     "un document {suffix} : {k} tableaux aux mêmes colonnes lus comme une seule liste (tableaux {which} sur {n}, "
     "à partir des lignes {starts}), la ligne de texte au-dessus de chaque tableau lue comme son intitulé",
     "a .docx document: 3 tables with the same columns read as one list (tables 1, 2, 4 of 4, from rows 1, 5, 9), "
     "the line of text above each table read as its heading"),
    (r"tables without a header row and with the list's (?P<k>\d+) columns read as more rows of the list: "
     r"(?P<which>[\d, ]+)",
     "tableaux sans ligne d'en-tête et aux {k} colonnes de la liste lus comme d'autres lignes de la liste : {which}",
     "tables without a header row and with the list's 2 columns read as more rows of the list: 3, 5"),
    (rf"another file named (?P<file>{QUOTED}), from another folder, is the source (?P<other>{QUOTED}): this one is "
     rf"loaded beside it as (?P<sid>{QUOTED}), not over it \(to replace that one, give --source-id (?P<id>.+)\)",
     "un autre fichier nommé {file}, venu d'un autre dossier, est la source {other} : celui-ci est chargé à côté "
     "sous {sid}, sans la remplacer (pour la remplacer, donnez --source-id {id})",
     "another file named 'adherents.xlsx', from another folder, is the source 'members:adherents.xlsx': this one is "
     "loaded beside it as 'members:pole-b/adherents.xlsx', not over it (to replace that one, give --source-id "
     "members:adherents.xlsx)"),
    # another edition of a loaded file, loaded beside it under a new name (maillage.loaders.editions)
    (rf"this file looks like another edition of the source (?P<other>{QUOTED}) \((?P<n>[\d,]+) of its "
     r"(?P<m>[\d,]+) statements already stated by it(?P<motif_why>; .+?)?\): both are kept, and what both state "
     r"is counted twice\. If this file replaces that one: (?P<remove>maillage remove .+? --yes); or, to load it in "
     r"that source's place \(keeping its reviewers' decisions\): (?P<remove2>maillage remove .+? --yes), then "
     r"(?P<load>maillage load .+?)(?P<motif_years>; if it is the pôle's list of another year, .+)?",
     "ce fichier semble être une autre édition de la source {other} ({n} de ses {m} déclarations y sont déjà"
     "{motif_why}) : les deux sont gardées, et ce que toutes deux déclarent est compté deux fois. Si ce fichier "
     "remplace celle-là : {remove} ; ou, pour le charger à la place de cette source (en gardant les décisions de "
     "ses relecteurs) : {remove2}, puis {load}{motif_years}",
     "this file looks like another edition of the source 'members:adherents-2024.csv' (40 of its 42 statements "
     "already stated by it; a name that differs only by a date or a number): both are kept, and what both state is "
     "counted twice. If this file replaces that one: maillage remove members:adherents-2024.csv --yes; or, to load "
     "it in that source's place (keeping its reviewers' decisions): maillage remove members:adherents-2025.csv "
     "--yes, then maillage load adherents-2025.csv --format members --pole 'Le Périscope' --source-id "
     "members:adherents-2024.csv; "
     "if it is the pôle's list of another year, keep both, each loaded again with its --year"),
    (rf"this file looks like another edition of the source (?P<other>{QUOTED}) \((?P<n>[\d,]+) of its "
     r"(?P<m>[\d,]+) statements already stated by it(?P<motif_why>; .+?)?\): both are kept, and what both state "
     r"is counted twice\. If this file replaces that one, load it in that source's place, keeping its 1 reviewer's "
     r"decision \(removing that source would lose them\): (?P<remove2>maillage remove .+? --yes), then "
     r"(?P<load>maillage load .+?)(?P<motif_years>; if it is the pôle's list of another year, .+)?",
     "ce fichier semble être une autre édition de la source {other} ({n} de ses {m} déclarations y sont déjà"
     "{motif_why}) : les deux sont gardées, et ce que toutes deux déclarent est compté deux fois. Si ce fichier "
     "remplace celle-là, chargez-le à la place de cette source, en gardant la décision de son relecteur (retirer "
     "cette source la perdrait) : {remove2}, puis {load}{motif_years}",
     "this file looks like another edition of the source 'members:adherents.csv' (11 of its 13 statements already "
     "stated by it): both are kept, and what both state is counted twice. If this file replaces that one, load it "
     "in that source's place, keeping its 1 reviewer's decision (removing that source would lose them): maillage "
     "remove 'members:adherents (2).csv' --yes, then maillage load 'adherents (2).csv' --format members "
     "--source-id members:adherents.csv"),
    (rf"this file looks like another edition of the source (?P<other>{QUOTED}) \((?P<n>[\d,]+) of its "
     r"(?P<m>[\d,]+) statements already stated by it(?P<motif_why>; .+?)?\): both are kept, and what both state "
     r"is counted twice\. If this file replaces that one, load it in that source's place, keeping its "
     r"(?P<k>[\d,]+) reviewers' decisions \(removing that source would lose them\): "
     r"(?P<remove2>maillage remove .+? --yes), then (?P<load>maillage load .+?)"
     r"(?P<motif_years>; if it is the pôle's list of another year, .+)?",
     "ce fichier semble être une autre édition de la source {other} ({n} de ses {m} déclarations y sont déjà"
     "{motif_why}) : les deux sont gardées, et ce que toutes deux déclarent est compté deux fois. Si ce fichier "
     "remplace celle-là, chargez-le à la place de cette source, en gardant les {k} décisions de ses relecteurs "
     "(retirer cette source les perdrait) : {remove2}, puis {load}{motif_years}",
     "this file looks like another edition of the source 'members:adherents.csv' (11 of its 13 statements already "
     "stated by it): both are kept, and what both state is counted twice. If this file replaces that one, load it "
     "in that source's place, keeping its 3 reviewers' decisions (removing that source would lose them): maillage "
     "remove 'members:adherents (2).csv' --yes, then maillage load 'adherents (2).csv' --format members "
     "--source-id members:adherents.csv"),
    (r"; a name that differs only by a date or a number", " ; un nom qui ne diffère que par une date ou un numéro",
     "; a name that differs only by a date or a number"),
    (r"; if it is the pôle's list of another year, keep both, each loaded again with its --year",
     " ; si c'est la liste du pôle d'une autre année, gardez les deux, chacune chargée de nouveau avec son --year",
     "; if it is the pôle's list of another year, keep both, each loaded again with its --year"),
    (r"header found on row (?P<row>\d+) \(rows above it skipped\)",
     "en-tête trouvé à la ligne {row} (les lignes au-dessus ignorées)",
     "header found on row 2 (rows above it skipped)"),
    # -- member lists (maillage.loaders.formats.members)
    # a --pole the store did not know, close to a pôle it knows (member_notes.new_pole_notes)
    (rf"the pôle (?P<pole>{QUOTED}) \(--pole\) is new: no pôle of the store has this name; a pôle of the store has "
     rf"a close name: (?P<close>{QUOTED})\. If it is that pôle, misspelt: (?P<remove>maillage remove .+? --yes), then "
     r"(?P<load>maillage load .+?); if it is another pôle: (?P<refuse>maillage resolve --reject .+) \(not said again\)",
     "le pôle {pole} (--pole) est nouveau : aucun pôle de la base ne porte ce nom ; un pôle de la base a un nom "
     "proche : {close}. Si c'est ce pôle, mal orthographié : {remove}, puis {load} ; si c'est un autre pôle : "
     "{refuse} (ce ne sera plus signalé)",
     "the pôle 'PTCE Lauragis Coopère' (--pole) is new: no pôle of the store has this name; a pôle of the store has "
     "a close name: 'PTCE Lauragais Coopère'. If it is that pôle, misspelt: maillage remove members:m2.csv --yes, "
     "then maillage load m2.csv --pole \"PTCE Lauragais Coopère\"; if it is another pôle: maillage resolve --reject "
     "p7447203917 (not said again)"),
    (rf"the pôle (?P<pole>{QUOTED}) \(--pole\) is new: no pôle of the store has this name; pôles of the store have "
     rf"a close name: (?P<close>{QUOTED}(?:, {QUOTED})+)\. If it is one of them, misspelt: (?P<remove>maillage remove "
     r".+? --yes), then (?P<load>maillage load .+? --pole) \"NAME\"(?P<year>.*?) \(NAME: its name above\); if it is another "
     r"pôle: (?P<refuse>maillage resolve --reject .+) \(not said again\)",
     "le pôle {pole} (--pole) est nouveau : aucun pôle de la base ne porte ce nom ; des pôles de la base ont un nom "
     "proche : {close}. Si c'est l'un d'eux, mal orthographié : {remove}, puis {load} \"NOM\"{year} (NOM : son nom "
     "ci-dessus) ; "
     "si c'est un autre pôle : {refuse} (ce ne sera plus signalé)",
     "the pôle 'PTCE Aveyron' (--pole) is new: no pôle of the store has this name; pôles of the store have a close "
     "name: 'PTCE Nord Aveyron', 'PTCE Sud Aveyron'. If it is one of them, misspelt: maillage remove "
     "members:m.csv --yes, then maillage load m.csv --pole \"NAME\" (NAME: its name above); if it is another pôle: "
     "maillage resolve --reject p1; maillage resolve --reject p2 (not said again)"),
    # a pôle the file names (a pôle column, a sheet's name, a heading) new, close to a known pôle (new_pole_notes)
    (rf"the pôle (?P<pole>{QUOTED}) \((?P<motif_place>.+?)\) is new: no pôle of the store has this name; a pôle of "
     rf"the store has a close name: (?P<close>{QUOTED})\. If it is that pôle, misspelt: (?P<motif_fix>.+?), then load "
     r"the file again: (?P<load>maillage load .+?); if it is another pôle: (?P<refuse>maillage resolve --reject .+) "
     r"\(not said again\)",
     "le pôle {pole} ({motif_place}) est nouveau : aucun pôle de la base ne porte ce nom ; un pôle de la base a un "
     "nom proche : {close}. Si c'est ce pôle, mal orthographié : {motif_fix}, puis rechargez le fichier : {load} ; "
     "si c'est un autre pôle : {refuse} (ce ne sera plus signalé)",
     "the pôle 'PTCE Lauragis Coopère' (column 'PTCE' of 'reseau.csv', rows 2, 3) is new: no pôle of the store has "
     "this name; a pôle of the store has a close name: 'PTCE Lauragais Coopère'. If it is that pôle, misspelt: write "
     "'PTCE Lauragais Coopère' instead in those cells, then load the file again: maillage load reseau.csv; if it is "
     "another pôle: maillage resolve --reject p2f2db13481 (not said again)"),
    (rf"the pôle (?P<pole>{QUOTED}) \((?P<motif_place>.+?)\) is new: no pôle of the store has this name; pôles of "
     rf"the store have a close name: (?P<close>{QUOTED}(?:, {QUOTED})+)\. If it is one of them, misspelt: "
     r"(?P<motif_fix>.+?), then load the file again: (?P<load>maillage load .+?); if it is another pôle: "
     r"(?P<refuse>maillage resolve --reject .+) \(not said again\)",
     "le pôle {pole} ({motif_place}) est nouveau : aucun pôle de la base ne porte ce nom ; des pôles de la base ont "
     "un nom proche : {close}. Si c'est l'un d'eux, mal orthographié : {motif_fix}, puis rechargez le fichier : "
     "{load} ; si c'est un autre pôle : {refuse} (ce ne sera plus signalé)",
     "the pôle 'PTCE Aveyron' (name of the sheet 'PTCE Aveyron' of 'reseau.xlsx') is new: no pôle of the store has "
     "this name; pôles of the store have a close name: 'PTCE Nord Aveyron', 'PTCE Sud Aveyron'. If it is one of "
     "them, misspelt: name the sheet with its name above instead, then load the file again: maillage load "
     "reseau.xlsx; if it is another pôle: maillage resolve --reject p1; maillage resolve --reject p2 (not said "
     "again)"),
    # two spellings of one pôle new to the store in one file (member_notes._spellings_notes)
    (rf"the file names one pôle in two ways, it seems: (?P<keep>{QUOTED}) \((?P<motif_keep>.+?)\) and "
     rf"(?P<other>{QUOTED}) \((?P<motif_other>.+?)\); their names are close \(the entity resolution proposes them "
     r"for a merge\) but they are loaded as two pôles\. If it is one pôle: where (?P<again>.+?) is written, "
     r"(?P<motif_fix>.+?), then load the file again: (?P<load>maillage load .+?); if they are two pôles: "
     r"(?P<refuse>maillage resolve --reject .+) \(not said again\)",
     "le fichier semble écrire un même pôle de deux façons : {keep} ({motif_keep}) et {other} ({motif_other}) ; "
     "leurs noms sont proches (la résolution des entités propose de les rapprocher) mais ils sont chargés comme deux "
     "pôles. Si c'est un seul pôle : là où {again} est écrit, {motif_fix}, puis rechargez le fichier : {load} ; si ce "
     "sont deux pôles : {refuse} (ce ne sera plus signalé)",
     "the file names one pôle in two ways, it seems: 'PTCE Lauragais Coopère' (column 'Pôle' of 'm.csv', rows 2, 3, "
     "5) and 'PTCE Lauragis Coopère' (column 'Pôle' of 'm.csv', row 4); their names are close (the entity resolution "
     "proposes them for a merge) but they are loaded as two pôles. If it is one pôle: where 'PTCE Lauragis Coopère' "
     "is written, write 'PTCE Lauragais Coopère' instead in those cells, then load the file again: maillage load "
     "m.csv; if they are two pôles: maillage resolve --reject pee2ff0cbe7 (not said again)"),
    # three spellings or more of one pôle in one file: one note (member_notes._spellings_notes)
    (rf"the file names one pôle in (?P<motif_ways>\w+) ways, it seems: (?P<motif_spellings>{_SPELLING}(?:, "
     rf"{_SPELLING})+ and {_SPELLING}); their names are close \(the entity resolution proposes them for a merge\) but "
     r"they are loaded as (?P=motif_ways) pôles\. If it is one pôle: where "
     rf"(?P<again>{QUOTED}(?:, {QUOTED})*) or (?P<last>{QUOTED}) is written, (?P<motif_fix>.+?), then load the file "
     r"again: (?P<load>maillage load .+?); if they are (?P=motif_ways) pôles: (?P<refuse>maillage resolve --reject .+) "
     r"\(not said again\)",
     "le fichier semble écrire un même pôle de {motif_ways} façons : {motif_spellings} ; leurs noms sont proches (la "
     "résolution des entités propose de les rapprocher) mais ils sont chargés comme {motif_ways} pôles. Si c'est un "
     "seul pôle : là où {again} ou {last} est écrit, {motif_fix}, puis rechargez le fichier : {load} ; si ce sont "
     "{motif_ways} pôles : {refuse} (ce ne sera plus signalé)",
     "the file names one pôle in three ways, it seems: 'Pôle Coopératif Sud' (column 'pôle' of 'poles.csv', rows 2, "
     "5), 'Pole Cooperatif du Sud' (column 'pôle' of 'poles.csv', row 3) and 'Pôle Coopératif Sudd' (column 'pôle' "
     "of 'poles.csv', row 4); their names are close (the entity resolution proposes them for a merge) but they are "
     "loaded as three pôles. If it is one pôle: where 'Pole Cooperatif du Sud' or 'Pôle Coopératif Sudd' is written, "
     "write 'Pôle Coopératif Sud' instead in those cells, then load the file again: maillage load poles.csv; if they "
     "are three pôles: maillage resolve --reject p1fff9248bf; maillage resolve --reject pde728fc5ae; maillage "
     "resolve --reject pe90221e5a9 (not said again)"),
    (rf"(?P<a>{QUOTED}) \((?P<motif_a>{_PLACES})\), (?P<motif_rest>{_SPELLING}(?:, {_SPELLING})* and {_SPELLING})",
     "{a} ({motif_a}), {motif_rest}",
     "'Pôle Sud' (column 'pôle' of 'p.csv', rows 2, 5), 'Pole du Sud' (--pole) and 'Pôle Sudd' (name of the sheet "
     "'Pôle Sudd' of 'p.xlsx')"),
    (rf"(?P<a>{QUOTED}) \((?P<motif_a>{_PLACES})\) and (?P<b>{QUOTED}) \((?P<motif_b>{_PLACES})\)",
     "{a} ({motif_a}) et {b} ({motif_b})",
     "'Pôle Sud' (column 'pôle' of 'p.csv', rows 2, 5) and 'Pôle Sudd' (pôle heading of 'p.csv', row 4)"),
    *((en, fr, en) for en, fr in _COUNT_WORDS.items()),
    # several places naming one pôle (a pôle column on two sheets…), and what to do in each
    (rf"(?P<motif_first>column {QUOTED} of {QUOTED}, [^;]+|name of the sheet {QUOTED} of {QUOTED}|pôle heading "
     rf"of {QUOTED}, [^;]+); (?P<motif_rest>(?:column|name of the sheet|pôle heading) .+)",
     "{motif_first} ; {motif_rest}",
     "column 'PTCE' of 'reseau.xlsx', Collège A!row 2; column 'Pôle' of 'reseau.xlsx', Collège B!row 2, Collège B!row 4"),
    (r"(?P<motif_first>write .+? instead (?:in those cells|on that row|on those rows)|name the sheet .+? instead|"
     r"add a column 'Pôle' to the sheet .+? on each of its rows \(the sheet cannot be named so: [^)]*\)) and "
     r"(?P<motif_rest>(?:write|name the sheet|add a column) .+)",
     "{motif_first} et {motif_rest}",
     "write 'PTCE Lauragais Coopère' instead in those cells and name the sheet 'PTCE Lauragais Coopère' instead"),
    (rf"column (?P<column>{QUOTED}) of (?P<file>{QUOTED}), (?:rows? )?(?P<where>.+)",
     "colonne {column} de {file}, {where}",
     "column 'PTCE' of 'reseau.csv', rows 2, 3, 4, 5, 6, …"),
    (rf"name of the sheet (?P<sheet>{QUOTED}) of (?P<file>{QUOTED})",
     "nom de la feuille {sheet} de {file}",
     "name of the sheet 'PTCE Lauragis Coopère' of 'reseau.xlsx'"),
    (rf"pôle heading of (?P<file>{QUOTED}), (?:rows? )?(?P<where>.+)",
     "intitulé de pôle de {file}, {where}",
     "pôle heading of 'reseau.csv', rows 2, 7"),
    (rf"write (?P<right>{QUOTED}) instead in those cells",
     "écrivez {right} à la place dans ces cellules",
     "write 'PTCE Lauragais Coopère' instead in those cells"),
    (r"write its name above instead in those cells",
     "écrivez à la place dans ces cellules son nom ci-dessus",
     "write its name above instead in those cells"),
    (rf"add a column 'Pôle' to the sheet (?P<sheet>{QUOTED}) holding its name above on each of its rows \(the sheet "
     r"cannot be named so: (?P<motif_why>[^)]*)\)",
     "ajoutez à la feuille {sheet} une colonne « Pôle » portant son nom ci-dessus sur chacune de ses lignes (la "
     "feuille ne peut pas porter ce nom : {motif_why})",
     "add a column 'Pôle' to the sheet 'PTCE Aveyron' holding its name above on each of its rows (the sheet cannot "
     "be named so: a sheet's name cannot hold /)"),
    (rf"add a column 'Pôle' to the sheet (?P<sheet>{QUOTED}) holding (?P<right>{QUOTED}) on each of "
     r"its rows \(the sheet cannot be named so: (?P<motif_why>[^)]*)\)",
     "ajoutez à la feuille {sheet} une colonne « Pôle » portant {right} sur chacune de ses lignes (la feuille ne peut "
     "pas porter ce nom : {motif_why})",
     "add a column 'Pôle' to the sheet 'PTCE Pays de Figeac Coopérati' holding 'PTCE Pays de Figeac Coopération "
     "Solidaire' on each of its rows (the sheet cannot be named so: an Excel sheet's name holds 31 characters at "
     "most, this one 41)"),
    (r"an Excel sheet's name holds (?P<max>\d+) characters at most, this one (?P<n>\d+)",
     "un nom de feuille Excel compte au plus {max} caractères, celui-ci {n}",
     "an Excel sheet's name holds 31 characters at most, this one 41"),
    (r"another sheet of the workbook has that name",
     "une autre feuille du classeur porte ce nom",
     "another sheet of the workbook has that name"),
    (r"a sheet's name cannot hold (?P<chars>.+)",
     "un nom de feuille ne peut contenir {chars}",
     "a sheet's name cannot hold / :"),
    (rf"name the sheet (?P<right>{QUOTED}) instead",
     "renommez la feuille en {right}",
     "name the sheet 'PTCE Lauragais Coopère' instead"),
    (r"name the sheet with its name above instead",
     "renommez la feuille de son nom ci-dessus",
     "name the sheet with its name above instead"),
    (rf"write (?P<right>{QUOTED}) instead on that row",
     "écrivez {right} à la place sur cette ligne",
     "write 'PTCE Lauragais Coopère' instead on that row"),
    (rf"write (?P<right>{QUOTED}) instead on those rows",
     "écrivez {right} à la place sur ces lignes",
     "write 'PTCE Lauragais Coopère' instead on those rows"),
    (r"write its name above instead on that row",
     "écrivez à la place sur cette ligne son nom ci-dessus",
     "write its name above instead on that row"),
    (r"write its name above instead on those rows",
     "écrivez à la place sur ces lignes son nom ci-dessus",
     "write its name above instead on those rows"),
    (r"sheets read: (?P<sheets>.+)",
     "feuilles lues : {sheets}",
     "sheets read: 'Collège A', 'Collège B'"),
    (r"sheets not read, their names say not the current list \(former members, a copy, an example…\): "
     r"(?P<sheets>.+); load one with --option sheet=NAME",
     "feuilles non lues, leur nom dit qu'elles ne sont pas la liste actuelle (anciens membres, copie, exemple…) : "
     "{sheets} ; chargez-en une avec --option sheet=NOM",
     "sheets not read, their names say not the current list (former members, a copy, an example…): 'Anciens', "
     "'Copie'; load one with --option sheet=NAME"),
    (r"sheet not read, its name says not the current list \(former members, a copy, an example…\): "
     r"(?P<sheets>.+); load one with --option sheet=NAME",
     "feuille non lue, son nom dit qu'elle n'est pas la liste actuelle (anciens membres, copie, exemple…) : "
     "{sheets} ; chargez-la avec --option sheet=NOM",
     "sheet not read, its name says not the current list (former members, a copy, an example…): "
     "'Anciens adhérents'; load one with --option sheet=NAME"),
    (r"sheets without a name column, not read: (?P<sheets>.+)",
     "feuilles sans colonne de nom, non lues : {sheets}",
     "sheets without a name column, not read: 'Légende'"),
    (r"a sheet per year \((?P<sheets>.+)\): each membership is dated its sheet's year unless its row gives dates "
     r"\(the pôle's entries and exits over the years\)",
     "une feuille par année ({sheets}) : chaque adhésion est datée de l'année de sa feuille, sauf si sa ligne donne "
     "des dates (les entrées et sorties du pôle au fil des années)",
     "a sheet per year ('2023', '2024'): each membership is dated its sheet's year unless its row gives dates (the "
     "pôle's entries and exits over the years)"),
    (rf"another member list of the pôle (?P<pole>{QUOTED}) \(source (?P<other>{QUOTED})\) gives no years either: both "
     r"are read as the same years, so nobody joins or leaves\. (?P<motif_advice>.+)",
     "une autre liste des membres du pôle {pole} (source {other}) ne donne pas d'années non plus : les deux sont lues "
     "comme valant les mêmes années, personne n'entre ni ne sort. {motif_advice}",
     "another member list of the pôle 'PTCE Pays de Morlaix' (source 'members:membres_2022.csv') gives no years "
     "either: both are read as the same years, so nobody joins or leaves. To follow the pôle over the years, put each "
     "year's list on its own sheet of one workbook (sheets named 2022, 2023…), or give a 'Date d'adhésion' column "
     "(and a 'Date de sortie' one)"),
    (rf"another member list of the pôle (?P<pole>{QUOTED}) \(source (?P<other>{QUOTED})\) is loaded and neither gives "
     r"a year: both are read as lists of members with no end \(from their date d'adhésion\), so a member missing from "
     r"one of them does not leave\. (?P<motif_advice>.+)",
     "une autre liste des membres du pôle {pole} (source {other}) est chargée et aucune des deux ne donne d'année : "
     "les deux sont lues comme des listes de membres sans fin (depuis leur date d'adhésion), un membre absent de "
     "l'une d'elles n'en sort donc pas. {motif_advice}",
     "another member list of the pôle 'PTCE Sud' (source 'members:membres_2024.csv') is loaded and neither gives a "
     "year: both are read as lists of members with no end (from their date d'adhésion), so a member missing from one "
     "of them does not leave. If each file is the list of the pôle's members in one year, load each again with its "
     "year, --year YEAR (the name 'membres_2025.csv' says 2025: --year 2025): a member of one year's list missing "
     "from the next then leaves (or put each year's list on its own sheet of one workbook, sheets named 2022, "
     "2023…)"),
    (rf"the member list of the pôle (?P<pole>{QUOTED}) for (?P<years>[\d, -]+) \(source (?P<other>{QUOTED})\) is "
     r"loaded: this one, given no year, is read as a list of members with no end, so a member missing from it or from "
     r"that one does not leave\. (?P<motif_advice>.+)",
     "la liste des membres du pôle {pole} pour {years} (source {other}) est chargée : celle-ci, sans année, est lue "
     "comme une liste de membres sans fin, un membre absent de l'une ou de l'autre n'en sort donc pas. {motif_advice}",
     "the member list of the pôle 'PTCE Sud' for 2024 (source 'members:membres_2024.csv') is loaded: this one, given "
     "no year, is read as a list of members with no end, so a member missing from it or from that one does not "
     "leave. If this file is the list of the pôle's members in one year, load it again with its year, --year YEAR: "
     "a member of one year's list missing from the next then leaves"),
    (rf"the member list of the pôle (?P<pole>{QUOTED}) in source (?P<other>{QUOTED}) gives no year: its members are "
     r"read as members with no end, whatever the list of (?P<years>[\d, -]+) says\. (?P<motif_advice>.+)",
     "la liste des membres du pôle {pole} de la source {other} ne donne pas d'année : ses membres sont lus comme "
     "membres sans fin, quoi que dise la liste de {years}. {motif_advice}",
     "the member list of the pôle 'PTCE Sud' in source 'members:membres_2024.csv' gives no year: its members are "
     "read as members with no end, whatever the list of 2025 says. If it is the list of the pôle's members in one "
     "year, load it again with its year, --year YEAR (the name 'membres_2024.csv' says 2024: --year 2024): a member "
     "of one year's list missing from the next then leaves"),
    (rf"this list of the pôle (?P<pole>{QUOTED}) gives no year(?P<motif_hint> \(.+\)): if it is the list of the "
     r"pôle's members in one year, load it again with its year, and each year's list with its own: a member of one "
     r"year's list missing from the next is then read as leaving \(without a year, a list's members never leave\)",
     "cette liste du pôle {pole} ne donne pas d'année{motif_hint} : si c'est la liste des membres du pôle d'une "
     "année, rechargez-la avec son année, et la liste de chaque année avec la sienne : un membre de la liste d'une "
     "année absent de la suivante est alors lu comme sorti (sans année, les membres d'une liste n'en sortent jamais)",
     "this list of the pôle 'PTCE Sud' gives no year (the name 'membres_2024.csv' says 2024: --year 2024): if it is "
     "the list of the pôle's members in one year, load it again with its year, and each year's list with its own: a "
     "member of one year's list missing from the next is then read as leaving (without a year, a list's members "
     "never leave)"),
    (r"If each file is the list of the pôle's members in one year, load each again with its year, --year "
     r"YEAR(?P<motif_hint> \(.+\))?: a member of one year's list missing from the next then leaves \(or put each "
     r"year's list on its own sheet of one workbook, sheets named 2022, 2023…\)",
     "Si chaque fichier est la liste des membres du pôle d'une année, rechargez chacun avec son année, --year "
     "ANNÉE{motif_hint} : un membre de la liste d'une année absent de la suivante en est alors sorti (ou mettez la "
     "liste de chaque année sur sa propre feuille d'un même classeur, feuilles nommées 2022, 2023…)",
     "If each file is the list of the pôle's members in one year, load each again with its year, --year YEAR: a "
     "member of one year's list missing from the next then leaves (or put each year's list on its own sheet of one "
     "workbook, sheets named 2022, 2023…)"),
    (r"If this file is the list of the pôle's members in one year, load it again with its year, --year "
     r"YEAR(?P<motif_hint> \(.+\))?: a member of one year's list missing from the next then leaves",
     "Si ce fichier est la liste des membres du pôle d'une année, rechargez-le avec son année, --year "
     "ANNÉE{motif_hint} : un membre de la liste d'une année absent de la suivante en est alors sorti",
     "If this file is the list of the pôle's members in one year, load it again with its year, --year YEAR (the "
     "name 'membres_2025.csv' says 2025: --year 2025): a member of one year's list missing from the next then "
     "leaves"),
    (r"If it is the list of the pôle's members in one year, load it again with its year, --year "
     r"YEAR(?P<motif_hint> \(.+\))?: a member of one year's list missing from the next then leaves",
     "Si c'est la liste des membres du pôle d'une année, rechargez-la avec son année, --year ANNÉE{motif_hint} : un "
     "membre de la liste d'une année absent de la suivante en est alors sorti",
     "If it is the list of the pôle's members in one year, load it again with its year, --year YEAR: a member of "
     "one year's list missing from the next then leaves"),
    (r"To follow the pôle over the years, put each year's list on its own sheet of one workbook \(sheets named 2022, "
     r"2023…\), or give a 'Date d'adhésion' column \(and a 'Date de sortie' one\)",
     "Pour suivre le pôle au fil des années, mettez la liste de chaque année sur sa propre feuille d'un même classeur "
     "(feuilles nommées 2022, 2023…), ou ajoutez une colonne « Date d'adhésion » (et une colonne « Date de sortie »)",
     "To follow the pôle over the years, put each year's list on its own sheet of one workbook (sheets named 2022, "
     "2023…), or give a 'Date d'adhésion' column (and a 'Date de sortie' one)"),
    (rf" \(the name (?P<file>{QUOTED}) says (?P<year>[\d-]+): --year (?P=year)\)",
     " (le nom {file} dit {year} : --year {year})",
     " (the name 'membres_2025.csv' says 2025: --year 2025)"),
    (r"the list of the pôle's members in (?P<year>[\d-]+) \(--year\): each membership is dated (?P=year), from its "
     r"date d'adhésion when its row gives one; a member of an earlier year's list missing from this one has left",
     "la liste des membres du pôle en {year} (--year) : chaque adhésion est datée de {year}, depuis sa date "
     "d'adhésion quand sa ligne en donne une ; un membre de la liste d'une année précédente absent de celle-ci en est "
     "sorti",
     "the list of the pôle's members in 2025 (--year): each membership is dated 2025, from its date d'adhésion when "
     "its row gives one; a member of an earlier year's list missing from this one has left"),
    (rf"(?P<n>\d+) members? of the pôle (?P<pole>{QUOTED}) in the earlier load of this source (?:is|are) not in this "
     r"file(?P<motif_persons>, \d+ natural persons? among them \(not named\))?(?P<motif_names>: .+?)?\. Their "
     r"membership from this source is gone from the store, with the years it gave(?P<motif_gone> \(\d+ of these "
     r"members (?:is|are) no longer in the store at all\))?\. If the earlier file was the list of another year, load "
     r"it again under its own name with --year YEAR, and this one with its year: the pôle's history keeps both",
     "membres du pôle {pole} dans le chargement précédent de cette source absents de ce fichier : {n}{motif_names}"
     "{motif_persons}. Leur adhésion venue de cette source n'est plus dans la base, ni les années qu'elle donnait"
     "{motif_gone}. Si l'ancien fichier était la liste d'une autre année, rechargez-le sous son propre nom avec "
     "--year ANNÉE, et celui-ci avec son année : l'historique du pôle garde les deux",
     "2 members of the pôle 'PTCE Sud' in the earlier load of this source are not in this file, 1 natural person "
     "among them (not named): Garage Solidaire 31. Their membership from this source is gone from the store, with "
     "the years it gave (2 of these members are no longer in the store at all). If the earlier file was the list of "
     "another year, load it again under its own name with --year YEAR, and this one with its year: the pôle's "
     "history keeps both"),
    # a list loaded again for another pôle (--pole misspelt, then corrected): moved, not gone (members_gone)
    (rf"this list was loaded for the pôle (?P<old>{QUOTED}); it is now for the pôle (?P<new>{QUOTED})"
     rf"(?P<motif_moved>, and \d+ members? of its earlier load still in this file pass(?:es)? from one to the other)?"
     rf"(?P<motif_dropped>; the pôle {QUOTED}, which only this list named, is no longer in the store)?",
     "cette liste était chargée pour le pôle {old} ; elle l'est maintenant pour le pôle {new}{motif_moved}"
     "{motif_dropped}",
     "this list was loaded for the pôle 'PTCE Lauragis Coopère'; it is now for the pôle 'PTCE Lauragais Coopère', "
     "and 2 members of its earlier load still in this file pass from one to the other; the pôle 'PTCE Lauragis "
     "Coopère', which only this list named, is no longer in the store"),
    # a pôle of a network's list renamed in its column, sheet or heading: its members moved (pole_moves)
    (rf"in this list, the pôle (?P<old>{QUOTED}) of its earlier load is now the pôle (?P<new>{QUOTED})"
     rf"(?P<motif_moved>, and \d+ members? of its earlier load still in this file pass(?:es)? from one to the other)?"
     rf"(?P<motif_dropped>; the pôle {QUOTED}, which only this list named, is no longer in the store)?",
     "dans cette liste, le pôle {old} du chargement précédent est maintenant le pôle {new}{motif_moved}{motif_dropped}",
     "in this list, the pôle 'PTCE Lauragis Coopère' of its earlier load is now the pôle 'PTCE Lauragais Coopère', "
     "and 2 members of its earlier load still in this file pass from one to the other; the pôle 'PTCE Lauragis "
     "Coopère', which only this list named, is no longer in the store"),
    (r", and 1 member of its earlier load still in this file passes from one to the other",
     " : son membre du chargement précédent, encore dans ce fichier, passe de l'un à l'autre",
     ", and 1 member of its earlier load still in this file passes from one to the other"),
    (r", and (?P<k>\d+) members of its earlier load still in this file pass from one to the other",
     " : ses {k} membres du chargement précédent encore dans ce fichier passent de l'un à l'autre",
     ", and 3 members of its earlier load still in this file pass from one to the other"),
    (rf"; the pôle (?P<pole>{QUOTED}), which only this list named, is no longer in the store",
     " ; le pôle {pole}, que seule cette liste nommait, n'est plus dans la base",
     "; the pôle 'PTCE Lauragis Coopère', which only this list named, is no longer in the store"),
    (rf"(?P<n>\d+) members? of the pôle (?P<pole>{QUOTED}) in the earlier load of this source (?:is|are) in this "
     r"file under another name(?P<motif_persons>, \d+ natural persons? among them \(not named\))?"
     r"(?P<motif_names>: .+?)?\. (?P<motif_still>Not gone: still (?:a member|members) of the pôle), under the name "
     r"this file gives",
     "membres du pôle {pole} dans le chargement précédent de cette source présents dans ce fichier sous un autre nom : "
     "{n}{motif_names}{motif_persons}. {motif_still}, sous le nom que donne ce fichier",
     "1 member of the pôle 'PTCE Sud' in the earlier load of this source is in this file under another name: "
     "Association Vélo Solidaire → Vélo Solidaire Association. Not gone: still a member of the pôle, under the name "
     "this file gives"),
    # who the member is, hence « sorti » or « sortie », is not known: « pas de sortie » fits every member
    ("Not gone: still a member of the pôle", "Pas de sortie : toujours membre du pôle",
     "Not gone: still a member of the pôle"),
    ("Not gone: still members of the pôle", "Pas de sortie : toujours membres du pôle",
     "Not gone: still members of the pôle"),
    (r", 1 natural person among them \(not named\)", ", dont 1 personne physique, non nommée",
     ", 1 natural person among them (not named)"),
    (r", (?P<p>\d+) natural persons among them \(not named\)", ", dont {p} personnes physiques, non nommées",
     ", 2 natural persons among them (not named)"),
    (r": (?P<names>.+)", " ({names})", ": Boulangerie Martin & Fils, Garage Solidaire 31"),
    (r" \(1 of these members is no longer in the store at all\)", " (l'un d'eux n'est plus du tout dans la base)",
     " (1 of these members is no longer in the store at all)"),
    (r" \((?P<k>\d+) of these members are no longer in the store at all\)",
     " ({k} d'entre eux ne sont plus du tout dans la base)",
     " (2 of these members are no longer in the store at all)"),
    (rf"column (?P<column>{QUOTED}) in the sheets per year: a row's date is when its membership starts, its sheet's "
     r"year the last it is known \(a member missing from the next year's sheet has left\)",
     "colonne {column} dans les feuilles par année : la date d'une ligne est le début de l'adhésion, l'année de sa "
     "feuille la dernière où elle est connue (un membre absent de la feuille de l'année suivante en est sorti)",
     "column \"Date d'adhésion\" in the sheets per year: a row's date is when its membership starts, its sheet's year "
     "the last it is known (a member missing from the next year's sheet has left)"),
    (rf"no member list of the pôle (?P<pole>{QUOTED}) is loaded for (?P<missing>[\d–]+), between the list of "
     rf"(?P<before>[\d-]+) \(source (?P<bsrc>{QUOTED})\) and the list of (?P<after>[\d-]+) \(source "
     rf"(?P<asrc>{QUOTED})\): a member of the list of (?P=before) missing from the list of (?P=after) is counted as "
     r"leaving in (?P<first>\d+); a member on both lists is counted as leaving in (?P=first) and joining again in "
     r"(?P<again>\d+), unless its row on the list of (?P=after) gives a date d'adhésion before (?P=again)\. "
     r"(?P<motif_advice>.+)",
     "aucune liste des membres du pôle {pole} n'est chargée pour {missing}, entre la liste de {before} (source {bsrc}) "
     "et celle de {after} (source {asrc}) : un membre de la liste de {before} absent de celle de {after} est compté "
     "comme sorti en {first} ; un membre des deux listes est compté comme sorti en {first} puis entré de nouveau en "
     "{again}, sauf si sa ligne dans la liste de {after} donne une date d'adhésion antérieure à {again}. {motif_advice}",
     "no member list of the pôle 'PTCE Sud' is loaded for 2023, between the list of 2022 (source "
     "'members:membres_2022.csv') and the list of 2024 (source 'members:membres_2024.csv'): a member of the list of "
     "2022 missing from the list of 2024 is counted as leaving in 2023; a member on both lists is counted as leaving "
     "in 2023 and joining again in 2024, unless its row on the list of 2024 gives a date d'adhésion before 2024. If "
     "you have the list of 2023, load it with its year, --year 2023; if the list of 2022 still held in 2023, load it "
     "again with --year 2022-2023"),
    (r"If you have the list of (?P<missing>\d+), load it with its year, --year (?P=missing)(?P<motif_span>; .+)?",
     "Si vous avez la liste de {missing}, chargez-la avec son année, --year {missing}{motif_span}",
     "If you have the list of 2023, load it with its year, --year 2023"),
    (r"If you have the lists of (?P<missing>[\d–]+), load each with its year \(--year (?P<first>\d+), …\)"
     r"(?P<motif_span>; .+)?",
     "Si vous avez les listes de {missing}, chargez chacune avec son année (--year {first}, …){motif_span}",
     "If you have the lists of 2022–2023, load each with its year (--year 2022, …); if the list of 2021 still held "
     "in 2022–2023, load it again with --year 2021-2023"),
    (r"; if the list of (?P<before>[\d-]+) still held in (?P<missing>[\d–]+), load it again with --year "
     r"(?P<span>[\d-]+)",
     " ; si la liste de {before} valait encore en {missing}, rechargez-la avec --year {span}",
     "; if the list of 2022 still held in 2023, load it again with --year 2022-2023"),
    (rf"no sheet for (?P<missing>[\d–]+): the list of (?P<sheet>{QUOTED}) taken as standing until the next one "
     rf"\((?P<after>{QUOTED})\), not as its members leaving and coming back",
     "pas de feuille pour {missing} : la liste de {sheet} prise comme valable jusqu'à la suivante ({after}), pas "
     "comme ses membres partis puis revenus",
     "no sheet for 2023: the list of 'Adhérents 2022' taken as standing until the next one ('Adhérents 2024'), not "
     "as its members leaving and coming back"),
    (rf"sheet (?P<sheet>{QUOTED}) names a pôle: its rows are that pôle's members \(--pole overrides\)",
     "la feuille {sheet} nomme un pôle : ses lignes sont les membres de ce pôle (--pole l'emporte)",
     "sheet 'PTCE Sud Aveyron' names a pôle: its rows are that pôle's members (--pole overrides)"),
    (rf"sheet (?P<sheet>{QUOTED}) names a role: the role of its rows that give none",
     "la feuille {sheet} nomme un rôle : celui de ses lignes qui n'en donnent pas",
     "sheet 'Financeurs' names a role: the role of its rows that give none"),
    (rf"sheet (?P<sheet>{QUOTED}): (?P<motif>.+)",
     "feuille {sheet} : {motif}",
     "sheet 'Adhérents': header found on row 2 (rows above it skipped)"),
    (r"a sheet per collège \((?P<sheets>.+)\): the members of each are given its collège unless they name their own",
     "une feuille par collège ({sheets}) : les membres de chacune reçoivent son collège, sauf s'ils nomment le leur",
     "a sheet per collège ('Collège A', 'Collège B'): the members of each are given its collège unless they name "
     "their own"),
    (r"personal data not read: (?P<columns>.+)",
     "données personnelles non lues : {columns}",
     "personal data not read: Courriel, Téléphone"),
    (r"columns not used: (?P<columns>.+)",
     "colonnes non utilisées : {columns}",
     "columns not used: ADRESSE, sources"),
    (r"no pôle: actors only",
     "pas de pôle : acteurs seulement",
     "no pôle: actors only"),
    (r"no pôle on sheets? (?P<sheets>.+): actors only there",
     "pas de pôle sur la ou les feuilles {sheets} : acteurs seulement",
     "no pôle on sheet 'Partenaires': actors only there"),
    (rf"collège headings on rows? (?P<where>{_ROWS}): the members below each are given its collège unless they "
     rf"name their own; other headings, ending the collège above them, on rows? (?P<where_others>{_ROWS})",
     "intitulés de collège, {where} : les membres en dessous de chacun reçoivent son collège, sauf s'ils "
     "nomment le leur ; d'autres intitulés, qui arrêtent le collège au-dessus d'eux, {where_others}",
     "collège headings on rows 2, 9: the members below each are given its collège unless they name their own; "
     "other headings, ending the collège above them, on row 5"),
    (rf"collège headings on rows? (?P<where>{_ROWS}): the members below each are given its collège unless they "
     r"name their own",
     "intitulés de collège, {where} : les membres en dessous de chacun reçoivent son collège, sauf s'ils "
     "nomment le leur",
     "collège headings on row 2: the members below each are given its collège unless they name their own"),
    (rf"headings ending the collège above them on rows? (?P<where>{_ROWS}): the members below get none",
     "des intitulés arrêtent le collège au-dessus d'eux, {where} : les membres en dessous n'en ont pas",
     "headings ending the collège above them on row Collège A!row 4: the members below get none"),
    (rf"headings naming a role on rows? (?P<where>{_ROWS}): the rows below each that give no role are given it",
     "intitulés qui nomment un rôle, {where} : les lignes en dessous de chacun qui ne donnent pas de rôle "
     "le reçoivent",
     "headings naming a role on row 5: the rows below each that give no role are given it"),
    (rf"pôle headings on rows? (?P<where>{_ROWS}): the rows below each, to the next, are its members "
     r"\(--pole overrides\)",
     "intitulés de pôle, {where} : les lignes en dessous de chacun, jusqu'au suivant, sont ses membres "
     "(--pole l'emporte)",
     "pôle headings on rows 2, 9: the rows below each, to the next, are its members (--pole overrides)"),
    (r"1 member is a natural person \(type, civility, role or collège\): personal data, kept out of public views "
     r"and exports",
     "1 membre est une personne physique (type, civilité, rôle ou collège) : donnée personnelle, tenue hors des "
     "vues publiques et des exports",
     "1 member is a natural person (type, civility, role or collège): personal data, kept out of public views and "
     "exports"),
    (rf"{_N} members are natural persons \(type, civility, role or collège\): personal data, kept out of public "
     r"views and exports",
     "{n} membres sont des personnes physiques (type, civilité, rôle ou collège) : données personnelles, tenues "
     "hors des vues publiques et des exports",
     "3 members are natural persons (type, civility, role or collège): personal data, kept out of public views and "
     "exports"),
    # -- subsidy files (maillage.loaders.formats.subsidies)
    (r"1 bénéficiaire is a natural person \(a civility before the name, no identifier\): personal data, kept out "
     r"of public views and exports",
     "1 bénéficiaire est une personne physique (une civilité devant le nom, aucun identifiant) : donnée "
     "personnelle, tenue hors des vues publiques et des exports",
     "1 bénéficiaire is a natural person (a civility before the name, no identifier): personal data, kept out of "
     "public views and exports"),
    (rf"{_N} bénéficiaires are natural persons \(a civility before the name, no identifier\): personal data, kept "
     r"out of public views and exports",
     "{n} bénéficiaires sont des personnes physiques (une civilité devant le nom, aucun identifiant) : données "
     "personnelles, tenues hors des vues publiques et des exports",
     "2 bénéficiaires are natural persons (a civility before the name, no identifier): personal data, kept out of "
     "public views and exports"),
    # -- a folder's files skipped by `maillage load` (maillage.loaders.detect_format)
    # files no loader reads, told by their first bytes (maillage.loaders.not_a_table, .unrecognised)
    (r"(?P<path>.+): a PDF: maillage does not read PDFs; save the list as \.xlsx, \.ods or \.csv from the program "
     r"that made it",
     "{path} est un PDF : maillage ne lit pas les PDF ; enregistrez la liste au format .xlsx, .ods ou .csv depuis le "
     "logiciel qui l'a produite",
     "membres.pdf: a PDF: maillage does not read PDFs; save the list as .xlsx, .ods or .csv from the program that "
     "made it"),
    (r"(?P<path>.+): an image \((?P<kind>\w+)\): maillage does not read images \(a scanned or photographed list\); "
     r"type the list in a spreadsheet and save it as \.xlsx, \.ods or \.csv",
     "{path} est une image ({kind}) : maillage ne lit pas les images (une liste scannée ou photographiée) ; saisissez "
     "la liste dans un tableur et enregistrez-la au format .xlsx, .ods ou .csv",
     "liste.png: an image (PNG): maillage does not read images (a scanned or photographed list); type the list in a "
     "spreadsheet and save it as .xlsx, .ods or .csv"),
    (r"(?P<path>.+): an RTF document, which maillage does not read; save it as \.docx, or the list as \.xlsx, \.ods "
     r"or \.csv",
     "{path} est un document RTF, que maillage ne lit pas ; enregistrez-le au format .docx, ou la liste au format "
     ".xlsx, .ods ou .csv",
     "liste.rtf: an RTF document, which maillage does not read; save it as .docx, or the list as .xlsx, .ods or .csv"),
    (r"(?P<path>.+): a Word document in the old \.doc format, which maillage does not read; save it as \.docx "
     r"\(« Enregistrer sous » in Word or LibreOffice\), or the list as \.xlsx, \.ods or \.csv",
     "{path} est un document Word à l'ancien format .doc, que maillage ne lit pas ; enregistrez-le au format .docx "
     "(« Enregistrer sous » dans Word ou LibreOffice), ou la liste au format .xlsx, .ods ou .csv",
     "liste.doc: a Word document in the old .doc format, which maillage does not read; save it as .docx "
     "(« Enregistrer sous » in Word or LibreOffice), or the list as .xlsx, .ods or .csv"),
    (r"(?P<path>.+): an old-format Microsoft Office file \(\.doc, \.ppt, \.msg…\), which maillage does not read; "
     r"save the list as \.xlsx, \.ods or \.csv",
     "{path} est un fichier Microsoft Office à l'ancien format (.doc, .ppt, .msg…), que maillage ne lit pas ; "
     "enregistrez la liste au format .xlsx, .ods ou .csv",
     "liste.ppt: an old-format Microsoft Office file (.doc, .ppt, .msg…), which maillage does not read; save the "
     "list as .xlsx, .ods or .csv"),
    (r"(?P<path>.+): a zip archive: unzip it and load its files \(or the folder they are in\)",
     "{path} est une archive zip : décompressez-la et chargez ses fichiers (ou le dossier qui les contient)",
     "exports.zip: a zip archive: unzip it and load its files (or the folder they are in)"),
    *((rf"(?P<path>.+): the lock file {program} leaves beside (?P<name>.+) while it is open in it, not a list: load "
       rf"(?P<file>.+) \(after closing it in {program}\)",
       f"{{path}} est le fichier de verrouillage {que} laisse à côté de {{name}} tant qu'il y est ouvert, pas une "
       f"liste : chargez {{file}} (après l'avoir fermé dans {program})",
       f"exports/~$liste.{ext}: the lock file {program} leaves beside 'liste.{ext}' while it is open in it, not a "
       f"list: load exports/liste.{ext} (after closing it in {program})")
      for program, que, ext in (("Excel", "qu'Excel", "xlsx"), ("Word", "que Word", "docx"))),
    (r"(?P<path>.+): no sheet holds any rows \(sheets: (?P<sheets>.+)\); nothing to load",
     "{path} : aucune feuille ne contient de lignes (feuilles : {sheets}) : rien à charger",
     "membres.xlsx: no sheet holds any rows (sheets: 'Feuil1', 'Feuil2'); nothing to load"),
    (r"(?P<path>.+): cannot tell the format of this table: no column maillage knows \((?P<motif_where>(?:columns "
     r"found|sheets looked at): .+?)\); a member list needs a column of names \((?P<names>[^)]+)\), a subsidy file "
     r"the SCDL columns \((?P<scdl>[^)]+)\); to read it anyway, name its column of names with --format members "
     r"--option column\.name=COLUMN, or map a subsidy file's columns with --format subsidies --mapping FILE\.yaml",
     "{path} : aucune colonne reconnue ({motif_where}) ; une liste de membres doit avoir une colonne de noms "
     "({names}), un fichier de subventions les colonnes du SCDL ({scdl}) ; pour le lire quand même, nommez sa "
     "colonne de noms avec --format members --option column.name=COLONNE, ou faites correspondre les colonnes d'un "
     "fichier de subventions avec --format subsidies --mapping FICHIER.yaml",
     "m.xlsx: cannot tell the format of this table: no column maillage knows (sheets looked at: 'Liste' (Courriel, "
     "Ville)); a member list needs a column of names (nom, structure…), a subsidy file the SCDL columns "
     "(nomBeneficiaire, montant…); to read it anyway, name its column of names with --format members --option "
     "column.name=COLUMN, or map a subsidy file's columns with --format subsidies --mapping FILE.yaml"),
    (r"columns found: (?P<columns>.+)", "colonnes trouvées : {columns}", "columns found: Courriel, Ville"),
    (r"sheets looked at: (?P<sheets>.+); empty sheets: (?P<empty>.+)",
     "feuilles examinées : {sheets} ; feuilles vides : {empty}",
     "sheets looked at: 'Liste' (Courriel, Ville); empty sheets: 'Feuil2'"),
    (r"sheets looked at: (?P<sheets>.+)", "feuilles examinées : {sheets}", "sheets looked at: 'Liste' (Courriel)"),
    (r"(?P<path>.+): cannot tell the format of this file: binary content, neither a table nor a file maillage "
     r"reads; save the list as \.xlsx, \.ods or \.csv",
     "{path} : format non reconnu : un contenu binaire, ni un tableau ni un fichier que maillage lit ; enregistrez la "
     "liste au format .xlsx, .ods ou .csv",
     "bruit.bin: cannot tell the format of this file: binary content, neither a table nor a file maillage reads; "
     "save the list as .xlsx, .ods or .csv"),
    (r"(?P<path>.+): cannot tell the format of this file: text, but not a table \(a row of column names, then a row "
     r"per entry\); save the list as \.xlsx, \.ods or \.csv",
     "{path} : format non reconnu : du texte, mais pas un tableau (une ligne de noms de colonnes, puis une ligne par "
     "entrée) ; enregistrez la liste au format .xlsx, .ods ou .csv",
     "LISEZMOI.txt: cannot tell the format of this file: text, but not a table (a row of column names, then a row "
     "per entry); save the list as .xlsx, .ods or .csv"),
    (r"(?P<path>.+): cannot tell the format of this file; use --format \(one of: (?P<formats>.+)\)",
     "{path} : format non reconnu ; précisez-le avec --format (l'un de : {formats})",
     "exports/LISEZMOI.txt: cannot tell the format of this file; use --format (one of: ftm, kumu, members)"),
    (r"(?P<path>.+): a rejects file written by `maillage load` \(the rows another file could not give\), not data: "
     r"correct those rows in the file they came from and load it again",
     "{path} : un fichier de rejets écrit par `maillage load` (les lignes qu'un autre fichier n'a pas pu donner), "
     "pas des données : corrigez ces lignes dans leur fichier et chargez-le à nouveau",
     "exports/rejects/b.rejects.csv: a rejects file written by `maillage load` (the rows another file could not "
     "give), not data: correct those rows in the file they came from and load it again"),
    (r"(?P<path>.+): a load report written by `maillage load --report`, not data",
     "{path} : un compte rendu de chargement écrit par `maillage load --report`, pas des données",
     "exports/chargement.json: a load report written by `maillage load --report`, not data"),
    (r"(?P<path>.+): the file is empty \(0 bytes\): nothing to load",
     "{path} : le fichier est vide (0 octet) : rien à charger",
     "exports/vide.csv: the file is empty (0 bytes): nothing to load"),
    # -- errors that stop a load (maillage.loaders, .tabular, .formats): the commonest
    (r"(?P<path>.+): the file has no data rows under the header; nothing was loaded \(the earlier load of source "
     r"(?P<id>'[^']*') is kept; to remove it: maillage remove (?P<sid>.+)\)",
     "{path} : aucune ligne de données sous l'en-tête ; rien n'a été chargé (le chargement précédent de la source "
     "{id} est gardé ; pour la retirer : maillage remove {sid})",
     "membres.csv: the file has no data rows under the header; nothing was loaded (the earlier load of source "
     "'members:membres.csv' is kept; to remove it: maillage remove members:membres.csv)"),
    (r"(?P<path>.+): the file has no data rows under the header; nothing was loaded",
     "{path} : aucune ligne de données sous l'en-tête ; rien n'a été chargé",
     "membres.csv: the file has no data rows under the header; nothing was loaded"),
    (r"(?P<path>.+): the file holds no records; nothing was loaded \(the earlier load of source (?P<id>'[^']*') is "
     r"kept; to remove it: maillage remove (?P<sid>.+)\)",
     "{path} : le fichier ne contient aucun enregistrement ; rien n'a été chargé (le chargement précédent de la "
     "source {id} est gardé ; pour la retirer : maillage remove {sid})",
     "a.json: the file holds no records; nothing was loaded (the earlier load of source 'popolo:a.json' is kept; "
     "to remove it: maillage remove popolo:a.json)"),
    (r"(?P<path>.+): the file holds no records; nothing was loaded",
     "{path} : le fichier ne contient aucun enregistrement ; rien n'a été chargé",
     "a.json: the file holds no records; nothing was loaded"),
    # the source's id as Python writes it ('…', or "…" around an apostrophe), the remove command as
    # the shell reads it (quoted when it has a space): any name a file can have
    (r"(?P<path>.+): same content as the source (?P<id>'[^']*'|\"[^\"]*\") \(loaded from (?P<uri>.+) on "
     r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d) (?P<hm>[\d:]+)\): loaded too, each of its ties would be counted twice; not "
     r"loaded\. To load it in place of that source: maillage remove (?P<sid>.+), then load it; to load it anyway: "
     r"--duplicate",
     "{path} : même contenu que la source {id} (chargée depuis {uri} le {d}/{m}/{y} {hm}) : chargé en plus, chacun de ses liens "
     "serait compté deux fois ; non chargé. Pour le charger à la place de cette source : maillage remove "
     "{sid}, puis chargez-le ; pour le charger quand même : --duplicate",
     "membres (2).xlsx: same content as the source 'members:membres 2024.xlsx' (loaded from membres 2024.xlsx on "
     "2024-05-03 14:12): loaded too, each of its ties would be counted twice; not loaded. To load it in place of that "
     "source: maillage remove 'members:membres 2024.xlsx', then load it; to load it anyway: --duplicate"),
    (r"(?P<path>.+): same content as the source (?P<id>'[^']*'|\"[^\"]*\") \(loaded from (?P<uri>.+)\): loaded too, "
     r"each of its ties would be counted twice; not loaded\. To load it in place of that source: maillage remove "
     r"(?P<sid>.+), then load it; to load it anyway: --duplicate",
     "{path} : même contenu que la source {id} (chargée depuis {uri}) : chargé en plus, chacun de ses liens serait "
     "compté deux fois ; non chargé. Pour le charger à la place de cette source : maillage remove {sid}, puis "
     "chargez-le ; pour le charger quand même : --duplicate",
     "copie.csv: same content as the source \"members:l'atelier.csv\" (loaded from l'atelier.csv): loaded too, each "
     "of its ties would be counted twice; not loaded. To load it in place of that source: maillage remove "
     "'members:l'\"'\"'atelier.csv', then load it; to load it anyway: --duplicate"),
    (r"(?P<path>.+): same content as (?P<other>.+), given in this command: loaded too, each of its ties would be "
     r"counted twice; not loaded\. To load it anyway: --duplicate",
     "{path} : même contenu que {other}, donné dans cette commande : chargé en plus, chacun de ses liens serait "
     "compté deux fois ; non chargé. Pour le charger quand même : --duplicate",
     "exports/membres (2).xlsx: same content as exports/membres.xlsx, given in this command: loaded too, each of its "
     "ties would be counted twice; not loaded. To load it anyway: --duplicate"),
    (r"(?P<path>.+): no such file",
     "{path} : fichier introuvable",
     "membres.csv: no such file"),
    (r"(?P<path>.+): the file is empty",
     "{path} : le fichier est vide",
     "membres.csv: the file is empty"),
    (r"(?P<path>.+): unknown format (?P<format>.+); expected one of: (?P<formats>.+)",
     "{path} : format {format} inconnu ; formats possibles : {formats}",
     "membres.csv: unknown format 'member'; expected one of: members, scdl"),
    (r"(?P<path>.+): this is a binary file, not CSV text \(give a \.xlsx/\.ods spreadsheet its extension\)",
     "{path} : un fichier binaire, pas du texte CSV (donnez à un classeur .xlsx/.ods son extension)",
     "membres.csv: this is a binary file, not CSV text (give a .xlsx/.ods spreadsheet its extension)"),
    (r"(?P<path>.+): cannot (?:open|read) this spreadsheet \((?P<why>.+)\)",
     "{path} : ce classeur ne peut pas être lu ({why})",
     "membres.xlsx: cannot open this spreadsheet (Invalid Zip archive)"),
    (r"(?P<path>.+): no sheet named (?P<sheet>.+); sheets: (?P<sheets>.+)",
     "{path} : aucune feuille nommée {sheet} ; feuilles : {sheets}",
     "membres.xlsx: no sheet named 'Adherents'; sheets: Adhérents, Légende"),
    (r"(?P<path>.+): an HTML page without a table \(a web page saved instead of its export: an expired session, "
     r"an error page\?\); expected a table of rows",
     "{path} : une page HTML sans tableau (une page enregistrée à la place de l'export : session expirée, page "
     "d'erreur ?) ; un tableau de lignes était attendu",
     "export.xls: an HTML page without a table (a web page saved instead of its export: an expired session, an "
     "error page?); expected a table of rows"),
    (r"(?P<path>.+): an Excel 2003 XML spreadsheet \(« Feuille de calcul XML 2003 »\), which is not read; open it "
     r"in a spreadsheet program and save it as \.xlsx or CSV",
     "{path} : un classeur « Feuille de calcul XML 2003 », qui n'est pas lu ; ouvrez-le dans un tableur et "
     "enregistrez-le en .xlsx ou en CSV",
     "export.xls: an Excel 2003 XML spreadsheet (« Feuille de calcul XML 2003 »), which is not read; open it in a "
     "spreadsheet program and save it as .xlsx or CSV"),
    (r"(?P<path>.+): a document without a table; the list must be a table \(one row per member, its columns named "
     r"on the first row\)",
     "{path} : un document sans tableau ; la liste doit être un tableau (une ligne par membre, ses colonnes nommées "
     "sur la première ligne)",
     "lettre.docx: a document without a table; the list must be a table (one row per member, its columns named on "
     "the first row)"),
    (r"(?P<path>.+): cannot read this document \((?P<why>.+)\)",
     "{path} : ce document ne peut pas être lu ({why})",
     "adherents.docx: cannot read this document (File is not a zip file)"),
    (r"(?P<path>.+) \(sheet (?P<sheet>.+)\): no rows",
     "{path} (feuille {sheet}) : aucune ligne",
     "adherents.xlsx (sheet Feuil1): no rows"),
    (r"(?P<path>.+): no rows",
     "{path} : aucune ligne",
     "membres.csv: no rows"),
    (r"(?P<path>.+): no column holds the (?P<what>member|place)s' names; expected one of (?P<names>.+) "
     r"\(found: (?P<found>.*)\); or name it with --option column\.name=HEADER",
     "{path} : aucune colonne ne donne les noms ; l'une de {names} était attendue (trouvées : {found}) ; ou "
     "nommez-la avec --option column.name=EN-TÊTE",
     "membres.csv: no column holds the members' names; expected one of nom, name, structure… (found: A, B); or "
     "name it with --option column.name=HEADER"),
    (r"(?P<path>.+): this member list has membership columns \((?P<columns>.+)\) but names no pôle: give it with "
     r"--pole \"NAME\" \(option pole\), or add a column 'pôle' naming each row's pôle",
     "{path} : cette liste de membres a des colonnes d'adhésion ({columns}) mais ne nomme pas de pôle : "
     "donnez-le avec --pole \"NOM\" (option pole), ou ajoutez une colonne « pôle » qui le nomme à chaque ligne",
     "membres.csv: this member list has membership columns (Rôle, Collège) but names no pôle: give it with --pole "
     "\"NAME\" (option pole), or add a column 'pôle' naming each row's pôle"),
    (r"(?P<path>.+): the subsidies format needs a column mapping: --mapping FILE\.yaml \(see "
     r"docs/formats/subsidies\.md\); the columns of this file are not those of a mapping shipped with maillage "
     r"\((?P<names>.+)\)",
     "{path} : le format subsidies demande une correspondance de colonnes : --mapping FICHIER.yaml (voir "
     "docs/formats/subsidies.md) ; les colonnes de ce fichier ne sont pas celles d'une correspondance livrée "
     "avec maillage ({names})",
     "aides.csv: the subsidies format needs a column mapping: --mapping FILE.yaml (see docs/formats/subsidies.md); "
     "the columns of this file are not those of a mapping shipped with maillage (paris)"),
    (r"(?P<path>.+): option year: expected the year whose list of members the file is \(2025\) or a span "
     r"\(2024-2025\), got (?P<value>.+)",
     "{path} : option year (--year) : l'année dont le fichier est la liste des membres (2025) ou une période "
     "(2024-2025) était attendue, reçu {value}",
     "membres.csv: option year: expected the year whose list of members the file is (2025) or a span (2024-2025), "
     "got 'l'an dernier'"),
    (r"(?P<path>.+): option year: (?P<value>.+) is after next year: expected the year whose list of members the "
     r"file is, (?P<last>\d+) at the latest",
     "{path} : option year (--year) : {value} est après l'année prochaine ; l'année dont le fichier est la liste des "
     "membres était attendue, {last} au plus tard",
     "membres.csv: option year: '2090' is after next year: expected the year whose list of members the file is, "
     "2027 at the latest"),
    (r"(?P<path>.+): a sheet per year \((?P<sheets>.+)\): each sheet's list is dated by its name; --year \(option "
     r"year\) is for a file holding the list of one year \(to load one sheet as that year, give --option sheet=NAME "
     r"too\)",
     "{path} : une feuille par année ({sheets}) : la liste de chaque feuille est datée par son nom ; --year (option "
     "year) est pour un fichier qui tient la liste d'une seule année (pour charger une feuille comme cette année-là, "
     "donnez aussi --option sheet=NOM)",
     "adherents.xlsx: a sheet per year ('2024', '2025'): each sheet's list is dated by its name; --year (option "
     "year) is for a file holding the list of one year (to load one sheet as that year, give --option sheet=NAME "
     "too)"),
    # the command names the file before (« membres.csv: format 'ftm' does not take … »)
    (r"(?P<path>.+): (?P<motif>format '[^']+' does not take option\(s\) .+; it takes: .+)", "{path} : {motif}",
     "entities.ftm.json: format 'ftm' does not take option(s) pole; it takes: none"),
    (r"format (?P<format>.+) does not take option\(s\) (?P<options>.+); it takes: none",
     "le format {format} ne prend aucune option (donnée : {options})",
     "format 'ftm' does not take option(s) pole; it takes: none"),
    (r"format (?P<format>.+) does not take option\(s\) (?P<options>.+); it takes: (?P<known>.+)",
     "le format {format} ne prend pas la ou les options {options} ; il prend : {known}",
     "format 'scdl' does not take option(s) pole; it takes: delimiter, encoding, sheet"),
    (r"(?P<path>.+): cannot read this folder: this user may not read it; its files are not loaded",
     "{path} : lecture du dossier refusée : cet utilisateur n'a pas le droit de le lire ; ses fichiers ne sont pas "
     "chargés",
     "exports/2024: cannot read this folder: this user may not read it; its files are not loaded"),
    (r"(?P<path>.+): cannot read this file(?P<again> again for the rejects file)?: permission denied \(a "
     r"spreadsheet program that has it open locks it: close it there and load it again; otherwise this user may not "
     r"read it\)(?P<then>; nothing was loaded)?",
     "{path} : lecture du fichier refusée (un tableur qui l'a ouvert le verrouille : fermez-le dans le tableur et "
     "chargez-le de nouveau ; sinon, cet utilisateur n'a pas le droit de le lire)",
     "membres.csv: cannot read this file: permission denied (a spreadsheet program that has it open locks it: "
     "close it there and load it again; otherwise this user may not read it)"),
    (r"(?P<path>.+): cannot read this file(?: again for the rejects file)? \((?P<why>.+)\)(?:; nothing was loaded)?",
     "{path} : ce fichier ne peut pas être lu ({why}) ; rien n'a été chargé",
     "membres.csv: cannot read this file (Input/output error)"),
    (r"(?P<path>.+): cannot write the rejects file (?P<rpath>.+) \((?P<why>.+)\); nothing was loaded",
     "{path} : impossible d'écrire le fichier des rejets {rpath} ({why}) ; rien n'a été chargé",
     "refus.csv: cannot write the rejects file rejets/refus.rejects.csv (No space left on device); nothing was "
     "loaded"),
    (r"(?P<path>.+): the file changed while it was being loaded; nothing was loaded",
     "{path} : le fichier a changé pendant son chargement ; rien n'a été chargé",
     "membres.csv: the file changed while it was being loaded; nothing was loaded"),
]
