package dev.parley.pipeline.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.JsonLines;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.json.Json;
import dev.parley.insights.segment.SegmentationModel;
import dev.parley.insights.segment.SegmentationModelJson;
import dev.parley.insights.segment.TopicSegmenter;
import dev.parley.pipeline.folder.JsonlFiles;
import dev.parley.pipeline.item.Segmentation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Topic segmentation of every conversation with the calibrated gate (DESIGN §4 segmentation lines, no summaries yet). */
public final class SegmentStage implements Stage<List<Segmentation>> {
  public static final String METHOD = "calibrated-gate";

  private final List<Conversation> conversations;
  private final EmbeddingModel embeddings;
  private final SegmentationModel model;

  public SegmentStage(List<Conversation> conversations, EmbeddingModel embeddings, SegmentationModel model) {
    this.conversations = List.copyOf(requireNonNull(conversations, "conversations is null"));
    this.embeddings = requireNonNull(embeddings, "embeddings is null");
    this.model = requireNonNull(model, "model is null");
  }

  @Override
  public String name() {
    return "segment";
  }

  @Override
  public String artefact() {
    return "segments.jsonl";
  }

  @Override
  public JsonNode parameters() {
    return Json.object().put("model", embeddings.id()).put("method", METHOD).put("calibration", SegmentationModelJson.write(model));
  }

  @Override
  public List<Segmentation> compute(Path artefact) throws IOException {
    List<Segmentation> out = new ArrayList<>();
    for (dev.parley.insights.segment.Segmentation s : new TopicSegmenter(embeddings, model).segment(conversations)) {
      out.add(new Segmentation(s.conversationId(),
          s.segments().stream().map(x -> new Segmentation.Segment(x.start(), x.end(), Optional.empty())).toList()));
    }
    write(artefact, out);
    return out;
  }

  @Override
  public List<Segmentation> read(Path artefact) {
    return readLines(artefact);
  }

  @Override
  public String describe(List<Segmentation> result) {
    return result.stream().mapToInt(s -> s.segments().size()).sum() + " segments";
  }

  static void write(Path artefact, List<Segmentation> segmentations) throws IOException {
    JsonlFiles.write(artefact, segmentations.stream().map(s -> Json.write(s.toJson())).toList());
  }

  static List<Segmentation> readLines(Path artefact) {
    return JsonLines.readAll(artefact, line -> Segmentation.fromJson(Json.parse(line)));
  }
}
