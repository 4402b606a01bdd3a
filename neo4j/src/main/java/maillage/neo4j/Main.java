package maillage.neo4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * A local Neo4j for maillage: the Community DBMS embedded in this JVM, with the Bolt connector on.
 *
 * <p>Settings come from the environment (the launcher {@code scripts/neo4j_local.py} sets them):
 * <ul>
 *   <li>{@code MAILLAGE_NEO4J_HOME}: home directory (data/, logs/, import/ under it), default {@code .maillage/neo4j}</li>
 *   <li>{@code MAILLAGE_NEO4J_ADDRESS}: Bolt listen address, default {@code 127.0.0.1}</li>
 *   <li>{@code MAILLAGE_NEO4J_PORT}: Bolt port, default 7687</li>
 *   <li>{@code MAILLAGE_NEO4J_PASSWORD}: if set, authentication is on with user {@code neo4j} and this
 *       password; if unset, authentication is off (the server listens on loopback only)</li>
 *   <li>{@code MAILLAGE_NEO4J_PAGECACHE_MB}: page cache in MiB, default 512 (the heap is the JVM's -Xmx)</li>
 * </ul>
 * A shutdown hook closes the store cleanly on SIGTERM/SIGINT. "started" is printed once Bolt is up.
 */
public final class Main {
    private Main() {}

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path home = Path.of(env("MAILLAGE_NEO4J_HOME", ".maillage/neo4j")).toAbsolutePath();
        String address = env("MAILLAGE_NEO4J_ADDRESS", "127.0.0.1");
        int port = Integer.parseInt(env("MAILLAGE_NEO4J_PORT", "7687"));
        String password = env("MAILLAGE_NEO4J_PASSWORD", "");
        long pagecacheMb = Long.parseLong(env("MAILLAGE_NEO4J_PAGECACHE_MB", "512"));
        Path logs = home.resolve("logs");
        Path imports = home.resolve("import");
        Files.createDirectories(logs);
        Files.createDirectories(imports);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(address, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(address, port))
                .setConfig(GraphDatabaseSettings.auth_enabled, !password.isEmpty())
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ZERO)
                .setConfig(GraphDatabaseSettings.logs_directory, logs)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, imports)  // LOAD CSV reads file:/// here
                .setConfig(GraphDatabaseSettings.allow_file_urls, true)
                .setConfig(GraphDatabaseSettings.udc_enabled, false);  // no usage data sent (no network here anyway)
        DatabaseManagementService dbms = builder.build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("maillage-neo4j: shutting down");
            dbms.shutdown();
            System.out.println("maillage-neo4j: stopped");
            stopped.countDown();
        }, "maillage-neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!password.isEmpty()) {
            // the initial password of user neo4j, set once (the system database keeps it)
            GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            system.executeTransactionally(
                    "ALTER USER neo4j IF EXISTS SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        }
        String version = db.executeTransactionally(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS v", Map.of(),
                r -> r.hasNext() ? String.valueOf(r.next().get("v")) : "?");
        System.out.printf("maillage-neo4j: started Neo4j %s, bolt://%s:%d, home %s, auth %s%n",
                version, address, port, home,
                password.isEmpty() ? "off" : "on (user neo4j)");
        System.out.flush();
        stopped.await();
    }
}
