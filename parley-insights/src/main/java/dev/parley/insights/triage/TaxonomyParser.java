package dev.parley.insights.triage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads a taxonomy from YAML text (see {@code examples/taxonomy/support.yaml} for the format). Every
 * problem is a {@link BadInputException} naming the source and the JSON path of the value.
 */
public final class TaxonomyParser {
  /** Classpath resource of the built-in eight-type support taxonomy. */
  public static final String DEFAULT_RESOURCE = "/dev/parley/insights/triage/default-taxonomy.yaml";

  private static final Set<String> ROOT_FIELDS = Set.of("version", "name", "urgency_rules");
  private static final Set<String> TYPE_FIELDS = Set.of(
      "description", "examples", "routing_team", "routing_priority", "urgency", "urgency_rules", "auto_response_eligible");
  private static final Set<String> RULE_FIELDS = Set.of("level", "phrases");

  private TaxonomyParser() {}

  /** The built-in default support taxonomy. */
  public static Taxonomy defaultTaxonomy() {
    try (InputStream in = TaxonomyParser.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default taxonomy");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
    }
  }

  /**
   * The taxonomy in {@code yaml}, read from {@code source} (named in errors). Strict: an unknown key, a
   * missing {@code types} / {@code id} / {@code level} / {@code phrases}, a value of the wrong type or an
   * unknown priority or urgency is a {@link BadInputException} naming the source and the JSON path,
   * e.g. {@code support.yaml: unknown key 'colour' at $.types[0] (known: ...)}.
   */
  public static Taxonomy parse(String yaml, String source) {
    JsonNode root = StrictJson.parseYaml(yaml, source);
    StrictJson.checkKeys(root, source, "$", Set.of("types"), ROOT_FIELDS);
    JsonNode versionNode = root.get("version");
    if (versionNode != null && !versionNode.isInt()) {
      throw new BadInputException(source + ": expected an integer at $.version, found " + StrictJson.kind(versionNode));
    }
    int version = versionNode == null ? Taxonomy.CURRENT_VERSION : versionNode.asInt();
    if (version != Taxonomy.CURRENT_VERSION) {
      throw new BadInputException(source + ": unsupported taxonomy version " + version + " at $.version, expected " + Taxonomy.CURRENT_VERSION);
    }
    JsonNode types = root.get("types");
    if (!types.isArray() || types.isEmpty()) {
      throw new BadInputException(source + ": expected a non-empty list at $.types, found " + StrictJson.kind(types));
    }
    List<ConversationType> parsed = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < types.size(); i++) {
      String path = StrictJson.index("$.types", i);
      ConversationType type = type(types.get(i), source, path);
      if (!ids.add(type.id())) {
        throw new BadInputException(source + ": duplicate type id '" + type.id() + "' at " + path);
      }
      parsed.add(type);
    }
    List<UrgencyRule> global = rules(root.get("urgency_rules"), source, "$.urgency_rules");
    return new Taxonomy(version, text(root, "name", source, "$", "taxonomy"), parsed, global);
  }

  private static ConversationType type(JsonNode node, String source, String path) {
    StrictJson.checkKeys(node, source, path, Set.of("id"), TYPE_FIELDS);
    String id = text(node, "id", source, path, null);
    return new ConversationType(
        id,
        text(node, "description", source, path, id.replace('_', ' ')),
        strings(node.get("examples"), source, StrictJson.key(path, "examples")),
        text(node, "routing_team", source, path, "support"),
        choice(node, "routing_priority", source, path, RoutingPriority.NORMAL, RoutingPriority.values(), RoutingPriority::wireName),
        choice(node, "urgency", source, path, Urgency.NORMAL, Urgency.values(), Urgency::wireName),
        rules(node.get("urgency_rules"), source, StrictJson.key(path, "urgency_rules")),
        flag(node, "auto_response_eligible", source, path));
  }

  private static List<UrgencyRule> rules(@Nullable JsonNode node, String source, String path) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BadInputException(source + ": expected a list of {level, phrases} at " + path + ", found " + StrictJson.kind(node));
    }
    List<UrgencyRule> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode rule = node.get(i);
      String at = StrictJson.index(path, i);
      StrictJson.checkKeys(rule, source, at, RULE_FIELDS, Set.of());
      rules.add(new UrgencyRule(choice(rule, "level", source, at, null, Urgency.values(), Urgency::wireName),
          strings(rule.get("phrases"), source, StrictJson.key(at, "phrases"))));
    }
    return rules;
  }

  /** A non-blank scalar at {@code field}, else {@code fallback} when absent (required when {@code fallback} is null). */
  private static String text(JsonNode node, String field, String source, String path, @Nullable String fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (fallback == null) {
        throw new BadInputException(source + ": missing required key '" + field + "' at " + path);
      }
      return fallback;
    }
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw new BadInputException(source + ": expected a non-blank string at " + StrictJson.key(path, field) + ", found " + StrictJson.kind(value));
    }
    return value.asText();
  }

  private static <E extends Enum<E>> E choice(JsonNode node, String field, String source, String path, @Nullable E fallback, E[] values,
                                              Function<E, String> wireName) {
    JsonNode value = node.get(field);
    if ((value == null || value.isNull()) && fallback != null) {
      return fallback;
    }
    String text = text(node, field, source, path, null);
    for (E candidate : values) {
      if (wireName.apply(candidate).equals(text)) {
        return candidate;
      }
    }
    String expected = Arrays.stream(values).map(wireName).collect(Collectors.joining(", "));
    throw new BadInputException(source + ": expected one of " + expected + " at " + StrictJson.key(path, field) + ", found "
        + StrictJson.kind(value));
  }

  private static boolean flag(JsonNode node, String field, String source, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new BadInputException(source + ": expected true or false at " + StrictJson.key(path, field) + ", found " + StrictJson.kind(value));
    }
    return value.booleanValue();
  }

  private static List<String> strings(@Nullable JsonNode node, String source, String path) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BadInputException(source + ": expected a list of strings at " + path + ", found " + StrictJson.kind(node));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isValueNode() || item.isNull()) {
        throw new BadInputException(source + ": expected a string at " + StrictJson.index(path, i) + ", found " + StrictJson.kind(item));
      }
      out.add(item.asText());
    }
    return out;
  }
}
