package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.Usage;
import dev.parley.core.hash.ContentHash;
import dev.parley.core.json.Json;
import dev.parley.insights.text.LlmCache;
import dev.parley.insights.text.StructuredOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Triage by an LLM: one call per conversation returns stage 1, stage 2 (only when support replied) and
 * the resolution as JSON, validated against a schema whose type enum is the taxonomy's ids, retried once
 * when invalid, and cached by content hash. A conversation whose reply stays invalid gets an error result;
 * the run goes on. Routing (team, priority, auto-response) comes from the taxonomy as offline; urgency is
 * the more critical of the model's and the taxonomy rules'.
 */
public final class LlmTriageBackend implements TriageBackend {
  static final String PROMPT_VERSION = "triage-v1";

  private final ChatModel chat;
  private final StructuredOutput llm;
  private final String modelKey;
  private final LlmCache cache;
  private Usage usage = Usage.ZERO;
  private int calls;

  public LlmTriageBackend(ChatModel chat, String model, LlmCache cache) {
    this.chat = requireNonNull(chat, "chat is null");
    this.llm = new StructuredOutput(chat, model, 1500);
    this.modelKey = chat.provider() + ":" + model;
    this.cache = requireNonNull(cache, "cache is null");
  }

  @Override
  public String name() {
    return "llm:" + chat.provider();
  }

  /** Tokens used so far. */
  public Usage usage() {
    return usage;
  }

  public int calls() {
    return calls;
  }

  @Override
  public List<TriageResult> triage(List<TriageInput> inputs, Routing routing) {
    Taxonomy taxonomy = routing.taxonomy();
    String system = system(taxonomy);
    JsonSchema schema = StructuredOutput.schema(schema(taxonomy));
    String taxonomyHash = ContentHash.sha256Hex(system);
    List<TriageResult> out = new ArrayList<>(inputs.size());
    for (TriageInput in : inputs) {
      String user = user(in);
      String key = ContentHash.sha256Hex(PROMPT_VERSION, modelKey, taxonomyHash, user);
      Optional<JsonNode> json = cache.get(key).map(Json::parse);
      if (json.isEmpty()) {
        StructuredOutput.Reply reply = llm.call(system, user, schema, j -> check(j, in));
        usage = usage.plus(reply.usage());
        calls += reply.attempts();
        if (reply.value().isEmpty()) {
          out.add(TriageResult.failed(in.conversationId(), reply.error().orElse("unknown error"), name()));
          continue;
        }
        json = reply.value();
        cache.put(key, Json.write(json.get()));
      }
      out.add(result(in, json.get(), routing));
    }
    return out;
  }

  private TriageResult result(TriageInput in, JsonNode json, Routing routing) {
    JsonNode s1 = json.get("stage1");
    Stage stage1 = stage(s1, in.stage1Text(), routing);
    Optional<Stage2> stage2 = Optional.empty();
    JsonNode s2 = json.get("stage2");
    if (in.supportReplied() && s2 != null && s2.isObject()) {
      Stage s = stage(s2, in.customerText(), routing);
      JsonNode si = s2.get("support_insights");
      SupportInsights insights = new SupportInsights(
          si.path("issue_confirmed").asBoolean(false),
          text(si.get("root_cause")),
          si.path("requested_information").asBoolean(false),
          si.path("escalated").asBoolean(false),
          text(si.get("suggested_action")));
      stage2 = Optional.of(new Stage2(s, !s.type().equals(stage1.type()),
          DisambiguationLevel.parse(s2.get("disambiguation_level").asText()), s2.path("reasoning").asText(""), insights));
    }
    Optional<Resolution> resolution = Optional.empty();
    JsonNode r = json.get("resolution");
    if (in.hasResponder()) {
      resolution = r != null && r.isObject()
          ? Optional.of(new Resolution(Resolution.Status.valueOf(r.get("status").asText().toUpperCase(Locale.ROOT)),
              r.path("action").asText("none"), "llm"))
          : Optional.of(ThreadCues.resolution(in.tail()));
    }
    return new TriageResult(in.conversationId(), Optional.of(stage1), stage2, resolution, Optional.empty(), name());
  }

