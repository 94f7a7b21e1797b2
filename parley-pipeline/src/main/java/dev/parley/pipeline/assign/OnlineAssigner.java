package dev.parley.pipeline.assign;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.json.Json;
import dev.parley.insights.pipeline.CentroidAssigner;
import dev.parley.insights.pipeline.RunAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Online assignment against one finished run, the one rule behind {@code ./parley assign} and
 * {@code POST /v1/assign}: each text is embedded with the run's own model and goes to the leaf with the most
 * similar centroid, or to noise below that leaf's admission threshold ({@link CentroidAssigner}).
 */
public final class OnlineAssigner {
  private final AssignableRun run;
  private final EmbeddingModel model;
  private final CentroidAssigner assigner;

  /** @throws RunUnavailableException when {@code model} does not give vectors of the run's dimension */
  public OnlineAssigner(AssignableRun run, EmbeddingModel model) {
    this.run = requireNonNull(run, "run is null");
    this.model = requireNonNull(model, "model is null");
    if (model.dimension() != run.centroids().dimension()) {
      throw new RunUnavailableException(RunUnavailableException.Reason.MODEL_UNAVAILABLE, "the run's model " + run.centroids().model()
          + " gives " + model.dimension() + "-D vectors here but the run's centroids are " + run.centroids().dimension() + "-D");
    }
    this.assigner = new CentroidAssigner(run.centroids());
  }

  /** One text to assign. */
  public record Input(String id, String text) {
    public Input {
      requireNonNull(id, "id is null");
      requireNonNull(text, "text is null");
    }
  }

  /**
   * Where one text went.
   *
   * @param leaf the leaf's id, or empty for noise
   * @param path [top, ..., leaf], empty for noise
   * @param similarity cosine to the nearest leaf centroid (0 when the run has no leaves)
   */
  public record Assignment(String id, Optional<String> leaf, List<String> path, Optional<String> label, double similarity) {
    public Assignment {
      requireNonNull(id, "id is null");
      requireNonNull(leaf, "leaf is null");
      path = List.copyOf(requireNonNull(path, "path is null"));
      requireNonNull(label, "label is null");
    }

    public boolean isNoise() {
      return leaf.isEmpty();
    }

    /** {@code {"id","leaf","path","label","similarity"}}: {@code "leaf":"noise"}, an empty path and a null label for noise. */
    public ObjectNode toJson() {
      ObjectNode node = Json.object();
      node.put("id", id);
      node.put("leaf", leaf.orElse(RunAssignment.NOISE));
      ArrayNode array = node.putArray("path");
      path.forEach(array::add);
      label.ifPresentOrElse(l -> node.put("label", l), () -> node.putNull("label"));
      node.put("similarity", Math.round(similarity * 1e4) / 1e4);
      return node;
    }
  }

  public AssignableRun run() {
    return run;
  }

  /** Embeds every text (in one call, so the model can batch) and assigns it, in input order. */
  public List<Assignment> assign(List<Input> inputs) {
    requireNonNull(inputs, "inputs is null");
    if (inputs.isEmpty()) {
      return List.of();
    }
    float[][] vectors = model.embed(inputs.stream().map(Input::text).toList());
    List<Assignment> out = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      out.add(assign(inputs.get(i).id(), vectors[i]));
    }
    return out;
  }

  /** Assigns an already embedded, L2-normalised vector. */
  public Assignment assign(String id, float[] vector) {
    CentroidAssigner.Assignment a = assigner.assign(vector);
    double similarity = Double.isNaN(a.similarity()) ? 0 : a.similarity();
    if (!a.admitted()) {
      return new Assignment(id, Optional.empty(), List.of(), Optional.empty(), similarity);
    }
    String leaf = run.centroids().ids().get(a.leaf());
    return new Assignment(id, Optional.of(leaf), run.path(leaf), run.label(leaf), similarity);
  }
}
