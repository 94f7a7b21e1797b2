package dev.parley.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options every command shares (DESIGN §3). Mixed into each command with {@code @Mixin}.
 */
public final class CommonOptions {
  @Option(names = "--db", paramLabel = "URL", description = "PostgreSQL JDBC URL (else PARLEY_DB_URL, else the embedded store).")
  String db;

  @Option(names = "--home", paramLabel = "DIR", description = "Parley home for the embedded store and caches (default ~/.parley, or PARLEY_HOME).")
  Path home;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--llm", paramLabel = "PROVIDER", defaultValue = "none", description = "LLM provider: anthropic, openai or none (default ${DEFAULT-VALUE}).")
  String llm;

  @Option(names = "--embed", paramLabel = "MODEL", defaultValue = "local", description = "Embeddings: local (bge-small-en-v1.5-q), local:minilm, or openai[:MODEL] (default ${DEFAULT-VALUE}).")
  String embed;

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
