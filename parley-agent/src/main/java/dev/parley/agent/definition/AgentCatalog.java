package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The agents a server runs, by name; immutable after start-up. */
public final class AgentCatalog {
  private final Map<String, AgentDefinition> agents;

  public AgentCatalog(Collection<AgentDefinition> agents) {
    requireNonNull(agents, "agents is null");
    Map<String, AgentDefinition> byName = new TreeMap<>();
    for (AgentDefinition agent : agents) {
      if (byName.put(agent.name(), agent) != null) {
        throw new IllegalArgumentException("two agents are named '" + agent.name() + "'");
      }
    }
    this.agents = Map.copyOf(byName);
  }

  public static AgentCatalog of(AgentDefinition... agents) {
    return new AgentCatalog(java.util.List.of(agents));
  }

  public Optional<AgentDefinition> find(String name) {
    return Optional.ofNullable(agents.get(name));
  }

  public Collection<AgentDefinition> all() {
    return new TreeMap<>(agents).values();
  }

  public int size() {
    return agents.size();
  }
}
