package dev.parley.bench.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.bench.cluster.ClusterBench;
import dev.parley.bench.cluster.HdbscanComparison;
import dev.parley.cli.CommonOptions;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.hierarchy.HierarchyParams;
import dev.parley.insights.vector.VectorizationProvider;
import dev.parley.pipeline.config.HierarchyParamsFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./parley bench cluster}: the clustering pipeline on a synthetic sphere mixture (seconds and
 * peak heap per stage, BIRCH points/s, ARI against the known labels), or with {@code --hdbscan} /
 * {@code --tribuo} Parley's HDBSCAN* alone on 5-D blobs, against Tribuo's in the same run.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = {"Clustering pipeline on synthetic data: time and peak heap per stage, BIRCH points/s, ARI vs known labels.",
        "With --tribuo (or --hdbscan): HDBSCAN* alone on low-dimensional blobs, Parley vs Tribuo in the same run."})
public final class BenchClusterCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--points", defaultValue = "100000", split = ",", paramLabel = "N[,N...]",
      description = "Points (several, comma-separated, show scaling) (default ${DEFAULT-VALUE}).")
  List<Integer> points = new ArrayList<>();

  @Option(names = "--dim", defaultValue = "384", paramLabel = "D", description = "Dimension (default ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--clusters", defaultValue = "100", paramLabel = "K", description = "True clusters (default ${DEFAULT-VALUE}).")
  int clusters;

  @Option(names = "--noise", defaultValue = "0.05", paramLabel = "SHARE", description = "Uniform noise share (default ${DEFAULT-VALUE}).")
  double noise;

  @Option(names = "--spread", defaultValue = "0.75", paramLabel = "S",
      description = "Cluster spread: noise norm relative to the centre, cosine to centre ~ 1/sqrt(1+S^2) (default ${DEFAULT-VALUE}).")
  double spread;

  @Option(names = "--params", paramLabel = "FILE", description = "HierarchyParams as JSON (default: the built-in schedule).")
  @Nullable Path paramsFile;

  @Option(names = "--hdbscan", description = "Benchmark HDBSCAN* alone on --dim-D blobs (min cluster size 50, min samples 10).")
  boolean hdbscanOnly;

  @Option(names = "--tribuo", description = "HDBSCAN* alone, with Tribuo's as the baseline in the same run (quadratic: keep --points <= 50000).")
  boolean tribuo;

  @Option(names = "--repeats", defaultValue = "5", paramLabel = "N", description = "Timed repeats of Parley's HDBSCAN* (median) (default ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (int n : points) {
      if (n < 100) {
        throw new BadInputException("--points must be >= 100, found " + n);
      }
    }
    if (dim < 2) {
      throw new BadInputException("--dim must be >= 2, found " + dim);
    }
    if (!json) {
      out.printf(Locale.ROOT, "machine: %d cores, max heap %.1f GB, Java %s, vector kernels: %s%n",
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1e9, Runtime.version(),
          VectorizationProvider.ops().name());
    }
    if (tribuo || hdbscanOnly) {
      return hdbscan(out);
    }
    HierarchyParams params = params();
    var results = Json.mapper().createArrayNode();
    if (!json) {
      out.printf(Locale.ROOT, "synthetic: %d clusters on the unit sphere, spread %.2f, %.0f %% uniform noise, seed %d%n",
          clusters, spread, 100 * noise, common.seed());
      out.println("| points | dim | micro-clusters | BIRCH pts/s | birch s (gen s) | knn s* | umap s* | hdbscan s* | kmeans s* | hierarchy s | mapback s | total s | peak heap MB (birch / hierarchy / mapback) | leaves | noise | ARI | ARI (clustered) |");
      out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
      out.flush();
    }
    for (int n : points) {
      ClusterBench.Result r = ClusterBench.run(n, dim, clusters, noise, spread, common.seed(), params);
      Map<String, Double> s = r.stageSeconds();
      Map<String, Double> h = r.stagePeakHeapMb();
      if (json) {
        ObjectNode node = Json.mapper().valueToTree(r);
        results.add(node);
      } else {
        out.printf(Locale.ROOT, "| %d | %d | %d | %,.0f | %.1f (%.1f) | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f / %.0f / %.0f | %d | %.1f %% | %.3f | %.3f |%n",
            n, dim, r.microClusters(), r.birchPointsPerSecond(), s.get("birch"), r.generateSeconds(), s.get("knn"), s.get("umap"), s.get("hdbscan"),
            s.get("kmeans"), s.get("hierarchy"), s.get("mapback"), s.get("total"),
            h.getOrDefault("birch", 0.0), h.getOrDefault("hierarchy", 0.0), h.getOrDefault("mapback", 0.0),
            r.leaves(), 100 * r.noiseShare(), r.ariAll(), r.ariClustered());
        out.flush();
      }
    }
    if (json) {
      out.println(results.toPrettyString());
    } else {
      out.println("(* summed over the hierarchy's sub-problems, which run in parallel. BIRCH pts/s excludes generating the points,");
      out.println(" which happens inside the BIRCH pass: gen s = one parallel generation pass, measured apart. Peak heap = sum of");
      out.println(" heap pool peaks during the stage, garbage included: an upper bound.)");
    }
    return 0;
  }

  private int hdbscan(PrintWriter out) {
    var results = Json.mapper().createArrayNode();
    if (!json) {
      out.println("HDBSCAN* on " + dim + "-D blobs (20 blobs, 5 % uniform noise), min cluster size 50, min samples 10 (Tribuo's k, the point included)");
      out.println("| points | Parley s (median of " + repeats + ") | Tribuo s | speed-up | ARI Parley vs Tribuo | clusters | noise Parley / Tribuo |");
      out.println("|---:|---:|---:|---:|---:|---:|---:|");
      out.flush();
    }
    for (int n : points) {
      if (tribuo && n > 60_000) {
        throw new BadInputException("--tribuo is quadratic (30k points take ~40 s): keep --points <= 60000, found " + n);
      }
      HdbscanComparison.Result r = HdbscanComparison.run(n, dim, 20, 50, 10, tribuo, repeats, common.seed());
      if (json) {
        results.add(Json.mapper().valueToTree(r));
      } else {
        out.printf(Locale.ROOT, "| %d | %.3f | %s | %s | %s | %d | %d / %s |%n", n, r.parleySeconds(),
            tribuo ? String.format(Locale.ROOT, "%.2f", r.tribuoSeconds()) : "-",
            tribuo ? String.format(Locale.ROOT, "%.0fx", r.speedup()) : "-",
            tribuo ? String.format(Locale.ROOT, "%.4f", r.ariVsTribuo()) : "-",
            r.parleyClusters(), r.parleyNoise(), tribuo ? Integer.toString(r.tribuoNoise()) : "-");
        out.flush();
      }
    }
    if (json) {
      out.println(results.toPrettyString());
    }
    return 0;
  }

  private HierarchyParams params() {
    return HierarchyParamsFile.readOrDefaults(Optional.ofNullable(paramsFile));
  }
}
