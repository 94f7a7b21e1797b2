package dev.parley.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options every command shares (DESIGN §3). Mixed into each command with {@code @Mixin}.
 */
public final class CommonOptions {
  private static final String DEFAULT_LLM = "none";
  private static final String DEFAULT_EMBED = "local";

  @Option(names = "--db", paramLabel = "URL", description = "PostgreSQL JDBC URL (else PARLEY_DB_URL, else the embedded store).")
  @Nullable String db;

  @Option(names = "--home", paramLabel = "DIR", description = "Parley home for the embedded store and caches (default ~/.parley, or PARLEY_HOME).")
  @Nullable Path home;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--llm", paramLabel = "PROVIDER", defaultValue = DEFAULT_LLM, description = "LLM provider: anthropic, openai or none (default ${DEFAULT-VALUE}).")
  String llm = DEFAULT_LLM;

  @Option(names = "--embed", paramLabel = "MODEL", defaultValue = DEFAULT_EMBED, description = "Embeddings: local (bge-small-en-v1.5-q), local:minilm, or openai[:MODEL] (default ${DEFAULT-VALUE}).")
  String embed = DEFAULT_EMBED;

  @Option(names = "--verbose", description = "Print stack traces and detail on errors.")
  boolean verbose;

  public Optional<String> dbUrl() {
    if (db != null && !db.isBlank()) {
      return Optional.of(db);
    }
    String env = System.getenv("PARLEY_DB_URL");
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(env);
  }

  public Path home() {
    if (home != null) {
      return home;
    }
    String env = System.getenv("PARLEY_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".parley");
  }

  public long seed() {
    return seed;
  }

  public String llm() {
    return llm;
  }

  public String embed() {
    return embed;
  }

  public boolean verbose() {
    return verbose;
  }
}
