package dev.parley.store;

import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.conversation.ConversationCodec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class EmbeddedServerTest {
  /** A data directory this version created; the kill test leaves it restarted, as a user would find it. */
  @TempDir static Path home;

  private final ConversationCodec codec = new ConversationCodec();

  @Test
  void open_newHome_serverIsDurableLoopbackOnlyAndAsksForThePassword() throws Exception {
    try (Database db = Database.open(StoreConfig.embedded(home))) {
      assertThat(show(db, "fsync")).isEqualTo("on");
      assertThat(show(db, "synchronous_commit")).isEqualTo("on");
      assertThat(show(db, "full_page_writes")).isEqualTo("on");
      assertThat(show(db, "listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(show(db, "unix_socket_directories")).isEmpty();
      assertThat(show(db, "password_encryption")).isEqualTo("scram-sha-256");

      int port = EmbeddedServer.postmasterPort(home.resolve("pg")).orElseThrow();
      String url = EmbeddedServer.url(port, "parley");
      SQLException withoutPassword = assertThrows(SQLException.class, () -> DriverManager.getConnection(url + "?user=postgres").close());
      SQLException wrongPassword = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", "wrong").close());
      String password = DatabaseTest.password(home);
      try (Connection c = DriverManager.getConnection(url, "postgres", password)) {
        assertThat(c.isValid(1)).isTrue();
      }

      assertThat(withoutPassword.getMessage()).containsIgnoringCase("password");
      assertThat(wrongPassword.getSQLState()).isEqualTo("28P01");
      assertThat(password).hasSizeGreaterThanOrEqualTo(32);
      assertThat(Files.getPosixFilePermissions(home.resolve("pg-password"))).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
      assertThat(Files.readString(home.resolve("pg/pg_hba.conf"))).isEqualTo(EmbeddedServer.HBA).doesNotContain("trust");
      assertThat(Files.readString(home.resolve("postgres.log"))).doesNotContain(password);
    }
  }

  @Test
  void open_dataDirectoryOfAnOlderParley_securesItInPlaceAndKeepsTheData(@TempDir Path oldHome) throws Exception {
    Path data = oldHome.resolve("pg");
    // What an older Parley left behind: the library's defaults (trust, fsync off), Parley's schema, a row.
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setRegisterShutdownHook(false).start()) {
      try (Connection c = old.getPostgresDatabase().getConnection()) {
        c.createStatement().execute("CREATE DATABASE parley");
      }
      try (Database db = Database.open(new StoreConfig(Optional.of(old.getJdbcUrl("postgres", "parley")), oldHome))) {
        new ConversationRepository(db.jdbi()).upsert(TenantId.DEFAULT, codec.parse(Lines.conversation("from-before", 2, "x")));
      }
    }
    assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");

    try (Database db = Database.open(StoreConfig.embedded(oldHome))) {
      assertThat(new ConversationRepository(db.jdbi()).exists(TenantId.DEFAULT, "from-before")).isTrue();
      assertThat(show(db, "fsync")).isEqualTo("on");
      assertThat(show(db, "synchronous_commit")).isEqualTo("on");
      assertThat(show(db, "listen_addresses")).isEqualTo("127.0.0.1");
      int port = EmbeddedServer.postmasterPort(data).orElseThrow();
      assertThrows(SQLException.class, () -> DriverManager.getConnection(EmbeddedServer.url(port, "parley") + "?user=postgres").close());
    }
    assertThat(Files.readString(data.resolve("pg_hba.conf"))).isEqualTo(EmbeddedServer.HBA);
    // For a start by other means (pg_ctl by hand): the settings live in the data directory too.
    assertThat(Files.readString(data.resolve("postgresql.auto.conf"))).contains("fsync = 'on'").contains("listen_addresses = '127.0.0.1'");
    assertThat(Files.getPosixFilePermissions(oldHome.resolve("pg-password"))).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
  }

  @Test
  void open_serverOfAnOlderParleyRunning_requiresThePasswordFromThenOn(@TempDir Path oldHome) throws Exception {
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(oldHome.resolve("pg")).setCleanDataDirectory(false)
        .setRegisterShutdownHook(false).start()) {
      String url = EmbeddedServer.url(old.getPort(), "postgres");
      DriverManager.getConnection(url + "?user=postgres").close(); // trust, as older versions left it

      try (Database db = Database.open(StoreConfig.embedded(oldHome))) {
        assertThat(db.description()).contains("port " + old.getPort());
        assertThat(new Tenants(db.jdbi()).find(TenantId.DEFAULT_NAME)).contains(TenantId.DEFAULT);
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url + "?user=postgres").close());
      }
    }
  }

  @Test
  void query_afterPostmasterKilled_failsFastThenRecoversWithTheDataWrittenBefore() throws Exception {
    Path data = home.resolve("pg");
    try (Database db = Database.open(StoreConfig.embedded(home))) {
      ConversationRepository conversations = new ConversationRepository(db.jdbi());
      conversations.upsert(TenantId.DEFAULT, codec.parse(Lines.conversation("acknowledged", 2, "x")));
      ProcessHandle postmaster = ProcessHandle.of(EmbeddedServer.postmasterPid(data).orElseThrow()).orElseThrow();
      List<ProcessHandle> children = postmaster.children().toList();

      postmaster.destroyForcibly(); // SIGKILL, as kill -9
      eventually(Duration.ofSeconds(5), () -> (children.stream().noneMatch(p -> EmbeddedServer.processAlive(p.pid()))
          && !EmbeddedServer.processAlive(postmaster.pid())) ? true : null);
      long started = System.nanoTime();
      assertThrows(StoreUnavailableException.class, () -> conversations.exists(TenantId.DEFAULT, "acknowledged"));
      Duration failedIn = Duration.ofNanos(System.nanoTime() - started);

      assertThat(failedIn).isLessThan(Duration.ofSeconds(2));
      assertThat(eventually(Duration.ofSeconds(15), () -> conversations.exists(TenantId.DEFAULT, "acknowledged"))).isTrue();
      assertThat(EmbeddedServer.postmasterPid(data).orElseThrow()).isNotEqualTo(postmaster.pid());
      assertThat(show(db, "fsync")).isEqualTo("on"); // restarted with the same options
    }
  }

  private static String show(Database db, String setting) {
    return db.jdbi().withHandle(h -> h.createQuery("SHOW " + setting).mapTo(String.class).one());
  }

  /**
   * The first non-null value {@code attempt} returns within {@code limit}, polling; a
   * {@link StoreUnavailableException} counts as "not yet".
   */
  static <T> T eventually(Duration limit, Supplier<T> attempt) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    StoreUnavailableException last = null;
    while (System.nanoTime() - deadline < 0) {
      try {
        T value = attempt.get();
        if (value != null) {
          return value;
        }
      } catch (StoreUnavailableException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing within " + limit.toMillis() + " ms" + (last == null ? "" : "; last: " + last.getMessage()), last);
  }
}
