package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

/**
 * One state of an agent's phase machine. Phases are declared per agent in {@code agent.yaml}, so they
 * are values rather than a Java enum; {@code ordinal} keeps the declared order and {@code terminal}
 * marks states that can never be left (STYLE 16).
 */
public record Phase(String name, int ordinal, boolean terminal) {
  public Phase {
    requireNonNull(name, "name is null");
    if (!AgentDefinition.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("phase name must match " + AgentDefinition.NAME.pattern() + ", was '" + name + "'");
    }
    if (ordinal < 0) {
      throw new IllegalArgumentException("ordinal must be >= 0, was " + ordinal);
    }
  }

  public boolean isTerminal() {
    return terminal;
  }

  @Override
  public String toString() {
    return name;
  }
}
