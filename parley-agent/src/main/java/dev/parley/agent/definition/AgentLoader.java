package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;
import dev.parley.agent.fsm.PhaseMachine;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.core.json.StrictJson;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Loads an agent folder (DESIGN §6) and validates all of it before anything runs: malformed files,
 * duplicate, unknown and missing keys and values of the wrong type (each named by file and JSON path,
 * e.g. {@code agent.yaml: unknown key 'limts' at $}), unknown phases (in transitions, file names, the initial phase), tool schemas against the JSON Schema
 * meta-schema, template syntax, and handler names. Every problem is collected, so one start-up
 * reports them all.
 */
public final class AgentLoader {
  private static final String AGENT_YAML = "agent.yaml";
  private static final Set<String> AGENT_REQUIRED = Set.of("model", "phases");
  private static final Set<String> AGENT_OPTIONAL = Set.of(
      "name", "description", "summary_model", "initial_phase", "terminal_phases", "fields", "limits", "temperature");
  private static final Set<String> LIMIT_KEYS = Set.of(
      "max_tool_rounds", "turn_timeout_seconds", "token_budget", "keep_recent_tokens", "max_output_tokens");
  private static final Set<String> TOOL_REQUIRED = Set.of("name", "description", "input_schema");
  private static final Set<String> TOOL_OPTIONAL = Set.of("effect", "handler");
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
    JsonNode yaml = parse(dir, yamlFile, "agent.yaml", true);
    if (!yaml.isObject()) {
      throw new AgentDefinitionException(dir.toString(), List.of("agent.yaml: expected a mapping at $, found " + StrictJson.kind(yaml)));
    }
    keys(AGENT_YAML, yaml, "$", AGENT_REQUIRED, AGENT_OPTIONAL, problems);

    String folderName = dir.getFileName() == null ? "agent" : dir.getFileName().toString();
    String name = text(AGENT_YAML, yaml, "name", "$", problems).orElse(folderName);
    if (!AgentDefinition.NAME.matcher(name).matches()) {
      problems.add("agent.yaml: name must match " + AgentDefinition.NAME.pattern() + ", was '" + name + "'");
    }
    String description = text(AGENT_YAML, yaml, "description", "$", problems).orElse("");
    Optional<String> modelValue = text(AGENT_YAML, yaml, "model", "$", problems);
    String model = modelValue.orElse("");
    if (modelValue.isPresent() && model.isBlank()) {
      problems.add("agent.yaml: expected a non-blank string (the provider model name) at $.model, found \"\"");
    }
    Optional<String> summaryModel = text(AGENT_YAML, yaml, "summary_model", "$", problems).filter(s -> !s.isBlank());

    List<Phase> phases = phases(yaml, problems);
    Set<String> phaseNames = new LinkedHashSet<>();
    phases.forEach(p -> phaseNames.add(p.name()));
    String initial = text(AGENT_YAML, yaml, "initial_phase", "$", problems).orElse(phases.isEmpty() ? "" : phases.get(0).name());
    if (!phases.isEmpty() && !phaseNames.contains(initial)) {
      problems.add("agent.yaml: initial_phase '" + initial + "' is not a declared phase " + phaseNames);
    }
    AgentLimits limits = limits(yaml, problems);
    ObjectNode fields = Json.object();
    if (yaml.hasNonNull("fields")) {
      if (yaml.get("fields").isObject()) {
        fields = (ObjectNode) yaml.get("fields");
      } else {
        problems.add("agent.yaml: expected a mapping of field name to default value at $.fields, found " + StrictJson.kind(yaml.get("fields")));
      }
    }

    Optional<AgentPrompts> prompts = prompts(dir, phaseNames, problems);
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

