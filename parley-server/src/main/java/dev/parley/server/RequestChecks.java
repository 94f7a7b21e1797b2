package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.core.text.TextChecks;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading what a client sent, strictly: a body is one JSON object with only the fields its route takes,
 * each of the type and size the route documents, and every string in it storable (no NUL, no lone
 * surrogate: PostgreSQL refuses the first and the UTF-8 encoder loses the second). Every refusal is an
 * {@link ApiError} naming the field, so a client can fix its request; nothing reaches the store that
 * the store would refuse with a 500.
 */
public final class RequestChecks {
  private RequestChecks() {}

  /**
   * The body as a JSON object with no field outside {@code allowed} and every string, at any depth, clean.
   * An empty body is an empty object (every field is then missing, and the route says which it needs).
   */
  public static ObjectNode object(String body, Set<String> allowed) {
    requireNonNull(body, "body is null");
    requireNonNull(allowed, "allowed is null");
    if (body.isBlank()) {
      return Json.object();
    }
    JsonNode node;
    try {
      node = Json.parseInput(body);
    } catch (BadInputException e) {
      throw ApiError.badRequest("body is not valid JSON: " + e.getMessage());
    }
    if (!node.isObject()) {
      throw ApiError.badRequest("body must be a JSON object, not " + kind(node));
    }
    ObjectNode object = (ObjectNode) node;
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      TextChecks.problem(e.getKey()).ifPresent(p -> {
        throw ApiError.invalidText("body", "a field name of the body " + p);
      });
      if (!allowed.contains(e.getKey())) {
        unknown.add(e.getKey());
      }
    }
    if (!unknown.isEmpty()) {
      throw ApiError.unknownField(unknown.iterator().next(), "unknown field" + (unknown.size() > 1 ? "s " : " ") + quoted(unknown)
          + "; this route takes " + quoted(new TreeSet<>(allowed)));
    }
    object.properties().forEach(e -> requireClean(e.getValue(), e.getKey()));
    return object;
  }

  /**
   * Throws {@code invalid_text} for the first string of {@code node} (values and field names, at any depth)
   * that cannot be stored, naming its path from {@code path}: {@code metadata.user_name}, {@code items[2].text};
   * with an empty {@code path}, paths start at {@code node}'s own fields.
   */
  public static void requireClean(JsonNode node, String path) {
    requireNonNull(node, "node is null");
    requireNonNull(path, "path is null");
    if (node.isTextual()) {
      requireClean(node.textValue(), path);
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        TextChecks.problem(e.getKey()).ifPresent(p -> {
          throw ApiError.invalidText(path.isEmpty() ? "body" : path, (path.isEmpty() ? "a field name " : "'" + path + "' has a field name that ") + p);
        });
        requireClean(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
      }
    } else if (node.isArray()) {
      int i = 0;
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); i++) {
        requireClean(it.next(), path + "[" + i + "]");
      }
    }
  }

  /** {@code value} when it can be stored; {@code invalid_text} naming {@code field} when not. */
  public static String requireClean(String value, String field) {
    requireNonNull(value, "value is null");
    TextChecks.problem(value).ifPresent(p -> {
      throw ApiError.invalidText(field, "'" + field + "' " + p);
    });
    return value;
  }

  /** A string field: missing or null is empty; anything but a string is refused, as is a blank or longer one. */
  public static Optional<String> string(ObjectNode body, String field, int maxChars) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ApiError.invalidField(field, "'" + field + "' must be a string, not " + kind(node));
    }
    String value = node.textValue();
    if (value.isBlank()) {
      throw ApiError.invalidField(field, "'" + field + "' is blank");
    }
    if (value.length() > maxChars) {
      throw ApiError.invalidField(field, "'" + field + "' must have at most " + maxChars + " characters, has " + value.length());
    }
    return Optional.of(requireClean(value, field));
  }

  /** A boolean field: {@code true} or {@code false}, never {@code "yes"}, {@code 1} or {@code "true"}. */
  public static Optional<Boolean> bool(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      throw ApiError.invalidField(field, "'" + field + "' must be true or false, not " + kind(node));
    }
    return Optional.of(node.booleanValue());
  }

  /** An integer field in {@code [min, max]}; {@code 5.5}, {@code "5"} and {@code 1e2} are refused. */
  public static OptionalInt integer(ObjectNode body, String field, int min, int max) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return OptionalInt.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
      throw ApiError.invalidField(field, "'" + field + "' must be an integer in [" + min + ", " + max + "], not " + shown(node));
    }
    return OptionalInt.of(node.intValue());
  }

  /** An integer query parameter in {@code [min, max]}, or {@code otherwise} when absent. */
  public static long queryLong(Context ctx, String name, long min, long max, long otherwise) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return otherwise;
    }
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      value = Long.MIN_VALUE;
    }
    if (value < min || value > max) {
      throw ApiError.invalidField(name, "query parameter '" + name + "' must be an integer in [" + min + ", " + max + "], not '"
          + abbreviated(raw) + "'");
    }
    return value;
  }

  /**
   * Before-handler of every route: query parameters are stored or looked up like body fields (a run id, an
   * event cursor), so they must be storable too.
   */
  static void requireCleanQuery(Context ctx) {
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      requireClean(e.getKey(), "a query parameter name");
      for (String value : e.getValue()) {
        requireClean(value, e.getKey());
      }
    }
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL, MISSING -> "null";
      case BINARY -> "binary data";
    };
  }

  private static String shown(JsonNode node) {
    return node.isValueNode() ? abbreviated(node.toString()) : kind(node);
  }

  /** A client's value quoted back in a message: short, so that a huge value does not make a huge error. */
  static String abbreviated(String value) {
    return abbreviated(value, 40);
  }

  static String abbreviated(String value, int maxChars) {
    String clean = TextChecks.sanitize(value);
    return clean.length() <= maxChars ? clean : clean.substring(0, maxChars) + "...";
  }

  private static String quoted(Set<String> names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      sb.append(sb.isEmpty() ? "" : ", ").append('\'').append(abbreviated(n)).append('\'');
    }
    return sb.toString();
  }
}
