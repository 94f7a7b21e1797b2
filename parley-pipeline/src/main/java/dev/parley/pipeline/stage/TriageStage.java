package dev.parley.pipeline.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.JsonLines;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.json.Json;
import dev.parley.insights.text.LlmCache;
import dev.parley.insights.triage.LlmTriageBackend;
import dev.parley.insights.triage.OfflineTriageBackend;
import dev.parley.insights.triage.Taxonomy;
import dev.parley.insights.triage.TriageBackend;
import dev.parley.insights.triage.TriageEngine;
import dev.parley.insights.triage.TriageJson;
import dev.parley.insights.triage.TypeClassifierTrainer;
import dev.parley.pipeline.folder.JsonlFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Two-stage triage of every conversation (DESIGN §4 triage lines): by the LLM when one is configured, else
 * the offline zero-shot classifier over the taxonomy's type descriptions.
 */
public final class TriageStage implements Stage<List<ObjectNode>> {
  private final List<Conversation> conversations;
  private final Taxonomy taxonomy;
  private final Optional<ChatModel> chat;
  private final String llmName;
  private final EmbeddingModel embeddings;
  private final long seed;

  public TriageStage(List<Conversation> conversations, Taxonomy taxonomy, Optional<ChatModel> chat, String llmName,
      EmbeddingModel embeddings, long seed) {
    this.conversations = List.copyOf(requireNonNull(conversations, "conversations is null"));
    this.taxonomy = requireNonNull(taxonomy, "taxonomy is null");
    this.chat = requireNonNull(chat, "chat is null");
    this.llmName = requireNonNull(llmName, "llmName is null");
    this.embeddings = requireNonNull(embeddings, "embeddings is null");
    this.seed = seed;
  }

  /** The backend's name as run.json records it. */
  public String backendName() {
    return chat.isEmpty() ? "offline-zero-shot" : "llm:" + llmName;
  }

  @Override
  public String name() {
    return "triage";
  }

  @Override
  public String artefact() {
    return "triage.jsonl";
  }

  @Override
  public JsonNode parameters() {
    return Json.object().put("model", embeddings.id()).put("taxonomy", taxonomy.name()).put("backend", backendName());
  }

  @Override
  public List<ObjectNode> compute(Path artefact) throws IOException {
    TriageBackend backend = chat.<TriageBackend>map(c -> new LlmTriageBackend(c, "", LlmCache.inMemory()))
        .orElseGet(() -> new OfflineTriageBackend(
            new TypeClassifierTrainer(TypeClassifierTrainer.Options.defaults(seed)).zeroShot(taxonomy, embeddings), embeddings));
    List<ObjectNode> result = new TriageEngine(backend, taxonomy).triage(conversations).stream().map(TriageJson::toJson).toList();
    JsonlFiles.write(artefact, result.stream().map(Json::write).toList());
    return result;
  }

  @Override
  public List<ObjectNode> read(Path artefact) {
    return JsonLines.readAll(artefact, line -> (ObjectNode) Json.parse(line));
  }

  @Override
  public String describe(List<ObjectNode> result) {
    return result.size() + " conversations classified";
  }

  /** Conversations per stage-1 type, by type name. */
  public static Map<String, Integer> typeCounts(List<ObjectNode> triage) {
    TreeMap<String, Integer> counts = new TreeMap<>();
    triage.forEach(t -> counts.merge(t.path("stage1").path("type").asText(), 1, Integer::sum));
    return counts;
  }
}
