package dev.parley.pipeline.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.pipeline.cluster.ClusterEngine;
import dev.parley.pipeline.folder.Artefacts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The cluster tree of the embedded items, with the engine's details kept beside it. */
public final class ClusterStage implements Stage<ClusterEngine.Result> {
  private final float[][] vectors;
  private final ClusterEngine engine;
  private final long seed;

  public ClusterStage(float[][] vectors, ClusterEngine engine, long seed) {
    this.vectors = requireNonNull(vectors, "vectors is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.seed = seed;
  }

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public String artefact() {
    return "tree.json";
  }

  @Override
  public JsonNode parameters() {
    return engine.parameters().deepCopy().put("seed", seed);
  }

  @Override
  public ClusterEngine.Result compute(Path artefact) throws IOException {
    ClusterEngine.Result result = engine.cluster(vectors, seed);
    Artefacts.writeTree(artefact, result);
    return result;
  }

  @Override
  public ClusterEngine.Result read(Path artefact) throws IOException {
    return Artefacts.readTree(artefact);
  }

  @Override
  public String describe(ClusterEngine.Result result) {
    return result.tree().roots().size() + " top-level, " + result.tree().leaves().size() + " leaves, noise "
        + String.format(Locale.ROOT, "%.1f%%", result.tree().noiseShare() * 100);
  }
}
