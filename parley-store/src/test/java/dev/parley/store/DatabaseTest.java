package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.conversation.ConversationCodec;
import dev.parley.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DatabaseTest {
  /** One initialised data directory for the embedded tests: initdb costs seconds, a server start a fraction. */
  @TempDir static Path home;

  private final ConversationCodec codec = new ConversationCodec();

  @BeforeAll
  static void initialise() {
    Database.open(StoreConfig.embedded(home)).close();
  }

  @Test
  void open_embeddedTwice_keepsDataAcrossRestart() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      try (Database db = Database.open(StoreConfig.embedded(home))) {
        assertThat(db.isEmbedded()).isTrue();
        new ConversationRepository(db.jdbi()).upsert(TenantId.DEFAULT, codec.parse(Lines.conversation("kept", 2, "x")));
      }
      assertThat(EmbeddedServer.postmasterPort(home.resolve("pg"))).isEmpty(); // stopped on close

      try (Database db = Database.open(StoreConfig.embedded(home))) {
        assertThat(new ConversationRepository(db.jdbi()).find(TenantId.DEFAULT, "kept")).isPresent();
      }
    } finally {
      System.setOut(stdout);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(home.resolve("postgres.log")).exists();
  }

  @Test
  void open_sameHomeTwiceInOneJvm_sharesTheServerUntilTheLastClose() {
    try (Database first = Database.open(StoreConfig.embedded(home))) {
      try (Database second = Database.open(StoreConfig.embedded(home))) {
        assertThat(second.description()).isEqualTo(first.description());
      }
      assertThat(new Tenants(first.jdbi()).find(TenantId.DEFAULT_NAME)).contains(TenantId.DEFAULT);
    }
  }

  @Test
  void open_serverOfAnotherProcessRunning_connectsToIt() throws Exception {
    // Stands in for another Parley process: a server on the same data directory, not started through Database.
    try (EmbeddedPostgres other = EmbeddedPostgres.builder().setDataDirectory(home.resolve("pg")).setCleanDataDirectory(false)
        .setServerConfig("fsync", "on").setConnectConfig("password", password(home)).start()) {
      try (Database db = Database.open(StoreConfig.embedded(home))) {
        assertThat(db.description()).contains("port " + other.getPort());
        new ConversationRepository(db.jdbi()).upsert(TenantId.DEFAULT, codec.parse(Lines.conversation("via-other", 1, "x")));
        assertThat(new ConversationRepository(db.jdbi()).exists(TenantId.DEFAULT, "via-other")).isTrue();
      }
      // Closing our side leaves the other process's server running.
      assertThat(EmbeddedServer.postmasterPort(home.resolve("pg"))).hasValue(other.getPort());
      try (var c = other.getDatabase("postgres", "parley").getConnection();
          var rs = c.createStatement().executeQuery("SELECT count(*) FROM conversations WHERE id = 'via-other'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void close_whileAnotherProcessIsConnected_leavesTheServerRunningForIt() throws Exception {
    Database owner = Database.open(StoreConfig.embedded(home));
    int port = EmbeddedServer.postmasterPort(home.resolve("pg")).orElseThrow();
    // Stands in for another process's connection: another application_name.
    try (Connection other = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/parley?user=postgres&ApplicationName=other&password=" + password(home))) {
      owner.close();
      assertThat(EmbeddedServer.postmasterPort(home.resolve("pg"))).hasValue(port);
      try (var rs = other.createStatement().executeQuery("SELECT count(*) FROM tenants")) {
        assertThat(rs.next()).isTrue();
      }
      // The next use in this JVM adopts the server it left running ...
      try (Database again = Database.open(StoreConfig.embedded(home))) {
        assertThat(again.description()).contains("port " + port);
      }
      assertThat(EmbeddedServer.postmasterPort(home.resolve("pg"))).hasValue(port);
    }
    // ... and the last one out stops it.
    Database.open(StoreConfig.embedded(home)).close();
    assertThat(EmbeddedServer.postmasterPort(home.resolve("pg"))).isEmpty();
  }

  @Test
  void open_unreachableUrlWithPassword_failsWithoutShowingThePassword() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String secret = "Zq9-secret-Pw";
    PrintStream stderr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    StoreException e;
    try {
      e = assertThrows(StoreException.class, () -> Database.open(new StoreConfig(
          Optional.of("jdbc:postgresql://localhost:" + closedPort + "/parley?user=app&password=" + secret), home)));
    } finally {
      System.setErr(stderr);
    }

    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(e.getMessage()).contains("localhost:" + closedPort).contains("password=***");
    assertThat(trace.toString()).doesNotContain(secret);
    assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
  }

  @Test
  void open_libpqUriWithPassword_connects() {
    String url = TestDatabase.freshUrl().replace("jdbc:postgresql://", "postgresql://postgres:any-password@").replace("?user=postgres", "");
    try (Database db = Database.open(new StoreConfig(Optional.of(url), Path.of("unused")))) {
      assertThat(db.description()).doesNotContain("any-password");
      assertThat(new Tenants(db.jdbi()).find(TenantId.DEFAULT_NAME)).contains(TenantId.DEFAULT);
    }
  }

  @Test
  void migrations_afterFlyway_areRecognisedAsUpToDate() {
    try (Database db = TestDatabase.fresh()) {
      assertThat(Migrations.scripts()).containsKeys("1", "2");
      assertThat(Migrations.upToDate(db.dataSource())).isTrue();
    }
  }

  @Test
  void migrations_checksum_ignoresLineEndingsAndBom() {
    int lf = Migrations.checksum(new java.io.ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)));
    int crlf = Migrations.checksum(new java.io.ByteArrayInputStream("\uFEFFa\r\nb\r\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(crlf).isEqualTo(lf);
  }

  @Test
  void query_externalServerStopped_failsFastAndRecoversOnceItIsBack(@TempDir Path data) throws Exception {
    // Stands in for a PostgreSQL that Parley does not run (--db URL): stopped and started by someone else.
    EmbeddedPostgres first = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setRegisterShutdownHook(false).start();
    int port = first.getPort();
    try (var c = first.getPostgresDatabase().getConnection()) {
      c.createStatement().execute("CREATE DATABASE parley");
    }
    try (Database db = Database.open(new StoreConfig(Optional.of(first.getJdbcUrl("postgres", "parley")), data))) {
      Tenants tenants = new Tenants(db.jdbi());
      assertThat(tenants.find(TenantId.DEFAULT_NAME)).contains(TenantId.DEFAULT);
      first.close();

      long started = System.nanoTime();
      StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> tenants.find(TenantId.DEFAULT_NAME));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(took).isLessThan(Database.CONNECTION_TIMEOUT.plusSeconds(1)); // HikariCP's default: 30 s
      assertThat(e.getMessage()).contains("localhost:" + port);
      assertThat(e.retryAfter()).isPositive();
      try (EmbeddedPostgres again = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setRegisterShutdownHook(false)
          .setPort(port).start()) {
        assertThat(again.getPort()).isEqualTo(port);
        assertThat(EmbeddedServerTest.eventually(Duration.ofSeconds(15), () -> tenants.find(TenantId.DEFAULT_NAME))).contains(TenantId.DEFAULT);
      }
    }
  }

  @Test
  void close_twice_isHarmless() {
    Database db = TestDatabase.fresh();
    db.close();
    db.close();
  }

  static String password(Path home) throws java.io.IOException {
    return Files.readString(home.resolve("pg-password")).strip();
  }
}
