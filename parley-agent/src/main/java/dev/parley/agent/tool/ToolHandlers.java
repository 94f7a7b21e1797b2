package dev.parley.agent.tool;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The registered Java tool handlers, by name; immutable. */
public final class ToolHandlers {
  private static final ToolHandlers NONE = new ToolHandlers(Map.of());
  private final Map<String, ToolHandler> handlers;

  public ToolHandlers(Map<String, ToolHandler> handlers) {
    this.handlers = Map.copyOf(new TreeMap<>(requireNonNull(handlers, "handlers is null")));
  }

  public static ToolHandlers none() {
    return NONE;
  }

  public boolean contains(String name) {
    return handlers.containsKey(name);
  }

  public Optional<ToolHandler> find(String name) {
    return Optional.ofNullable(handlers.get(name));
  }
}