  private static Stage stage(JsonNode node, String customerText, Routing routing) {
    Confidence confidence = Confidence.valueOf(node.get("confidence").asText().toUpperCase(Locale.ROOT));
    Urgency urgency = Urgency.parse(node.get("urgency").asText(), "LLM reply");
    return routing.stage(node.get("type").asText(), confidence, Double.NaN, customerText, urgency);
  }

  private static Optional<String> text(JsonNode node) {
    return node == null || node.isNull() || node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText());
  }

  private static Optional<String> check(JsonNode json, TriageInput in) {
    JsonNode s2 = json.get("stage2");
    boolean hasStage2 = s2 != null && !s2.isNull();
    if (in.supportReplied() && !hasStage2) {
      return Optional.of("'stage2' is required because a support agent replied");
    }
    if (!in.supportReplied() && hasStage2) {
      return Optional.of("'stage2' must be null because no support agent replied");
    }
    return Optional.empty();
  }

  static String system(Taxonomy taxonomy) {
    StringBuilder sb = new StringBuilder("""
        You triage customer-support conversations into exactly one of these types:
        """);
    for (ConversationType t : taxonomy.types()) {
      sb.append("- ").append(t.id()).append(": ").append(t.description()).append('\n');
    }
    sb.append("""

        Reply with only a JSON object:
        {"stage1": {"type": "<type id>", "confidence": "high|medium|low", "urgency": "critical|high|normal|low", "reasoning": "<one sentence>"},
         "stage2": null or {"type": "<type id>", "confidence": "high|medium|low", "urgency": "critical|high|normal|low",
                   "disambiguation_level": "high|medium|low|none", "reasoning": "<one or two sentences>",
                   "support_insights": {"issue_confirmed": true|false, "root_cause": "<text>" or null,
                                        "requested_information": true|false, "escalated": true|false, "suggested_action": "<text>" or null}},
         "resolution": null or {"status": "resolved|pending|unresolved", "action": "<what the responder did, a few words>"}}
        Stage 1 uses only the customer's messages written before any support agent replied. Stage 2 re-classifies
        with the whole thread and is null when no support agent replied. disambiguation_level says how much the
        support replies clarified the type. Use "high" confidence only when the type is unambiguous.
        """);
    return sb.toString();
  }

  static String user(TriageInput in) {
    return "Customer's messages before any support reply:\n" + in.stage1Text().strip()
        + "\n\nWhole thread:\n" + in.transcript().strip()
        + "\n\nA support agent replied: " + (in.supportReplied() ? "yes" : "no") + ".";
  }

  static String schema(Taxonomy taxonomy) {
    String types = Json.write(taxonomy.typeIds());
    String stage = """
        {"type":"object","required":["type","confidence","urgency"],"properties":{
          "type":{"enum":%s},"confidence":{"enum":["high","medium","low"]},
          "urgency":{"enum":["critical","high","normal","low"]},"reasoning":{"type":"string"}%s}}""";
    String stage2Extra = """
        ,"disambiguation_level":{"enum":["high","medium","low","none"]},
          "support_insights":{"type":"object","properties":{"issue_confirmed":{"type":"boolean"},
            "root_cause":{"type":["string","null"]},"requested_information":{"type":"boolean"},
            "escalated":{"type":"boolean"},"suggested_action":{"type":["string","null"]}}}""";
    String stage2 = stage.formatted(types, stage2Extra).replace("\"required\":[\"type\",\"confidence\",\"urgency\"]",
        "\"required\":[\"type\",\"confidence\",\"urgency\",\"disambiguation_level\",\"support_insights\"]");
    return """
        {"type":"object","required":["stage1"],"properties":{
          "stage1":%s,
          "stage2":{"oneOf":[{"type":"null"},%s]},
          "resolution":{"oneOf":[{"type":"null"},{"type":"object","required":["status"],"properties":{
            "status":{"enum":["resolved","pending","unresolved"]},"action":{"type":"string"}}}]}}}"""
        .formatted(stage.formatted(types, ""), stage2);
  }
}
