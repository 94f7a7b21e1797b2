package dev.parley.server.insights;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.ConversationCodec;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.pipeline.assign.AssignableRun;
import dev.parley.pipeline.assign.AssignableRuns;
import dev.parley.pipeline.assign.OnlineAssigner.Input;
import dev.parley.pipeline.assign.OnlineAssigner;
import dev.parley.pipeline.assign.RunUnavailableException;
import dev.parley.pipeline.embed.EmbeddingModelRegistry;
import dev.parley.pipeline.item.ConversationText;
import dev.parley.server.ApiError;
import dev.parley.server.ParleyServer;
import dev.parley.server.RequestChecks;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/assign}: online assignment against one of the tenant's stored runs with the pipeline's
 * {@link OnlineAssigner}, the same rule as {@code ./parley assign}; the run is read from the store alone.
 *
 * <p>Body: {@code {"run": ID, "texts": ["...", ...]}} (ids are the texts' 0-based indexes) or
 * {@code {"run": ID, "items": [...]}} with text items {@code {"id","text"}} or conversations (DESIGN §4; their
 * text is {@link ConversationText}'s, as {@code ./parley cluster} reads conversations).
 */
final class AssignController {
  /** Texts per request: one request embeds in one go, so this bounds a request's memory and time. */
  static final int MAX_TEXTS = 2_000;
  static final Set<String> FIELDS = Set.of("run", "texts", "items");

  private final AssignableRuns runs;
  private final EmbeddingModelRegistry embeddings;
  private final ConversationCodec codec = new ConversationCodec();

  AssignController(AssignableRuns runs, EmbeddingModelRegistry embeddings) {
    this.runs = requireNonNull(runs, "runs is null");
    this.embeddings = requireNonNull(embeddings, "embeddings is null");
  }

  void assign(Context ctx) {
    if (ctx.body().isBlank()) {
      throw ApiError.badRequest("the body is empty: send {\"run\": ID, \"texts\": [...]}");
    }
    // Strict: a misspelt "text" for "texts" is a 400 naming it, not a request that assigns nothing.
    ObjectNode body = RequestChecks.object(ctx.body(), FIELDS);
    JsonNode runNode = body.get("run");
    if (runNode == null || !runNode.isTextual() || runNode.asText().isBlank()) {
      throw ApiError.badRequest("'run' is required: the id of one of your runs (GET /v1/runs)");
    }
    List<Input> inputs = inputs(body);
    List<OnlineAssigner.Assignment> assignments;
    AssignableRun run;
    try {
      run = runs.load(ParleyServer.tenantOf(ctx), runNode.asText());
      OnlineAssigner assigner = new OnlineAssigner(run, embeddings.model(run.centroids().model()));
      assignments = assigner.assign(inputs);
    } catch (RunUnavailableException e) {
      throw switch (e.reason()) {
        case NOT_FOUND -> RunsController.runNotFound(runNode.asText());
        // Its constructor takes a non-null message; Throwable.getMessage() cannot say so.
        case NO_CENTROIDS -> new ApiError(409, "centroids_unavailable", requireNonNull(e.getMessage(), "message is null"));
        case MODEL_UNAVAILABLE -> new ApiError(409, "embedding_unavailable", requireNonNull(e.getMessage(), "message is null"));
      };
    }
    ObjectNode out = Json.object();
    out.put("run", run.runId());
    out.put("model", run.centroids().model());
    out.put("centroids", "store");
    out.put("noise_thresholds", run.noiseThresholds());
    ArrayNode list = out.putArray("assignments");
    assignments.forEach(a -> list.add(a.toJson()));
    out.put("noise", assignments.stream().filter(OnlineAssigner.Assignment::isNoise).count());
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
      return new Input(c.id(), ConversationText.of(c)
          .orElseThrow(() -> ApiError.badRequest(where + ": conversation '" + c.id() + "' has no user message to assign")));
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
}
