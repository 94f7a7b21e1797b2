package dev.parley.pipeline.segment;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.Usage;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.json.Json;
import dev.parley.insights.segment.Segment;
import dev.parley.insights.segment.Segmentation;
import dev.parley.insights.segment.TopicSegmenter;
import dev.parley.insights.summary.ExtractiveSummarizer;
import dev.parley.insights.summary.LlmSummarizer;
import dev.parley.insights.summary.Summary;
import dev.parley.insights.summary.SummaryRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Segments conversations and summarises the segments, producing DESIGN §4's segmentation lines:
 * {@code {"conversation_id","segments":[{"start","end","summary","summary_kind"}],"summary","summary_kind"}}
 * (a segment whose LLM summary failed carries {@code "summary_error"} instead of a summary).
 */
public final class SegmentationOutput {
  private final TopicSegmenter segmenter;
  private final ExtractiveSummarizer extractive;
  private final Optional<LlmSummarizer> llm;
  private Usage usage = Usage.ZERO;
  private int llmCalls;
  private int cacheHits;
  private Optional<Double> cost = Optional.of(0.0);
  private long segmentNanos;
  private long summaryNanos;

  public SegmentationOutput(TopicSegmenter segmenter, ExtractiveSummarizer extractive, Optional<LlmSummarizer> llm) {
    this.segmenter = requireNonNull(segmenter, "segmenter is null");
    this.extractive = requireNonNull(extractive, "extractive is null");
    this.llm = requireNonNull(llm, "llm is null");
  }

  public List<ObjectNode> process(List<Conversation> conversations) {
    long t0 = System.nanoTime();
    List<Segmentation> segmentations = segmenter.segment(conversations);
    long t1 = System.nanoTime();
    List<SummaryRequest> requests = new ArrayList<>();
    for (int i = 0; i < conversations.size(); i++) {
      Conversation c = conversations.get(i);
      List<Segment> segments = segmentations.get(i).segments();
      for (int s = 0; s < segments.size(); s++) {
        requests.add(SummaryRequests.of(c, segments.get(s).start(), segments.get(s).end(), s));
      }
    }
    List<Summary> summaries;
    if (llm.isPresent()) {
      LlmSummarizer.Result result = llm.get().summarize(requests);
      summaries = result.summaries();
      usage = usage.plus(result.accounting().usage());
      llmCalls += result.accounting().calls();
      cacheHits += result.accounting().cacheHits();
      cost = cost.isPresent() && result.accounting().costUsd().isPresent()
          ? Optional.of(cost.get() + result.accounting().costUsd().get()) : Optional.empty();
    } else {
      summaries = extractive.summarize(requests);
    }
    segmentNanos += t1 - t0;
    summaryNanos += System.nanoTime() - t1;
    List<ObjectNode> out = new ArrayList<>(conversations.size());
    int k = 0;
    for (int i = 0; i < conversations.size(); i++) {
      ObjectNode line = Json.object();
      line.put("conversation_id", conversations.get(i).id());
      ArrayNode array = line.putArray("segments");
      List<String> texts = new ArrayList<>();
      String kind = null;
      for (Segment s : segmentations.get(i).segments()) {
        Summary summary = summaries.get(k++);
        ObjectNode o = array.addObject();
        o.put("start", s.start());
        o.put("end", s.end());
        summary.text().ifPresent(t -> {
          o.put("summary", t);
          texts.add(t);
        });
        o.put("summary_kind", summary.kind().wireName());
        summary.error().ifPresent(e -> o.put("summary_error", e));
        kind = summary.kind().wireName();
      }
      if (!texts.isEmpty()) {
        line.put("summary", ExtractiveSummarizer.stitch(texts));
        line.put("summary_kind", kind);
      }
      out.add(line);
    }
    return out;
  }

  public Usage usage() {
    return usage;
  }

  public int llmCalls() {
    return llmCalls;
  }

  public int cacheHits() {
    return cacheHits;
  }

  public Optional<Double> costUsd() {
    return cost;
  }

  public long segmentMillis() {
    return segmentNanos / 1_000_000;
  }

  public long summaryMillis() {
    return summaryNanos / 1_000_000;
  }
}
