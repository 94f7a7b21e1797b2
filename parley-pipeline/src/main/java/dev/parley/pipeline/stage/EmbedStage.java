package dev.parley.pipeline.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.embedding.CachingEmbeddingModel;
import dev.parley.core.json.Json;
import dev.parley.pipeline.embed.Embedding;
import dev.parley.pipeline.folder.Artefacts;
import dev.parley.pipeline.item.ClusterItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Embeds the text of every item to cluster (segment summaries), through the embedding cache. */
public final class EmbedStage implements Stage<float[][]> {
  private final List<ClusterItem> items;
  private final CachingEmbeddingModel model;
  private final StageListener listener;

  public EmbedStage(List<ClusterItem> items, CachingEmbeddingModel model, StageListener listener) {
    this.items = List.copyOf(requireNonNull(items, "items is null"));
    this.model = requireNonNull(model, "model is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  @Override
  public String name() {
    return "embed";
  }

  @Override
  public String artefact() {
    return "embeddings.f32";
  }

  @Override
  public JsonNode parameters() {
    return Json.object().put("model", model.id());
  }

  @Override
  public float[][] compute(Path artefact) throws IOException {
    float[][] result = embed();
    Artefacts.writeVectors(artefact, items.stream().map(ClusterItem::id).toList(), result, model.id());
    return result;
  }

  /** The vectors, without writing an artefact (for jobs that do not resume). */
  public float[][] embed() {
    long hitsBefore = model.stats().cacheHits();
    float[][] result = Embedding.embedAll(model, items.stream().map(ClusterItem::text).toList(), listener);
    listener.note(String.format(java.util.Locale.ROOT, "%d of %d from the embedding cache", model.stats().cacheHits() - hitsBefore, result.length));
    return result;
  }

  @Override
  public float[][] read(Path artefact) throws IOException {
    return Artefacts.readVectors(artefact).vectors();
  }

  @Override
  public String describe(float[][] result) {
    return result.length + " summary vectors (" + model.id() + ")";
  }
}
