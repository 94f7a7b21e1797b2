package dev.parley.pipeline.assign;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.pipeline.RunCentroids;
import dev.parley.store.TenantId;
import dev.parley.store.runs.ClusterRunRepository;
import dev.parley.store.runs.StoredCluster;
import dev.parley.store.runs.StoredRun;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored runs made ready for online assignment, from the store alone, kept for the next request (a few runs,
 * least recently used first out). Every lookup is by tenant: one tenant never reaches another's run.
 */
public final class AssignableRuns {
  /** A re-saved run gets a new creation time or input hash, so a cached entry never outlives its run. */
  private record Key(TenantId tenant, String id, Instant createdAt, String inputHash) {}

  private final ClusterRunRepository runs;
  private final int capacity;
  private final Map<Key, AssignableRun> cache;

  public AssignableRuns(ClusterRunRepository runs, int capacity) {
    this.runs = requireNonNull(runs, "runs is null");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.cache = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * The tenant's run {@code id}.
   *
   * @throws RunUnavailableException when the tenant has no run of that id, or it has no stored centroids
   */
  public AssignableRun load(TenantId tenant, String id) {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(id, "id is null");
    StoredRun run = runs.find(tenant, id).orElseThrow(() -> new RunUnavailableException(RunUnavailableException.Reason.NOT_FOUND,
        "no run '" + id + "' for this tenant"));
    Key key = new Key(tenant, run.id(), run.createdAt(), run.inputHash());
    synchronized (cache) {
      AssignableRun hit = cache.get(key);
      if (hit != null) {
        return hit;
      }
    }
    AssignableRun loaded = fromStore(run, RunTree.of(runs.clusters(tenant, id)));
    synchronized (cache) {
      cache.put(key, loaded);
      while (cache.size() > capacity) {
        cache.remove(cache.keySet().iterator().next());
      }
    }
    return loaded;
  }

  static AssignableRun fromStore(StoredRun run, RunTree tree) {
    List<StoredCluster> leaves = tree.leaves();
    float[][] vectors = new float[leaves.size()][];
    double[] thresholds = new double[leaves.size()];
    boolean allThresholds = true;
    for (int i = 0; i < vectors.length; i++) {
      StoredCluster leaf = leaves.get(i);
      if (leaf.centroid().isEmpty() || leaf.centroid().get().length != run.dimension()) {
        throw new RunUnavailableException(RunUnavailableException.Reason.NO_CENTROIDS, "run '" + run.id() + "' cannot assign: leaf "
            + leaf.id() + " has no stored centroid of dimension " + run.dimension() + "; re-run ./parley cluster or analyze");
      }
      vectors[i] = leaf.centroid().get();
      allThresholds &= leaf.admissionThreshold().isPresent();
    }
    for (int i = 0; i < thresholds.length; i++) {
      // Without a threshold (runs stored before V6) no text is noise: cosine is never below -1.
      thresholds[i] = allThresholds ? leaves.get(i).admissionThreshold().getAsDouble() : -1;
    }
    RunCentroids centroids = new RunCentroids(leaves.stream().map(StoredCluster::id).toList(), run.dimension(), run.embeddingModel(),
        vectors, thresholds);
    Map<String, String> labels = new HashMap<>();
    Map<String, Integer> sizes = new HashMap<>();
    tree.clusters().forEach(c -> {
      labels.put(c.id(), c.label());
      sizes.put(c.id(), c.size());
    });
    return new AssignableRun(run.id(), centroids, allThresholds && !leaves.isEmpty(), tree.paths(), labels, sizes);
  }
}
