package dev.parley.store.runs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * One cluster run as stored (table {@code cluster_runs}, migration V5).
 *
 * @param kind {@code cluster} or {@code analyze}
 * @param inputHash SHA-256 (hex) of the input
 * @param parameters every parameter of the run, as in {@code run.json}
 * @param timings stage name to milliseconds, in pipeline order
 * @param outputDir the run folder, when one was written (for people: the store holds the whole run)
 * @param manifest the run's whole {@code run.json} (empty for runs stored before V6)
 */
public record StoredRun(
    String id,
    String kind,
    Instant createdAt,
    String inputHash,
    long seed,
    String embeddingModel,
    int dimension,
    JsonNode parameters,
    JsonNode timings,
    int items,
    int noise,
    int clusters,
    int leaves,
    Optional<String> outputDir,
    Optional<JsonNode> manifest) {

  public StoredRun {
    requireNonNull(id, "id is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(inputHash, "inputHash is null");
    requireNonNull(embeddingModel, "embeddingModel is null");
    requireNonNull(parameters, "parameters is null");
    requireNonNull(timings, "timings is null");
    requireNonNull(outputDir, "outputDir is null");
    requireNonNull(manifest, "manifest is null");
  }
}
