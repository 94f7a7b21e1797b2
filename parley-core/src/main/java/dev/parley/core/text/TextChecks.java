package dev.parley.core.text;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.parley.core.json.Json;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The characters PostgreSQL cannot store and UTF-8 cannot encode: NUL (U+0000, refused in {@code text}
 * and, as {@code \u0000}, in {@code jsonb}) and lone UTF-16 surrogates (no UTF-8 form: the driver would
 * silently write {@code ?}, a {@code jsonb} escape of one is refused). Input a person sends is refused
 * with {@link #problem}; output of a model or a tool is repaired with {@link #sanitize}, since refusing
 * it would fail a turn for a character nobody can fix.
 */
public final class TextChecks {
  /** What replaces an unstorable character: U+FFFD, Unicode's mark for a character that was lost. */
  public static final char REPLACEMENT = '\uFFFD';

  private TextChecks() {}

  /**
   * The first unstorable character of {@code value}, described for an error message, e.g.
   * {@code contains a NUL character (U+0000) at index 4}; empty when {@code value} is clean.
   */
  public static Optional<String> problem(String value) {
    requireNonNull(value, "value is null");
    int bad = firstBad(value);
    if (bad < 0) {
      return Optional.empty();
    }
    char c = value.charAt(bad);
    String what = c == '\0'
        ? "a NUL character (U+0000)"
        : String.format(Locale.ROOT, "a lone %s surrogate (U+%04X)", Character.isHighSurrogate(c) ? "high" : "low", (int) c);
    return Optional.of("contains " + what + " at index " + bad);
  }

  /** Whether {@code value} has no NUL and no lone surrogate. */
  public static boolean isClean(String value) {
    return firstBad(requireNonNull(value, "value is null")) < 0;
  }

  /** {@code value} with every NUL and lone surrogate replaced by {@link #REPLACEMENT}; {@code value} itself when clean. */
  public static String sanitize(String value) {
    requireNonNull(value, "value is null");
    int bad = firstBad(value);
    if (bad < 0) {
      return value;
    }
    StringBuilder sb = new StringBuilder(value.length()).append(value, 0, bad);
    int i = bad;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        sb.append(c).append(value.charAt(i + 1));
        i += 2;
        continue;
      }
      sb.append(c == '\0' || Character.isSurrogate(c) ? REPLACEMENT : c);
      i++;
    }
    return sb.toString();
  }

  /** How many characters {@link #sanitize(String)} replaces in {@code value}. */
  public static int countBad(String value) {
    requireNonNull(value, "value is null");
    int count = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (c == '\0' || Character.isSurrogate(c)) {
        count++;
      }
    }
    return count;
  }

  /**
   * {@code node} with every field name and string value sanitized, at any depth; {@code node} itself
   * (not a copy) when nothing needed it.
   */
  public static JsonNode sanitize(JsonNode node) {
    requireNonNull(node, "node is null");
    return isClean(node) ? node : sanitizedCopy(node);
  }

  /** As {@link #sanitize(JsonNode)}, for an object. */
  public static ObjectNode sanitize(ObjectNode node) {
    return (ObjectNode) sanitize((JsonNode) node);
  }

  /** Whether every field name and string value of {@code node}, at any depth, is clean. */
  public static boolean isClean(JsonNode node) {
    requireNonNull(node, "node is null");
    if (node.isTextual()) {
      return isClean(node.textValue());
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!isClean(e.getKey()) || !isClean(e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        if (!isClean(element)) {
          return false;
        }
      }
    }
    return true;
  }

  private static JsonNode sanitizedCopy(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(sanitize(node.textValue()));
    }
    if (node.isObject()) {
      ObjectNode copy = Json.object();
      // Two names that differ only in bad characters become one; the later value wins, as a JSON parser's would.
      node.properties().forEach(e -> copy.set(sanitize(e.getKey()), sanitizedCopy(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = Json.mapper().createArrayNode();
      node.forEach(element -> copy.add(sanitizedCopy(element)));
      return copy;
    }
    return node;
  }

  /** Index of the first NUL or lone surrogate, or -1. */
  private static int firstBad(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        return i;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }
}
