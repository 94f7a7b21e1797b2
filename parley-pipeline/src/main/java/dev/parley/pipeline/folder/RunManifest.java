package dev.parley.pipeline.folder;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A run's {@code run.json}, typed: who and what the run is (id, kind, tenant, time, input and its hash, seed)
 * and its sections (parameters, timings, summary, versions, and the job's own sections such as
 * {@code analyze} and {@code clustering}). The run folder, the store ({@code cluster_runs.manifest}) and
 * {@code --params} all read this one format.
 *
 * @param parameters every parameter of the run; {@code parameters.clustering} can be passed back as {@code --params}
 * @param sections further top-level sections, in order (e.g. {@code analyze}, {@code clustering})
 */
public record RunManifest(
    int version, String id, String kind, String tenant, Instant createdAt, ObjectNode input, String inputHash, long seed,
    ObjectNode parameters, Map<String, Long> timingsMs, ObjectNode summary, ObjectNode sections, ObjectNode versions) {
  private static final Set<String> FIELDS = Set.of(
      "version", "id", "kind", "tenant", "created_at", "input", "input_hash", "seed", "parameters", "timings_ms", "summary", "versions");

  public RunManifest {
    requireNonNull(id, "id is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(tenant, "tenant is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(input, "input is null");
    requireNonNull(inputHash, "inputHash is null");
    requireNonNull(parameters, "parameters is null");
    timingsMs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(timingsMs, "timingsMs is null")));
    requireNonNull(summary, "summary is null");
    requireNonNull(sections, "sections is null");
    requireNonNull(versions, "versions is null");
    for (String field : FIELDS) {
      if (sections.has(field)) {
        throw new IllegalArgumentException("sections must not redefine the field '" + field + "'");
      }
    }
  }

  /** The clustering parameters as run.json writes them (the engine's name and every HierarchyParams value). */
  public JsonNode clusteringParameters() {
    return parameters.path("clustering");
  }

  public RunManifest withTimings(Map<String, Long> value) {
    return new RunManifest(version, id, kind, tenant, createdAt, input, inputHash, seed, parameters, value, summary, sections, versions);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("version", version);
    node.put("id", id);
    node.put("kind", kind);
    node.put("tenant", tenant);
    node.put("created_at", createdAt.toString());
    node.set("input", input.deepCopy());
    node.put("input_hash", inputHash);
    node.put("seed", seed);
    node.set("parameters", parameters.deepCopy());
    ObjectNode timings = node.putObject("timings_ms");
    timingsMs.forEach(timings::put);
    node.set("summary", summary.deepCopy());
    node.setAll(sections.deepCopy());
    node.set("versions", versions.deepCopy());
    return node;
  }

  /** Reads {@code file} (a run.json), failing with the file and the field on a missing or mistyped one. */
  public static RunManifest read(Path file) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (node == null || !node.isObject()) {
      throw new BadInputException(file + ": not a run.json (expected a JSON object)");
    }
    return fromJson(node, file.toString());
  }

  /** @param where names the document in errors (a file, or a run id) */
  public static RunManifest fromJson(JsonNode node, String where) {
    int version = integer(node, "version", where);
    if (version != RunFolder.VERSION) {
      throw new BadInputException(where + ": run.json version " + version + " is not supported (expected " + RunFolder.VERSION + ")");
    }
    Map<String, Long> timings = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object(node, "timings_ms", where).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      timings.put(e.getKey(), e.getValue().asLong());
    }
    ObjectNode sections = Json.object();
    node.fields().forEachRemaining(e -> {
      if (!FIELDS.contains(e.getKey())) {
        sections.set(e.getKey(), e.getValue());
      }
    });
    Instant createdAt;
    try {
      createdAt = Instant.parse(text(node, "created_at", where));
    } catch (DateTimeParseException e) {
      throw new BadInputException(where + ": 'created_at' is not an ISO-8601 instant: " + node.path("created_at").asText());
    }
    // Runs written before tenants were recorded belong to the default tenant.
    String tenant = node.path("tenant").isTextual() ? node.path("tenant").asText() : "default";
    return new RunManifest(version, text(node, "id", where), text(node, "kind", where), tenant, createdAt,
        object(node, "input", where), text(node, "input_hash", where), node.path("seed").asLong(), object(node, "parameters", where),
        timings, object(node, "summary", where), sections, object(node, "versions", where));
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new BadInputException(where + ": run.json needs a string '" + field + "'");
    }
    return value.asText();
  }

  private static int integer(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber()) {
      throw new BadInputException(where + ": run.json needs an integer '" + field + "'");
    }
    return value.asInt();
  }

  private static ObjectNode object(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (!(value instanceof ObjectNode object)) {
      throw new BadInputException(where + ": run.json needs an object '" + field + "'");
    }
    return object;
  }
}
