package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;
import dev.parley.agent.fsm.PhaseMachine;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Loads an agent folder (DESIGN §6) and validates all of it before anything runs: unknown keys,
 * unknown phases (in transitions, file names, the initial phase), tool schemas against the JSON Schema
 * meta-schema, template syntax, and handler names. Every problem is collected, so one start-up
 * reports them all.
 */
public final class AgentLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> AGENT_KEYS = Set.of(
      "name", "description", "model", "summary_model", "initial_phase", "phases", "terminal_phases", "fields", "limits", "temperature");
  private static final Set<String> LIMIT_KEYS = Set.of(
      "max_tool_rounds", "turn_timeout_seconds", "token_budget", "keep_recent_tokens", "max_output_tokens");
  private static final Set<String> TOOL_KEYS = Set.of("name", "description", "input_schema", "effect", "handler");
  static final String CORE_PROMPT = "00-core.md";

  private final Predicate<String> javaHandlerExists;

  /** @param javaHandlerExists whether a Java tool handler of that name is registered */
  public AgentLoader(Predicate<String> javaHandlerExists) {
    this.javaHandlerExists = requireNonNull(javaHandlerExists, "javaHandlerExists is null");
  }

  /** Loads every sub-folder of {@code agentsDir} that holds an {@code agent.yaml}. */
  public AgentCatalog loadAll(Path agentsDir) {
    requireNonNull(agentsDir, "agentsDir is null");
    if (!Files.isDirectory(agentsDir)) {
      throw new BadInputException("agents folder " + agentsDir + " does not exist or is not a folder");
    }
    List<AgentDefinition> agents = new ArrayList<>();
    try (Stream<Path> children = Files.list(agentsDir)) {
      for (Path dir : children.sorted().toList()) {
        if (Files.isRegularFile(dir.resolve("agent.yaml"))) {
          agents.add(load(dir));
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot list agents folder " + agentsDir + ": " + e.getMessage(), e);
    }
    if (agents.isEmpty()) {
      throw new BadInputException("agents folder " + agentsDir + " holds no agent (no sub-folder with an agent.yaml)");
    }
    return new AgentCatalog(agents);
  }

  /** Loads one agent folder. */
  public AgentDefinition load(Path dir) {
    requireNonNull(dir, "dir is null");
    List<String> problems = new ArrayList<>();
    Path yamlFile = dir.resolve("agent.yaml");
    if (!Files.isRegularFile(yamlFile)) {
      throw new AgentDefinitionException(dir.toString(), List.of("agent.yaml: missing"));
    }
    JsonNode yaml;
    try {
      yaml = YAML.readTree(yamlFile.toFile());
    } catch (IOException e) {
      throw new AgentDefinitionException(dir.toString(), List.of("agent.yaml: not valid YAML: " + firstLine(e.getMessage())));
    }
    if (yaml == null || !yaml.isObject()) {
      throw new AgentDefinitionException(dir.toString(), List.of("agent.yaml: must be a mapping"));
    }
    unknownKeys("agent.yaml", yaml, AGENT_KEYS, problems);

    String folderName = dir.getFileName() == null ? "agent" : dir.getFileName().toString();
    String name = yaml.path("name").asText(folderName);
    if (!AgentDefinition.NAME.matcher(name).matches()) {
      problems.add("agent.yaml: name must match " + AgentDefinition.NAME.pattern() + ", was '" + name + "'");
    }
    String description = yaml.path("description").asText("");
    String model = yaml.path("model").asText("");
    if (model.isBlank()) {
      problems.add("agent.yaml: model is required (the provider model name)");
    }
    Optional<String> summaryModel = Optional.ofNullable(yaml.path("summary_model").textValue()).filter(s -> !s.isBlank());

    List<Phase> phases = phases(yaml, problems);
    Set<String> phaseNames = new LinkedHashSet<>();
    phases.forEach(p -> phaseNames.add(p.name()));
    String initial = yaml.path("initial_phase").asText(phases.isEmpty() ? "" : phases.get(0).name());
    if (!phases.isEmpty() && !phaseNames.contains(initial)) {
      problems.add("agent.yaml: initial_phase '" + initial + "' is not a declared phase " + phaseNames);
    }
    AgentLimits limits = limits(yaml, problems);
    ObjectNode fields = Json.object();
    if (yaml.has("fields")) {
      if (yaml.get("fields").isObject()) {
        fields = (ObjectNode) yaml.get("fields");
      } else {
        problems.add("agent.yaml: fields must be a mapping of field name to default value");
      }
    }

    AgentPrompts prompts = prompts(dir, phaseNames, problems);
    Map<String, List<ToolDefinition>> tools = tools(dir, phaseNames, problems);

    Map<String, Set<String>> edges = new LinkedHashMap<>();
    for (var entry : tools.entrySet()) {
      Set<String> targets = new TreeSet<>();
      for (ToolDefinition tool : entry.getValue()) {
        for (String target : tool.action().transitions()) {
          if (!phaseNames.contains(target)) {
            problems.add("tools/" + entry.getKey() + ".json: tool " + tool.name() + " transitions to unknown phase '" + target
                + "' (phases: " + String.join(", ", phaseNames) + ")");
          } else {
            targets.add(target);
          }
        }
      }
      edges.put(entry.getKey(), targets);
    }
    for (Phase phase : phases) {
      if (phase.isTerminal() && !edges.getOrDefault(phase.name(), Set.of()).isEmpty()) {
        problems.add("tools/" + phase.name() + ".json: phase " + phase.name() + " is terminal, so its tools cannot transition");
      }
    }

    if (!problems.isEmpty() || prompts == null) {
      throw new AgentDefinitionException(dir.toString(), problems);
    }
    PhaseMachine machine;
    try {
      machine = new PhaseMachine(name, phases, initial, edges);
    } catch (IllegalArgumentException e) {
      throw new AgentDefinitionException(dir.toString(), List.of("agent.yaml: " + e.getMessage()));
    }
    return new AgentDefinition(name, description, model, summaryModel, limits, machine, prompts, tools, fields, dir);
  }

  private static List<Phase> phases(JsonNode yaml, List<String> problems) {
    JsonNode list = yaml.path("phases");
    if (!list.isArray() || list.isEmpty()) {
      problems.add("agent.yaml: phases must be a non-empty list");
      return List.of();
    }
    Set<String> terminal = new HashSet<>();
    yaml.path("terminal_phases").forEach(n -> terminal.add(n.asText()));
    List<Phase> phases = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode node : list) {
      String phaseName = node.isObject() ? node.path("name").asText("") : node.asText("");
      boolean isTerminal = terminal.contains(phaseName) || node.path("terminal").asBoolean(false);
      if (!AgentDefinition.NAME.matcher(phaseName).matches()) {
        problems.add("agent.yaml: phase name must match " + AgentDefinition.NAME.pattern() + ", was '" + phaseName + "'");
        continue;
      }
      if (!seen.add(phaseName)) {
        problems.add("agent.yaml: phase '" + phaseName + "' is declared twice");
        continue;
      }
      phases.add(new Phase(phaseName, phases.size(), isTerminal));
    }
    for (String t : terminal) {
      if (!seen.contains(t)) {
        problems.add("agent.yaml: terminal_phases names unknown phase '" + t + "'");
      }
    }
    // With no terminal phase declared, the last phase ends the conversation.
    if (!phases.isEmpty() && phases.stream().noneMatch(Phase::isTerminal)) {
      Phase last = phases.remove(phases.size() - 1);
      phases.add(new Phase(last.name(), last.ordinal(), true));
    }
    return phases;
  }

  private static AgentLimits limits(JsonNode yaml, List<String> problems) {
    AgentLimits d = AgentLimits.defaults();
    JsonNode node = yaml.path("limits");
    if (!node.isMissingNode()) {
      unknownKeys("agent.yaml limits", node, LIMIT_KEYS, problems);
    }
    int budget = node.path("token_budget").asInt(d.tokenBudget());
    try {
      return new AgentLimits(
          node.path("max_tool_rounds").asInt(d.maxToolRounds()),
          Duration.ofMillis((long) (node.path("turn_timeout_seconds").asDouble(d.turnTimeout().toSeconds()) * 1000)),
          budget,
          node.path("keep_recent_tokens").asInt(budget / 4),
          node.path("max_output_tokens").asInt(d.maxOutputTokens()),
          yaml.path("temperature").asDouble(d.temperature()));
    } catch (IllegalArgumentException e) {
      problems.add("agent.yaml limits: " + e.getMessage());
      return d;
    }
  }

  private static AgentPrompts prompts(Path dir, Set<String> phases, List<String> problems) {
    Path promptDir = dir.resolve("prompts");
    Template core = template(promptDir.resolve(CORE_PROMPT), "prompts/" + CORE_PROMPT, problems);
    Map<String, Template> overlays = new LinkedHashMap<>();
    for (String phase : phases) {
      Template overlay = template(promptDir.resolve(phase + ".md"), "prompts/" + phase + ".md", problems);
      if (overlay != null) {
        overlays.put(phase, overlay);
      }
    }
    for (String file : listFiles(promptDir)) {
      if (file.endsWith(".md") && !file.equals(CORE_PROMPT) && !phases.contains(file.substring(0, file.length() - 3))) {
        problems.add("prompts/" + file + ": no phase named '" + file.substring(0, file.length() - 3) + "' (phases: " + String.join(", ", phases) + ")");
      }
    }
    if (core == null || overlays.size() != phases.size()) {
      return null;
    }
    return new AgentPrompts(core, overlays, List.copyOf(phases));
  }

  private static Template template(Path file, String label, List<String> problems) {
    if (!Files.isRegularFile(file)) {
      problems.add(label + ": missing");
      return null;
    }
    try {
      return AgentPrompts.compile(label, Files.readString(file, StandardCharsets.UTF_8));
    } catch (HandlebarsException e) {
      problems.add(label + ": template syntax error: " + firstLine(e.getMessage()));
    } catch (IOException e) {
      problems.add(label + ": cannot read: " + e.getMessage());
    }
    return null;
  }

  private Map<String, List<ToolDefinition>> tools(Path dir, Set<String> phases, List<String> problems) {
    Path toolDir = dir.resolve("tools");
    Map<String, List<ToolDefinition>> byPhase = new LinkedHashMap<>();
    for (String file : listFiles(toolDir)) {
      if (!file.endsWith(".json")) {
        continue;
      }
      String phase = file.substring(0, file.length() - 5);
      String label = "tools/" + file;
      if (!phases.contains(phase)) {
        problems.add(label + ": no phase named '" + phase + "' (phases: " + String.join(", ", phases) + ")");
        continue;
      }
      JsonNode root;
      try {
        root = Json.mapper().readTree(toolDir.resolve(file).toFile());
      } catch (IOException e) {
        problems.add(label + ": not valid JSON: " + firstLine(e.getMessage()));
        continue;
      }
      JsonNode list = root != null && root.isObject() ? root.path("tools") : root;
      if (list == null || !list.isArray()) {
        problems.add(label + ": must be a JSON array of tools or {\"tools\": [...]}");
        continue;
      }
      List<ToolDefinition> tools = new ArrayList<>();
      Set<String> names = new HashSet<>();
      int index = 0;
      for (JsonNode node : list) {
        String where = label + " tools[" + index++ + "]";
        Optional<ToolDefinition> tool = tool(node, phase, where, problems);
        tool.ifPresent(t -> {
          if (!names.add(t.name())) {
            problems.add(where + ": tool name '" + t.name() + "' appears twice in phase " + phase);
          } else {
            tools.add(t);
          }
        });
      }
      byPhase.put(phase, tools);
    }
    for (String phase : phases) {
      byPhase.putIfAbsent(phase, List.of());
    }
    return byPhase;
  }

  private Optional<ToolDefinition> tool(JsonNode node, String phase, String where, List<String> problems) {
    if (!node.isObject()) {
      problems.add(where + ": must be an object");
      return Optional.empty();
    }
    unknownKeys(where, node, TOOL_KEYS, problems);
    String name = node.path("name").asText("");
    if (!AgentDefinition.TOOL_NAME.matcher(name).matches()) {
      problems.add(where + ": name must match " + AgentDefinition.TOOL_NAME.pattern() + ", was '" + name + "'");
      return Optional.empty();
    }
    where = where + " (" + name + ")";
    String description = node.path("description").asText("");
    if (description.isBlank()) {
      problems.add(where + ": description is required");
    }
    JsonNode schemaNode = node.path("input_schema");
    List<String> schemaProblems = InputSchema.problems(schemaNode.isMissingNode() ? Json.mapper().nullNode() : schemaNode);
    if (!schemaProblems.isEmpty()) {
      problems.add(where + ": input_schema is not a valid JSON Schema: " + String.join("; ", schemaProblems));
      return Optional.empty();
    }
    InputSchema schema = InputSchema.compile((ObjectNode) schemaNode);
    boolean hasEffect = node.has("effect");
    boolean hasHandler = node.has("handler");
    if (hasEffect == hasHandler) {
      problems.add(where + ": needs exactly one of effect or handler");
      return Optional.empty();
    }
    Optional<ToolAction> action = hasEffect
        ? effect(node.get("effect"), schemaNode, where, problems)
        : handler(node.get("handler"), where, problems);
    return action.map(a -> new ToolDefinition(name, description, phase, schema, a));
  }

  private static Optional<ToolAction> effect(JsonNode effect, JsonNode schema, String where, List<String> problems) {
    unknownKeys(where + " effect", effect, Set.of("set_fields", "transition"), problems);
    Map<String, String> setFields = new LinkedHashMap<>();
    JsonNode fields = effect.path("set_fields");
    if (fields.isArray()) {
      fields.forEach(f -> setFields.put(f.asText(), f.asText()));
    } else if (fields.isObject()) {
      fields.properties().forEach(e -> setFields.put(e.getKey(), e.getValue().asText()));
    } else if (!fields.isMissingNode()) {
      problems.add(where + ": effect.set_fields must be a list of input properties or a mapping field -> input property");
    }
    JsonNode properties = schema.path("properties");
    for (String property : setFields.values()) {
      if (!properties.has(property)) {
        problems.add(where + ": effect.set_fields names input property '" + property + "', which input_schema.properties does not declare");
      }
    }
    Optional<String> transition = Optional.ofNullable(effect.path("transition").textValue());
    if (setFields.isEmpty() && transition.isEmpty()) {
      problems.add(where + ": effect sets no field and has no transition");
    }
    return Optional.of(new ToolAction.Effect(setFields, transition));
  }

  private Optional<ToolAction> handler(JsonNode handler, String where, List<String> problems) {
    unknownKeys(where + " handler", handler, Set.of("java", "webhook", "timeout_ms", "transitions"), problems);
    Set<String> transitions = new LinkedHashSet<>();
    handler.path("transitions").forEach(t -> transitions.add(t.asText()));
    if (handler.hasNonNull("java") == handler.hasNonNull("webhook")) {
      problems.add(where + ": handler needs exactly one of java (a registered handler name) or webhook (a URL)");
      return Optional.empty();
    }
    if (handler.hasNonNull("java")) {
      String name = handler.get("java").asText();
      if (!javaHandlerExists.test(name)) {
        problems.add(where + ": no Java tool handler named '" + name + "' is registered");
        return Optional.empty();
      }
      return Optional.of(new ToolAction.JavaHandler(name, transitions));
    }
    try {
      URI url = URI.create(handler.get("webhook").asText());
      Duration timeout = Duration.ofMillis(handler.path("timeout_ms").asLong(10_000));
      return Optional.of(new ToolAction.Webhook(url, timeout, transitions));
    } catch (IllegalArgumentException e) {
      problems.add(where + ": handler.webhook: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static void unknownKeys(String where, JsonNode node, Set<String> known, List<String> problems) {
    if (!node.isObject()) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        problems.add(where + ": unknown key '" + key + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  private static List<String> listFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new BadInputException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    return message.lines().findFirst().orElse(message);
  }
}
