package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;

/** The flag values one turn runs with, evaluated once at its start. */
public record FlagSet(boolean modularPrompts, boolean contextWindow, boolean promptCaching) {
  public static final FlagSet DEFAULTS = new FlagSet(
      KnownFlag.MODULAR_PROMPTS.defaultValue(), KnownFlag.CONTEXT_WINDOW.defaultValue(), KnownFlag.PROMPT_CACHING.defaultValue());

  public boolean isOn(KnownFlag flag) {
    return switch (requireNonNull(flag, "flag is null")) {
      case MODULAR_PROMPTS -> modularPrompts;
      case CONTEXT_WINDOW -> contextWindow;
      case PROMPT_CACHING -> promptCaching;
    };
  }

  /**
   * As stored with the turn ({@code agent_turns.flags}, read by {@link RolloutGuard} and the decision
   * gate): {@code {"modular_prompts": true, "context_window": false, "prompt_caching": true}}.
   */
  public ObjectNode toJson() {
    ObjectNode json = Json.object();
    for (KnownFlag flag : KnownFlag.values()) {
      json.put(flag.key(), isOn(flag));
    }
    return json;
  }
}
