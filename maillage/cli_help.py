"""The command line's ``--help`` in French (the default language): each English help text of
:mod:`maillage.cli`, as written there, and its French. :func:`maillage.cli` shows the French unless
``--lang en`` or ``MAILLAGE_LANG=en``; a text missing here is shown in English (tests/test_cli_help.py
checks none is)."""

FR: dict[str, str] = {
    "maillage: map cooperation between the actors of a territory (PTCE, ESS, collectivités).":
        "maillage\xa0: cartographier la coopération entre les acteurs d'un territoire (PTCE, ESS, "
        "collectivités).",
    "Store URI: a file path (embedded SQLite), or bolt://… for Neo4j. Default: $MAILLAGE_STORE or "
    "./maillage.db":
        "URI de la base : un chemin de fichier (base embarquée, SQLite), ou bolt://… pour Neo4j. Défaut : "
        "$MAILLAGE_STORE ou ./maillage.db",
    "Show tracebacks on errors":
        "Afficher la pile d'appels (traceback) des erreurs",
    "Print the version of maillage and exit":
        "Afficher la version de maillage et quitter",
    "Language of the command, as its own --lang: fr or en. Default: $MAILLAGE_LANG or fr":
        "Langue de la commande, comme son propre --lang : fr ou en. Défaut : $MAILLAGE_LANG ou fr",
    "Load files into the store. Reloading a file replaces what it said before.\n"
    "\n"
    "Every row is loaded (it states something new), merged (all it states was already known) or\n"
    "rejected with a reason in a rejects file next to the report (CSV for a spreadsheet, in French unless --lang en: fichier,\n"
    "ligne, niveau, colonne, valeur, motif, original row). Rows loaded with a value flagged (e.g.\n"
    "a SIRET damaged by a spreadsheet) are listed there as warnings (niveau « avertissement »).\n"
    "\n"
    "A folder loads its files, its subfolders' included (by path; hidden files and folders and\n"
    "Excel's ~$ lock files left out); one of them whose format cannot be told (a README, a PDF, a\n"
    "rejects file) is skipped with a line saying so.\n"
    "\n"
    "Examples:\n"
    "\n"
    "\b\n"
    'maillage load membres.xlsx --pole "Le Périscope" --report chargement.json\n'
    'maillage load membres_2025.csv --pole "Le Périscope" --year 2025\n'
    "maillage load subventions.csv --format scdl\n"
    "maillage load exports/ --report suivi/\n"
    "maillage load --reference":
        "Charger des fichiers dans la base. Recharger un fichier remplace ce qu'il disait avant.\n"
        "\n"
        "Chaque ligne est chargée (elle dit quelque chose de nouveau), fusionnée (tout ce qu'elle dit\n"
        "était déjà connu) ou rejetée avec un motif dans un fichier des rejets à côté du rapport (CSV pour un tableur, en français sauf --lang en :\n"
        "fichier, ligne, niveau, colonne, valeur, motif, original (la ligne d'origine)). Les lignes\n"
        "chargées avec une valeur signalée (par ex. un SIRET abîmé par un tableur) y figurent comme\n"
        "avertissements (niveau « avertissement »).\n"
        "\n"
        "Un dossier charge ses fichiers, y compris ceux de ses sous-dossiers (dans l'ordre des chemins ;\n"
        "fichiers et dossiers cachés et fichiers de verrou ~$ d'Excel exclus) ; un fichier dont le\n"
        "format ne peut être reconnu (un README, un PDF, un fichier des rejets) est ignoré, avec une\n"
        "ligne qui le dit.\n"
        "\n"
        "Exemples :\n"
        "\n"
        "\b\n"
        'maillage load membres.xlsx --pole "Le Périscope" --report chargement.json\n'
        'maillage load membres_2025.csv --pole "Le Périscope" --year 2025\n'
        "maillage load subventions.csv --format scdl\n"
        "maillage load exports/ --report suivi/\n"
        "maillage load --reference",
    "Also load the reference dataset drawn from the founding documents (sources reference:s000a…), as the "
    "demo does":
        "Charger aussi le jeu de données de référence tiré des documents fondateurs (sources reference:s000a…), "
        "comme le fait la démo",
    "Files to load (each is one source), or folders of them":
        "Fichiers à charger (chacun est une source), ou dossiers de fichiers",
    "Force the format (default: detected)":
        "Forcer le format (défaut : détecté)",
    "Load a file even when a source already loaded has the same content (a copy under another name: each of "
    "its ties would be counted twice)":
        "Charger un fichier même quand une source déjà chargée a le même contenu (une copie sous un autre nom : "
        "chacun de ses liens serait compté deux fois)",
    "Write the load report (JSON) here; given a folder (or a name without extension), chargement.json in "
    "it":
        "Écrire ici le rapport de chargement (JSON) ; pour un dossier (ou un nom sans extension), "
        "chargement.json dedans",
    "Source id (one file only); default <format>:<file name>":
        "Identifiant de la source (un seul fichier) ; défaut <format>:<nom du fichier>",
    "Member or place lists (formats members, places): the pôle their entries belong to":
        "Listes de membres ou de lieux (formats members, places) : le pôle auquel leurs entrées appartiennent",
    "Member or place lists (formats members, places): the year whose list of the pôle's members the file is (2025, "
    "or 2024-2025): a member missing from a later year's list then leaves":
        "Listes de membres ou de lieux (formats members, places) : l'année dont le fichier est la liste des membres "
        "du pôle (2025, ou 2024-2025) : un membre absent de la liste d'une année suivante en est alors sorti",
    "Subsidy files of a layout of their own (format subsidies): a column mapping (YAML)":
        "Fichiers de subventions d'une disposition propre (format subsidies) : une correspondance des colonnes "
        "(YAML)",
    "A format option, KEY=VALUE (repeatable; see docs/formats/)":
        "Une option de format, CLÉ=VALEUR (répétable ; voir docs/formats/)",
    "Language of the lines printed and of the rejects file: fr (default) or en":
        "Langue des lignes affichées et du fichier des rejets : fr (défaut) ou en",
    "Counts of what the store holds: actors, relations, pôles, sources, by family and type.":
        "Décompte de ce que contient la base : acteurs, relations, pôles, sources, par famille et par\n"
        "type.",
    "Print JSON":
        "Afficher en JSON",
    "Language of what is printed: fr (default) or en":
        "Langue de ce qui est affiché : fr (défaut) ou en",
    "The sources in the store, in load order: id (what `maillage remove` takes), format, file,\n"
    "load time, title (persons' names masked).":
        "Les sources de la base, dans l'ordre de chargement : identifiant (ce que prend `maillage\n"
        "remove`), format, fichier, date de chargement, titre (noms de personnes masqués).",
    "Remove a source and every statement that came from it, in one transaction. Actors that\n"
    "other sources also describe stay, with what those sources say; the others go. Refused when\n"
    "another source's ties would be left pointing at an actor only this source described.":
        "Retirer une source et tous les énoncés qui en viennent, en une seule transaction. Les acteurs\n"
        "que d'autres sources décrivent aussi restent, avec ce que ces sources en disent ; les autres\n"
        "disparaissent. Refusé quand des liens d'une autre source resteraient pointés vers un acteur que\n"
        "seule cette source décrivait.",
    "The source to remove: its id (see `maillage sources`) or the name of the file it was loaded from":
        "La source à retirer : son identifiant (voir `maillage sources`) ou le nom du fichier d'où elle a "
        "été chargée",
    "Do not ask for confirmation":
        "Ne pas demander de confirmation",
    "Erase a natural person at their request (RGPD, article 17), in one transaction: its actor, its\n"
    "statements from every source, its ties, its values in the analysis runs, the review proposals\n"
    "and decisions about it. Its name in the free text of the store becomes « [personne effacée] »;\n"
    "the other persons keep their numbers; a later load of a file stating it rejects that row.\n"
    "Files already written (rejects, exports, maps, reports) are listed, to delete by hand.":
        "Effacer une personne physique à sa demande (RGPD, article 17), en une seule transaction : son\n"
        "acteur, ses énoncés de toutes les sources, ses liens, ses valeurs dans les analyses, les\n"
        "propositions et décisions de fusion qui la concernent. Son nom dans les textes libres de la base\n"
        "devient « [personne effacée] » ; les autres personnes gardent leur numéro ; un fichier qui\n"
        "l'énonce, chargé plus tard, voit cette ligne rejetée. Les fichiers déjà écrits (rejets, exports,\n"
        "cartes, rapports) sont listés, à effacer à la main.",
    "The person's actor id (a natural person: see `maillage export -f nodes.csv --include-persons`)":
        "L'identifiant d'acteur de la personne (une personne physique : voir `maillage export -f nodes.csv "
        "--include-persons`)",
    "The analysis runs in the store, newest first: id, date, lens, year, actors. Given a run's\n"
    "id: what to cite it by in a paper, as it was when the run was made (persons' names masked in\n"
    "the sources' titles). With --remove or --keep: remove runs (asked for confirmation unless\n"
    "--yes); a removed run can no longer be cited: keep the runs you cite. With --copy-to-actors\n"
    "(Neo4j): the run's metrics as properties of the actors, to size and colour them in Bloom.\n"
    "\n"
    "Examples:\n"
    "\n"
    "\b\n"
    "maillage runs\n"
    "maillage runs run-20261206T045830Z-1bb0ce\n"
    "maillage runs --remove run-20261206T045830Z-1bb0ce\n"
    "maillage runs --keep 3\n"
    "maillage --store bolt://localhost:7687 runs run-20261206T045830Z-1bb0ce --copy-to-actors":
        "Les analyses de la base, de la plus récente à la plus ancienne : identifiant, date, lentille,\n"
        "année, acteurs. Avec l'identifiant d'une analyse : de quoi la citer dans un article, telle\n"
        "qu'elle a été faite (noms de personnes masqués dans les titres des sources). Avec --remove ou\n"
        "--keep : retirer des analyses (après confirmation, sauf --yes) ; une analyse retirée ne peut\n"
        "plus être citée : gardez celles que vous citez. Avec --copy-to-actors (Neo4j) : les mesures de\n"
        "l'analyse en propriétés des acteurs, pour régler leur taille et leur couleur dans Bloom.\n"
        "\n"
        "Exemples :\n"
        "\n"
        "\b\n"
        "maillage runs\n"
        "maillage runs run-20261206T045830Z-1bb0ce\n"
        "maillage runs --remove run-20261206T045830Z-1bb0ce\n"
        "maillage runs --keep 3\n"
        "maillage --store bolt://localhost:7687 runs run-20261206T045830Z-1bb0ce --copy-to-actors",
    "A run's id: what to cite it by (date, lens, year, parameters, sources with their sha256, versions); "
    "with --remove, the runs to remove":
        "L'identifiant d'une analyse : de quoi la citer (date, lentille, année, paramètres, sources avec "
        "leur sha256, versions) ; avec --remove, les analyses à retirer",
    "Remove the runs given, with their metrics: they can no longer be cited, exported or reported on":
        "Retirer les analyses données, avec leurs mesures : elles ne pourront plus être citées, exportées "
        "ni servir aux rapports",
    "Keep the N most recent runs and remove the older ones":
        "Garder les N analyses les plus récentes et retirer les plus anciennes",
    "Neo4j only: copy the run's metrics onto the Actor nodes as properties mesure_* (mesure_betweenness…, "
    "mesure_run: the run's id), for Bloom's styling rules; other actors' mesure_* are removed":
        "Neo4j seulement : copier les mesures de l'analyse sur les nœuds Actor, en propriétés mesure_* "
        "(mesure_betweenness…, mesure_run : l'identifiant de l'analyse), pour les règles de style de Bloom ; "
        "les mesure_* des autres acteurs sont retirées",
    "Analyse a lens of the graph (metrics, brokerage, diagnostics) and store it as a new run.":
        "Analyser une lentille du graphe (mesures, courtage, diagnostics) et l'enregistrer comme\n"
        "nouvelle analyse.",
    "Projection: cooperation, funding, governance or all":
        "Projection : coopération, financement, gouvernance ou tout (ou leurs noms anglais cooperation, funding, "
        "governance, all)",
    "Only ties active in that year":
        "Seulement les liens actifs cette année-là",
    "Certainties that count as ties, repeated or comma-separated: stated, implied, inferred, planned, "
    "or all (default: all but planned: a tie only planned or announced is no tie)":
        "Certitudes comptées comme liens, répétées ou séparées par des virgules : affirmé, implicite, déduit, "
        "prévu, ou tout (défaut : toutes sauf prévu : un lien seulement prévu ou annoncé n'est pas un lien)",
    "Count refused funding applications as funding ties (default: a refusal is no tie)":
        "Compter les demandes de financement refusées comme liens de financement (défaut : un refus n'est pas "
        "un lien)",
    "Sampled betweenness with k sources (default: exact)":
        "Intermédiarité échantillonnée sur k sources (défaut : exacte)",
    "Sampled closeness/harmonic with k sources (default: exact; for nation-scale graphs)":
        "Proximité/centralité harmonique échantillonnée sur k sources (défaut : exacte ; pour les graphes à "
        "l'échelle nationale)",
    "Seed for sampled measures and communities":
        "Graine des mesures échantillonnées et des communautés",
    "Also pôle diagnostics, criteria, isolation, observatory":
        "Aussi les diagnostics des pôles, critères, isolement, observatoire",
    "Groups for brokerage roles: family, pole or departement":
        "Groupes des rôles de courtage : family, pole ou departement",
    "A note kept with the run":
        "Une note gardée avec l'analyse",
    "Export the actor metrics of an analysis run (csv; columns: docs/analytics-metrics.md), its\n"
    "pôles (poles.csv) or its years (evolution.csv), or the graph — whole, a pôle, a territory\n"
    "or an actor's neighbourhood — for Gephi, yEd, Cytoscape, Kumu, a spreadsheet or Aleph\n"
    "(docs/exports.md).":
        "Exporter les mesures des acteurs d'une analyse (csv ; colonnes : docs/analytics-metrics.md), ses\n"
        "pôles (poles.csv) ou ses années (evolution.csv), ou le graphe — entier, un pôle, un territoire\n"
        "ou le voisinage d'un acteur — pour Gephi, yEd, Cytoscape, Kumu, un tableur ou Aleph\n"
        "(docs/exports.md).",
    "csv: the actor metrics of a run; poles.csv: its pôle figures and criteria, one row per pôle; "
    "evolution.csv: its figures year by year; or the graph, for another tool: gexf (Gephi), graphml (yEd, "
    "Cytoscape), kumu.xlsx (Kumu), json, edges.csv, nodes.csv, ftm.jsonl (Aleph)":
        "csv : les mesures des acteurs d'une analyse ; poles.csv : les chiffres et critères de ses pôles, une "
        "ligne par pôle ; evolution.csv : ses chiffres année par année ; ou le graphe, pour un autre outil : "
        "gexf (Gephi), graphml (yEd, Cytoscape), kumu.xlsx (Kumu), json, edges.csv, nodes.csv, ftm.jsonl (Aleph)",
    "File to write (default: metriques.csv, or maillage-<view>.<format>; given a folder, that name in it)":
        "Fichier à écrire (défaut : metriques.csv, ou maillage-<vue>.<format> ; pour un dossier, ce nom "
        "dedans)",
    "Graph formats: only this pôle (id or name)":
        "Formats de graphe : seulement ce pôle (identifiant ou nom)",
    "Graph formats: only this territory (id, code or name)":
        "Formats de graphe : seulement ce territoire (identifiant, code ou nom)",
    "Graph formats: only this actor's neighbourhood (id, SIREN or name)":
        "Formats de graphe : seulement le voisinage de cet acteur (identifiant, SIREN ou nom)",
    "--actor: ties away from it (default 1; refused without --actor)":
        "--actor : nombre de liens parcourus depuis l'acteur (1 par défaut ; refusé sans --actor)",
    "Graph formats: cooperation | funding | governance | all (default: all; with --projection, cooperation, as "
    "maillage analyse)":
        "Formats de graphe : coopération | financement | gouvernance | tout (ou cooperation | funding | governance | "
        "all ; défaut : tout ; avec --projection, coopération, comme maillage analyse)",
    "Write the graph the analysis measures: one weighted tie per pair of actors, from the lens's direct ties, shared "
    "pôles and common governors (--lens governance: the board interlock network), not one edge per statement. "
    "Formats: gexf, graphml, json, edges.csv, nodes.csv":
        "Écrire le graphe que mesure l'analyse : un lien pondéré par paire d'acteurs, fait des liens directs, des "
        "pôles partagés et des gouvernants communs de la lentille (--lens governance : le réseau des "
        "administrateurs communs), et non une arête par relation énoncée. Formats : gexf, graphml, json, "
        "edges.csv, nodes.csv",
    "Graph formats: only ties active that year":
        "Formats de graphe : seulement les liens actifs cette année-là",
    "Keep natural persons and their ties (personal data: left out by default)":
        "Garder les personnes physiques et leurs liens (données personnelles : exclues par défaut)",
    "Labels in the graph formats, and what is printed: fr (default) or en":
        "Libellés des formats de graphe, et ce qui est affiché : fr (défaut) ou en",
    "Analysis run id (default: the latest; graph formats: the latest of --lens and --as-of, else the latest)":
        "Identifiant de l'analyse (défaut : la dernière ; formats de graphe : la dernière de --lens et --as-of, "
        "sinon la dernière)",
    "The CSV files: column separator; ';' for a French spreadsheet (default: ',', ';' with "
    "--decimal-comma)":
        "Les fichiers CSV : séparateur de colonnes ; ';' pour un tableur français (défaut : ',', ';' avec "
        "--decimal-comma)",
    "The CSV files: write 0,25 instead of 0.25 (and ';' between columns)":
        "Les fichiers CSV : écrire 0,25 au lieu de 0.25 (et ';' entre les colonnes)",
    "The CSV files: a file for a spreadsheet people read: French headers, labels instead of codes, "
    "rounded numbers, ';' and 0,25 (with --lang en: English, ',' and 0.25)":
        "Les fichiers CSV : un fichier à lire dans un tableur : en-têtes en français, libellés au lieu des "
        "codes, nombres arrondis, ';' et 0,25 (avec --lang en : en anglais, ',' et 0.25)",
    "Write an interactive map of a view (one self-contained HTML file: share it by e-mail, it\n"
    "works offline): an actor's neighbourhood, a pôle, a territory or the shortest path between\n"
    "two actors. Persons are never drawn.\n"
    "\n"
    "`maillage viz territory Haute-Garonne` and `maillage viz --territory Haute-Garonne` are the\n"
    "same map (the options are those of `report` and `export`).":
        "Écrire une carte interactive d'une vue (un seul fichier HTML autonome : envoyez-le par\n"
        "courriel, il marche hors ligne) : le voisinage d'un acteur, un pôle, un territoire ou le plus\n"
        "court chemin entre deux acteurs. Les personnes physiques ne sont jamais dessinées.\n"
        "\n"
        "`maillage viz territory Haute-Garonne` et `maillage viz --territory Haute-Garonne` donnent la\n"
        "même carte (les options sont celles de `report` et `export`).",
    "ego (an actor's neighbourhood) | pole | territory | path; or name it with --actor, --pole or "
    "--territory":
        "ego (le voisinage d'un acteur) | pole | territory | path ; ou bien --actor, --pole ou --territory",
    "An actor (ego, pole), a territory (territory) or two actors (path): an actor is its id, "
    "SIREN/SIRET/RNA or name (Le Périscope); a territory its id, code or name (departement:31, 31, "
    "Haute-Garonne). Ambiguous names list the candidates":
        "Un acteur (ego, pole), un territoire (territory) ou deux acteurs (path) : un acteur, c'est son "
        "identifiant, son SIREN/SIRET/RNA ou son nom (Le Périscope) ; un territoire, son identifiant, son "
        "code ou son nom (departement:31, 31, Haute-Garonne). Un nom ambigu donne la liste des candidats",
    "The same as `ego ACTOR`":
        "Équivaut à `ego ACTOR`",
    "The same as `pole POLE`":
        "Équivaut à `pole POLE`",
    "The same as `territory TERRITORY`":
        "Équivaut à `territory TERRITORY`",
    "HTML file to write (works offline), or a folder to write carte-<view>-<id>.html in (view in French: voisinage, "
    "pole, territoire, chemin)":
        "Fichier HTML (marche hors ligne), ou dossier où écrire carte-<vue>-<id>.html "
        "(vue : voisinage, pole, territoire, chemin)",
    "ego: ties away from the actor (default 1; refused by the other views)":
        "ego : nombre de liens parcourus depuis l'acteur (1 par défaut ; refusé par les autres vues)",
    "Relation types: cooperation | funding | governance | all (path: default cooperation)":
        "Types de relation : coopération | financement | gouvernance | tout (ou cooperation | funding | governance | "
        "all ; path : coopération par défaut)",
    "Only ties active that year":
        "Seulement les liens actifs cette année-là",
    "Node size: a metric (degree, betweenness, pagerank…) of the latest run of --lens and --as-of, else of the "
    "latest run":
        "Taille des nœuds : une mesure (degree, betweenness, pagerank…) de la dernière analyse de --lens et "
        "--as-of, à défaut de la dernière analyse",
    "Above this many actors, draw pôles (or communities) as nodes":
        "Au-delà de ce nombre d'acteurs, dessiner les pôles (ou les communautés) comme des nœuds",
    "auto | pole | community | family":
        "Regrouper par : auto | pole | community | family",
    "path: longest path looked for (default 6; refused by the other views)":
        "path : longueur maximale du chemin cherché, en liens (6 par défaut ; refusé par les autres vues)",
    "Language of the map and of what is printed: fr (default) or en":
        "Langue de la carte et de ce qui est affiché : fr (défaut) ou en",
    "Serve the API, the maps and the explorer page (http://127.0.0.1:8000/).":
        "Servir l'API, les cartes et la page de l'explorateur (http://127.0.0.1:8000/).",
    "Address to listen on (loopback by default)":
        "Adresse d'écoute (boucle locale par défaut)",
    "Port":
        "Port",
    "Token for writes and include_persons (none: writes disabled)":
        "Jeton pour les écritures et include_persons (aucun : écritures désactivées)",
    "Origin allowed by CORS (repeatable)":
        "Origine autorisée par CORS (répétable)",
    "Largest request body (MB)":
        "Taille maximale du corps d'une requête (Mo)",
    "Restart on code changes (development)":
        "Redémarrer quand le code change (développement)",
    "Language of what this command prints: fr (default) or en (the API answers each request in its own "
    "language)":
        "Langue de ce qu'affiche cette commande : fr (défaut) ou en (l'API répond à chaque requête dans sa "
        "propre langue)",
    "Write a meeting report (HTML, French by default): a pôle, a territory or the observatory.\n"
    "\n"
    "The pôle and territory reports also write their interactive map next to the file\n"
    "(<name>-carte.html: a pôle's through --lens, as its export through that lens; a territory's\n"
    "with every type of relation); a territory's, its isolated and peripheral actors for a spreadsheet\n"
    "(<name>-isoles.csv, « ; »-separated in French). In a folder, the file is named after the\n"
    "report, and after its year with --as-of (rapport-epci-243100633-2025.html): the reports of\n"
    "two years do not overwrite each other. A pôle's central members come from the latest\n"
    "`maillage analyse` run of --lens and --as-of (else the latest run: the report and a\n"
    "« remarque » say so, and when the graph changed after the run).":
        "Écrire un rapport pour une réunion (HTML, en français par défaut) : un pôle, un territoire ou\n"
        "l'observatoire.\n"
        "\n"
        "Les rapports de pôle et de territoire écrivent aussi leur carte interactive à côté du fichier\n"
        "(<nom>-carte.html : celle d'un pôle par la lentille --lens, comme son export par cette lentille ;\n"
        "celle d'un territoire avec tous les types de relations) ; celui d'un territoire, ses acteurs isolés et périphériques pour un tableur\n"
        "(<nom>-isoles.csv, séparé par « ; » en français). Dans un dossier, le fichier porte le nom du\n"
        "rapport, et son année avec --as-of (rapport-epci-243100633-2025.html) : les rapports de deux\n"
        "années ne s'écrasent pas. Les membres centraux d'un pôle viennent de la\n"
        "dernière analyse `maillage analyse` de --lens et --as-of (à défaut de la dernière analyse : le\n"
        "rapport et une « remarque » le disent, et aussi quand le graphe a changé depuis l'analyse).",
    "HTML file to write (self-contained, works offline), or a folder to write rapport-<pôle or "
    "territory>.html in (rapport-<…>-<year>.html with --as-of)":
        "Fichier HTML à écrire (autonome, marche hors ligne), ou dossier où écrire rapport-<pôle ou "
        "territoire>.html (rapport-<…>-<année>.html avec --as-of)",
    "Pôle report: the pôle's id or name (Le Périscope)":
        "Rapport de pôle : l'identifiant ou le nom du pôle (Le Périscope)",
    "Territory report: its id, code or name (departement:31, 31, Haute-Garonne, Sicoval)":
        "Rapport de territoire : son identifiant, son code ou son nom (departement:31, 31, Haute-Garonne, "
        "Sicoval)",
    "Observatory report (RTES statistics)":
        "Rapport de l'observatoire (statistiques RTES)",
    "Pôle report: the lens of its map and of the central members' measures, cooperation (default) | funding | "
    "governance | all":
        "Rapport de pôle : la lentille de sa carte et des mesures des membres centraux, coopération (défaut) | "
        "financement | "
        "gouvernance | tout (ou cooperation | funding | governance | all)",
    "Language of the report and of what is printed: fr (default) or en":
        "Langue du rapport et de ce qui est affiché : fr (défaut) ou en",
    "Language of the map, the report, the rejects files and what is printed: fr (default) or en":
        "Langue de la carte, du rapport, des fichiers des rejets et de ce qui est affiché : fr (défaut) ou en",
    "Load the reference dataset, analyse it, write an interactive map and a report.\n"
    "\n"
    "Writes into DIR: the embedded store (unless --store is given), carte.html (offline map),\n"
    "rapport.html, chargement.json (load report) and summary.json.":
        "Charger le jeu de données de référence, l'analyser, écrire une carte interactive et un rapport.\n"
        "\n"
        "Écrit dans DIR : la base embarquée (sauf si --store est donné), carte.html (carte hors ligne),\n"
        "rapport.html, chargement.json (rapport de chargement) et summary.json.",
    "Directory for the store, map, report and summary":
        "Dossier de la base, de la carte, du rapport et du résumé",
    "Store URI (also accepted before the command); default: DIR/maillage.db":
        "URI de la base (acceptée aussi avant la commande) ; défaut : DIR/maillage.db",
    "Review entity resolution: possible merges, merges made, and decisions on them.\n"
    "\n"
    "Statements of different sources are merged into one actor by identifier, territory, name,\n"
    "core name or a fuzzy match (docs/resolution.md); matches below the merge threshold are kept\n"
    "as proposals. Every decision (--accept, --reject, --undo) is recorded in the store and\n"
    "still holds when the source is loaded again. A source loaded again keeps its actors' ids, a\n"
    "member renamed in its list included (rule kept in --log, with the earlier name); --undo\n"
    "gives it an id of its own if it is in fact another organisation.\n"
    "\n"
    "\b\n"
    "Examples:\n"
    "  maillage resolve --review\n"
    "  maillage resolve --accept p3f2a9c01d\n"
    "  maillage resolve --log --source reference:s000b\n"
    "  maillage resolve --undo reference:s003_004:urscop":
        "Examiner la résolution des entités : fusions possibles, fusions faites, et décisions prises sur\n"
        "elles.\n"
        "\n"
        "Les énoncés de sources différentes sont fusionnés en un acteur par identifiant, territoire,\n"
        "nom, nom principal ou nom proche (docs/resolution.md) ; les correspondances sous le seuil de\n"
        "fusion sont gardées comme propositions. Chaque décision (--accept, --reject, --undo) est\n"
        "enregistrée dans la base et tient toujours quand la source est rechargée. Une source rechargée\n"
        "garde les identifiants de ses acteurs, y compris d'un membre renommé dans sa liste (règle\n"
        "« repris du chargement précédent » dans --log, avec l'ancien nom) ; --undo lui donne un\n"
        "identifiant à lui s'il s'agit en fait d'une autre organisation.\n"
        "\n"
        "\b\n"
        "Exemples :\n"
        "  maillage resolve --review\n"
        "  maillage resolve --accept p3f2a9c01d\n"
        "  maillage resolve --log --source reference:s000b\n"
        "  maillage resolve --undo reference:s003_004:urscop",
    "List the possible merges waiting for a decision (id, statement, candidate, score, reason)":
        "Lister les fusions possibles en attente de décision (id, énoncé, candidat, score, raison)",
    "Accept proposal ID: its statement (with the statements of its actor) joins the candidate":
        "Accepter la proposition ID : son énoncé (avec les énoncés de son acteur) rejoint le candidat",
    "Reject proposal ID: never merge nor propose that pair again":
        "Refuser la proposition ID : ne plus jamais fusionner ni proposer cette paire",
    "List the merges with the rule that made each one, and the ids a source loaded again kept for renamed "
    "statements":
        "Lister les fusions avec la règle qui a fait chacune, et les identifiants qu'une source rechargée a "
        "gardés pour des énoncés renommés",
    "Undo the merge of one statement, or the id it kept from its source's earlier load: it gets its own actor; "
    "an accepted merge is undone whole, its proposal back to review":
        "Annuler la fusion d'un énoncé, ou l'identifiant qu'il a repris du chargement précédent de sa source : "
        "il devient un acteur à part ; une fusion acceptée est annulée en entier, sa proposition revient à l'examen",
    "--review / --log: only this source":
        "--review / --log : seulement cette source",
    "--review / --log: print JSON":
        "--review / --log : afficher en JSON",
}
