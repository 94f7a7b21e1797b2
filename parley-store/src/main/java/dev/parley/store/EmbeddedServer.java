package dev.parley.store;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
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
 *
 * <p>The data outlives crashes and other local users cannot read it: commits are durable (the library's
 * defaults, made for tests, turn {@code fsync} and {@code synchronous_commit} off), the server listens on
 * 127.0.0.1 only, and every connection needs the superuser's password, generated once into
 * {@code <home>/pg-password} (mode 0600). A data directory of an older Parley (no password, {@code trust}
 * authentication) is secured in place the first time it is started or joined: the password is set, the
 * settings are written with {@code ALTER SYSTEM}, {@code pg_hba.conf} is replaced and reloaded.
 *
 * <p>While this JVM uses the server, a supervisor thread watches its postmaster. When it dies, the server is
 * restarted on the same data directory (one restart at a time, across processes too, with backoff); in the
 * meantime {@link #knownOutage()} lets the pool's users fail at once instead of waiting for a connection.
 */
final class EmbeddedServer implements FailFastDataSource.Health {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
  private static final String SUPERUSER = "postgres";
  /** Marks this process's connections, to tell them from other processes'. */
  static final String APPLICATION_NAME = "parley-" + ProcessHandle.current().pid();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(60);
  /** How often the supervisor looks at the postmaster; a failed connection makes it look at once. */
  private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /** A restart takes about a second (crash recovery replays little: checkpoints are frequent for this size). */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
  /** The connection attempt itself: the server is local, so anything slower is an outage. */
  private static final int CONNECT_TIMEOUT_SECONDS = 2;
  /** zonky's lock file in the data directory, held by the process that started the server. */
  private static final String OWNER_LOCK = "epg-lock";

  /**
   * Given on every start's command line, where they override the library's {@code -F} (fsync off) and its
   * {@code synchronous_commit=off}; also written with {@code ALTER SYSTEM}, for a start by other means.
   * No Unix socket: Parley connects over TCP only, and a socket's lock file in /tmp naming a killed (not yet
   * reaped) postmaster would block the restart.
   */
  private static final Map<String, String> SERVER_CONFIG = Map.of(
      "fsync", "on",
      "synchronous_commit", "on",
      "full_page_writes", "on",
      "listen_addresses", "127.0.0.1",
      "unix_socket_directories", "",
      "password_encryption", "scram-sha-256");

  /** The whole of {@code pg_hba.conf}: no {@code trust} anywhere, no address but the loopback one. */
  static final String HBA = """
      # Written by Parley. Every connection needs the superuser's password (<home>/pg-password);
      # TCP connections come from 127.0.0.1 only (the server listens nowhere else).
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      """;

  /** Servers this JVM uses, by real data directory path. Guarded by the class lock. */
  private static final Map<Path, EmbeddedServer> SHARED = new HashMap<>();
  /** Servers this JVM started and left running for other processes; the next acquire here adopts them. */
  private static final Map<Path, EmbeddedPostgres> LEFT_RUNNING = new HashMap<>();

  static {
    // Replaces the library's own hook, which would stop the server under other processes' feet.
    Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServer::atExit, "parley-embedded-postgres-exit"));
  }

  private final Path dataDirectory;
  private final Settings settings;
  private final String password;
  private final ScheduledExecutorService supervisor;
  private final AtomicBoolean checkQueued = new AtomicBoolean();
  /** Replaced by the supervisor after a restart; read by every connection attempt. */
  private volatile Instance instance;
  /** {@link System#nanoTime()} when the supervisor found the server gone; empty while it runs. */
  private volatile OptionalLong downSince = OptionalLong.empty();
  private volatile boolean closed;
  private int users; // guarded by the class lock

  private EmbeddedServer(Path dataDirectory, Settings settings, String password, Instance instance, ScheduledExecutorService supervisor) {
    this.dataDirectory = dataDirectory;
    this.settings = settings;
    this.password = password;
    this.instance = instance;
    this.supervisor = supervisor;
  }

  /** How to start a server when none runs: extra server settings, where its output goes, where its password is kept. */
  record Settings(Map<String, String> serverConfig, Optional<Path> logFile, Path passwordFile) {
    Settings {
      serverConfig = Map.copyOf(requireNonNull(serverConfig, "serverConfig is null"));
      requireNonNull(logFile, "logFile is null");
      requireNonNull(passwordFile, "passwordFile is null");
    }
  }

  /**
   * One run of the server: its port and postmaster, the library's handle when this JVM started it, and the
   * connection that marks this process's use of a server another process started.
   *
   * @param pidVisible false when this process cannot see the postmaster (another PID namespace): the port tells then
   */
  private record Instance(int port, long pid, boolean pidVisible, Optional<EmbeddedPostgres> owned, Optional<Connection> guard) {
    static Instance of(Path dataDirectory, int port, Optional<EmbeddedPostgres> owned, Optional<Connection> guard) {
      long pid = postmasterPid(dataDirectory).orElse(0);
      return new Instance(port, pid, pid > 0 && processAlive(pid), owned, guard);
    }

    boolean running() {
      return pidVisible ? processAlive(pid) : answers(port);
    }

    Instance ownedBy(Optional<EmbeddedPostgres> owner) {
      return owner.isPresent() ? new Instance(port, pid, pidVisible, owner, guard) : this;
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
      String password = PasswordFile.readOrCreate(settings.passwordFile());
      server = new EmbeddedServer(key, settings, password, firstInstance(key, settings, password), newSupervisor());
      server.supervise();
      SHARED.put(key, server);
    }
    server.users++;
    return server;
  }

  private static ScheduledExecutorService newSupervisor() {
    return Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "parley-embedded-postgres-supervisor");
      thread.setDaemon(true); // never keeps a finished command alive
      return thread;
    });
  }

  private static Instance firstInstance(Path dataDirectory, Settings settings, String password) {
    EmbeddedPostgres left = LEFT_RUNNING.remove(dataDirectory);
    if (left != null) {
      if (answers(left.getPort())) {
        return Instance.of(dataDirectory, left.getPort(), Optional.of(left), Optional.empty());
      }
      closeQuietly(left); // it died while nobody here used it; its lock on epg-lock would fail the start below
    }
    return startOrAttach(dataDirectory, settings, password);
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
      stopSupervising();
      stopIfLast();
    }
  }

  private static synchronized void atExit() {
    for (EmbeddedServer server : List.copyOf(SHARED.values())) {
      server.stopSupervising(); // a restart now would outlive this JVM with nobody to stop it
      server.stopIfLast(); // a Database not closed (System.exit, Ctrl-C): our own connections do not count
    }
    SHARED.clear();
  }

  private void stopIfLast() {
    Instance current = instance;
    int others = otherClients();
    current.guard().ifPresent(EmbeddedServer::closeQuietly);
    if (others < 0) {
      current.owned().ifPresent(EmbeddedServer::closeQuietly); // gone already: let the library release its lock
      return;
    }
    if (others > 0) {
      LOG.debug("leaving the embedded PostgreSQL of {} running: {} connections of other processes", dataDirectory, others);
      current.owned().ifPresent(pg -> LEFT_RUNNING.put(dataDirectory, pg));
      return;
    }
    if (current.owned().isPresent()) {
      closeQuietly(current.owned().get());
    } else if (!ownerAlive(dataDirectory)) {
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
  private static boolean ownerAlive(Path dataDirectory) {
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
      int exit = pgCtl(List.of("-D", dataDirectory.toString(), "stop", "-m", "fast", "-w", "-t", "10"),
          ProcessBuilder.Redirect.DISCARD, Duration.ofSeconds(20));
      if (exit != 0) {
        LOG.debug("pg_ctl stop of {} exited with {}", dataDirectory, exit);
      } else {
        LOG.debug("stopped the embedded PostgreSQL of {} (its starter had exited)", dataDirectory);
      }
    } catch (StoreException e) {
      LOG.debug("could not stop the embedded PostgreSQL of {}: {}", dataDirectory, e.getMessage());
    }
  }

  /**
   * Runs the {@code pg_ctl} beside the {@code postgres} that {@code postmaster.opts} names (the binaries the
   * server last ran with) and returns its exit code.
   */
  private int pgCtl(List<String> arguments, ProcessBuilder.Redirect output, Duration timeout) {
    try {
      String opts = Files.readString(dataDirectory.resolve("postmaster.opts")).strip();
      String postgres = opts.startsWith("\"") ? opts.substring(1, opts.indexOf('"', 1)) : opts.split(" ", 2)[0];
      List<String> command = new ArrayList<>();
      if (LinuxUtils.isUnshareAvailable()) {
        command.addAll(List.of("unshare", "-U")); // as the library does: PostgreSQL refuses to run as root
      }
      command.add(Path.of(postgres).resolveSibling("pg_ctl").toString());
      command.addAll(arguments);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        throw new StoreException("pg_ctl " + arguments + " did not finish in " + timeout.toSeconds() + " s");
      }
      return process.exitValue();
    } catch (IOException | RuntimeException e) {
      throw e instanceof StoreException se ? se : new StoreException("cannot run pg_ctl for " + dataDirectory + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while pg_ctl ran for " + dataDirectory, e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("could not stop the embedded PostgreSQL: {}", e.toString());
    }
  }

  /** The current port; it changes only when a restart had to start a new server. */
  int port() {
    return instance.port();
  }

  static String superuser() {
    return SUPERUSER;
  }

  /** Connections to {@code database} on whichever port the server has now, with this process's credentials. */
  DataSource dataSource(String database) {
    return new ServerDataSource(database);
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
    return connect(instance.port(), database, password);
  }

  private static Connection connect(int port, String database, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", SUPERUSER);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("ApplicationName", APPLICATION_NAME);
    return DriverManager.getConnection(url(port, database), props);
  }

  /** 127.0.0.1, not localhost: the server listens on nothing else, and localhost may resolve to ::1 first. */
  static String url(int port, String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  // ---- supervision

  private void supervise() {
    // check() catches everything: the future would never hold an exception to look at.
    ScheduledFuture<?> unused = supervisor.scheduleWithFixedDelay(this::check, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void stopSupervising() {
    closed = true;
    supervisor.shutdownNow();
    try {
      if (!supervisor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.debug("the supervisor of the embedded PostgreSQL of {} did not stop within 10 s", dataDirectory);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Optional<StoreUnavailableException> knownOutage() {
    OptionalLong since = downSince;
    if (since.isEmpty()) {
      return Optional.empty();
    }
    long downMillis = (System.nanoTime() - since.getAsLong()) / 1_000_000;
    return Optional.of(new StoreUnavailableException(
        "the embedded PostgreSQL of " + dataDirectory + " stopped " + downMillis + " ms ago and is being restarted", RETRY_AFTER));
  }

  @Override
  public void connectionFailed() {
    if (!closed && checkQueued.compareAndSet(false, true)) {
      try {
        supervisor.execute(this::check);
      } catch (RejectedExecutionException e) {
        checkQueued.set(false); // closing: nothing to supervise any more
      }
    }
  }

  /** Runs on the supervisor thread only, so one restart at most is in flight in this JVM. */
  private void check() {
    checkQueued.set(false);
    try {
      Instance current = instance;
      if (!closed && !current.running()) {
        recover(current);
      }
    } catch (RuntimeException e) {
      // An escaping exception would cancel the schedule and leave the server unsupervised.
      LOG.warn("supervising the embedded PostgreSQL of {} failed: {}", dataDirectory, e.toString());
    }
  }

  private void recover(Instance dead) {
    long since = System.nanoTime();
    downSince = OptionalLong.of(since);
    LOG.warn("the embedded PostgreSQL of {} (pid {}, port {}) has stopped; restarting it", dataDirectory, dead.pid(), dead.port());
    dead.guard().ifPresent(EmbeddedServer::closeQuietly);
    long backoff = FIRST_BACKOFF.toMillis();
    for (int attempt = 1; !closed; attempt++) {
      try {
        Optional<Instance> next = restart(dead);
        if (next.isPresent()) {
          instance = next.get();
          downSince = OptionalLong.empty();
          LOG.info("restarted the embedded PostgreSQL of {} on port {}, {} ms after it stopped (attempt {})",
              dataDirectory, next.get().port(), (System.nanoTime() - since) / 1_000_000, attempt);
          return;
        }
        LOG.debug("waiting for the process that started the embedded PostgreSQL of {} to restart it", dataDirectory);
      } catch (StoreException e) {
        if (closed) {
          return; // released mid-attempt: the failure is the interruption
        }
        LOG.warn("restarting the embedded PostgreSQL of {} failed (attempt {}; next in {} ms): {}", dataDirectory, attempt, backoff, e.getMessage());
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // released: the last user is gone
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
    }
  }

  /**
   * One restart attempt, under the same lock as a first start so that processes do not race: uses a server
   * someone else brought back; else restarts ours with {@code pg_ctl restart} (same binaries, port and
   * options, from {@code postmaster.opts}), keeping the library's handle and its lock; else, when the process
   * that started it is gone too, starts a new one. Empty when that process lives: the restart is its job.
   */
  private Optional<Instance> restart(Instance dead) {
    Path lockFile = startLock(dataDirectory);
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock();
      try {
        Optional<Instance> running = attach(dataDirectory, settings, password);
        if (running.isPresent()) {
          return Optional.of(running.get().ownedBy(dead.owned()));
        }
        forgetZombie(dataDirectory, dead.pid());
        if (dead.owned().isPresent()) {
          ProcessBuilder.Redirect log = settings.logFile()
              .map(file -> ProcessBuilder.Redirect.appendTo(file.toFile()))
              .orElse(ProcessBuilder.Redirect.DISCARD);
          int exit = pgCtl(List.of("-D", dataDirectory.toString(), "-w", "-t", Long.toString(RESTART_TIMEOUT.toSeconds()), "restart", "-m", "fast"),
              log, RESTART_TIMEOUT.plusSeconds(10));
          if (exit != 0) {
            throw new StoreException("pg_ctl restart exited with " + exit + settings.logFile().map(file -> "; see " + file).orElse(""));
          }
          return Optional.of(attach(dataDirectory, settings, password)
              .orElseThrow(() -> new StoreException("pg_ctl restart succeeded but the server does not answer"))
              .ownedBy(dead.owned()));
        }
        if (ownerAlive(dataDirectory)) {
          return Optional.empty();
        }
        return Optional.of(start(dataDirectory, settings, password));
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new StoreException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * A postmaster killed while its parent does not reap it (PID 1 of many containers) stays a zombie, which
   * PostgreSQL takes for a live server owning {@code postmaster.pid}: it would refuse every restart. A zombie
   * holds no memory and no files, so its lock file is stale.
   */
  private static void forgetZombie(Path dataDirectory, long pid) {
    if (pid > 0 && isZombie(pid) && postmasterPid(dataDirectory).equals(OptionalLong.of(pid))) {
      try {
        Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
        LOG.debug("removed the postmaster.pid of the zombie postmaster {} of {}", pid, dataDirectory);
      } catch (IOException e) {
        LOG.debug("cannot remove the stale postmaster.pid of {}: {}", dataDirectory, e.toString());
      }
    }
  }

  /** True while {@code pid} runs; a zombie (dead, not yet reaped) counts as gone. */
  static boolean processAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(pid);
  }

  /** Linux only ({@code /proc}); elsewhere a dead process disappears from {@link ProcessHandle} once reaped. */
  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int end = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
      return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  // ---- starting, attaching, securing

  private static Path startLock(Path dataDirectory) {
    return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock");
  }

  private static Instance startOrAttach(Path dataDirectory, Settings settings, String password) {
    Optional<Instance> running = attach(dataDirectory, settings, password);
    if (running.isPresent()) {
      return running.get();
    }
    // Processes starting at the same moment take turns (a file lock beside the data directory), so
    // only one runs initdb and starts the server; the others then find it running and connect to it.
    Path lockFile = startLock(dataDirectory);
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock(); // released when the channel closes
      try {
        running = attach(dataDirectory, settings, password);
        return running.isPresent() ? running.get() : start(dataDirectory, settings, password);
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new StoreException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private static Instance start(Path dataDirectory, Settings settings, String password) {
    long started = System.nanoTime();
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setPgBinaryResolver(PostgresBinaries.INSTANCE)
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(false)
          .setPGStartupWait(START_TIMEOUT)
          // Code-point collation with full Unicode character classes, the same on Linux and macOS.
          .setLocaleConfig("locale-provider", "builtin")
          .setLocaleConfig("builtin-locale", "C.UTF-8")
          .setLocaleConfig("locale", "C")
          // The library passes these to initdb after its own "-A trust", so they win: a new data directory
          // never accepts a connection without the password, not even before the first secure().
          .setLocaleConfig("auth", "scram-sha-256")
          .setLocaleConfig("pwfile", settings.passwordFile().toAbsolutePath().toString())
          // The library's readiness check logs in too.
          .setConnectConfig("password", password);
      SERVER_CONFIG.forEach(builder::setServerConfig);
      settings.serverConfig().forEach(builder::setServerConfig);
      if (settings.logFile().isPresent()) {
        // The server outlives the pipe of this JVM's stdout; its output belongs in a file, never on stdout.
        Path log = settings.logFile().get();
        Files.createDirectories(log.toAbsolutePath().getParent());
        builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
      }
      EmbeddedPostgres pg = builder.start();
      try {
        secure(dataDirectory, pg.getPort(), password, settings.passwordFile());
      } catch (RuntimeException e) {
        closeQuietly(pg);
        throw e;
      }
      LOG.debug("started embedded PostgreSQL on port {} for {} in {} ms", pg.getPort(), dataDirectory, (System.nanoTime() - started) / 1_000_000);
      return Instance.of(dataDirectory, pg.getPort(), Optional.of(pg), Optional.empty());
    } catch (IOException | RuntimeException e) {
      // A server another process started without taking turns (an older Parley) may be coming up: use it.
      Optional<Instance> other = awaitOther(dataDirectory, settings, password);
      if (other.isPresent()) {
        return other.get();
      }
      String log = settings.logFile().map(l -> "; see " + l).orElse("");
      throw new StoreException("embedded PostgreSQL did not start for data directory " + dataDirectory + ": " + e.getMessage()
          + passwordHint(e, settings.passwordFile()) + log, e);
    }
  }

  /** The one failure a user must act on: the password file was replaced or lost, the data directory kept. */
  private static String passwordHint(Throwable e, Path passwordFile) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < FailFastDataSource.MAX_CAUSES; depth++, t = t.getCause()) {
      if (t instanceof SQLException sql && "28P01".equals(sql.getSQLState())) {
        return "; the password in " + passwordFile + " is not the one this data directory was secured with (restore the file from a backup of the home folder)";
      }
    }
    return "";
  }

  /**
   * Makes a server of an older Parley (or a fresh one, whose {@code pg_hba.conf} initdb wrote) ask for the
   * password: sets it, writes the durable settings, replaces {@code pg_hba.conf}, reloads, and checks that a
   * connection without the password is refused. Nothing to do when {@code pg_hba.conf} is already Parley's.
   */
  private static void secure(Path dataDirectory, int port, String password, Path passwordFile) {
    Path hba = dataDirectory.resolve("pg_hba.conf");
    String before;
    try {
      before = Files.readString(hba, StandardCharsets.UTF_8);
    } catch (IOException e) {
      before = "";
    }
    if (before.equals(HBA)) {
      return;
    }
    boolean trusted = before.lines().map(String::strip).anyMatch(line -> !line.startsWith("#") && line.matches(".*\\btrust\\b.*"));
    try (Connection c = connect(port, "postgres", password);
        Statement s = c.createStatement()) {
      // Computed here, sent as a SCRAM verifier: the password never reaches the server's log or pg_stat_activity.
      c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, password.toCharArray(), "scram-sha-256");
      for (Map.Entry<String, String> setting : new TreeMap<>(SERVER_CONFIG).entrySet()) {
        s.execute("ALTER SYSTEM SET " + setting.getKey() + " = '" + setting.getValue() + "'");
      }
      writeAtomically(hba, HBA);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException | IOException e) {
      throw new StoreException("cannot secure the embedded PostgreSQL of " + dataDirectory + ": " + e.getMessage(), e);
    }
    awaitPasswordRequired(dataDirectory, port);
    if (trusted) {
      LOG.info("secured the embedded PostgreSQL of {}: password authentication (the password is in {}), 127.0.0.1 only", dataDirectory, passwordFile);
    }
  }

  /** A crash mid-write must leave the old file or the new one, never half of one: the server reads it at every start. */
  private static void writeAtomically(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".parley-new");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** {@code pg_reload_conf()} only signals the postmaster; the new rules apply a moment later. */
  private static void awaitPasswordRequired(Path dataDirectory, int port) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Properties withoutPassword = new Properties();
    withoutPassword.setProperty("user", SUPERUSER);
    withoutPassword.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    while (true) {
      try {
        DriverManager.getConnection(url(port, "postgres"), withoutPassword).close();
      } catch (SQLException e) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new StoreException("the embedded PostgreSQL of " + dataDirectory + " still accepts connections without a password after reloading pg_hba.conf");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while securing the embedded PostgreSQL of " + dataDirectory, e);
      }
    }
  }

  /** Waits a while for another process's server on the data directory to come up. */
  private static Optional<Instance> awaitOther(Path dataDirectory, Settings settings, String password) {
    if (!Files.exists(dataDirectory.resolve("postmaster.pid"))) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Instance> server = attach(dataDirectory, settings, password);
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
   * A server of an older Parley is secured on the way.
   */
  private static Optional<Instance> attach(Path dataDirectory, Settings settings, String password) {
    OptionalInt port = postmasterPort(dataDirectory);
    if (port.isEmpty() || !answers(port.getAsInt())) {
      return Optional.empty();
    }
    Connection guard;
    try {
      guard = connect(port.getAsInt(), "postgres", password);
    } catch (SQLException e) {
      LOG.debug("port {} of {} answers but does not accept connections: {}", port.getAsInt(), dataDirectory, e.getMessage());
      return Optional.empty();
    }
    try {
      try (Statement s = guard.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_setting('data_directory'), current_setting('fsync')")) {
        // A stale postmaster.pid may name a port some other server now uses.
        if (rs.next() && realPath(Path.of(rs.getString(1))).equals(dataDirectory)) {
          LOG.debug("using the embedded PostgreSQL another process runs on port {} for {}", port.getAsInt(), dataDirectory);
          secure(dataDirectory, port.getAsInt(), password, settings.passwordFile());
          if (!"on".equals(rs.getString(2))) {
            LOG.warn("the embedded PostgreSQL of {} was started by an older Parley with fsync off: commits are durable only from its next start", dataDirectory);
          }
          return Optional.of(Instance.of(dataDirectory, port.getAsInt(), Optional.empty(), Optional.of(guard)));
        }
      }
      guard.close();
      return Optional.empty();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("port {} of {} answers but does not accept connections: {}", port.getAsInt(), dataDirectory, e.getMessage());
      closeQuietly(guard);
      if (e instanceof StoreException store) {
        throw store;
      }
      return Optional.empty();
    }
  }

  private static void closeQuietly(@Nullable Connection connection) {
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
    Optional<String> line = postmasterPidLine(dataDirectory, 3);
    try {
      return line.isPresent() ? OptionalInt.of(Integer.parseInt(line.get())) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** The postmaster's process id recorded in {@code postmaster.pid} (line 1). */
  static OptionalLong postmasterPid(Path dataDirectory) {
    Optional<String> line = postmasterPidLine(dataDirectory, 0);
    try {
      return line.isPresent() ? OptionalLong.of(Long.parseLong(line.get())) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Line {@code index} of {@code postmaster.pid}, stripped, when the file is complete up to the port (line 4). */
  private static Optional<String> postmasterPidLine(Path dataDirectory, int index) {
    List<String> lines;
    try {
      lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.debug("cannot read postmaster.pid of {}: {}", dataDirectory, e.toString());
      return Optional.empty();
    }
    return lines.size() < 4 ? Optional.empty() : Optional.of(lines.get(index).strip());
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

  /**
   * What the pool connects with: the server's port is read at every connection, so that the pool follows a
   * restart that had to move to another port; a refused connection wakes the supervisor.
   */
  private final class ServerDataSource implements DataSource {
    private final String database;
    private int loginTimeout;

    ServerDataSource(String database) {
      this.database = database;
    }

    @Override
    public Connection getConnection() throws SQLException {
      try {
        return connect(database);
      } catch (SQLException e) {
        connectionFailed();
        throw e;
      }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("the embedded server's credentials are fixed; use getConnection()");
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {
      loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
      return loginTimeout;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return iface.isInstance(this);
    }

    @Override
    public String toString() {
      return "embedded PostgreSQL " + database + " (" + dataDirectory + ")";
    }
  }
}
