package dev.parley.server.insights;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.pipeline.RunCentroids;
import dev.parley.server.ApiError;
import dev.parley.store.TenantId;
import dev.parley.store.runs.ClusterRunRepository;
import dev.parley.store.runs.StoredCluster;
import dev.parley.store.runs.StoredRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored runs made ready for online assignment, kept for the next request (a few runs, least recently
 * used first out). The leaf centroids come from the run folder recorded with the run when it is there and
 * matches the stored run, because only the folder holds each leaf's admission threshold (so texts can be
 * noise, exactly as {@code ./parley assign} decides); else from the store, where every text goes to its
 * nearest leaf. A run with neither is a 409.
 */
final class AssignableRuns {
  private static final Logger LOG = LoggerFactory.getLogger(AssignableRuns.class);

  /** Where a run's centroids were read from. */
  enum Source {
    RUN_FOLDER("run_folder"),
    STORE("store");

    private final String wireName;

    Source(String wireName) {
      this.wireName = wireName;
    }

    String wireName() {
      return wireName;
    }
  }

  /**
   * @param noiseThresholds true when each leaf has its admission threshold (a text below it is noise)
   */
  record Loaded(StoredRun run, RunTree tree, RunCentroids centroids, Source source, boolean noiseThresholds) {
    Loaded {
      requireNonNull(run, "run is null");
      requireNonNull(tree, "tree is null");
      requireNonNull(centroids, "centroids is null");
      requireNonNull(source, "source is null");
    }
  }

  /** A re-saved run gets a new creation time or input hash, so a cached entry never outlives its run. */
  private record Key(TenantId tenant, String id, Instant createdAt, String inputHash) {}

  private final ClusterRunRepository runs;
  private final int capacity;
  private final Map<Key, Loaded> cache;

  AssignableRuns(ClusterRunRepository runs, int capacity) {
    this.runs = requireNonNull(runs, "runs is null");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.cache = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The tenant's run {@code id}: 404 when the tenant has none of that id, 409 without centroids. */
  Loaded load(TenantId tenant, String id) {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(id, "id is null");
    StoredRun run = runs.find(tenant, id).orElseThrow(() -> RunsController.runNotFound(id));
    Key key = new Key(tenant, run.id(), run.createdAt(), run.inputHash());
    synchronized (cache) {
      Loaded hit = cache.get(key);
      if (hit != null) {
        return hit;
      }
    }
    RunTree tree = RunTree.of(runs.clusters(tenant, id));
    List<String> leafIds = tree.leaves().stream().map(StoredCluster::id).toList();
    Loaded loaded = fromFolder(run, tree, leafIds)
        .or(() -> fromStore(run, tree))
        .orElseThrow(() -> new ApiError(409, "centroids_unavailable", "run '" + id + "' cannot assign: its leaf centroids are neither"
            + " in the store nor in a readable run folder on the server (see the server log); re-run ./parley cluster or analyze"));
    synchronized (cache) {
      cache.put(key, loaded);
      while (cache.size() > capacity) {
        cache.remove(cache.keySet().iterator().next());
      }
    }
    return loaded;
  }

  private static Optional<Loaded> fromFolder(StoredRun run, RunTree tree, List<String> leafIds) {
    if (run.outputDir().isEmpty()) {
      return Optional.empty();
    }
    Path dir = Path.of(run.outputDir().get());
    return switch (RunFolderCentroids.read(dir)) {
      case RunFolderCentroids.Unavailable u -> {
        LOG.info("run {}: centroids not read from its folder ({}); using the store's", run.id(), u.reason());
        yield Optional.empty();
      }
      case RunFolderCentroids.Found f -> {
        RunCentroids c = f.centroids();
        // The folder may have been overwritten by a later run or copied from elsewhere: use it only when it
        // is this run's.
        if (!c.model().equals(run.embeddingModel()) || c.dimension() != run.dimension()
            || !new HashSet<>(c.ids()).equals(Set.copyOf(leafIds))) {
          LOG.warn("run {}: the centroids in {} do not match the stored run (model {} vs {}, {} vs {} leaves); using the store's",
              run.id(), dir, c.model(), run.embeddingModel(), c.ids().size(), leafIds.size());
          yield Optional.empty();
        }
        yield Optional.of(new Loaded(run, tree, c, Source.RUN_FOLDER, f.thresholds()));
      }
    };
  }

  private static Optional<Loaded> fromStore(StoredRun run, RunTree tree) {
    List<StoredCluster> leaves = tree.leaves();
    float[][] vectors = new float[leaves.size()][];
    for (int i = 0; i < vectors.length; i++) {
      Optional<float[]> centroid = leaves.get(i).centroid();
      if (centroid.isEmpty() || centroid.get().length != run.dimension()) {
        LOG.warn("run {}: leaf {} has no stored centroid of dimension {}", run.id(), leaves.get(i).id(), run.dimension());
        return Optional.empty();
      }
      vectors[i] = centroid.get();
    }
    double[] admitAll = new double[leaves.size()];
    java.util.Arrays.fill(admitAll, -1);
    RunCentroids centroids = new RunCentroids(leaves.stream().map(StoredCluster::id).toList(), run.dimension(), run.embeddingModel(),
        vectors, admitAll);
    return Optional.of(new Loaded(run, tree, centroids, Source.STORE, false));
  }
}