    if (!problems.isEmpty() || prompts.isEmpty()) {
      throw new AgentDefinitionException(dir.toString(), problems);
    }
    PhaseMachine machine;
    try {
      machine = new PhaseMachine(name, phases, initial, edges);
    } catch (IllegalArgumentException e) {
      throw new AgentDefinitionException(dir.toString(), List.of("agent.yaml: " + e.getMessage()));
    }
    return new AgentDefinition(name, description, model, summaryModel, limits, machine, prompts.get(), tools, fields, dir);
  }

  private static List<Phase> phases(JsonNode yaml, List<String> problems) {
    JsonNode list = yaml.path("phases");
    if (list.isMissingNode()) {
      return List.of(); // reported as a missing required key
    }
    if (!list.isArray() || list.isEmpty()) {
      problems.add("agent.yaml: expected a non-empty list of phases at $.phases, found " + StrictJson.kind(list));
      return List.of();
    }
    Set<String> terminal = new HashSet<>();
    JsonNode terminalNode = yaml.path("terminal_phases");
    if (!terminalNode.isMissingNode() && !terminalNode.isArray()) {
      problems.add("agent.yaml: expected a list of phase names at $.terminal_phases, found " + StrictJson.kind(terminalNode));
    }
    terminalNode.forEach(n -> terminal.add(n.asText()));
    List<Phase> phases = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int index = 0;
    for (JsonNode node : list) {
      String path = StrictJson.index("$.phases", index++);
      boolean terminalFlag = false;
      if (node.isObject()) {
        keys(AGENT_YAML, node, path, Set.of("name"), Set.of("terminal"), problems);
        JsonNode flag = node.path("terminal");
        if (!flag.isMissingNode() && !flag.isBoolean()) {
          problems.add("agent.yaml: expected true or false at " + StrictJson.key(path, "terminal") + ", found " + StrictJson.kind(flag));
        }
        terminalFlag = flag.asBoolean(false);
      }
      String phaseName = node.isObject() ? node.path("name").asText("") : node.isTextual() ? node.asText() : "";
      boolean isTerminal = terminal.contains(phaseName) || terminalFlag;
      if (!AgentDefinition.NAME.matcher(phaseName).matches()) {
        problems.add("agent.yaml: phase name at " + path + " must match " + AgentDefinition.NAME.pattern() + ", was '" + phaseName + "'");
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
      keys(AGENT_YAML, node, "$.limits", Set.of(), LIMIT_KEYS, problems);
    }
    int budget = integer(node, "token_budget", "$.limits", problems).orElse(d.tokenBudget());
    try {
      return new AgentLimits(
          integer(node, "max_tool_rounds", "$.limits", problems).orElse(d.maxToolRounds()),
          Duration.ofMillis((long) (number(node, "turn_timeout_seconds", "$.limits", problems).orElse((double) d.turnTimeout().toSeconds()) * 1000)),
          budget,
          integer(node, "keep_recent_tokens", "$.limits", problems).orElse(budget / 4),
          integer(node, "max_output_tokens", "$.limits", problems).orElse(d.maxOutputTokens()),
          number(yaml, "temperature", "$", problems).orElse(d.temperature()));
    } catch (IllegalArgumentException e) {
      problems.add("agent.yaml limits: " + e.getMessage());
      return d;
    }
  }

  /** The agent's prompts, or empty when a file is missing or does not compile (each one reported). */
  private static Optional<AgentPrompts> prompts(Path dir, Set<String> phases, List<String> problems) {
    Path promptDir = dir.resolve("prompts");
    Optional<Template> core = template(promptDir.resolve(CORE_PROMPT), "prompts/" + CORE_PROMPT, problems);
    Map<String, Template> overlays = new LinkedHashMap<>();
    for (String phase : phases) {
      template(promptDir.resolve(phase + ".md"), "prompts/" + phase + ".md", problems).ifPresent(overlay -> overlays.put(phase, overlay));
    }
    for (String file : listFiles(promptDir)) {
      if (file.endsWith(".md") && !file.equals(CORE_PROMPT) && !phases.contains(file.substring(0, file.length() - 3))) {
        problems.add("prompts/" + file + ": no phase named '" + file.substring(0, file.length() - 3) + "' (phases: " + String.join(", ", phases) + ")");
      }
    }
    if (core.isEmpty() || overlays.size() != phases.size()) {
      return Optional.empty();
    }
    return Optional.of(new AgentPrompts(core.get(), overlays, List.copyOf(phases)));
  }

  /** The compiled template of {@code file}, or empty when it is missing or does not compile (reported). */
  private static Optional<Template> template(Path file, String label, List<String> problems) {
    if (!Files.isRegularFile(file)) {
      problems.add(label + ": missing");
      return Optional.empty();
    }
    try {
      return Optional.of(AgentPrompts.compile(label, Files.readString(file, StandardCharsets.UTF_8)));
    } catch (HandlebarsException e) {
      problems.add(label + ": template syntax error: " + firstLine(e.getMessage()));
    } catch (IOException e) {
      problems.add(label + ": cannot read: " + e.getMessage());
    }
    return Optional.empty();
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
        root = parse(dir, toolDir.resolve(file), label, false);
      } catch (AgentDefinitionException e) {
        problems.addAll(e.problems());
        continue;
      }
      String listPath = root.isObject() ? "$.tools" : "$";
      if (root.isObject()) {
        keys(label, root, "$", Set.of("tools"), Set.of(), problems);
      }
      JsonNode list = root.isObject() ? root.path("tools") : root;
      if (!list.isArray()) {
        if (!list.isMissingNode()) {
          problems.add(label + ": expected a JSON array of tools or {\"tools\": [...]} at " + listPath + ", found " + StrictJson.kind(list));
        }
        continue;
      }
      List<ToolDefinition> tools = new ArrayList<>();
      Set<String> names = new HashSet<>();
      int index = 0;
      for (JsonNode node : list) {
        String path = StrictJson.index(listPath, index++);
        Optional<ToolDefinition> tool = tool(node, phase, label, path, problems);
        tool.ifPresent(t -> {
          if (!names.add(t.name())) {
            problems.add(label + ": tool name '" + t.name() + "' at " + path + " appears twice in phase " + phase);
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

  private Optional<ToolDefinition> tool(JsonNode node, String phase, String label, String path, List<String> problems) {
    if (!node.isObject()) {
      problems.add(label + ": expected a tool object at " + path + ", found " + StrictJson.kind(node));
      return Optional.empty();
    }
    keys(label, node, path, TOOL_REQUIRED, TOOL_OPTIONAL, problems);
    if (!node.has("name") || !node.has("input_schema")) {
      return Optional.empty();
    }
    String name = text(label, node, "name", path, problems).orElse("");
    if (!AgentDefinition.TOOL_NAME.matcher(name).matches()) {
      problems.add(label + ": tool name at " + StrictJson.key(path, "name") + " must match " + AgentDefinition.TOOL_NAME.pattern() + ", was '" + name + "'");
      return Optional.empty();
    }
    String where = label + " " + path + " (" + name + ")";
    String description = text(label, node, "description", path, problems).orElse("");
    if (node.path("description").isTextual() && description.isBlank()) {
      problems.add(where + ": description must not be blank");
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
        ? effect(node.get("effect"), schemaNode, label, StrictJson.key(path, "effect"), where, problems)
        : handler(node.get("handler"), label, StrictJson.key(path, "handler"), where, problems);
    return action.map(a -> new ToolDefinition(name, description, phase, schema, a));
  }

  private static Optional<ToolAction> effect(JsonNode effect, JsonNode schema, String label, String path, String where, List<String> problems) {
    keys(label, effect, path, Set.of(), Set.of("set_fields", "transition"), problems);
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
    Optional<String> transition = text(label, effect, "transition", path, problems);
    if (setFields.isEmpty() && transition.isEmpty() && effect.isObject()) {
      problems.add(where + ": effect sets no field and has no transition");
    }
    return Optional.of(new ToolAction.Effect(setFields, transition));
  }

  private Optional<ToolAction> handler(JsonNode handler, String label, String path, String where, List<String> problems) {
    keys(label, handler, path, Set.of(), Set.of("java", "webhook", "timeout_ms", "transitions"), problems);
    if (!handler.isObject()) {
      return Optional.empty();
    }
    Set<String> transitions = new LinkedHashSet<>();
    JsonNode transitionsNode = handler.path("transitions");
    if (!transitionsNode.isMissingNode() && !transitionsNode.isArray()) {
      problems.add(label + ": expected a list of phase names at " + StrictJson.key(path, "transitions") + ", found " + StrictJson.kind(transitionsNode));
    }
    transitionsNode.forEach(t -> transitions.add(t.asText()));
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
      Duration timeout = Duration.ofMillis(integer(label, handler, "timeout_ms", path, problems).orElse(10_000L));
      return Optional.of(new ToolAction.Webhook(url, timeout, transitions));
    } catch (IllegalArgumentException e) {
      problems.add(where + ": handler.webhook: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Parses one file of the folder (YAML or JSON, duplicate keys refused); a malformed one is the only problem reported for it. */
  private static JsonNode parse(Path dir, Path file, String label, boolean yaml) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new AgentDefinitionException(dir.toString(), List.of(label + ": not valid UTF-8"));
    } catch (IOException e) {
      throw new AgentDefinitionException(dir.toString(), List.of(label + ": cannot read (" + e.getClass().getSimpleName() + ")"));
    }
    try {
      return yaml ? StrictJson.parseYaml(text, label) : StrictJson.parseJson(text, label);
    } catch (BadInputException e) {
      throw new AgentDefinitionException(dir.toString(), List.of(String.valueOf(e.getMessage())));
    }
  }

  private static void keys(String label, JsonNode node, String path, Set<String> required, Set<String> optional, List<String> problems) {
    StrictJson.keyProblems(node, path, required, optional).forEach(problem -> problems.add(label + ": " + problem));
  }

  /** The string at {@code key}, empty when absent or null; a problem when it is not a string. */
  private static Optional<String> text(String label, JsonNode node, String key, String path, List<String> problems) {
    JsonNode value = node.path(key);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      problems.add(label + ": expected a string at " + StrictJson.key(path, key) + ", found " + StrictJson.kind(value));
      return Optional.empty();
    }
    return Optional.of(value.textValue());
  }

  private static Optional<Integer> integer(JsonNode node, String key, String path, List<String> problems) {
    return integer(AGENT_YAML, node, key, path, problems).map(Math::toIntExact);
  }

  private static Optional<Long> integer(String label, JsonNode node, String key, String path, List<String> problems) {
    JsonNode value = node.path(key);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      problems.add(label + ": expected an integer at " + StrictJson.key(path, key) + ", found " + StrictJson.kind(value));
      return Optional.empty();
    }
    return Optional.of(value.longValue());
  }

  private static Optional<Double> number(JsonNode node, String key, String path, List<String> problems) {
    JsonNode value = node.path(key);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isNumber()) {
      problems.add(AGENT_YAML + ": expected a number at " + StrictJson.key(path, key) + ", found " + StrictJson.kind(value));
      return Optional.empty();
    }
    return Optional.of(value.doubleValue());
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

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "(no detail)";
    }
    return message.lines().findFirst().orElse(message);
  }
}
