package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.fsm.PhaseMachine;
import dev.parley.core.chat.ToolSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One agent, loaded and validated from its folder (DESIGN §6) by {@link AgentLoader}; immutable.
 */
public final class AgentDefinition {
  /** Agent and phase names: lower-case identifiers, safe in URLs, file names and metric tags. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  /** Tool names as the providers accept them. */
  public static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  private final String name;
  private final String description;
  private final String model;
  private final Optional<String> summaryModel;
  private final AgentLimits limits;
  private final PhaseMachine phases;
  private final AgentPrompts prompts;
  private final Map<String, List<ToolDefinition>> toolsByPhase;
  private final List<ToolSpec> allToolSpecs;
  private final Map<String, List<ToolSpec>> specsByPhase;
  private final ObjectNode defaultFields;
  private final Path directory;

  AgentDefinition(
      String name,
      String description,
      String model,
      Optional<String> summaryModel,
      AgentLimits limits,
      PhaseMachine phases,
      AgentPrompts prompts,
      Map<String, List<ToolDefinition>> toolsByPhase,
      ObjectNode defaultFields,
      Path directory) {
    this.name = requireNonNull(name, "name is null");
    this.description = requireNonNull(description, "description is null");
    this.model = requireNonNull(model, "model is null");
    this.summaryModel = requireNonNull(summaryModel, "summaryModel is null");
    this.limits = requireNonNull(limits, "limits is null");
    this.phases = requireNonNull(phases, "phases is null");
    this.prompts = requireNonNull(prompts, "prompts is null");
    this.defaultFields = requireNonNull(defaultFields, "defaultFields is null").deepCopy();
    this.directory = requireNonNull(directory, "directory is null");
    Map<String, List<ToolDefinition>> tools = new LinkedHashMap<>();
    Map<String, List<ToolSpec>> specs = new LinkedHashMap<>();
    List<ToolSpec> all = new ArrayList<>();
    for (var phase : phases.phases()) {
      List<ToolDefinition> list = List.copyOf(toolsByPhase.getOrDefault(phase.name(), List.of()));
      tools.put(phase.name(), list);
      List<ToolSpec> phaseSpecs = list.stream().map(ToolDefinition::spec).toList();
      specs.put(phase.name(), phaseSpecs);
      all.addAll(phaseSpecs);
    }
    this.toolsByPhase = Map.copyOf(tools);
    this.specsByPhase = Map.copyOf(specs);
    this.allToolSpecs = List.copyOf(all);
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /** Provider model name of the agent's turns. */
  public String model() {
    return model;
  }

  /** The cheaper model that writes rolling summaries; empty means the agent's own model. */
  public Optional<String> summaryModel() {
    return summaryModel;
  }

  public AgentLimits limits() {
    return limits;
  }

  public PhaseMachine phases() {
    return phases;
  }

  public AgentPrompts prompts() {
    return prompts;
  }

  /** The tools of {@code phase} (empty for a phase without tools). */
  public List<ToolDefinition> tools(String phase) {
    List<ToolDefinition> tools = toolsByPhase.get(phase);
    if (tools == null) {
      throw noPhase(phase);
    }
    return tools;
  }

  public List<ToolSpec> toolSpecs(String phase) {
    List<ToolSpec> specs = specsByPhase.get(phase);
    if (specs == null) {
      throw noPhase(phase);
    }
    return specs;
  }

  private IllegalArgumentException noPhase(String phase) {
    return new IllegalArgumentException("agent " + name + " has no phase '" + phase + "'");
  }

  /** Every tool of every phase, in phase order (the seed's monolithic tool set). */
  public List<ToolSpec> allToolSpecs() {
    return allToolSpecs;
  }

  public Optional<ToolDefinition> tool(String phase, String toolName) {
    return tools(phase).stream().filter(t -> t.name().equals(toolName)).findFirst();
  }

  /** Fields a new session starts with ({@code fields:} in agent.yaml). */
  public ObjectNode defaultFields() {
    return defaultFields.deepCopy();
  }

  public Path directory() {
    return directory;
  }

  @Override
  public String toString() {
    return "AgentDefinition[" + name + ", phases=" + phases.phases() + ", model=" + model + "]";
  }
}
