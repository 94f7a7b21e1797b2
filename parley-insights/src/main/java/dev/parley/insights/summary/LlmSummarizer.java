package dev.parley.insights.summary;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.Usage;
import dev.parley.core.hash.ContentHash;
import dev.parley.insights.text.LlmCache;
import dev.parley.insights.text.LlmCost;
import dev.parley.insights.text.StructuredOutput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Segment summaries written by an LLM: segments are sent in batches (one call summarises up to
 * {@code batchSize} segments), the reply must be JSON valid against {@link #SCHEMA} naming every segment of
 * the batch once (retried once otherwise, see {@link StructuredOutput}), and each summary is cached by the
 * content hash of prompt version, model and transcript. Tokens and estimated cost are totalled.
 */
public final class LlmSummarizer {
  static final String PROMPT_VERSION = "segment-summary-v1";
  static final String SYSTEM = """
      You summarise segments of customer conversations with an assistant or a support agent.
      For each segment, write one or two plain sentences saying what the user was trying to do and, if
      stated, the outcome. Do not invent details. Reply with only a JSON object of the form
      {"summaries":[{"id":"<segment id>","summary":"<text>"}]} containing every segment id exactly once.""";
  static final String SCHEMA = """
      {"type":"object","required":["summaries"],"properties":{"summaries":{"type":"array","items":
      {"type":"object","required":["id","summary"],"properties":{"id":{"type":"string"},
      "summary":{"type":"string","minLength":1,"maxLength":600}}}}}}""";

  /** Totals of a run. */
  public record Accounting(Usage usage, int calls, int cacheHits, Optional<Double> costUsd) {}

  /** Summaries in request order, and what they cost. */
  public record Result(List<Summary> summaries, Accounting accounting) {}

  private static final JsonSchema VALIDATOR = StructuredOutput.schema(SCHEMA);

  private final StructuredOutput llm;
  private final String modelKey;
  private final LlmCache cache;
  private final int batchSize;

  /**
   * @param model model to ask for (blank: the provider's default); also part of the cache key
   */
  public LlmSummarizer(ChatModel chat, String model, LlmCache cache, int batchSize) {
    this.llm = new StructuredOutput(requireNonNull(chat, "chat is null"), model, 2048);
    this.modelKey = chat.provider() + ":" + model;
    this.cache = requireNonNull(cache, "cache is null");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    this.batchSize = batchSize;
  }

  public Result summarize(List<SummaryRequest> requests) {
    requireNonNull(requests, "requests is null");
    Map<String, Summary> done = new LinkedHashMap<>();
    List<SummaryRequest> pending = new ArrayList<>();
    int hits = 0;
    for (SummaryRequest r : requests) {
      Optional<String> cached = cache.get(key(r));
      if (cached.isPresent()) {
        done.put(r.id(), Summary.of(r.id(), cached.get(), SummaryKind.LLM));
        hits++;
      } else {
        pending.add(r);
      }
    }
    Usage usage = Usage.ZERO;
    int calls = 0;
    Optional<Double> cost = Optional.of(0.0);
    for (int from = 0; from < pending.size(); from += batchSize) {
      List<SummaryRequest> batch = pending.subList(from, Math.min(pending.size(), from + batchSize));
      StructuredOutput.Reply reply = llm.call(SYSTEM, prompt(batch), VALIDATOR, json -> checkIds(json, batch));
      usage = usage.plus(reply.usage());
      calls += reply.attempts();
      Optional<Double> batchCost = LlmCost.usd(reply.model(), reply.usage());
      cost = cost.isPresent() && batchCost.isPresent() ? Optional.of(cost.get() + batchCost.get()) : Optional.empty();
      if (reply.value().isPresent()) {
        Map<String, String> byLocalId = new LinkedHashMap<>();
        reply.value().get().get("summaries").forEach(s -> byLocalId.put(s.get("id").asText(), s.get("summary").asText().strip()));
        for (int i = 0; i < batch.size(); i++) {
          SummaryRequest r = batch.get(i);
          String text = requireNonNull(byLocalId.get(localId(i)), "checkIds saw every id");
          cache.put(key(r), text);
          done.put(r.id(), Summary.of(r.id(), text, SummaryKind.LLM));
        }
      } else {
        for (SummaryRequest r : batch) {
          done.put(r.id(), Summary.failed(r.id(), SummaryKind.LLM, reply.error().orElse("unknown error")));
        }
      }
    }
    List<Summary> ordered = requests.stream().map(r -> done.get(r.id())).toList();
    return new Result(ordered, new Accounting(usage, calls, hits, calls == 0 ? Optional.of(0.0) : cost));
  }

  private String key(SummaryRequest r) {
    return ContentHash.sha256Hex(PROMPT_VERSION, modelKey, r.transcript());
  }

  /** Batch-local ids keep the prompt short and the check exact whatever the caller's ids look like. */
  private static String localId(int index) {
    return "s" + (index + 1);
  }

  private static String prompt(List<SummaryRequest> batch) {
    StringBuilder sb = new StringBuilder("Summarise each segment.\n\n");
    for (int i = 0; i < batch.size(); i++) {
      sb.append("<segment id=\"").append(localId(i)).append("\">\n").append(batch.get(i).transcript().strip()).append("\n</segment>\n\n");
    }
    return sb.toString();
  }

  private static Optional<String> checkIds(JsonNode json, List<SummaryRequest> batch) {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      expected.add(localId(i));
    }
    Set<String> seen = new HashSet<>();
    for (JsonNode s : json.get("summaries")) {
      String id = s.get("id").asText();
      if (!expected.contains(id)) {
        return Optional.of("unknown segment id '" + id + "'");
      }
      if (!seen.add(id)) {
        return Optional.of("segment id '" + id + "' appears twice");
      }
      if (s.get("summary").asText().isBlank()) {
        return Optional.of("summary of '" + id + "' is blank");
      }
    }
    expected.removeAll(seen);
    return expected.isEmpty() ? Optional.empty() : Optional.of("missing segment ids " + new java.util.TreeSet<>(expected));
  }
}
