package dev.parley.store;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The pool as the rest of Parley sees it: a lost or refused database connection surfaces as one
 * {@link StoreUnavailableException}, whichever JDBC call met it, instead of a driver or Jdbi exception
 * that looks like any other failure; and while the embedded server is known to be down, a connection
 * is refused at once rather than after the pool's timeout.
 *
 * <p>Connections, statements and result sets are wrapped (dynamic proxies), because Jdbi turns every
 * {@link SQLException} into its own exception types and would hide the reason; an unchecked exception
 * passes through Jdbi unchanged.
 */
final class FailFastDataSource implements DataSource {
  /** A busy but healthy pool is waited for as long as before (HikariCP's default); only outages fail fast. */
  static final Duration BUSY_POOL_WAIT = Duration.ofSeconds(30);
  /** Enough for any real chain; a bound because a cause chain may loop. */
  static final int MAX_CAUSES = 16;
  private static final Set<Class<?>> WRAPPED = Set.of(Connection.class, Statement.class, PreparedStatement.class, CallableStatement.class, ResultSet.class);

  /** What the pool's users learn before asking the pool, and what they report back. */
  interface Health {
    /** The exception to throw at once while the store is known to be down; empty otherwise. */
    Optional<StoreUnavailableException> knownOutage();

    /** A connection just failed: a supervisor looks now instead of at its next round. */
    void connectionFailed();

    /** A server Parley does not run: nothing is known ahead, and nobody to tell. */
    Health UNSUPERVISED = new Health() {
      @Override
      public Optional<StoreUnavailableException> knownOutage() {
        return Optional.empty();
      }

      @Override
      public void connectionFailed() {}
    };
  }

  private final DataSource pool;
  private final Health health;
  private final String description;
  private final Duration retryAfter;

  /**
   * @param pool the connection pool
   * @param health what is known of the server's state
   * @param description where the data lives, for messages (no password)
   * @param retryAfter the {@link StoreUnavailableException#retryAfter()} of translated failures
   */
  FailFastDataSource(DataSource pool, Health health, String description, Duration retryAfter) {
    this.pool = requireNonNull(pool, "pool is null");
    this.health = requireNonNull(health, "health is null");
    this.description = requireNonNull(description, "description is null");
    this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
  }

  @Override
  public Connection getConnection() throws SQLException {
    long deadline = System.nanoTime() + BUSY_POOL_WAIT.toNanos();
    while (true) {
      Optional<StoreUnavailableException> outage = health.knownOutage();
      if (outage.isPresent()) {
        throw outage.get();
      }
      try {
        return (Connection) proxy(Connection.class, pool.getConnection());
      } catch (SQLTransientConnectionException e) {
        // HikariCP's timeout names the last failed connection attempt as its cause; without one, every
        // connection was in use by healthy work and the wait is queueing, not an outage.
        if (e.getCause() != null || System.nanoTime() - deadline >= 0) {
          throw unavailable(e);
        }
      } catch (SQLException e) {
        if (isUnavailable(e)) {
          throw unavailable(e);
        }
        throw e;
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the pool's credentials are fixed; use getConnection()");
  }

  /**
   * True for failures that say the server cannot be reached or is going away: SQLSTATE class 08
   * (connection exception), 57P01-57P03 (shutdown, crash, not accepting connections yet) and 53300 (no
   * connection slot left); a pool timeout is one too.
   */
  static boolean isUnavailable(SQLException e) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") || state.equals("53300")) {
          return true;
        }
      }
    }
    return false;
  }

  private StoreUnavailableException unavailable(SQLException e) {
    health.connectionFailed();
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    return new StoreUnavailableException("the database (" + description + ") cannot be reached: " + message, retryAfter, e);
  }

  private Object proxy(Class<?> type, Object target) {
    return Proxy.newProxyInstance(FailFastDataSource.class.getClassLoader(), new Class<?>[] {type}, new Translating(target));
  }

  /** Forwards every call; turns connection failures into {@link StoreUnavailableException}, wraps what it hands out. */
  private final class Translating implements InvocationHandler {
    private final Object target;

    Translating(Object target) {
      this.target = target;
    }

    @Override
    @SuppressWarnings("ReferenceEquality") // a proxy equals itself only, as the object it stands for would
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
      switch (method.getName()) {
        case "equals" -> {
          if (method.getParameterCount() == 1 && args != null) {
            return proxy == args[0];
          }
        }
        case "hashCode" -> {
          if (method.getParameterCount() == 0) {
            return System.identityHashCode(proxy);
          }
        }
        default -> {}
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql && isUnavailable(sql)) {
          throw unavailable(sql);
        }
        throw cause == null ? e : cause;
      }
      Class<?> type = method.getReturnType();
      return result != null && WRAPPED.contains(type) ? proxy(type, result) : result;
    }
  }

  @Override
  public @Nullable PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(@Nullable PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || pool.isWrapperFor(iface);
  }
}
