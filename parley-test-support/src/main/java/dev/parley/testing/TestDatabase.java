package dev.parley.testing;

import dev.parley.store.Database;
import dev.parley.store.PostgresBinaries;
import dev.parley.store.StoreConfig;
import dev.parley.store.StoreException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test fixture: a fresh, migrated PostgreSQL database per call, for any module's tests.
 *
 * <pre>{@code
 * try (Database db = TestDatabase.fresh()) { ... }
 * }</pre>
 *
 * <p>One embedded PostgreSQL runs per JVM (started on first use, ~2-4 s; data in a temporary directory
 * deleted when the JVM exits; durability off, since nothing of it outlives the tests). The schema is
 * migrated once, into a template database.
 *
 * <p>Copying the template ({@code CREATE DATABASE .. TEMPLATE ..}) costs 0.4-0.9 s here (2 busy
 * cores), too much per test. So a closed database is recycled instead: its schema is compared with the
 * template's, and if equal every table is emptied, the template's rows (the {@code default} tenant)
 * and sequence positions are put back (a few milliseconds, see {@link TemplateState}), and the next
 * {@link #fresh()} gets it. A database whose schema a test changed, or whose reset fails, is dropped.
 */
public final class TestDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(TestDatabase.class);
  private static final String TEMPLATE = "parley_template";
  private static final AtomicLong COUNTER = new AtomicLong();
  private static @Nullable Cluster cluster; // started on first use; guarded by TestDatabase.class

  private TestDatabase() {}

  private record Cluster(EmbeddedPostgres postgres, Path home, Optional<TemplateState> template, Deque<String> idle) {
    String url(String database) {
      return postgres.getJdbcUrl("postgres", database);
    }
  }

  /** A database with the latest schema and the template's rows only; close it when done. */
  public static Database fresh() {
    Cluster c = cluster();
    String name = take(c);
    return Database.open(new StoreConfig(Optional.of(c.url(name)), c.home()), () -> recycle(c, name));
  }

  /**
   * The JDBC URL of a new database with the latest schema, for code that opens the store itself
   * (a command line under test: {@code --db URL}). It is never recycled; it lives until the JVM exits.
   */
  public static String freshUrl() {
    Cluster c = cluster();
    return c.url(create(c));
  }

  private static String take(Cluster c) {
    synchronized (c.idle()) {
      String idle = c.idle().poll();
      if (idle != null) {
        return idle;
      }
    }
    return create(c);
  }

  private static String create(Cluster c) {
    String name = "test_" + COUNTER.incrementAndGet();
    execute(c, "postgres", "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
    return name;
  }

  /** Resets a closed database for the next test, or drops it when it cannot be reset to the template's state. */
  private static void recycle(Cluster c, String name) {
    boolean reset = false;
    if (c.template().isPresent()) {
      try (Connection connection = c.postgres().getDatabase("postgres", name).getConnection()) {
        reset = c.template().get().restore(connection);
      } catch (SQLException | RuntimeException e) {
        LOG.debug("cannot reset test database {}, dropping it: {}", name, e.toString());
      }
    }
    if (reset) {
      synchronized (c.idle()) {
        c.idle().push(name);
      }
    } else {
      execute(c, "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  private static synchronized Cluster cluster() {
    Cluster c = cluster;
    if (c == null) {
      c = start();
      cluster = c;
    }
    return c;
  }

  private static Cluster start() {
    Path data;
    EmbeddedPostgres postgres;
    try {
      data = Files.createTempDirectory("parley-test-pg");
      postgres = EmbeddedPostgres.builder()
          .setPgBinaryResolver(PostgresBinaries.INSTANCE)
          .setDataDirectory(data)
          .setCleanDataDirectory(true) // deleted by the shutdown hook the library registers
          .setLocaleConfig("locale-provider", "builtin")
          .setLocaleConfig("builtin-locale", "C.UTF-8")
          .setLocaleConfig("locale", "C")
          // Throw-away data: durability buys nothing and costs time.
          .setServerConfig("fsync", "off")
          .setServerConfig("full_page_writes", "off")
          .setServerConfig("synchronous_commit", "off")
          .start();
    } catch (IOException e) {
      throw new StoreException("cannot start the test PostgreSQL: " + e.getMessage(), e);
    }
    // The home of a URL-configured store holds nothing; the data directory stands in for it.
    Cluster bare = new Cluster(postgres, data, Optional.empty(), new ArrayDeque<>());
    execute(bare, "postgres", "CREATE DATABASE " + TEMPLATE);
    // Opening migrates; closing leaves no connection behind, which copying the template requires.
    Database.open(new StoreConfig(Optional.of(bare.url(TEMPLATE)), data)).close();
    Optional<TemplateState> state;
    try (Connection connection = postgres.getDatabase("postgres", TEMPLATE).getConnection()) {
      state = Optional.of(TemplateState.capture(connection));
    } catch (SQLException | RuntimeException e) {
      LOG.warn("test databases will be copied, not recycled: cannot capture the template's state: {}", e.toString());
      state = Optional.empty();
    }
    execute(bare, "postgres", "ALTER DATABASE " + TEMPLATE + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    return new Cluster(postgres, data, state, bare.idle());
  }

  private static void execute(Cluster c, String database, String sql) {
    try (Connection connection = c.postgres().getDatabase("postgres", database).getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new StoreException("test PostgreSQL: " + sql + ": " + e.getMessage(), e);
    }
  }
}
