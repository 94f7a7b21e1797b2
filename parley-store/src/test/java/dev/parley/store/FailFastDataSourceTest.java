package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.testing.TestDatabase;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class FailFastDataSourceTest {
  private final AtomicInteger failuresReported = new AtomicInteger();
  private Optional<StoreUnavailableException> outage = Optional.empty();
  private final FailFastDataSource.Health health = new FailFastDataSource.Health() {
    @Override
    public Optional<StoreUnavailableException> knownOutage() {
      return outage;
    }

    @Override
    public void connectionFailed() {
      failuresReported.incrementAndGet();
    }
  };

  @ParameterizedTest
  @ValueSource(strings = {"08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "53300"})
  void isUnavailable_connectionStates_areOutages(String state) {
    assertThat(FailFastDataSource.isUnavailable(new SQLException("x", state))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "42P01", "42601", "40001", "28P01"})
  void isUnavailable_statementAndAuthenticationStates_areNot(String state) {
    assertThat(FailFastDataSource.isUnavailable(new SQLException("x", state))).isFalse();
  }

  @Test
  void isUnavailable_connectionFailureAsCause_isAnOutage() {
    assertThat(FailFastDataSource.isUnavailable(new SQLException("wrapper", null, new SQLException("refused", "08001")))).isTrue();
    assertThat(FailFastDataSource.isUnavailable(new SQLException("no state"))).isFalse();
  }

  @Test
  void getConnection_knownOutage_throwsItWithoutAskingThePool() {
    Deque<Object> answers = new ArrayDeque<>();
    outage = Optional.of(new StoreUnavailableException("restarting", Duration.ofSeconds(1)));

    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> failFast(answers).getConnection());

    assertThat(e).isSameAs(outage.get());
  }

  @Test
  void getConnection_poolTimedOutAfterAFailedConnect_isUnavailableAtOnce() {
    Deque<Object> answers = new ArrayDeque<>();
    answers.add(new SQLTransientConnectionException("request timed out after 2000ms", "08001", new SQLException("Connection refused", "08001")));
    answers.add(connection());

    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> failFast(answers).getConnection());

    assertThat(e.getMessage()).contains("the database (test db) cannot be reached").contains("timed out");
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(failuresReported).hasValue(1);
    assertThat(answers).hasSize(1); // not asked again
  }

  @Test
  void getConnection_poolBusyWithHealthyWork_waitsOn() throws Exception {
    Deque<Object> answers = new ArrayDeque<>();
    answers.add(new SQLTransientConnectionException("request timed out after 2000ms (total=10, active=10)"));
    answers.add(new SQLTransientConnectionException("request timed out after 2000ms (total=10, active=10)"));
    answers.add(connection());

    try (Connection c = failFast(answers).getConnection()) {
      assertThat(c).isNotNull();
    }
    assertThat(answers).isEmpty();
    assertThat(failuresReported).hasValue(0);
  }

  @Test
  void jdbi_connectionTerminatedMidHandle_throwsStoreUnavailable() {
    try (Database db = TestDatabase.fresh()) {
      StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> db.jdbi().useHandle(h -> {
        int pid = h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
        try (Handle other = db.jdbi().open()) {
          other.createQuery("SELECT pg_terminate_backend(:pid)").bind("pid", pid).mapTo(Boolean.class).one();
        }
        h.createQuery("SELECT 1").mapTo(Integer.class).one();
      }));

      assertThat(e.getCause()).isInstanceOf(SQLException.class);
      assertThat(new Tenants(db.jdbi()).find(TenantId.DEFAULT_NAME)).contains(TenantId.DEFAULT); // the pool replaced it
    }
  }

  @Test
  void jdbi_ordinarySqlError_staysJdbisException() {
    try (Database db = TestDatabase.fresh()) {
      assertThrows(UnableToExecuteStatementException.class, () -> db.jdbi().useHandle(h -> h.execute("SELECT * FROM no_such_table")));
    }
  }

  private FailFastDataSource failFast(Deque<Object> answers) {
    DataSource pool = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
      if (!method.getName().equals("getConnection")) {
        throw new UnsupportedOperationException(method.getName());
      }
      Object answer = answers.poll();
      if (answer instanceof SQLException e) {
        throw e;
      }
      return answer;
    });
    return new FailFastDataSource(pool, health, "test db", Duration.ofSeconds(3));
  }

  private static Connection connection() {
    return (Connection) Proxy.newProxyInstance(FailFastDataSourceTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) ->
        method.getName().equals("isClosed") ? Boolean.FALSE : null);
  }
}
