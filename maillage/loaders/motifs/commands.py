"""The errors the commands meet most after loading: an actor, a pôle or a territory not found or
ambiguous (:mod:`maillage.queries.lookup`), a source, an analysis run or a proposal that is not
in the store, an unknown lens, a file that is not a store. Printed by ``maillage`` in French
unless ``--lang en``; the lists of candidates after the message are kept as they are."""

from ._shapes import QUOTED

_LIST = r"(?P<list>\n.*)"


def _looked_for(en: str, fr: str) -> list[tuple[str, str, str]]:
    """The refusals of a name that designates no ``en`` (« actor », « pôle »), or several: one
    entry each, ``fr`` its French word."""
    entries = [
        (r"(?P<n>\d+) WHATs are named (?P<name>" + QUOTED + r"); give one of their ids:" + _LIST,
         "{n} WHATs s'appellent {name} ; donnez l'identifiant de l'un d'eux :{list}",
         "2 WHATs are named 'Le Relais'; give one of their ids:\n  Le Relais — a1 (Structure de l'ESS)\n"
         "  Le Relais — a2 (Structure de l'ESS · Occitanie)"),
        (r"several WHATs have (?P<name>" + QUOTED + r") in their name; give one of their ids:" + _LIST,
         "plusieurs WHATs ont {name} dans leur nom ; donnez l'identifiant de l'un d'eux :{list}",
         "several WHATs have 'Relais' in their name; give one of their ids:\n  Le Relais — a1 (Structure de l'ESS)"),
        (r"no WHAT named (?P<name>" + QUOTED + r") and no actor with that id in (?P<uri>.+?); closest names:" + _LIST,
         "aucun WHAT nommé {name} ni d'acteur d'identifiant {name} dans {uri} ; les noms les plus proches :{list}",
         "no WHAT named 'Periscope' and no actor with that id in maillage.db; closest names:\n  Le Périscope — p1"),
        (r"no WHAT named (?P<name>" + QUOTED + r") and no actor with that id in (?P<uri>.+)",
         "aucun WHAT nommé {name} ni d'acteur d'identifiant {name} dans {uri}",
         "no WHAT named 'Zorglub' and no actor with that id in maillage.db"),
    ]
    return [(pattern.replace("WHAT", en), template.replace("WHAT", fr), example.replace("WHAT", en))
            for pattern, template, example in entries]


