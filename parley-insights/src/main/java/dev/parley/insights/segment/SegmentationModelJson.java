package dev.parley.insights.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.core.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the segmentation calibration file ({@code "format": "parley-segmentation-calibration"}).
 * The reader rejects other formats, versions and feature sets with "expected X, found Y" messages, and
 * unknown, missing and mistyped keys with the JSON path ({@link StrictJson}).
 */
public final class SegmentationModelJson {
  public static final String FORMAT = "parley-segmentation-calibration";
  /** The calibration shipped with Parley. */
  public static final String BUNDLED_RESOURCE = "/calibration/segmentation-v1.json";

  private static final Set<String> ROOT_KEYS = Set.of(
      "format", "version", "feature_set", "embedding_model", "features", "scorer", "gate", "provenance");
  private static final Set<String> SCORER_KEYS = Set.of("means", "scales", "weights", "bias");
  private static final Set<String> GATE_KEYS = Set.of("floor", "k", "min_segment_turns");
  private static final Set<String> PROVENANCE_KEYS = Set.of(
      "scorer_data", "gate_data", "seed", "fitted_at", "metric", "fit_scores", "command");

  private SegmentationModelJson() {}

  public static SegmentationModel bundled() {
    try (InputStream in = SegmentationModelJson.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + BUNDLED_RESOURCE);
      }
      return read(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BUNDLED_RESOURCE, e);
    }
  }

  public static String write(SegmentationModel model) {
    ObjectNode root = Json.object();
    root.put("format", FORMAT);
    root.put("version", model.version());
    root.put("feature_set", model.featureSet());
    root.put("embedding_model", model.embeddingModel());
    ArrayNode names = root.putArray("features");
    model.featureNames().forEach(names::add);
    ObjectNode scorer = root.putObject("scorer");
    put(scorer.putArray("means"), model.scorer().means());
    put(scorer.putArray("scales"), model.scorer().scales());
    put(scorer.putArray("weights"), model.scorer().weights());
    scorer.put("bias", model.scorer().bias());
    ObjectNode gate = root.putObject("gate");
    gate.put("floor", model.gate().floor());
    gate.put("k", model.gate().k());
    gate.put("min_segment_turns", model.gate().minSegmentTurns());
    ObjectNode p = root.putObject("provenance");
    model.provenance().scorerData().forEach(p.putArray("scorer_data")::add);
    model.provenance().gateData().forEach(p.putArray("gate_data")::add);
    p.put("seed", model.provenance().seed());
    p.put("fitted_at", model.provenance().fittedAt());
    p.put("metric", model.provenance().metric());
    ObjectNode scores = p.putObject("fit_scores");
    new TreeMap<>(model.provenance().fitScores()).forEach(scores::put);
    p.put("command", model.provenance().command());
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The calibration in {@code json}, read from {@code source}. Strict: every key {@link #write} writes is
   * required and no other is allowed, numbers must be numbers; a problem names the source and the JSON
   * path ({@code cal.json: missing required key 'bias' at $.scorer}).
   */
  public static SegmentationModel read(String json, String source) {
    JsonNode root = StrictJson.parseJson(json, source);
    StrictJson.checkKeys(root, source, "$", ROOT_KEYS, Set.of());
    expect(source, "format", FORMAT, text(root, "format", source, "$"));
    JsonNode versionNode = root.get("version");
    if (!versionNode.isInt()) {
      throw new BadInputException(source + ": expected an integer at $.version, found " + StrictJson.kind(versionNode));
    }
    int version = versionNode.intValue();
    if (version != SegmentationModel.CURRENT_VERSION) {
      throw new BadInputException(source + ": unsupported version at $.version, expected " + SegmentationModel.CURRENT_VERSION + ", found " + version);
    }
    expect(source, "feature_set", GapFeatures.VERSION, text(root, "feature_set", source, "$"));
    List<String> names = strings(root.get("features"), source, "$.features");
    if (!names.equals(GapFeatures.names())) {
      throw new BadInputException(source + ": feature names at $.features differ from " + GapFeatures.VERSION + " (expected " + GapFeatures.names().size()
          + " features, found " + names.size() + ")");
    }
    JsonNode s = root.get("scorer");
    StrictJson.checkKeys(s, source, "$.scorer", SCORER_KEYS, Set.of());
    JsonNode g = root.get("gate");
    StrictJson.checkKeys(g, source, "$.gate", GATE_KEYS, Set.of());
    JsonNode p = root.get("provenance");
    StrictJson.checkKeys(p, source, "$.provenance", PROVENANCE_KEYS, Set.of());
    JsonNode fitScores = p.get("fit_scores");
    if (!fitScores.isObject()) {
      throw new BadInputException(source + ": expected an object at $.provenance.fit_scores, found " + StrictJson.kind(fitScores));
    }
    Map<String, Double> scores = new TreeMap<>();
    fitScores.properties().forEach(e -> scores.put(e.getKey(), number(fitScores, e.getKey(), source, "$.provenance.fit_scores")));
    JsonNode seed = p.get("seed");
    if (!seed.isIntegralNumber()) {
      throw new BadInputException(source + ": expected an integer at $.provenance.seed, found " + StrictJson.kind(seed));
    }
    try {
      return new SegmentationModel(
          version,
          GapFeatures.VERSION,
          text(root, "embedding_model", source, "$"),
          names,
          new GapScorer(numbers(s.get("means"), source, "$.scorer.means"), numbers(s.get("scales"), source, "$.scorer.scales"),
              numbers(s.get("weights"), source, "$.scorer.weights"), number(s, "bias", source, "$.scorer")),
          new SegmentationGate(number(g, "floor", source, "$.gate"), number(g, "k", source, "$.gate"),
              (int) integer(g, "min_segment_turns", source, "$.gate")),
          new SegmentationModel.Provenance(strings(p.get("scorer_data"), source, "$.provenance.scorer_data"),
              strings(p.get("gate_data"), source, "$.provenance.gate_data"), seed.longValue(),
              text(p, "fitted_at", source, "$.provenance"), text(p, "metric", source, "$.provenance"), scores,
              text(p, "command", source, "$.provenance")));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(source + ": invalid calibration: " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field, String source, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new BadInputException(source + ": expected a string at " + StrictJson.key(path, field) + ", found " + StrictJson.kind(value));
    }
    return value.textValue();
  }

  private static double number(JsonNode node, String field, String source, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      throw new BadInputException(source + ": expected a number at " + StrictJson.key(path, field) + ", found " + StrictJson.kind(value));
    }
    return value.doubleValue();
  }

  private static long integer(JsonNode node, String field, String source, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToInt()) {
      throw new BadInputException(source + ": expected an integer at " + StrictJson.key(path, field) + ", found " + StrictJson.kind(value));
    }
    return value.intValue();
  }

  private static double[] numbers(JsonNode node, String source, String path) {
    if (!node.isArray()) {
      throw new BadInputException(source + ": expected an array of numbers at " + path + ", found " + StrictJson.kind(node));
    }
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode value = node.get(i);
      if (!value.isNumber()) {
        throw new BadInputException(source + ": expected a number at " + StrictJson.index(path, i) + ", found " + StrictJson.kind(value));
      }
      out[i] = value.doubleValue();
    }
    return out;
  }

  private static List<String> strings(JsonNode node, String source, String path) {
    if (!node.isArray()) {
      throw new BadInputException(source + ": expected an array of strings at " + path + ", found " + StrictJson.kind(node));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode value = node.get(i);
      if (!value.isTextual()) {
        throw new BadInputException(source + ": expected a string at " + StrictJson.index(path, i) + ", found " + StrictJson.kind(value));
      }
      out.add(value.textValue());
    }
    return out;
  }

  private static void expect(String source, String field, String expected, String found) {
    if (!expected.equals(found)) {
      throw new BadInputException(source + ": unsupported " + field + " at $." + field + ", expected " + expected + ", found " + found);
    }
  }

  private static void put(ArrayNode array, double[] values) {
    for (double v : values) {
      array.add(v);
    }
  }
}
