package dev.parley.store;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * Brings a database's schema to the latest version with Flyway ({@code classpath:db/migration}).
 *
 * <p>Flyway costs about a second in a cold JVM (measured: 1.07 s to validate two migrations on an
 * up-to-date schema, 0.09 s once warm), which would double the start-up of every command. So a cheap
 * check runs first: when {@code flyway_schema_history} already holds every migration on the class path,
 * successfully and with Flyway's checksum, Flyway is not loaded at all. Anything else (a new or edited
 * migration, a failed one, a repeatable one, no history) goes to Flyway, which migrates or reports.
 */
final class Migrations {
  static final String LOCATION = "db/migration";
  private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.+\\.sql");

  /** The class path does not change while the JVM runs: list the scripts once. */
  private static final Supplier<Map<String, Integer>> SCRIPTS = new Supplier<>() {
    private volatile @Nullable Map<String, Integer> scripts;

    @Override
    public Map<String, Integer> get() {
      Map<String, Integer> found = scripts;
      if (found == null) {
        found = Map.copyOf(scripts());
        scripts = found;
      }
      return found;
    }
  };

  private Migrations() {}

  static void migrate(DataSource dataSource) {
    requireNonNull(dataSource, "dataSource is null");
    if (upToDate(dataSource)) {
      return;
    }
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:" + LOCATION)
          .loggers("slf4j")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException(requireNonNullElse(e.getMessage(), "Flyway migration failed"), e);
    }
  }

  /** True when every versioned migration on the class path is applied with the checksum Flyway records. */
  static boolean upToDate(DataSource dataSource) {
    Map<String, Integer> scripts = SCRIPTS.get();
    if (scripts.isEmpty()) {
      return false;
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
        if (!rs.next() || !rs.getBoolean(1)) {
          return false;
        }
      }
      Map<String, Integer> applied = new HashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT version, checksum, success FROM flyway_schema_history")) {
        while (rs.next()) {
          String version = rs.getString(1);
          if (!rs.getBoolean(3) || version == null) {
            return false; // a failed or repeatable migration: let Flyway decide
          }
          int checksum = rs.getInt(2);
          applied.put(version, rs.wasNull() ? null : checksum);
        }
      }
      for (Map.Entry<String, Integer> script : scripts.entrySet()) {
        if (!applied.containsKey(script.getKey()) || !script.getValue().equals(applied.get(script.getKey()))) {
          return false;
        }
      }
      return true;
    } catch (SQLException e) {
      return false; // Flyway will report what is wrong
    }
  }

  /** Versioned migrations on the class path: version (as Flyway records it) to checksum; empty when a repeatable one exists. */
  static Map<String, Integer> scripts() {
    Map<String, Integer> scripts = new TreeMap<>();
    ClassLoader loader = Migrations.class.getClassLoader();
    try {
      Enumeration<URL> roots = loader.getResources(LOCATION);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        for (String name : list(root)) {
          if (name.startsWith("R__")) {
            return Map.of();
          }
          Matcher m = VERSIONED.matcher(name);
          if (m.matches()) {
            try (InputStream in = loader.getResourceAsStream(LOCATION + "/" + name)) {
              if (in == null) {
                return Map.of();
              }
              scripts.put(m.group(1).replace('_', '.'), checksum(in));
            }
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return Map.of(); // cannot tell: Flyway decides
    }
    return scripts;
  }

  private static List<String> list(URL root) throws IOException, URISyntaxException {
    List<String> names = new ArrayList<>();
    switch (root.getProtocol()) {
      case "file" -> {
        try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
          files.map(p -> p.getFileName().toString()).forEach(names::add);
        }
      }
      case "jar" -> {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          Enumeration<JarEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            String entry = entries.nextElement().getName();
            if (entry.startsWith(LOCATION + "/") && entry.length() > LOCATION.length() + 1 && entry.indexOf('/', LOCATION.length() + 1) < 0) {
              names.add(entry.substring(LOCATION.length() + 1));
            }
          }
        }
      }
      default -> throw new IOException("cannot list " + root);
    }
    return names;
  }

  /** Flyway's checksum of a script: CRC-32 of its lines' UTF-8 bytes without line endings, BOM removed. */
  static int checksum(InputStream in) {
    CRC32 crc = new CRC32();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      boolean first = true;
      while ((line = reader.readLine()) != null) {
        if (first && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
          line = line.substring(1);
        }
        first = false;
        crc.update(line.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (int) crc.getValue();
  }
}