FR: list[tuple[str, str, str]] = [
    # -- an actor or a territory as typed on the command line (maillage.queries.lookup)
    (r"no actor given \(an id, a SIREN/SIRET/RNA or a name\)",
     "aucun acteur donné (un identifiant, un SIREN/SIRET/RNA ou un nom)",
     "no actor given (an id, a SIREN/SIRET/RNA or a name)"),
    (r"(?P<n>\d+) actors have (?P<scheme>SIREN|SIRET|RNA) (?P<id>\S+):" + _LIST,
     "{n} acteurs ont le {scheme} {id} :{list}",
     "2 actors have SIREN 123456789:\n  A — a1 (Structure de l'ESS)\n  B — b1 (Collectivité)"),
    (r"no actor with (?P<scheme>SIREN|SIRET|RNA) (?P<id>\S+) in (?P<uri>.+)",
     "aucun acteur de {scheme} {id} dans {uri}",
     "no actor with SIREN 123456789 in maillage.db"),
    # the same four refusals for an actor and for a pôle (``find_actor(…, family="pole")``)
    *(entry for en, fr in (("actor", "acteur"), ("pôle", "pôle")) for entry in _looked_for(en, fr)),
    (r"no territory (?P<name>" + QUOTED + r") in the reference geography \(ids are level:code, e\.g\. "
     r"commune:31555, epci:243100633, departement:31, region:76\)",
     "aucun territoire {name} dans la géographie de référence (les identifiants sont niveau:code, par exemple "
     "commune:31555, epci:243100633, departement:31, region:76)",
     "no territory 'departement:99' in the reference geography (ids are level:code, e.g. commune:31555, "
     "epci:243100633, departement:31, region:76)"),
    (r"(?P<n>\d+) territories are named (?P<name>" + QUOTED + r"); give one of their ids:" + _LIST,
     "{n} territoires s'appellent {name} ; donnez l'identifiant de l'un d'eux :{list}",
     "2 territories are named 'Saint-Jean'; give one of their ids:\n  Saint-Jean (31) — commune:31488"),
    (r"(?P<name>" + QUOTED + r") names no territory and says an intercommunality; give the id of the one meant:"
     + _LIST,
     "{name} ne nomme aucun territoire et désigne une intercommunalité ; donnez l'identifiant de celui que vous "
     "voulez dire :{list}",
     "'Métropole de Toulouse' names no territory and says an intercommunality; give the id of the one meant:\n"
     "  Toulouse Métropole — epci:243100518\n  Toulouse (31) — commune:31555"),
    (r"no commune, EPCI or EPT with SIREN (?P<siren>\d{9}) in the reference geography",
     "aucune commune, aucun EPCI ni EPT de SIREN {siren} dans la géographie de référence",
     "no commune, EPCI or EPT with SIREN 200000000 in the reference geography"),
    (r"no territory named (?P<name>" + QUOTED + r"); did you mean:" + _LIST,
     "aucun territoire nommé {name} ; vouliez-vous dire :{list}",
     "no territory named 'Grand Lyone'; did you mean:\n  Métropole de Lyon — epci:200046977"),
    (r"no territory named (?P<name>" + QUOTED + r") \(give a name such as Haute-Garonne, a code such as 31, "
     r"or an id such as departement:31\)",
     "aucun territoire nommé {name} (donnez un nom comme Haute-Garonne, un code comme 31 ou un identifiant comme "
     "departement:31)",
     "no territory named 'Atlantide' (give a name such as Haute-Garonne, a code such as 31, or an id such as "
     "departement:31)"),
    # -- the store (maillage.graph)
    (r"(?P<uri>\S+): no Neo4j answers there \((?P<why>[^)]+)\); start one with `make neo4j-start`",
     "{uri} : aucun Neo4j ne répond à cette adresse ({why}) ; démarrez-en un avec « make neo4j-start »",
     "bolt://127.0.0.1:7687: no Neo4j answers there (connection refused); start one with `make neo4j-start`"),
    (r"(?P<uri>\S+): authentication failed \((?P<why>.+)\); set MAILLAGE_NEO4J_USER and MAILLAGE_NEO4J_PASSWORD",
     "{uri} : authentification refusée ({why}) ; renseignez MAILLAGE_NEO4J_USER et MAILLAGE_NEO4J_PASSWORD",
     "bolt://127.0.0.1:7687: authentication failed (The client is unauthorized); set MAILLAGE_NEO4J_USER "
     "and MAILLAGE_NEO4J_PASSWORD"),
    (r"no actor (?P<id>" + QUOTED + r")", "aucun acteur {id}", "no actor 'a_123'"),
    (r"(?P<id>" + QUOTED + r") is a (?P<family>\S+), not a pôle", "{id} est de la famille {family}, pas un pôle",
     "'a_123' is a collectivite, not a pôle"),
    (r"no source (?P<id>" + QUOTED + r") in (?P<uri>.+)", "aucune source {id} dans {uri}",
     "no source 'members:x.csv' in maillage.db"),
    (r"no source (?P<id>" + QUOTED + r")", "aucune source {id}", "no source 'members:x.csv'"),
    (r"(?P<path>.+) is not a maillage store \(SQLite said: (?P<why>.+)\)",
     "{path} n'est pas une base maillage (SQLite : {why})",
     "notes.txt is not a maillage store (SQLite said: file is not a database)"),
    (r"(?P<path>.+): this user may read this store but not write it \(the file, or its folder, is read-only\); "
     r"nothing was changed\. Ask whoever keeps it for the right to write, or work on a copy",
     "{path} : cet utilisateur peut lire cette base mais pas y écrire (le fichier, ou son dossier, est en lecture "
     "seule) ; rien n'a été modifié. Demandez le droit d'écrire à qui la tient, ou travaillez sur une copie",
     "partage/maillage.db: this user may read this store but not write it (the file, or its folder, is read-only); "
     "nothing was changed. Ask whoever keeps it for the right to write, or work on a copy"),
    (r"cannot create the store (?P<path>.+): this user may not write in its folder (?P<folder>.+)",
     "impossible de créer la base {path} : cet utilisateur n'a pas le droit d'écrire dans son dossier {folder}",
     "cannot create the store partage/maillage.db: this user may not write in its folder partage"),
    (r"cannot create the store (?P<path>.+): this user may not create its folder (?P<folder>.+)",
     "impossible de créer la base {path} : cet utilisateur n'a pas le droit de créer son dossier {folder}",
     "cannot create the store a/b/maillage.db: this user may not create its folder a/b"),
    (r"cannot create the store (?P<path>.+): cannot create its folder (?P<folder>.+) \((?P<why>.+)\)",
     "impossible de créer la base {path} : impossible de créer son dossier {folder} ({why})",
     "cannot create the store a/b/maillage.db: cannot create its folder a/b (Permission denied)"),
    (r"(?P<path>.+) has schema version (?P<v>\d+); this maillage reads (?P<w>\d+)",
     "{path} est au schéma {v} ; cette version de maillage lit le schéma {w}",
     "maillage.db has schema version 9; this maillage reads 8"),
    (r"removing (?P<id>.+) would leave (?P<n>\d+) relations of other sources pointing at actors only it "
     r"described; nothing was changed",
     "retirer {id} laisserait {n} relations d'autres sources pointer vers des acteurs qu'elle seule décrivait ; "
     "rien n'a été modifié",
     "removing members:x.csv would leave 3 relations of other sources pointing at actors only it described; "
     "nothing was changed"),
    # -- the store's address (maillage.graph.open_store) and its Neo4j server (neo4j_store)
    (r"(?P<uri>\S+) is the address of Neo4j Browser \(HTTP\), not of the database; give its Bolt address: "
     r"(?P<bolt>\S+) \(or (?P<alt>\S+)\)",
     "{uri} est l'adresse de Neo4j Browser (HTTP), pas celle de la base ; donnez son adresse Bolt : {bolt} "
     "(ou {alt})",
     "http://127.0.0.1:7474 is the address of Neo4j Browser (HTTP), not of the database; give its Bolt address: "
     "bolt://127.0.0.1:7687 (or neo4j://…)"),
    (r"(?P<uri>\S+): maillage cannot keep its graph at a (?P<scheme>\S+) address; give a file path \(the embedded "
     r"store\), or bolt://host:7687 or neo4j://… for Neo4j",
     "{uri} : maillage ne peut pas tenir son graphe à une adresse {scheme} ; donnez un chemin de fichier (la base "
     "embarquée), ou bolt://hôte:7687 ou neo4j://… pour Neo4j",
     "postgres://db/maillage: maillage cannot keep its graph at a postgres:// address; give a file path (the "
     "embedded store), or bolt://host:7687 or neo4j://… for Neo4j"),
    (r"(?P<uri>\S+): no Neo4j answers there \((?P<motif>[^)]+)\); start the local one with "
     r"`(?P<make>make neo4j-start(?: NEO4J_PORT=\d+)?)`, or check the port",
     "{uri} : aucun Neo4j ne répond à cette adresse ({motif}) ; démarrez le Neo4j local avec « {make} », "
     "ou vérifiez le port",
     "bolt://127.0.0.1:7688: no Neo4j answers there (connection refused); start the local one with "
     "`make neo4j-start NEO4J_PORT=7688`, or check the port"),
    (r"(?P<uri>\S+): no Neo4j answers there \((?P<motif>[^)]+)\); check the host, the port \(Bolt: 7687 by "
     r"default\) and the scheme \(neo4j\+s:// for Aura\), and that the server runs and may be reached from this "
     r"machine",
     "{uri} : aucun Neo4j ne répond à cette adresse ({motif}) ; vérifiez l'hôte, le port (Bolt : 7687 par défaut) "
     "et le schéma (neo4j+s:// pour Aura), et que le serveur tourne et est joignable depuis cette machine",
     "neo4j+s://db.example.org:7687: no Neo4j answers there (unknown host); check the host, the port (Bolt: 7687 "
     "by default) and the scheme (neo4j+s:// for Aura), and that the server runs and may be reached from this "
     "machine"),
    (r"connection refused", "connexion refusée", "connection refused"),
    (r"unknown host", "hôte inconnu", "unknown host"),
    (r"no answer within (?P<s>[\d.]+) s", "pas de réponse en {s} s", "no answer within 5 s"),
    (r"network unreachable", "réseau injoignable", "network unreachable"),
    (r"the port answers, but not in Bolt with this scheme's encryption",
     "le port répond, mais pas en Bolt avec le chiffrement de ce schéma",
     "the port answers, but not in Bolt with this scheme's encryption"),
    (r"(?P<uri>\S+): this Neo4j asks for a user and password and none was given; set MAILLAGE_NEO4J_PASSWORD "
     r"\(and MAILLAGE_NEO4J_USER if the user is not neo4j\)",
     "{uri} : ce Neo4j demande un utilisateur et un mot de passe, et aucun n'a été donné ; définissez "
     "MAILLAGE_NEO4J_PASSWORD (et MAILLAGE_NEO4J_USER si l'utilisateur n'est pas neo4j)",
     "bolt://db.example.org:7687: this Neo4j asks for a user and password and none was given; set "
     "MAILLAGE_NEO4J_PASSWORD (and MAILLAGE_NEO4J_USER if the user is not neo4j)"),
    (r"(?P<uri>\S+): Neo4j refused user (?P<user>.+) and this password; check MAILLAGE_NEO4J_USER and "
     r"MAILLAGE_NEO4J_PASSWORD \(or the user:password@ part of the address\)",
     "{uri} : Neo4j a refusé l'utilisateur {user} avec ce mot de passe ; vérifiez MAILLAGE_NEO4J_USER et "
     "MAILLAGE_NEO4J_PASSWORD (ou la partie utilisateur:mot-de-passe@ de l'adresse)",
     "bolt://db.example.org:7687: Neo4j refused user neo4j and this password; check MAILLAGE_NEO4J_USER and "
     "MAILLAGE_NEO4J_PASSWORD (or the user:password@ part of the address)"),
    (r"(?P<uri>\S+): Neo4j refuses logins of user (?P<user>.+) for a few seconds after several wrong passwords "
     r"in a row \(this password was not checked\); wait a few seconds and retry",
     "{uri} : Neo4j refuse pour quelques secondes les connexions de l'utilisateur {user} après plusieurs mots de "
     "passe faux de suite (ce mot de passe n'a pas été vérifié) ; attendez quelques secondes et réessayez",
     "bolt://db.example.org:7687: Neo4j refuses logins of user neo4j for a few seconds after several wrong "
     "passwords in a row (this password was not checked); wait a few seconds and retry"),
    (r"(?P<uri>\S+): this Neo4j has no database (?P<db>" + QUOTED + r"); Neo4j Community holds a single user "
     r"database: leave out \?database= and give maillage a server of its own \(another port\), or on Enterprise "
     r"create it \(CREATE DATABASE (?P<name>\S+)\)",
     "{uri} : ce Neo4j n'a pas de base {db} ; Neo4j Community ne tient qu'une base d'utilisateur : retirez "
     "?database= et donnez à maillage un serveur à lui (sur un autre port), ou, sous Enterprise, créez-la "
     "(CREATE DATABASE {name})",
     "bolt://127.0.0.1:7687/maillage: this Neo4j has no database 'maillage'; Neo4j Community holds a single user "
     "database: leave out ?database= and give maillage a server of its own (another port), or on Enterprise "
     "create it (CREATE DATABASE maillage)"),
    # a write in several transactions (neo4j_chunks, docs/neo4j.md « Large sources ») and Neo4j's refusals
    (r"(?P<uri>\S+): source (?P<source>.+) is being written in several transactions \(write (?P<wn>\d+), last "
     r"active (?P<since>\S+)\); try again when it has finished — if its writer died, the first write after "
     r"(?P<s>[\d.]+) s of silence rolls it back",
     "{uri} : la source {source} est en cours d'écriture en plusieurs transactions (écriture {wn}, dernier signe de "
     "vie {since}) ; réessayez quand elle sera terminée ; si son écriture a été interrompue (programme tué, machine "
     "arrêtée), la première écriture après {s} s de silence l'annule",
     "bolt://127.0.0.1:7687: source members:a.csv is being written in several transactions (write 12, last active "
     "2026-12-07T17:53:37.454Z); try again when it has finished — if its writer died, the first write after 300 s "
     "of silence rolls it back"),
    (r"(?P<uri>\S+): the write of source in several transactions \(write (?P<wn>\d+)\) was taken over and rolled "
     r"back by another writer after its lease expired",
     "{uri} : cette écriture en plusieurs transactions (écriture {wn}) a été annulée par une autre écriture, faute "
     "de signe de vie dans le délai prévu ; chargez de nouveau le fichier",
     "bolt://127.0.0.1:7687: the write of source in several transactions (write 12) was taken over and rolled back "
     "by another writer after its lease expired"),
    (r"(?P<motif>.+); the write in several transactions was rolled back — nothing was written",
     "{motif} ; l'écriture en plusieurs transactions a été annulée — rien n'a été écrit",
     "connection refused; the write in several transactions was rolled back — nothing was written"),
    (r"(?P<motif>.+); the write in several transactions was rolled back — its previous version had been deleted: "
     r"load it again",
     "{motif} ; l'écriture en plusieurs transactions a été annulée — sa version précédente avait été effacée : "
     "chargez de nouveau son fichier",
     "connection refused; the write in several transactions was rolled back — its previous version had been "
     "deleted: load it again"),
    # the note of the first write after an interrupted one (neo4j_chunks.recover_interrupted)
    (r"the interrupted write of source (?P<source>.+) \(write (?P<wn>\d+)\) was rolled back; its previous version "
     r"had already been deleted: load its file again \(it resolves as the interrupted reload would have\)",
     "l'écriture interrompue de la source {source} (écriture {wn}) a été annulée ; sa version précédente avait déjà "
     "été effacée : chargez de nouveau son fichier (il sera résolu comme l'aurait été le rechargement interrompu)",
     "the interrupted write of source members:a.csv (write 12) was rolled back; its previous version had already "
     "been deleted: load its file again (it resolves as the interrupted reload would have)"),
    (r"the interrupted write of source (?P<source>.+) \(write (?P<wn>\d+)\) was rolled back: the store is as "
     r"before it",
     "l'écriture interrompue de la source {source} (écriture {wn}) a été annulée : la base est comme avant elle",
     "the interrupted write of source members:a.csv (write 12) was rolled back: the store is as before it"),
    (r"the interrupted removal of source (?P<source>.+) \(write (?P<wn>\d+)\) was finished",
     "le retrait interrompu de la source {source} (écriture {wn}) a été terminé",
     "the interrupted removal of source members:a.csv (write 12) was finished"),
    (r"rolling back the write of (?P<source>.+) failed \((?P<motif>.+)\); the next write will",
     "l'annulation de l'écriture de {source} a échoué ({motif}) ; la prochaine écriture la fera",
     "rolling back the write of members:a.csv failed (connection refused); the next write will"),
    (r"\$(?P<env>MAILLAGE_\w+) = (?P<raw>.+): expected a number",
     "${env} = {raw} : un nombre est attendu", "$MAILLAGE_NEO4J_TX_ROWS = 'abc': expected a number"),
    (r"(?P<uri>\S+): (?P<code>Neo\.[\w.]+): (?P<msg>.+); nothing was written — this transaction needs more memory "
     r"than the server allows: lower the rows written per transaction \(MAILLAGE_NEO4J_TX_ROWS, now (?P<tx>[\d,]+), "
     r"above which a source is chunked; MAILLAGE_NEO4J_CHUNK_ROWS, now (?P<chunk>[\d,]+)\) or raise the server's "
     r"heap \(server\.memory\.heap\.max_size; dbms\.memory\.transaction\.total\.max defaults to 70 % of it\) — "
     r"docs/neo4j\.md, \"Large sources\"",
     "{uri} : {code} : {msg} ; rien n'a été écrit — cette transaction demande plus de mémoire que le serveur n'en "
     "permet : baissez le nombre de lignes écrites par transaction (MAILLAGE_NEO4J_TX_ROWS, {tx} maintenant, "
     "au-delà duquel une source est écrite en plusieurs transactions ; MAILLAGE_NEO4J_CHUNK_ROWS, {chunk} "
     "maintenant) ou augmentez la mémoire du serveur (server.memory.heap.max_size ; "
     "dbms.memory.transaction.total.max en vaut 70 % par défaut) — docs/neo4j.md, « Large sources »",
     "bolt://127.0.0.1:7687: Neo.TransientError.General.MemoryPoolOutOfMemoryError: The allocation exceeded the "
     "limit; nothing was written — this transaction needs more memory than the server allows: lower the rows "
     "written per transaction (MAILLAGE_NEO4J_TX_ROWS, now 100,000, above which a source is chunked; "
     "MAILLAGE_NEO4J_CHUNK_ROWS, now 20,000) or raise the server's heap (server.memory.heap.max_size; "
     "dbms.memory.transaction.total.max defaults to 70 % of it) — docs/neo4j.md, \"Large sources\""),
    (r"(?P<uri>\S+): (?P<code>Neo\.[\w.]+): (?P<msg>.+); nothing was written",
     "{uri} : {code} : {msg} ; rien n'a été écrit",
     "bolt://127.0.0.1:7687: Neo.ClientError.Statement.SyntaxError: Invalid input; nothing was written"),
    (r"no analysis run in this store: run `maillage analyse` first",
     "aucune analyse dans cette base : lancez d'abord « maillage analyse »",
     "no analysis run in this store: run `maillage analyse` first"),
    (r"no analysis run (?P<id>" + QUOTED + r"); latest runs in this store: none \(run `maillage analyse`\)",
     "aucune analyse {id} ; cette base n'en a aucune (lancez « maillage analyse »)",
     "no analysis run 'r9'; latest runs in this store: none (run `maillage analyse`)"),
    (r"no analysis run (?P<id>" + QUOTED + r"); latest runs in this store: (?P<runs>.+)",
     "aucune analyse {id} ; les dernières de cette base : {runs}",
     "no analysis run 'r9'; latest runs in this store: r1, r2"),
    (r"no analysis run (?P<ids>" + QUOTED + r"(?:, " + QUOTED + r")*); nothing was removed",
     "aucune analyse {ids} ; rien n'a été retiré", "no analysis run 'r9', 'r10'; nothing was removed"),
    (r"no analysis run (?P<id>" + QUOTED + r")", "aucune analyse {id}", "no analysis run 'r9'"),
    # a run's removal on Neo4j cut short after the runs went (Neo4jStore._sweep_metrics)
    (r"(?P<motif>.+); the removal of (?P<ids>\S+(?:, \S+)*) was cut short \(the runs are gone, some of their "
     r"metrics remain\): `maillage runs --remove (?P<again>[^`]+)` finishes it",
     "{motif} ; le retrait de {ids} a été interrompu (les analyses ont disparu, une partie de leurs mesures reste) : "
     "« maillage runs --remove {again} » le termine",
     "bolt://127.0.0.1:7687: no Neo4j answers there (connection refused); start the local one with "
     "`make neo4j-start`, or check the port; the removal of run-1, run-2 was cut short (the runs are gone, some of "
     "their metrics remain): `maillage runs --remove run-1 run-2` finishes it"),
    (r"unknown lens (?P<lens>" + QUOTED + r"); expected one of \[(?P<lenses>.+)\]",
     "lentille inconnue {lens} ; lentilles : coopération, financement, gouvernance ou tout (ou leurs noms anglais "
     "{lenses})",
     "unknown lens 'foo'; expected one of ['all', 'cooperation', 'funding', 'governance']"),
    (r"decimal commas need another delimiter \(use ';'\)",
     "la virgule décimale demande un autre séparateur (prenez « ; »)",
     "decimal commas need another delimiter (use ';')"),
    # -- entity resolution's decisions (maillage resolve)
    (r"no pending proposal (?P<id>" + QUOTED + r"); list them with `maillage resolve --review`",
     "aucune proposition en attente {id} ; listez-les avec « maillage resolve --review »",
     "no pending proposal 'p123'; list them with `maillage resolve --review`"),
    (r"(?P<ref>" + QUOTED + r"): expected SOURCE:KEY with a loaded source \(one of: (?P<ids>.+)\)",
     "{ref} : SOURCE:CLÉ attendu, avec une source chargée (l'une de : {ids})",
     "'x': expected SOURCE:KEY with a loaded source (one of: members:a.csv)"),
    (r"no statement (?P<key>" + QUOTED + r") in source (?P<id>" + QUOTED + r")", "aucun énoncé {key} dans la source {id}",
     "no statement 'k1' in source 'members:a.csv'"),
    (r"(?P<ref>.+) is alone in actor (?P<actor>\S+) \(rule (?P<rule>[^)]+)\): no merge to undo",
     "{ref} est seul dans l'acteur {actor} (règle {rule}) : aucune fusion à défaire",
     "members:a.csv:name:velo solidaire@commune:31446 is alone in actor a_1 (rule new): no merge to undo"),
    (r"(?P<ref>.+) kept the id (?P<actor>\S+) of an earlier load, and other sources' relations name that actor "
     r"\((?P<n>\d+)\): not detached, nothing was changed",
     "{ref} a gardé l'identifiant {actor} d'un chargement précédent, et des relations d'autres sources nomment cet "
     "acteur ({n}) : pas détaché, rien n'a été changé",
     "members:a.csv:k1 kept the id a_1 of an earlier load, and other sources' relations name that actor (2): not "
     "detached, nothing was changed"),
    # -- the system's refusals to read or write a file (maillage.cli.os_message)
    (r"(?P<path>.+): no such file or folder",
     "{path} : fichier ou dossier introuvable", "/tmp/x/carte.html: no such file or folder"),
    (r"(?P<path>.+): permission denied \(this user may not read or write there\)",
     "{path} : accès refusé (cet utilisateur n'a pas le droit d'y lire ou d'y écrire)",
     "/sys/x.gexf: permission denied (this user may not read or write there)"),
    (r"(?P<path>.+): a file is there, where a folder is needed",
     "{path} : un fichier est là, où il faut un dossier", "maillage.db: a file is there, where a folder is needed"),
    (r"(?P<path>.+): a part of this path is a file, not a folder",
     "{path} : un élément de ce chemin est un fichier, pas un dossier",
     "maillage.db/r.html: a part of this path is a file, not a folder"),
    (r"(?P<path>.+): a folder, where a file is needed",
     "{path} : un dossier, là où il faut un fichier", "sorties: a folder, where a file is needed"),
    (r"(?P<path>.+): no space left on the disk", "{path} : plus de place sur le disque",
     "carte.html: no space left on the disk"),
    (r"(?P<path>.+): a read-only file system", "{path} : système de fichiers en lecture seule",
     "/media/cd/carte.html: a read-only file system"),
]
