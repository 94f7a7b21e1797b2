package dev.parley.cli.runs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.insights.pipeline.ClusterRun;
import dev.parley.insights.pipeline.RunCluster;
import dev.parley.store.TenantId;
import dev.parley.store.runs.ClusterRunRepository;
import dev.parley.store.runs.StoredCluster;
import dev.parley.store.runs.StoredRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Saves a finished run (its run.json figures and every cluster) through {@link ClusterRunRepository}. */
public final class RunStore {
  private final ClusterRunRepository repository;

  public RunStore(ClusterRunRepository repository) {
    this.repository = requireNonNull(repository, "repository is null");
  }

  public void save(String runId, String kind, Instant createdAt, ClusterRun run, ObjectNode runJson, Path dir) {
    Map<String, float[]> centroids = new HashMap<>();
    for (int i = 0; i < run.centroids().ids().size(); i++) {
      centroids.put(run.centroids().ids().get(i), run.centroids().vectors()[i]);
    }
    List<StoredCluster> clusters = new ArrayList<>(run.clusters().size());
    for (RunCluster c : run.clusters()) {
      clusters.add(new StoredCluster(c.id(), c.parent(), c.depth(), c.size(), c.label(), c.description(), c.keywords(),
          c.examples(), c.labelSource(), c.users(), c.conversations(), c.redacted(), Optional.ofNullable(centroids.get(c.id()))));
    }
    StoredRun stored = new StoredRun(
        runId, kind, createdAt, runJson.path("input_hash").asText(), runJson.path("seed").asLong(),
        run.centroids().model(), run.centroids().dimension(), runJson.path("parameters"), runJson.path("timings_ms"),
        run.assignments().size(), (int) run.noiseCount(), run.clusters().size(), (int) run.leafCount(),
        Optional.of(dir.toAbsolutePath().normalize().toString()));
    repository.save(TenantId.DEFAULT, stored, clusters);
  }
}
