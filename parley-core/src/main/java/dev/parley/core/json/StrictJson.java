package dev.parley.core.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parley.core.error.BadInputException;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Strict reading of the files a user writes (parameters, taxonomies, agent definitions, calibrations):
 * a duplicate key, an unknown key, a missing required key or a value of the wrong type is a
 * {@link BadInputException} naming the file and the JSON path, e.g.
 * {@code params.json: unknown key 'min_clustr_size' at $.levels[1] (known: min_cluster_floor, ...)}.
 *
 * <p>Two ways in: {@link #read}/{@link #bind} map a document onto a record whose JSON keys are its
 * component names in snake_case, every component required; readers that walk a tree themselves call
 * {@link #checkKeys} (or {@link #keyProblems}, to collect rather than throw) on each object they read.
 * Paths are JSONPath: {@code $} the document, {@code $.levels[1]} the second entry of its {@code levels}.
 */
public final class StrictJson {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectReader JSON_TREE = Json.mapper().reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectReader YAML_TREE = YAML.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper BINDER = binder();
  private static final PropertyNamingStrategies.NamingBase SNAKE = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  private StrictJson() {}

  /** The JSON document in {@code file}; {@code FILE: malformed JSON at line 3, column 5: ...} if it is not one. */
  public static JsonNode readJson(Path file) {
    return parseJson(readText(file), file.toString());
  }

  /** The JSON document in {@code text}, read from {@code source} (named in errors). */
  public static JsonNode parseJson(String text, String source) {
    return parse(JSON_TREE, text, source);
  }

  /** The YAML document in {@code file}; {@code FILE: malformed YAML at line 3, column 5: ...} if it is not one. */
  public static JsonNode readYaml(Path file) {
    return parseYaml(readText(file), file.toString());
  }

  /** The YAML document in {@code text}, read from {@code source} (named in errors). */
  public static JsonNode parseYaml(String text, String source) {
    return parse(YAML_TREE, text, source);
  }

  /** The JSON document in {@code file} as a {@code type} (see {@link #bind}). */
  public static <T> T read(Path file, Class<T> type) {
    return bind(readJson(file), type, file.toString(), "$");
  }

  /**
   * {@code node} as a {@code type}: a record (or a list of records) whose keys are its component names in
   * snake_case ({@code ejectFence} is {@code eject_fence}), as run.json writes them. Every key must be
   * known and every component present and non-null; numbers are not read from strings nor integers
   * from fractions; a value the record's constructor rejects is reported with its path.
   *
   * @param source the file, named first in every error
   * @param path where {@code node} lies in that file ({@code $} for the whole document)
   */
  public static <T> T bind(@Nullable JsonNode node, Class<T> type, String source, String path) {
    requireNonNull(type, "type is null");
    requireNonNull(source, "source is null");
    requireNonNull(path, "path is null");
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new BadInputException(source + ": expected an object at " + path + ", found " + kind(node));
    }
    unknownKey(node, type, path).ifPresent(problem -> {
      throw new BadInputException(source + ": " + problem);
    });
    try {
      return BINDER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new BadInputException(source + ": " + bindProblem(e, node, path), e);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(source + ": invalid value at " + path + ": " + e.getMessage(), e);
    }
  }

  /** {@code value} (a record) as {@link #bind} reads it back: component names in snake_case, as run.json writes them. */
  public static ObjectNode toJson(Object value) {
    requireNonNull(value, "value is null");
    return BINDER.valueToTree(value);
  }

  /**
   * Throws the first problem {@link #keyProblems} finds, prefixed with {@code source}.
   *
   * @param required keys that must be present (and not null)
   * @param optional keys that may be present
   */
  public static void checkKeys(@Nullable JsonNode object, String source, String path, Set<String> required, Set<String> optional) {
    requireNonNull(source, "source is null");
    List<String> problems = keyProblems(object, path, required, optional);
    if (!problems.isEmpty()) {
      throw new BadInputException(source + ": " + problems.get(0));
    }
  }

  /**
   * What is wrong with the keys of {@code object} at {@code path}: {@code expected an object at PATH,
   * found a string}, {@code unknown key 'k' at PATH (known: a, b)}, {@code missing required key 'k' at
   * PATH}, in the object's key order then the required keys' order; empty when nothing is.
   */
  public static List<String> keyProblems(@Nullable JsonNode object, String path, Set<String> required, Set<String> optional) {
    requireNonNull(path, "path is null");
    requireNonNull(required, "required is null");
    requireNonNull(optional, "optional is null");
    if (object == null || !object.isObject()) {
      return List.of("expected an object at " + path + ", found " + kind(object));
    }
    List<String> problems = new ArrayList<>();
    Set<String> known = new TreeSet<>(required);
    known.addAll(optional);
    object.fieldNames().forEachRemaining(key -> {
      if (!known.contains(key)) {
        problems.add("unknown key '" + key + "' at " + path + " (known: " + String.join(", ", known) + ")");
      }
    });
    for (String key : required) {
      JsonNode value = object.get(key);
      if (value == null) {
        problems.add("missing required key '" + key + "' at " + path);
      } else if (value.isNull()) {
        problems.add("key '" + key + "' at " + path + " must not be null");
      }
    }
    return problems;
  }

  /** The path of {@code key} inside the object at {@code path}: {@code $.levels}, or {@code $['odd key']}. */
  public static String key(String path, String key) {
    return PLAIN_KEY.matcher(key).matches() ? path + "." + key : path + "['" + key.replace("'", "\\'") + "']";
  }

  /** The path of entry {@code index} of the array at {@code path}: {@code $.levels[1]}. */
  public static String index(String path, int index) {
    return path + "[" + index + "]";
  }

  /** What a value is, for "expected X, found Y" messages: {@code a string "abc"}, {@code the number 5.5}, {@code an object}, {@code nothing}. */
  public static String kind(@Nullable JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isTextual()) {
      String text = node.asText();
      return "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
    }
    if (node.isBoolean()) {
      return node.asText();
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static JsonNode parse(ObjectReader reader, String text, String source) {
    requireNonNull(text, "text is null");
    requireNonNull(source, "source is null");
    try {
      JsonNode node = reader.readTree(text);
      return node == null ? Json.mapper().missingNode() : node;
    } catch (JsonProcessingException e) {
      throw new BadInputException(source + ": " + JsonErrors.describe(e), e);
    }
  }

  private static String readText(Path file) {
    requireNonNull(file, "file is null");
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": no such file", e);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new BadInputException(file + ": not valid UTF-8", e);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static String bindProblem(JsonProcessingException e, JsonNode root, String base) {
    List<JsonMappingException.Reference> refs = e instanceof JsonMappingException m ? m.getPath() : List.of();
    switch (e) {
      case UnrecognizedPropertyException u -> {
        Collection<Object> ids = u.getKnownPropertyIds() == null ? List.of() : u.getKnownPropertyIds();
        String snake = SNAKE.translate(u.getPropertyName());
        String hint = !snake.equals(u.getPropertyName()) && ids.contains(snake)
            ? " (keys are snake_case: '" + snake + "')"
            : " (known: " + sorted(ids) + ")";
        return "unknown key '" + u.getPropertyName() + "' at " + path(base, refs, refs.size() - 1) + hint;
      }
      case ValueInstantiationException v -> {
        Throwable cause = v.getCause() != null ? v.getCause() : v;
        return constructorProblem(v.getType() == null ? null : v.getType().getRawClass(), path(base, refs, refs.size()),
            String.valueOf(cause.getMessage()));
      }
      case MismatchedInputException m when !refs.isEmpty() && refs.getLast().getFieldName() != null
          && (at(root, refs).isMissingNode() || at(root, refs).isNull()) -> {
        String key = refs.getLast().getFieldName();
        String parent = path(base, refs, refs.size() - 1);
        return at(root, refs).isMissingNode()
            ? "missing required key '" + key + "' at " + parent
            : "key '" + key + "' at " + parent + " must not be null";
      }
      case InvalidFormatException f when f.getTargetType() != null && f.getTargetType().isEnum() -> {
        String values = Arrays.stream(f.getTargetType().getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        return "expected one of " + values + " at " + path(base, refs, refs.size()) + ", found " + kind(at(root, refs));
      }
      case MismatchedInputException m when m.getTargetType() != null -> {
        return "expected " + JsonErrors.expected(m.getTargetType()) + " at " + path(base, refs, refs.size()) + ", found " + kind(at(root, refs));
      }
      default -> {
        return "invalid value at " + path(base, refs, refs.size()) + ": " + JsonErrors.problem(e);
      }
    }
  }

  /**
   * The first unknown key in {@code node}, read as a {@code type}, in document order, so that a misspelt
   * key is reported as such rather than as the required key it fails to provide (Jackson reports the
   * missing one first). Walks records and lists of records; other types are left to Jackson.
   */
  private static Optional<String> unknownKey(JsonNode node, Type type, String path) {
    if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw
        && Collection.class.isAssignableFrom(raw) && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> problem = unknownKey(node.get(i), generic.getActualTypeArguments()[0], index(path, i));
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    if (!(type instanceof Class<?> record) || !record.isRecord() || !node.isObject()) {
      return Optional.empty();
    }
    Map<String, Type> components = new LinkedHashMap<>();
    for (RecordComponent component : record.getRecordComponents()) {
      components.put(SNAKE.translate(component.getName()), component.getGenericType());
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String key = entry.getKey();
      Type componentType = components.get(key);
      if (componentType == null) {
        String snake = SNAKE.translate(key);
        return Optional.of("unknown key '" + key + "' at " + path + (!snake.equals(key) && components.containsKey(snake)
            ? " (keys are snake_case: '" + snake + "')"
            : " (known: " + String.join(", ", new TreeSet<>(components.keySet())) + ")"));
      }
      Optional<String> problem = unknownKey(entry.getValue(), componentType, key(path, key));
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /**
   * A record constructor's complaint ({@code umapComponents must be in [1, 32], found 40}) in the file's
   * terms: the component it names becomes part of the path and every component name is spelled as
   * the file spells it ({@code at $.levels[2].umap_components: must be in [1, 32], found 40}).
   */
  private static String constructorProblem(@Nullable Class<?> type, String path, String message) {
    if (type == null || !type.isRecord()) {
      return "invalid value at " + path + ": " + message;
    }
    String where = path;
    String text = message;
    for (RecordComponent component : type.getRecordComponents()) {
      if (text.startsWith(component.getName() + " ")) {
        where = key(path, SNAKE.translate(component.getName()));
        text = text.substring(component.getName().length() + 1);
        break;
      }
    }
    for (RecordComponent component : type.getRecordComponents()) {
      text = text.replaceAll("\\b" + Pattern.quote(component.getName()) + "\\b",
          Matcher.quoteReplacement(SNAKE.translate(component.getName())));
    }
    return "invalid value at " + where + ": " + text;
  }

  /** {@code base} followed by the first {@code count} references. */
  private static String path(String base, List<JsonMappingException.Reference> refs, int count) {
    String path = base;
    for (int i = 0; i < count && i < refs.size(); i++) {
      JsonMappingException.Reference ref = refs.get(i);
      path = ref.getFieldName() != null ? key(path, ref.getFieldName()) : index(path, Math.max(ref.getIndex(), 0));
    }
    return path;
  }

  private static JsonNode at(JsonNode root, List<JsonMappingException.Reference> refs) {
    JsonNode node = root;
    for (JsonMappingException.Reference ref : refs) {
      node = ref.getFieldName() != null ? node.path(ref.getFieldName()) : node.path(ref.getIndex());
    }
    return node;
  }

  private static String sorted(Collection<Object> names) {
    return names.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static ObjectMapper binder() {
    ObjectMapper mapper = Json.mapper().copy()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
        .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
        .configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, true);
    // No scalar coercion: "5" is not a number, 5 is not a string, 5.5 is not an integer, 1 is not true.
    for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      mapper.coercionConfigFor(type)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    return mapper;
  }
}
