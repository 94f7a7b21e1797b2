package dev.parley.server.insights;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.ConversationCodec;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.pipeline.CentroidAssigner;
import dev.parley.insights.pipeline.RunAssignment;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.server.ApiError;
import dev.parley.server.ParleyServer;
import dev.parley.store.runs.StoredCluster;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/assign}: online assignment against one of the tenant's finished runs, as
 * {@code ./parley assign} does: each text is embedded with the run's own model and goes to the leaf with the
 * most similar centroid, or is noise below that leaf's admission threshold ({@link CentroidAssigner}).
 *
 * <p>Body: {@code {"run": ID, "texts": ["...", ...]}} (ids are the texts' 0-based indexes) or
 * {@code {"run": ID, "items": [...]}} with text items {@code {"id","text"}} or conversations (DESIGN §4; their
 * user messages joined, as {@code ./parley cluster} reads conversations).
 */
final class AssignController {
  /** Texts per request: one request embeds in one go, so this bounds a request's memory and time. */
  static final int MAX_TEXTS = 2_000;

  private final AssignableRuns runs;
  private final RunEmbeddings embeddings;
  private final ConversationCodec codec = new ConversationCodec();

  AssignController(AssignableRuns runs, RunEmbeddings embeddings) {
    this.runs = requireNonNull(runs, "runs is null");
    this.embeddings = requireNonNull(embeddings, "embeddings is null");
  }

  /** One text to assign. */
  record Input(String id, String text) {
    Input {
      requireNonNull(id, "id is null");
      requireNonNull(text, "text is null");
    }
  }

  void assign(Context ctx) {
    JsonNode body = body(ctx.body());
    JsonNode runNode = body.get("run");
    if (runNode == null || !runNode.isTextual() || runNode.asText().isBlank()) {
      throw ApiError.badRequest("'run' is required: the id of one of your runs (GET /v1/runs)");
    }
    List<Input> inputs = inputs(body);
    AssignableRuns.Loaded run = runs.load(ParleyServer.tenantOf(ctx), runNode.asText());
    EmbeddingModel model = embeddings.model(run.centroids().model());
    if (model.dimension() != run.centroids().dimension()) {
      throw new ApiError(409, "embedding_unavailable", "the run's model " + run.centroids().model() + " gives " + model.dimension()
          + "-D vectors here but the run's centroids are " + run.centroids().dimension() + "-D");
    }
    float[][] vectors = inputs.isEmpty() ? new float[0][] : model.embed(inputs.stream().map(Input::text).toList());
    CentroidAssigner assigner = new CentroidAssigner(run.centroids());
    Map<String, String> labels = new HashMap<>();
    for (StoredCluster c : run.tree().clusters()) {
      labels.put(c.id(), c.label());
    }
    ObjectNode out = Json.object();
    out.put("run", run.run().id());
    out.put("model", run.centroids().model());
    out.put("centroids", run.source().wireName());
    out.put("noise_thresholds", run.noiseThresholds());
    ArrayNode list = out.putArray("assignments");
    int noise = 0;
    for (int i = 0; i < inputs.size(); i++) {
      CentroidAssigner.Assignment a = assigner.assign(vectors[i]);
      ObjectNode node = list.addObject();
      node.put("id", inputs.get(i).id());
      if (a.admitted()) {
        String leaf = run.centroids().ids().get(a.leaf());
        node.put("leaf", leaf);
        ArrayNode path = node.putArray("path");
        run.tree().path(leaf).forEach(path::add);
        node.put("label", labels.getOrDefault(leaf, ""));
      } else {
        node.put("leaf", RunAssignment.NOISE);
        node.putArray("path");
        node.putNull("label");
        noise++;
      }
      node.put("similarity", Double.isNaN(a.similarity()) ? 0 : Math.round(a.similarity() * 1e4) / 1e4);
    }
    out.put("noise", noise);
    ctx.json(out);
  }

  private List<Input> inputs(JsonNode body) {
    JsonNode texts = body.get("texts");
    JsonNode items = body.get("items");
    if ((texts == null) == (items == null)) {
      throw ApiError.badRequest("send exactly one of 'texts' (an array of strings) and 'items' (an array of {\"id\",\"text\"} or conversations)");
    }
    JsonNode array = texts != null ? texts : items;
    String field = texts != null ? "texts" : "items";
    if (!array.isArray()) {
      throw ApiError.badRequest("'" + field + "' must be an array");
    }
    if (array.size() > MAX_TEXTS) {
      throw ApiError.badRequest("'" + field + "' may hold at most " + MAX_TEXTS + " entries, has " + array.size());
    }
    List<Input> inputs = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode e = array.get(i);
      inputs.add(texts != null ? text(i, e) : item(i, e));
    }
    List<String> duplicates = inputs.stream().collect(Collectors.groupingBy(Input::id, Collectors.counting())).entrySet().stream()
        .filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().limit(3).toList();
    if (!duplicates.isEmpty()) {
      throw ApiError.badRequest("duplicate item ids: " + String.join(", ", duplicates));
    }
    return inputs;
  }

  private static Input text(int index, JsonNode node) {
    if (!node.isTextual()) {
      throw ApiError.badRequest("texts[" + index + "] must be a string");
    }
    if (node.asText().isBlank()) {
      throw ApiError.badRequest("texts[" + index + "] is blank");
    }
    return new Input(Integer.toString(index), node.asText());
  }

  private Input item(int index, JsonNode node) {
    String where = "items[" + index + "]";
    if (!node.isObject()) {
      throw ApiError.badRequest(where + " must be an object: {\"id\",\"text\"} or a conversation");
    }
    if (node.has("messages")) {
      Conversation c;
      try {
        c = codec.fromJson(node);
      } catch (BadInputException e) {
        throw ApiError.badRequest(where + ": " + e.getMessage());
      }
      String text = c.messages().stream().filter(m -> m.speaker() == Speaker.USER).map(Message::text).collect(Collectors.joining(" "));
      if (text.isBlank()) {
        throw ApiError.badRequest(where + ": conversation '" + c.id() + "' has no user message to assign");
      }
      return new Input(c.id(), text);
    }
    JsonNode id = node.get("id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
      throw ApiError.badRequest(where + ": missing string field 'id'");
    }
    JsonNode text = node.get("text");
    if (text == null || !text.isTextual() || text.asText().isBlank()) {
      throw ApiError.badRequest(where + ": item '" + id.asText() + "' needs a non-blank string field 'text'");
    }
    return new Input(id.asText(), text.asText());
  }

  private static JsonNode body(String text) {
    if (text.isBlank()) {
      throw ApiError.badRequest("the body is empty: send {\"run\": ID, \"texts\": [...]}");
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiError.badRequest("body must be a JSON object: {\"run\": ID, \"texts\": [...]}");
    }
    return node;
  }
}
