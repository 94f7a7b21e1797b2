package dev.parley.pipeline.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.insights.pipeline.ClusterRun;
import dev.parley.insights.pipeline.RunCentroids;
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
import java.util.OptionalDouble;
import org.jdbi.v3.core.Jdbi;

/**
 * Saves finished runs of one tenant: the run's figures and its whole run.json, and every cluster with, for
 * leaves, its centroid and admission threshold, so that the store alone can serve the run (the server never
 * reads a run folder).
 */
public final class RunStore {
  private final ClusterRunRepository repository;
  private final TenantId tenant;

  public RunStore(Jdbi jdbi, TenantId tenant) {
    this.repository = new ClusterRunRepository(requireNonNull(jdbi, "jdbi is null"));
    this.tenant = requireNonNull(tenant, "tenant is null");
  }

  public TenantId tenant() {
    return tenant;
  }

  /** @param dir the run folder written beside, recorded for people who look for it */
  public void save(String runId, String kind, Instant createdAt, ClusterRun run, ObjectNode runJson, Path dir) {
    RunCentroids centroids = run.centroids();
    Map<String, Integer> leafRow = new HashMap<>();
    for (int i = 0; i < centroids.ids().size(); i++) {
      leafRow.put(centroids.ids().get(i), i);
    }
    List<StoredCluster> clusters = new ArrayList<>(run.clusters().size());
    for (RunCluster c : run.clusters()) {
      Integer row = leafRow.get(c.id());
      clusters.add(new StoredCluster(c.id(), c.parent(), c.depth(), c.size(), c.label(), c.description(), c.keywords(),
          c.examples(), c.labelSource(), c.users(), c.conversations(), c.redacted(),
          row == null ? Optional.empty() : Optional.of(centroids.vectors()[row]),
          row == null ? OptionalDouble.empty() : OptionalDouble.of(centroids.thresholds()[row])));
    }
    StoredRun stored = new StoredRun(
        runId, kind, createdAt, runJson.path("input_hash").asText(), runJson.path("seed").asLong(),
        centroids.model(), centroids.dimension(), runJson.path("parameters"), runJson.path("timings_ms"),
        run.assignments().size(), (int) run.noiseCount(), run.clusters().size(), (int) run.leafCount(),
        Optional.of(dir.toAbsolutePath().normalize().toString()), Optional.of(runJson));
    repository.save(tenant, stored, clusters);
  }
}
