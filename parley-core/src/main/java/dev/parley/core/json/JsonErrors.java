package dev.parley.core.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns a Jackson parse failure into one plain line for the user, without Jackson's internals (no
 * {@code [Source: ...]}, no feature names, no stack of "while parsing" contexts), e.g.
 * {@code malformed JSON at column 32: unexpected end of input}.
 *
 * <p>Jackson's messages are matched by their wording (stable across 2.x); {@code JsonErrorsTest} pins
 * each one, so an upgrade that rewords a message fails there, and an unmatched message still comes out
 * as its first sentence with the internals cut off.
 */
public final class JsonErrors {
  private static final Pattern UNEXPECTED_CHAR = Pattern.compile(
      "Unexpected character \\((?:'(.)'|\\S+) \\(code (\\d+)(?: / 0x\\p{XDigit}+)?\\)\\)(.*)", Pattern.DOTALL);
  private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'(?!:|\\s|$))*)'");
  private static final Pattern CONTROL = Pattern.compile("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
  private static final Pattern CLOSE_MARKER = Pattern.compile("Unexpected close marker '(.)': (?:expected '(.)'|no open)");
  private static final Pattern ESCAPE = Pattern.compile("Unrecognized character escape '(.)'", Pattern.DOTALL);
  private static final Pattern JACKSON_INTERNALS = Pattern.compile(
      "\\s*(?:\\(start marker at \\[Source|\\(for \\w+ starting at \\[Source|\\[Source:|at \\[Source|\\(through reference chain"
          + "|: enable `|: not allowed as per `)");
  private static final String YAML_PACKAGE = "com.fasterxml.jackson.dataformat.yaml";
  private static final Pattern FROM_CONSTRAINT = Pattern.compile(", from `[^`]*`");

  private JsonErrors() {}

  /**
   * The failure as one line: {@code malformed JSON at line 3, column 5: <problem>}, or
   * {@code at column 5} when the document's first line is where it failed (so a parser run over one
   * JSON Lines line never says "line 1"), {@code malformed YAML ...} for YAML; well-formed JSON that
   * does not fit the type it was bound to is {@code invalid value at $.levels[1].selection: expected one of EOM, LEAF}.
   */
  public static String describe(JsonProcessingException e) {
    requireNonNull(e, "e is null");
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty() && !isTrailingToken(m)) {
      // Well-formed JSON that does not fit the type it is read as: say where in the document, not the column.
      return "invalid value at " + path(m.getPath()) + ": " + problem(e);
    }
    String where = location(e);
    return (isYaml(e) ? "malformed YAML" : "malformed JSON") + (where.isEmpty() ? "" : " at " + where) + ": " + problem(e);
  }

  /** Where it failed: {@code line 3, column 5}, {@code column 5} on the first line, or empty when Jackson does not say. */
  public static String location(JsonProcessingException e) {
    requireNonNull(e, "e is null");
    int line;
    int column;
    Mark mark = yamlMark(e);
    if (mark != null) {
      line = mark.getLine() + 1;
      column = mark.getColumn() + 1;
    } else {
      JsonLocation at = e.getLocation();
      if (at == null || at.getLineNr() < 1) {
        return "";
      }
      line = at.getLineNr();
      column = at.getColumnNr();
    }
    if (column < 1) {
      return "line " + line;
    }
    return line == 1 ? "column " + column : "line " + line + ", column " + column;
  }

  /** What is wrong, in plain words and without a location: {@code unexpected end of input}, {@code unexpected character 'x'}, ... */
  public static String problem(JsonProcessingException e) {
    requireNonNull(e, "e is null");
    MarkedYAMLException yaml = yamlCause(e);
    if (yaml != null) {
      return yamlProblem(yaml.getProblem());
    }
    if (e instanceof JsonEOFException) {
      return "unexpected end of input";
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown key '" + u.getPropertyName() + "'";
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null && v.getCause().getMessage() != null) {
      return oneLine(v.getCause().getMessage());
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null && !isTrailingToken(m)) {
      return "expected " + expected(m.getTargetType());
    }
    String message = e.getOriginalMessage();
    if (message == null || message.isBlank()) {
      return "cannot parse";
    }
    return jsonProblem(message.strip());
  }

  /** How a Java type reads in an "expected X" message: {@code an integer}, {@code a number}, {@code one of A, B}, ... */
  static String expected(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == short.class
        || type == Short.class || type == byte.class || type == Byte.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }

