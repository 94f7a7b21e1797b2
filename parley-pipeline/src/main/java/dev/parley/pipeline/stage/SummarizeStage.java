package dev.parley.pipeline.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.json.Json;
import dev.parley.insights.summary.ExtractiveSummarizer;
import dev.parley.insights.summary.LlmSummarizer;
import dev.parley.insights.summary.Summary;
import dev.parley.insights.summary.SummaryRequest;
import dev.parley.insights.text.LlmCache;
import dev.parley.pipeline.item.ConversationIndex;
import dev.parley.pipeline.item.Segmentation;
import dev.parley.pipeline.segment.SummaryRequests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A summary for every segment: by the LLM when one is configured (batched, validated), else by extractive
 * centrality; a segment the LLM could not summarise gets the extractive summary, and a segment with no
 * summary at all is clustered by its own words, so that no clustered text is empty.
 */
public final class SummarizeStage implements Stage<List<Segmentation>> {
  private final List<Conversation> conversations;
  private final List<Segmentation> segments;
  private final Optional<ChatModel> chat;
  private final String llmName;
  private final EmbeddingModel embeddings;

  public SummarizeStage(List<Conversation> conversations, List<Segmentation> segments, Optional<ChatModel> chat, String llmName,
      EmbeddingModel embeddings) {
    this.conversations = List.copyOf(requireNonNull(conversations, "conversations is null"));
    this.segments = List.copyOf(requireNonNull(segments, "segments is null"));
    this.chat = requireNonNull(chat, "chat is null");
    this.llmName = requireNonNull(llmName, "llmName is null");
    this.embeddings = requireNonNull(embeddings, "embeddings is null");
  }

  @Override
  public String name() {
    return "summarize";
  }

  @Override
  public String artefact() {
    return "summaries.jsonl";
  }

  @Override
  public JsonNode parameters() {
    return Json.object().put("llm", llmName).put("offline", "extractive-lexrank");
  }

  @Override
  public List<Segmentation> compute(Path artefact) throws IOException {
    ConversationIndex byId = new ConversationIndex(conversations);
    List<SummaryRequest> requests = new ArrayList<>();
    for (Segmentation s : segments) {
      Conversation c = byId.get(s.conversationId());
      for (int i = 0; i < s.segments().size(); i++) {
        Segmentation.Segment segment = s.segments().get(i);
        requests.add(SummaryRequests.of(c, segment.start(), segment.end(), i));
      }
    }
    Map<String, String> texts = new LinkedHashMap<>();
    chat.ifPresent(model -> {
      for (Summary summary : new LlmSummarizer(model, "", LlmCache.inMemory(), 8).summarize(requests).summaries()) {
        summary.text().filter(t -> !t.isBlank()).ifPresent(t -> texts.put(summary.id(), t));
      }
    });
    List<SummaryRequest> missing = requests.stream().filter(r -> !texts.containsKey(r.id())).toList();
    if (!missing.isEmpty()) {
      for (Summary summary : new ExtractiveSummarizer(embeddings).summarize(missing)) {
        texts.put(summary.id(), summary.text().filter(t -> !t.isBlank()).orElse(""));
      }
    }
    List<Segmentation> out = new ArrayList<>();
    int r = 0;
    for (Segmentation s : segments) {
      List<Segmentation.Segment> summarised = new ArrayList<>();
      for (Segmentation.Segment segment : s.segments()) {
        SummaryRequest request = requests.get(r++);
        String text = texts.getOrDefault(request.id(), "");
        summarised.add(new Segmentation.Segment(segment.start(), segment.end(),
            Optional.of(text.isBlank() ? String.join(" ", request.userTexts()) : text)));
      }
      out.add(new Segmentation(s.conversationId(), summarised));
    }
    SegmentStage.write(artefact, out);
    return out;
  }

  @Override
  public List<Segmentation> read(Path artefact) {
    return SegmentStage.readLines(artefact);
  }

  @Override
  public String describe(List<Segmentation> result) {
    return result.stream().mapToInt(s -> s.segments().size()).sum() + " summaries";
  }
}
