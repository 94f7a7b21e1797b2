package dev.parley.insights.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the segmentation calibration file ({@code "format": "parley-segmentation-calibration"}).
 * The reader rejects other formats, versions and feature sets with "expected X, found Y" messages.
 */
public final class SegmentationModelJson {
  public static final String FORMAT = "parley-segmentation-calibration";
  /** The calibration shipped with Parley. */
  public static final String BUNDLED_RESOURCE = "/calibration/segmentation-v1.json";

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

  public static SegmentationModel read(String json, String source) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new BadInputException(source + ": malformed JSON: " + e.getMessage());
    }
    expect(source, "format", FORMAT, root.path("format").asText());
    int version = root.path("version").asInt(-1);
    if (version != SegmentationModel.CURRENT_VERSION) {
      throw new BadInputException(source + ": unsupported version, expected " + SegmentationModel.CURRENT_VERSION + ", found " + version);
    }
    expect(source, "feature_set", GapFeatures.VERSION, root.path("feature_set").asText());
    List<String> names = new ArrayList<>();
    root.path("features").forEach(n -> names.add(n.asText()));
    if (!names.equals(GapFeatures.names())) {
      throw new BadInputException(source + ": feature names differ from " + GapFeatures.VERSION + " (expected " + GapFeatures.names().size()
          + " features, found " + names.size() + ")");
    }
    JsonNode s = root.path("scorer");
    JsonNode g = root.path("gate");
    JsonNode p = root.path("provenance");
    Map<String, Double> scores = new TreeMap<>();
    p.path("fit_scores").properties().forEach(e -> scores.put(e.getKey(), e.getValue().asDouble()));
    try {
      return new SegmentationModel(
          version,
          GapFeatures.VERSION,
          root.path("embedding_model").asText(),
          names,
          new GapScorer(doubles(s.path("means")), doubles(s.path("scales")), doubles(s.path("weights")), s.path("bias").asDouble()),
          new SegmentationGate(g.path("floor").asDouble(), g.path("k").asDouble(), g.path("min_segment_turns").asInt()),
          new SegmentationModel.Provenance(strings(p.path("scorer_data")), strings(p.path("gate_data")), p.path("seed").asLong(),
              p.path("fitted_at").asText(), p.path("metric").asText(), scores, p.path("command").asText()));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(source + ": invalid calibration: " + e.getMessage());
    }
  }

  private static void expect(String source, String field, String expected, String found) {
    if (!expected.equals(found)) {
      throw new BadInputException(source + ": '" + field + "' expected " + expected + ", found " + (found.isEmpty() ? "nothing" : found));
    }
  }

  private static void put(ArrayNode array, double[] values) {
    for (double v : values) {
      array.add(v);
    }
  }

  private static double[] doubles(JsonNode node) {
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asDouble();
    }
    return out;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }
}
