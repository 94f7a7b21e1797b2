package dev.parley.agent.fsm;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.definition.Phase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The phase state machine of one agent: its phases (enum-like values declared in agent.yaml), the
 * initial phase, and the allowed edges (the transitions its tools declare). Immutable; the current
 * phase of a session lives in the store and changes only by compare-and-set
 * ({@code UPDATE sessions SET phase = ? WHERE id = ? AND version = ?}), checked here first.
 */
public final class PhaseMachine {
  private final String agent;
  private final Map<String, Phase> phases;
  private final Phase initial;
  private final Map<String, Set<String>> edges;

  public PhaseMachine(String agent, List<Phase> phases, String initial, Map<String, Set<String>> edges) {
    this.agent = requireNonNull(agent, "agent is null");
    requireNonNull(phases, "phases is null");
    requireNonNull(initial, "initial is null");
    requireNonNull(edges, "edges is null");
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("phases is empty");
    }
    Map<String, Phase> byName = new LinkedHashMap<>();
    for (Phase phase : phases) {
      if (byName.put(phase.name(), phase) != null) {
        throw new IllegalArgumentException("phase '" + phase.name() + "' is declared twice");
      }
    }
    this.phases = java.util.Collections.unmodifiableMap(byName);
    Phase first = byName.get(initial);
    if (first == null) {
      throw new IllegalArgumentException("initial phase '" + initial + "' is not one of " + byName.keySet());
    }
    this.initial = first;
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    edges.forEach((from, targets) -> {
      Phase source = byName.get(from);
      if (source == null) {
        throw new IllegalArgumentException("transition from unknown phase '" + from + "'");
      }
      for (String to : targets) {
        if (!byName.containsKey(to)) {
          throw new IllegalArgumentException("transition from '" + from + "' to unknown phase '" + to + "' (phases: " + byName.keySet() + ")");
        }
      }
      if (source.isTerminal() && !targets.isEmpty()) {
        throw new IllegalArgumentException("terminal phase '" + from + "' cannot have transitions, found " + targets);
      }
      copy.put(from, Set.copyOf(targets));
    });
    this.edges = Map.copyOf(copy);
  }

  public String agent() {
    return agent;
  }

  public List<Phase> phases() {
    return List.copyOf(phases.values());
  }

  public Phase initial() {
    return initial;
  }

  public Optional<Phase> find(String name) {
    return Optional.ofNullable(phases.get(name));
  }

  public Phase phase(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException(
        "agent " + agent + " has no phase '" + name + "' (phases: " + phases.keySet() + ")"));
  }

  public boolean canTransition(String from, String to) {
    return edges.getOrDefault(from, Set.of()).contains(to);
  }

  /**
   * Checks a move and returns the target phase.
   *
   * @throws IllegalStateException leaving a terminal phase, or a move no tool of {@code from} declares
   */
  public Phase checkTransition(String from, String to) {
    Phase source = phase(from);
    Phase target = phase(to);
    if (source.isTerminal()) {
      throw new IllegalStateException(String.format("%s cannot transition from %s to %s", agent, from, to));
    }
    if (!canTransition(from, to)) {
      throw new IllegalStateException(String.format(
          "%s cannot transition from %s to %s: allowed targets are %s", agent, from, to, edges.getOrDefault(from, Set.of())));
    }
    return target;
  }
}
