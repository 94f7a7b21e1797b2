package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.insights.Datasets;
import dev.parley.cli.insights.Env;
import dev.parley.core.conversation.TextItem;
import dev.parley.core.conversation.TextItemCodec;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.hierarchy.HierarchicalClusterer;
import dev.parley.insights.hierarchy.HierarchyParams;
import dev.parley.insights.hierarchy.HierarchyResult;
import dev.parley.insights.kmeans.KMeansModel;
import dev.parley.insights.kmeans.KMeansOptions;
import dev.parley.insights.kmeans.KMeansTrainer;
import dev.parley.insights.metrics.ClusteringMetrics;
import dev.parley.insights.vector.VectorizationProvider;
import dev.parley.pipeline.PipelineComponents;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code ./parley eval clustering}: leaf-level ACC / NMI / ARI of the hierarchical clusterer on a
 * labelled intent set, with noise counted as its own cluster and also excluded (noise share stated),
 * beside k-means with k = the number of true labels on the same embeddings in the same run.
 */
@Command(name = "clustering", mixinStandardHelpOptions = true,
    description = {"Leaf-level ACC / NMI / ARI of the hierarchical clustering on a labelled intent set,",
        "beside k-means (k = number of labels) on the same embeddings in the same run."})
public final class EvalClusteringCommand implements Callable<Integer> {
  private static final String BANKING77 = "banking77";
  private static final String DEFAULT_SPLIT = "test";

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--dataset", defaultValue = BANKING77, paramLabel = "NAME|FILE",
      description = "banking77, bitext, or a labelled file: .jsonl text items {\"id\",\"text\",\"label\"} or .csv with text,label columns (default ${DEFAULT-VALUE}).")
  String dataset = BANKING77;

  @Option(names = "--split", defaultValue = DEFAULT_SPLIT, paramLabel = "train|test",
      description = "Split of banking77 (default ${DEFAULT-VALUE}; parameters were tuned on train only).")
  String split = DEFAULT_SPLIT;

  @Option(names = {"--data-dir", "--data"}, paramLabel = "DIR",
      description = "Datasets folder (default ../shared/data beside the repository, else PARLEY_DATA).")
  @Nullable Path dataDir;

  @Option(names = "--params", paramLabel = "FILE", description = "HierarchyParams as JSON (default: the built-in schedule).")
  @Nullable Path paramsFile;

  @Option(names = "--kmeans-restarts", defaultValue = "5", paramLabel = "N", description = "k-means++ restarts of the baseline (default ${DEFAULT-VALUE}).")
  int restarts;

  @Option(names = "--no-store", description = "Cache embeddings in memory only (no embedded PostgreSQL).")
  boolean noStore;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Datasets.Row> rows = load();
    if (rows.size() < 10) {
      throw new BadInputException("dataset " + dataset + " has " + rows.size() + " labelled rows; need at least 10");
    }
    HierarchyParams params = params();
    Map<String, Integer> ids = new HashMap<>();
    int[] truth = rows.stream().mapToInt(r -> ids.computeIfAbsent(r.label(), k -> ids.size())).toArray();
    List<String> texts = rows.stream().map(Datasets.Row::text).toList();
    float[][] vectors;
    long embedStart = System.nanoTime();
    String modelId;
    try (PipelineComponents services = PipelineComponents.open(Pipelines.config(common, !noStore, Env.current()).build())) {
      var embeddings = services.embeddings();
      modelId = embeddings.id();
      if (!json) {
        err.printf(Locale.ROOT, "embedding %d texts with %s (cached after the first run)...%n", texts.size(), modelId);
        err.flush();
      }
      vectors = embeddings.embed(texts);
    }
    double embedSeconds = (System.nanoTime() - embedStart) / 1e9;

    HierarchyResult result;
    KMeansModel km;
    double clusterSeconds;
    double kmSeconds;
    try (ComputePool pool = ComputePool.of(Runtime.getRuntime().availableProcessors())) {
      long clusterStart = System.nanoTime();
      result = new HierarchicalClusterer(VectorizationProvider.ops(), pool).fit(vectors, params, common.seed());
      clusterSeconds = (System.nanoTime() - clusterStart) / 1e9;
      long kmStart = System.nanoTime();
      km = new KMeansTrainer(KMeansOptions.of(ids.size()).withRestarts(restarts), VectorizationProvider.ops(), pool)
          .fit(vectors, common.seed());
      kmSeconds = (System.nanoTime() - kmStart) / 1e9;
    }
    ClusterTree tree = result.tree();
    int[] leaf = tree.pointLeaf();
    ClusteringMetrics.Scores withNoise = ClusteringMetrics.score(truth, leaf);
    int[][] kept = ClusteringMetrics.withoutNoise(truth, leaf, ClusterTree.NOISE);
    ClusteringMetrics.Scores excluded = ClusteringMetrics.score(kept[0], kept[1]);
    ClusteringMetrics.Scores kmeans = ClusteringMetrics.score(truth, km.assignments());

    ObjectNode report = Json.object();
    report.put("dataset", dataset);
    report.put("split", isBanking() ? split : "");
    report.put("texts", texts.size());
    report.put("labels", ids.size());
    report.put("embedding_model", modelId);
    report.put("seed", common.seed());
    report.put("embed_seconds", embedSeconds);
    report.put("cluster_seconds", clusterSeconds);
    report.put("kmeans_seconds", kmSeconds);
    report.put("roots", tree.roots().size());
    report.put("leaves", tree.leaves().size());
    report.put("nodes", tree.nodes().size());
    report.put("max_depth", tree.nodes().stream().mapToInt(ClusterTree.Node::depth).max().orElse(0));
    report.put("noise_share", tree.noiseShare());
    report.set("leaf_with_noise", scores(withNoise));
    report.set("leaf_noise_excluded", scores(excluded));
    report.set("kmeans", scores(kmeans));
    report.set("params", Json.mapper().valueToTree(params));
    if (json) {
      out.println(report.toPrettyString());
      return 0;
    }
    out.printf(Locale.ROOT, "dataset %s%s: %d texts, %d labels, %s, seed %d%n", dataset, isBanking() ? " (" + split + ")" : "",
        texts.size(), ids.size(), modelId, common.seed());
    out.printf(Locale.ROOT, "hierarchy: %d top-level, %d leaves, %d nodes, depth %d; noise %.1f %%; clustered in %.1f s (embedding %.1f s)%n",
        tree.roots().size(), tree.leaves().size(), tree.nodes().size(), report.get("max_depth").asInt() + 1,
        100 * tree.noiseShare(), clusterSeconds, embedSeconds);
    out.println("| method | clusters | ACC | NMI | ARI |");
    out.println("|---|---:|---:|---:|---:|");
    row(out, "Parley leaves, noise as one cluster", tree.leaves().size(), withNoise);
    row(out, String.format(Locale.ROOT, "Parley leaves, noise excluded (%.1f %% noise)", 100 * tree.noiseShare()), tree.leaves().size(), excluded);
    row(out, "k-means, k = " + ids.size() + " (same embeddings)", ids.size(), kmeans);
    return 0;
  }

  private static void row(PrintWriter out, String name, int clusters, ClusteringMetrics.Scores s) {
    out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", name, clusters, 100 * s.acc(), 100 * s.nmi(), 100 * s.ari());
  }

  private static ObjectNode scores(ClusteringMetrics.Scores s) {
    ObjectNode o = Json.object();
    o.put("acc", s.acc());
    o.put("nmi", s.nmi());
    o.put("ari", s.ari());
    o.put("points", s.n());
    o.put("clusters", s.clusters());
    return o;
  }

  private boolean isBanking() {
    return dataset.equals(BANKING77);
  }

  private Path dataRoot() {
    if (dataDir != null) {
      return dataDir;
    }
    String root = System.getProperty("parley.root");
    if (root != null && System.getenv("PARLEY_DATA") == null) {
      return Path.of(root).resolve("..").resolve("shared").resolve("data").normalize();
    }
    return Datasets.root(Optional.empty());
  }

  private List<Datasets.Row> load() {
    if (isBanking()) {
      if (!split.equals("train") && !split.equals("test")) {
        throw new BadInputException("--split must be train or test, found " + split);
      }
      return Datasets.banking77(dataRoot(), split);
    }
    if (dataset.equals("bitext")) {
      return Datasets.bitext(dataRoot());
    }
    Path file = Path.of(dataset);
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("--dataset must be banking77, bitext or a .jsonl/.csv file, found " + dataset);
    }
    if (dataset.endsWith(".csv")) {
      return csvRows(file);
    }
    List<Datasets.Row> rows = new ArrayList<>();
    TextItemCodec codec = new TextItemCodec();
    try {
      int lineNo = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        TextItem item;
        try {
          item = codec.parse(line);
        } catch (RuntimeException e) {
          throw new BadInputException(file + ":" + lineNo + ": " + e.getMessage());
        }
        String label = item.label().orElseThrow(() -> new BadInputException(file + ": every item needs a label for evaluation"));
        rows.add(new Datasets.Row(item.text(), label));
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage());
    }
    return rows;
  }

  /** RFC 4180 CSV with a header naming {@code text} and {@code label} (or {@code category}) columns. */
  static List<Datasets.Row> csvRows(Path file) {
    List<List<String>> records = Datasets.parseCsv(Datasets.readText(file), false);
    if (records.isEmpty()) {
      throw new BadInputException(file + ": empty CSV");
    }
    List<String> header = records.get(0).stream().map(h -> h.strip().replace("\uFEFF", "")).toList();
    int text = header.indexOf("text");
    int label = header.indexOf("label") >= 0 ? header.indexOf("label") : header.indexOf("category");
    if (text < 0 || label < 0) {
      throw new BadInputException(file + ": header must name text and label columns, found " + header);
    }
    List<Datasets.Row> rows = new ArrayList<>();
    for (int r = 1; r < records.size(); r++) {
      List<String> f = records.get(r);
      if (f.size() > Math.max(text, label) && !f.get(text).isBlank()) {
        rows.add(new Datasets.Row(f.get(text), f.get(label)));
      }
    }
    return rows;
  }

  private HierarchyParams params() {
    return dev.parley.pipeline.config.HierarchyParamsFile.readOrDefaults(Optional.ofNullable(paramsFile));
  }
}
