package dev.parley.server;

import static java.util.Objects.requireNonNull;

import dev.parley.store.StoreUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the server reaches its database, for {@code /health} and the alerts: {@code parley.db.up} (1 or 0,
 * the last probe) and {@code parley.db.connection.failures} (every failure to get or keep a connection: a
 * probe's, or a request's). Both exist from start-up, so a scrape shows them before the first failure.
 */
final class DatabaseHealth {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealth.class);

  private final Jdbi jdbi;
  private final AtomicInteger up = new AtomicInteger(1);
  private final Counter probeFailures;
  private final Counter requestFailures;

  DatabaseHealth(Jdbi jdbi, MeterRegistry registry) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
    requireNonNull(registry, "registry is null");
    Gauge.builder("parley.db.up", up, AtomicInteger::get).description("1 when the last database probe succeeded").register(registry);
    this.probeFailures = failures(registry, "probe");
    this.requestFailures = failures(registry, "request");
  }

  private static Counter failures(MeterRegistry registry, String source) {
    return Counter.builder("parley.db.connection.failures").description("Failures to get or keep a database connection")
        .tag("source", source).register(registry);
  }

  /** Runs {@code SELECT 1}; true when the database answered. Never throws. */
  boolean probe() {
    try {
      jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
      if (up.getAndSet(1) == 0) {
        LOG.info("the database answers again");
      }
      return true;
    } catch (RuntimeException e) {
      probeFailures.increment();
      if (up.getAndSet(0) == 1) {
        LOG.warn("the database does not answer: {}", e.toString());
      }
      return false;
    }
  }

  /** Counts {@code e} when it is a connection failure (a request's own failure, seen by the error mapping). */
  void observe(Throwable e) {
    if (isConnectionFailure(e)) {
      requestFailures.increment();
    }
  }

  /**
   * Whether {@code e} (or a cause) means no connection to the database: the store says it is unavailable
   * (its supervisor restarting the embedded server, a lost or refused connection), the pool timed out waiting
   * for one, JDBI could not open one, or the driver reports SQL state class 08 (connection exception).
   */
  static boolean isConnectionFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StoreUnavailableException || cause instanceof ConnectionException
          || cause instanceof SQLTransientConnectionException || cause instanceof ConnectException) {
        return true;
      }
      if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