  /** A Jackson reference chain as a JSONPath: {@code $.levels[1].selection}. */
  static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder path = new StringBuilder("$");
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) {
        path.replace(0, path.length(), StrictJson.key(path.toString(), ref.getFieldName()));
      } else {
        path.append('[').append(Math.max(ref.getIndex(), 0)).append(']');
      }
    }
    return path.toString();
  }

  private static boolean isTrailingToken(JsonMappingException e) {
    return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token");
  }

  private static String jsonProblem(String message) {
    if (message.startsWith("Unexpected end-of-input")) {
      return "unexpected end of input";
    }
    Matcher m = UNEXPECTED_CHAR.matcher(message);
    if (m.lookingAt()) {
      return unexpectedCharacter(m.group(1), Integer.parseInt(m.group(2)), m.group(3));
    }
    if (message.startsWith("Unrecognized token")) {
      return "unrecognized token " + firstQuoted(message);
    }
    if (message.startsWith("Duplicate field")) {
      return "duplicate key " + firstQuoted(message);
    }
    if (message.startsWith("Invalid UTF-8") || message.startsWith("Invalid UTF-32")) {
      return "invalid UTF-8";
    }
    m = CONTROL.matcher(message);
    if (message.startsWith("Illegal unquoted character") && m.find()) {
      return "control character " + codePoint(Integer.parseInt(m.group(1))) + " in a string: it must be escaped";
    }
    m = CLOSE_MARKER.matcher(message);
    if (m.lookingAt()) {
      return "unexpected '" + m.group(1) + "'" + (m.group(2) == null ? "" : ", expected '" + m.group(2) + "'");
    }
    m = ESCAPE.matcher(message);
    if (m.lookingAt()) {
      return "invalid escape '\\" + m.group(1) + "' in a string";
    }
    if (message.startsWith("Trailing token")) {
      return "unexpected content after the JSON value";
    }
    if (message.startsWith("Invalid numeric value: Leading zeroes")) {
      return "invalid number: leading zeroes are not allowed";
    }
    if (message.startsWith("Non-standard token")) {
      return firstQuoted(message) + " is not a JSON value";
    }
    if (message.startsWith("Numeric value") && message.contains("out of range")) {
      return "number out of range";
    }
    return plain(message);
  }

  private static String unexpectedCharacter(@Nullable String character, int code, String rest) {
    boolean visible = character != null && ((code > 32 && code < 127) || Character.isLetterOrDigit(code));
    String shown = visible ? "'" + character + "'" : codePoint(code);
    String expected;
    if (rest.contains("in numeric value")) {
      expected = " in a number";
    } else if (rest.contains("double-quote to start field name")) {
      expected = ", expected a key in double quotes";
    } else if (rest.contains("comma to separate Object entries")) {
      expected = ", expected ',' or '}'";
    } else if (rest.contains("comma to separate Array entries")) {
      expected = ", expected ',' or ']'";
    } else if (rest.contains("colon to separate field name and value")) {
      expected = ", expected ':'";
    } else if (rest.contains("expected a valid value")) {
      expected = ", expected a value";
    } else if (rest.contains("hex-digit for character escape")) {
      expected = " in a \\u escape, expected a hex digit";
    } else {
      expected = "";
    }
    return "unexpected character " + shown + expected;
  }

  private static String codePoint(int code) {
    return String.format(Locale.ROOT, "U+%04X", code);
  }

  private static String yamlProblem(@Nullable String problem) {
    if (problem == null || problem.isBlank()) {
      return "cannot parse";
    }
    String text = problem.strip();
    if (text.contains("unexpected end of stream")) {
      return "unexpected end of input";
    }
    if (text.contains("(TAB)")) {
      return "a tab cannot start a token (indent with spaces)";
    }
    return oneLine(text);
  }

  /** The first sentence of an unmatched Jackson message with Jackson's internals cut off. */
  private static String plain(String message) {
    String text = oneLine(message);
    Matcher internals = JACKSON_INTERNALS.matcher(text);
    if (internals.find()) {
      text = text.substring(0, internals.start());
    }
    text = FROM_CONSTRAINT.matcher(text).replaceAll("").strip();
    while (text.endsWith(":") || text.endsWith(".") || text.endsWith(";")) {
      text = text.substring(0, text.length() - 1).strip();
    }
    if (text.isEmpty()) {
      return "cannot parse";
    }
    return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
  }

  private static String firstQuoted(String message) {
    Matcher m = QUOTED.matcher(message);
    return m.find() ? "'" + m.group(1) + "'" : "";
  }

  private static String oneLine(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> a + " " + b).orElse("");
  }

  private static boolean isYaml(JsonProcessingException e) {
    return yamlCause(e) != null
        || e.getClass().getName().startsWith(YAML_PACKAGE)
        || (e.getProcessor() != null && e.getProcessor().getClass().getName().startsWith(YAML_PACKAGE));
  }

  private static @Nullable MarkedYAMLException yamlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MarkedYAMLException marked) {
        return marked;
      }
    }
    return null;
  }

  private static @Nullable Mark yamlMark(JsonProcessingException e) {
    MarkedYAMLException yaml = yamlCause(e);
    if (yaml == null) {
      return null;
    }
    return yaml.getProblemMark() != null ? yaml.getProblemMark() : yaml.getContextMark();
  }
}
