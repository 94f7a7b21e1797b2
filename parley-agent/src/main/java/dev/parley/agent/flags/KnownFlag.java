package dev.parley.agent.flags;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The flags the orchestrator reads at the start of every turn, with their defaults when not stored. */
public enum KnownFlag {
  MODULAR_PROMPTS(true, "core prompt + the current phase's overlay and only its tools (off: the seed's monolithic prompt with every tool)"),
  CONTEXT_WINDOW(true, "fold history beyond the agent's token budget into a rolling summary"),
  PROMPT_CACHING(true, "mark system prompt and tools for provider prompt caching (Anthropic cache_control)");

  private final boolean defaultValue;
  private final String description;

  KnownFlag(boolean defaultValue, String description) {
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The stored name, e.g. {@code modular_prompts}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public static Optional<KnownFlag> find(String key) {
    return Arrays.stream(values()).filter(f -> f.key().equals(key)).findFirst();
  }
}
