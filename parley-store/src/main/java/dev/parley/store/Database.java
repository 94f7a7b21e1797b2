package dev.parley.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * An open store: a connection pool on PostgreSQL with the schema migrated to the latest version.
 *
 * <p>With a JDBC URL it uses that server. Without, it uses the embedded PostgreSQL whose data directory
 * is {@code <home>/pg} (kept across restarts): started here, or, when another Parley process already
 * runs it, that process's server. Closing the database closes the pool and stops an embedded server
 * this JVM started once nothing else in the JVM uses it.
 *
 * <p>Nothing is written to stdout (commands print machine output there); the embedded server's own
 * output goes to {@code <home>/postgres.log}. The password of a JDBC URL never appears in a log line
 * or an exception message: it is split off the URL before the pool or the driver sees the URL.
 *
 * <p>An outage fails fast and heals by itself: a call that cannot get or keeps losing its connection
 * throws {@link StoreUnavailableException} within {@link #CONNECTION_TIMEOUT} (at once while the embedded
 * server is known to be down and being restarted), and the pool reconnects once the server is back.
 */
public final class Database implements AutoCloseable {
  /** Name of Parley's database inside the embedded server. */
  static final String EMBEDDED_DATABASE = "parley";
  static final int MAX_POOL_SIZE = 10;
  /**
   * How long a caller waits for a connection that cannot be made before {@link StoreUnavailableException}:
   * HikariCP's default of 30 s made every request wait 30 s (and fail with a 500) while the database was down.
   * A pool busy with healthy work is waited for longer ({@link FailFastDataSource#BUSY_POOL_WAIT}).
   */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
  /** The liveness check of an idle connection before it is handed out. */
  static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(1);

  private final HikariDataSource pool;
  private final FailFastDataSource dataSource;
  private final Jdbi jdbi;
  private final boolean embedded;
  private final Runnable afterClose;
  private final String description;

  private Database(HikariDataSource pool, FailFastDataSource dataSource, boolean embedded, Runnable afterClose, String description) {
    this.pool = pool;
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.afterClose = afterClose;
    this.description = description;
    this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
  }

  /** Opens (and migrates) the store {@code config} names. */
  public static Database open(StoreConfig config) {
    return open(config, () -> {});
  }

  /**
   * As {@link #open(StoreConfig)}, and runs {@code afterClose} once the database is closed (the test
   * fixture drops its throw-away database there).
   */
  public static Database open(StoreConfig config, Runnable afterClose) {
    requireNonNull(config, "config is null");
    requireNonNull(afterClose, "afterClose is null");
    if (config.jdbcUrl().isPresent()) {
      JdbcUrls.Parsed url = JdbcUrls.parse(config.jdbcUrl().get());
      HikariConfig hikari = poolConfig();
      hikari.setJdbcUrl(url.url());
      url.user().ifPresent(hikari::setUsername);
      url.password().ifPresent(hikari::setPassword);
      // "parley-<pid>": the embedded server tells this process's connections from other processes'.
      hikari.addDataSourceProperty("ApplicationName", EmbeddedServer.APPLICATION_NAME);
      // Longer than CONNECTION_TIMEOUT on purpose: a slow remote handshake still fills the pool for later callers.
      hikari.addDataSourceProperty("connectTimeout", "10");
      return connect(hikari, FailFastDataSource.Health.UNSUPERVISED, false, afterClose, JdbcUrls.redact(config.jdbcUrl().get()));
    }
    Path dataDirectory = config.embeddedDataDirectory();
    EmbeddedServer server = EmbeddedServer.acquire(dataDirectory,
        new EmbeddedServer.Settings(Map.of(), Optional.of(config.home().resolve("postgres.log")), config.embeddedPasswordFile()));
    Runnable release = () -> {
      try {
        server.release();
      } finally {
        afterClose.run();
      }
    };
    try {
      server.ensureDatabase(EMBEDDED_DATABASE);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    HikariConfig hikari = poolConfig();
    hikari.setDataSource(server.dataSource(EMBEDDED_DATABASE));
    return connect(hikari, server, true, release, "embedded PostgreSQL (" + dataDirectory + ", port " + server.port() + ")");
  }

  private static HikariConfig poolConfig() {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("parley");
    hikari.setMaximumPoolSize(MAX_POOL_SIZE);
    // Connections open on demand: a command usually needs one, and start-up should not wait for ten.
    hikari.setMinimumIdle(1);
    hikari.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    hikari.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
    return hikari;
  }

  /** Opens the pool and migrates; on failure runs {@code afterClose} before throwing. */
  private static Database connect(HikariConfig hikari, FailFastDataSource.Health health, boolean embedded, Runnable afterClose, String description) {
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      afterClose.run();
      // The driver's messages name host, port and user, never the password; the URL is redacted.
      throw new StoreException("cannot connect to PostgreSQL at " + description + ": " + reason(e), e);
    }
    try {
      Migrations.migrate(pool);
    } catch (RuntimeException e) {
      pool.close();
      afterClose.run();
      throw new StoreException("cannot migrate the schema of " + description + ": " + reason(e), e);
    }
    // The embedded server restarts in about a second; a remote one is somebody else's to bring back.
    Duration retryAfter = embedded ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
    return new Database(pool, new FailFastDataSource(pool, health, description, retryAfter), embedded, afterClose, description);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * The pool, as Jdbi uses it: a connection that cannot be had or is lost throws
   * {@link StoreUnavailableException} (unchecked) from any JDBC call.
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /** True when this is the embedded server (started here or by another Parley process). */
  public boolean isEmbedded() {
    return embedded;
  }

  /** Where the data lives, safe to print (no password). */
  public String description() {
    return description;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (pool.isClosed()) {
        return;
      }
      pool.close();
    }
    afterClose.run();
  }

  @Override
  public String toString() {
    return "Database[" + description + "]";
  }

  /** The most specific message: the driver's own, without the pool's "Failed to initialize pool" wrapper. */
  private static String reason(Throwable e) {
    Throwable best = e;
    Throwable cause = e;
    for (int depth = 0; cause != null && depth < FailFastDataSource.MAX_CAUSES; depth++, cause = cause.getCause()) {
      if (cause instanceof SQLException || cause instanceof StoreException) {
        best = cause;
        break;
      }
    }
    String message = best.getMessage() == null ? best.getClass().getSimpleName() : best.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
