package dev.parley.insights.triage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parley.core.error.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a taxonomy from YAML text (see {@code examples/taxonomy/support.yaml} for the format). Every
 * problem is a {@link BadInputException} naming the source and the type.
 */
public final class TaxonomyParser {
  /** Classpath resource of the built-in eight-type support taxonomy. */
  public static final String DEFAULT_RESOURCE = "/dev/parley/insights/triage/default-taxonomy.yaml";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TYPE_FIELDS = Set.of(
      "id", "description", "examples", "routing_team", "routing_priority", "urgency", "urgency_rules", "auto_response_eligible");

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

  public static Taxonomy parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new BadInputException(source + ": malformed YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException(source + ": expected a YAML mapping with 'types'");
    }
    int version = root.path("version").asInt(Taxonomy.CURRENT_VERSION);
    if (version != Taxonomy.CURRENT_VERSION) {
      throw new BadInputException(source + ": unsupported taxonomy version " + version + ", expected " + Taxonomy.CURRENT_VERSION);
    }
    JsonNode types = root.get("types");
    if (types == null || !types.isArray() || types.isEmpty()) {
      throw new BadInputException(source + ": 'types' must be a non-empty list");
    }
    List<ConversationType> parsed = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < types.size(); i++) {
      ConversationType type = type(types.get(i), source + ": types[" + i + "]");
      if (!ids.add(type.id())) {
        throw new BadInputException(source + ": duplicate type id '" + type.id() + "'");
      }
      parsed.add(type);
    }
    List<UrgencyRule> global = rules(root.get("urgency_rules"), source + ": urgency_rules");
    return new Taxonomy(version, root.path("name").asText("taxonomy"), parsed, global);
  }

  private static ConversationType type(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new BadInputException(where + ": expected a mapping");
    }
    String id = text(node, "id", where, null);
    String at = where + " '" + id + "'";
    node.fieldNames().forEachRemaining(field -> {
      if (!TYPE_FIELDS.contains(field)) {
        throw new BadInputException(at + ": unknown field '" + field + "' (expected one of " + new java.util.TreeSet<>(TYPE_FIELDS) + ")");
      }
    });
    return new ConversationType(
        id,
        text(node, "description", at, id.replace('_', ' ')),
        strings(node.get("examples"), at + ": examples"),
        text(node, "routing_team", at, "support"),
        RoutingPriority.parse(text(node, "routing_priority", at, "normal"), at),
        Urgency.parse(text(node, "urgency", at, "normal"), at),
        rules(node.get("urgency_rules"), at + ": urgency_rules"),
        node.path("auto_response_eligible").asBoolean(false));
  }

  private static List<UrgencyRule> rules(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BadInputException(where + ": expected a list of {level, phrases}");
    }
    List<UrgencyRule> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode rule = node.get(i);
      String at = where + "[" + i + "]";
      if (!rule.isObject()) {
        throw new BadInputException(at + ": expected a mapping {level, phrases}");
      }
      rules.add(new UrgencyRule(Urgency.parse(text(rule, "level", at, null), at), strings(rule.get("phrases"), at + ": phrases")));
    }
    return rules;
  }

  private static String text(JsonNode node, String field, String where, String fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (fallback == null) {
        throw new BadInputException(where + ": missing field '" + field + "'");
      }
      return fallback;
    }
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw new BadInputException(where + ": '" + field + "' must be a non-blank string");
    }
    return value.asText();
  }

  private static List<String> strings(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BadInputException(where + ": expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isValueNode()) {
        throw new BadInputException(where + ": expected a list of strings");
      }
      out.add(item.asText());
    }
    return out;
  }
}
