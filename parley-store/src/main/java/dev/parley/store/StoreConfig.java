package dev.parley.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the store lives: a PostgreSQL server named by a JDBC URL, or (when {@code jdbcUrl} is empty)
 * the embedded PostgreSQL whose data directory is {@code <home>/pg}.
 *
 * <p>{@code toString} never shows the URL's password.
 *
 * @param jdbcUrl a {@code jdbc:postgresql://} URL, or a libpq URI ({@code postgresql://user:pass@host/db}), or empty
 * @param home the Parley home folder (holds the embedded data directory, its log and its password file)
 */
public record StoreConfig(Optional<String> jdbcUrl, Path home) {
  public StoreConfig {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(home, "home is null");
    jdbcUrl = jdbcUrl.filter(url -> !url.isBlank()).map(String::strip);
  }

  /** The embedded store under {@code home}. */
  public static StoreConfig embedded(Path home) {
    return new StoreConfig(Optional.empty(), home);
  }

  /** The data directory of the embedded server. */
  public Path embeddedDataDirectory() {
    return home.resolve("pg");
  }

  /** The superuser password of the embedded server, generated on first use (mode 0600); never logged. */
  public Path embeddedPasswordFile() {
    return home.resolve("pg-password");
  }

  public boolean isEmbedded() {
    return jdbcUrl.isEmpty();
  }

  @Override
  public String toString() {
    return "StoreConfig[" + jdbcUrl.map(url -> "jdbcUrl=" + JdbcUrls.redact(url)).orElse("embedded") + ", home=" + home + "]";
  }
}
