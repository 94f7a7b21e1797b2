package dev.parley.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.parley.cli.CommonOptions;
import dev.parley.core.embedding.CachingEmbeddingModel;
import dev.parley.core.embedding.EmbeddingCache;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.embedding.InMemoryEmbeddingCache;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.llm.embed.LocalEmbeddingModels;
import dev.parley.llm.embed.LocalModelSpec;
import dev.parley.llm.embed.OnnxEmbeddingModel;
import dev.parley.llm.embed.Vectors;
import dev.parley.store.Database;
import dev.parley.store.PgEmbeddingCache;
import dev.parley.store.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./parley bench embed}: in-process embedding throughput, Parley's ONNX layout against
 * LangChain4j's own {@code embedAll} on the same model files, measured in the same run, interleaved
 * round by round so machine load hits both alike; then the cache: a second pass embeds nothing.
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
        "Embedding throughput: LangChain4j's embedAll (baseline) vs Parley's ONNX embedder on the same models and texts,",
        "then a second pass through the embedding cache (in memory, and PostgreSQL in a throwaway embedded store),",
        "which must embed nothing."})
public final class BenchEmbedCommand implements Callable<Integer> {
  private static final String DEFAULT_MODEL = "both";

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--texts", paramLabel = "N", defaultValue = "2000", description = "Texts to embed (default ${DEFAULT-VALUE}).")
  int texts;

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = DEFAULT_MODEL,
      description = "local (bge-small-en-v1.5-q), local:minilm or both (default ${DEFAULT-VALUE}).")
  String model = DEFAULT_MODEL;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
      description = "Timed rounds per implementation, interleaved; the median is reported (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "16",
      description = "Also time Parley's batched mode with batches of B texts; 0 to skip (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--data", paramLabel = "FILE",
      description = "Texts: a CSV file with a 'text' column, or JSON Lines with a \"text\" field"
          + " (default: banking77 test.csv then train.csv from the shared data folder).")
  @Nullable Path data;

  @Option(names = "--no-store", description = "Skip the PostgreSQL embedding-cache pass (it starts an embedded PostgreSQL).")
  boolean noStore;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  /** One implementation's timings on one model. */
  record Timing(String impl, String threads, double[] textsPerSecond, double cpuCores, double textsPerCpuSecond,
      double minCosine, double meanCosine) {
    double median() {
      double[] sorted = textsPerSecond.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
  }

  record ModelRun(String model, List<Timing> timings) {}

  record CachePass(String cache, String model, int texts, long pass1Embedded, double pass1Seconds, long pass2Embedded,
      long pass2Hits, double pass2Seconds) {}

  @Override
  public Integer call() {
    if (texts < 1 || texts > 1_000_000) {
      throw new BadInputException("--texts must be in [1, 1000000], was " + texts);
    }
    if (rounds < 1 || rounds > 50) {
      throw new BadInputException("--rounds must be in [1, 50], was " + rounds);
    }
    if (batchSize < 0 || batchSize > 256) {
      throw new BadInputException("--batch-size must be in [0, 256], was " + batchSize);
    }
    List<LocalModelSpec> specs = switch (model.trim().toLowerCase(Locale.ROOT)) {
      case "local", "local:bge" -> List.of(LocalModelSpec.BGE_SMALL_EN_V15_Q);
      case "local:minilm" -> List.of(LocalModelSpec.ALL_MINILM_L6_V2_Q);
      case "both" -> List.of(LocalModelSpec.BGE_SMALL_EN_V15_Q, LocalModelSpec.ALL_MINILM_L6_V2_Q);
      default -> throw new BadInputException("--model must be local, local:minilm or both, was '" + model + "'");
    };
    Source source = loadTexts();
    List<String> input = source.texts();
    int cores = Runtime.getRuntime().availableProcessors();

    List<ModelRun> runs = new ArrayList<>();
    List<CachePass> cachePasses = new ArrayList<>();
    for (LocalModelSpec s : specs) {
      OnnxEmbeddingModel ours = s.equals(LocalModelSpec.BGE_SMALL_EN_V15_Q) ? LocalEmbeddingModels.bgeSmall() : LocalEmbeddingModels.miniLm();
      runs.add(time(s, ours, input));
      cachePasses.add(cachePass("InMemoryEmbeddingCache", ours, new InMemoryEmbeddingCache(), input));
    }
    if (!noStore) {
      cachePasses.addAll(pgCachePasses(specs, input));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(toJson(source, cores, runs, cachePasses)));
    } else {
      printTable(out, source, cores, runs, cachePasses);
    }
    out.flush();
    return 0;
  }

  // ---- timing ----

  private ModelRun time(LocalModelSpec s, OnnxEmbeddingModel ours, List<String> input) {
    dev.langchain4j.model.embedding.EmbeddingModel baseline = s.equals(LocalModelSpec.BGE_SMALL_EN_V15_Q)
        ? new BgeSmallEnV15QuantizedEmbeddingModel() : new AllMiniLmL6V2QuantizedEmbeddingModel();
    List<TextSegment> segments = input.stream().map(TextSegment::from).toList();
    int cores = Runtime.getRuntime().availableProcessors();
    record Impl(String name, String threads, Supplier<float[][]> run) {}
    List<Impl> impls = new ArrayList<>();
    impls.add(new Impl("LangChain4j embedAll", cores + " callers, 1 shared session (default intra-op pool)",
        () -> baseline.embedAll(segments).content().stream().map(Embedding::vector).toArray(float[][]::new)));
    impls.add(new Impl("Parley exact (default)", ours.options().workers() + " workers x 1 intra-op thread, 1 text/run",
        () -> ours.embed(input)));
    OnnxEmbeddingModel batched = batchSize > 0
        ? OnnxEmbeddingModel.load(s, OnnxEmbeddingModel.Options.batched(batchSize)) : null;
    try {
      if (batched != null) {
        impls.add(new Impl("Parley batched (" + batchSize + ")", batched.options().workers() + " workers x 1 intra-op thread, "
            + batchSize + " texts/run", () -> batched.embed(input)));
      }
      // Warm-up: loads native code, JIT-compiles the Java side, lets ONNX Runtime allocate its arenas.
      List<String> warm = input.subList(0, Math.min(64, input.size()));
      baseline.embedAll(warm.stream().map(TextSegment::from).toList());
      ours.embed(warm);
      if (batched != null) {
        batched.embed(warm);
      }
      double[][] tps = new double[impls.size()][rounds];
      double[] cpu = new double[impls.size()];
      double[] wall = new double[impls.size()];
      float[][][] last = new float[impls.size()][][];
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < impls.size(); i++) {
          long cpu0 = processCpuNanos();
          long t0 = System.nanoTime();
          last[i] = impls.get(i).run().get();
          long elapsed = System.nanoTime() - t0;
          cpu[i] += processCpuNanos() - cpu0;
          wall[i] += elapsed;
          tps[i][r] = input.size() / (elapsed / 1e9);
        }
      }
      List<Timing> timings = new ArrayList<>();
      for (int i = 0; i < impls.size(); i++) {
        double min = 1;
        double sum = 0;
        for (int t = 0; t < input.size(); t++) {
          double c = Vectors.cosine(last[i][t], last[0][t]);
          min = Math.min(min, c);
          sum += c;
        }
        double perCpuSecond = cpu[i] > 0 ? (double) rounds * input.size() / (cpu[i] / 1e9) : Double.NaN;
        timings.add(new Timing(impls.get(i).name(), impls.get(i).threads(), tps[i], cpu[i] / wall[i], perCpuSecond, min,
            sum / input.size()));
      }
      return new ModelRun(s.id(), timings);
    } finally {
      if (batched != null) {
        batched.close();
      }
    }
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  // ---- cache ----

  private static CachePass cachePass(String cacheName, EmbeddingModel model, EmbeddingCache cache, List<String> input) {
    CachingEmbeddingModel cached = new CachingEmbeddingModel(model, cache);
    long t0 = System.nanoTime();
    cached.embed(input);
    long t1 = System.nanoTime();
    CachingEmbeddingModel.Stats afterFirst = cached.stats();
    cached.embed(input);
    long t2 = System.nanoTime();
    CachingEmbeddingModel.Stats afterSecond = cached.stats();
    return new CachePass(cacheName, model.id(), input.size(), afterFirst.embedded(), (t1 - t0) / 1e9,
        afterSecond.embedded() - afterFirst.embedded(), afterSecond.cacheHits() - afterFirst.cacheHits(), (t2 - t1) / 1e9);
  }

  /** A throwaway embedded PostgreSQL, so that the first pass is really cold and nothing is left behind. */
  private static List<CachePass> pgCachePasses(List<LocalModelSpec> specs, List<String> input) {
    Path home;
    try {
      home = Files.createTempDirectory("parley-bench-embed-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary store folder", e);
    }
    List<CachePass> passes = new ArrayList<>();
    try (Database db = Database.open(StoreConfig.embedded(home))) {
      PgEmbeddingCache cache = new PgEmbeddingCache(db.jdbi());
      for (LocalModelSpec s : specs) {
        EmbeddingModel ours = s.equals(LocalModelSpec.BGE_SMALL_EN_V15_Q) ? LocalEmbeddingModels.bgeSmall() : LocalEmbeddingModels.miniLm();
        passes.add(cachePass("PgEmbeddingCache", ours, cache, input));
      }
    } finally {
      deleteRecursively(home);
    }
    return passes;
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary folder is harmless.
    }
  }

  // ---- input ----

  record Source(String description, List<String> texts, int distinct) {}

  private Source loadTexts() {
    List<Path> files = data != null ? List.of(data) : defaultData();
    List<String> collected = new ArrayList<>();
    List<String> used = new ArrayList<>();
    for (Path file : files) {
      if (collected.size() >= texts) {
        break;
      }
      if (!Files.isRegularFile(file)) {
        throw new BadInputException("--data: " + file + " is not a readable file");
      }
      used.add(file.toAbsolutePath().normalize().toString());
      for (String text : read(file)) {
        // LangChain4j refuses blank texts; the baseline must see the same input.
        if (!text.isBlank()) {
          collected.add(text);
          if (collected.size() >= texts) {
            break;
          }
        }
      }
    }
    if (collected.size() < texts) {
      throw new BadInputException("--texts " + texts + " asks for more than the " + collected.size()
          + " non-blank texts in " + String.join(", ", used));
    }
    return new Source(String.join(" + ", used), List.copyOf(collected), new HashSet<>(collected).size());
  }

  private static List<Path> defaultData() {
    List<Path> roots = new ArrayList<>();
    Optional.ofNullable(System.getenv("PARLEY_DATA")).filter(s -> !s.isBlank()).map(Path::of).ifPresent(roots::add);
    Optional.ofNullable(System.getProperty("parley.root")).map(r -> Path.of(r).resolve("../shared/data")).ifPresent(roots::add);
    roots.add(Path.of("../shared/data"));
    roots.add(Path.of("/work/shared/data"));
    for (Path root : roots) {
      Path dir = root.resolve("banking77").normalize();
      if (Files.isRegularFile(dir.resolve("test.csv"))) {
        return List.of(dir.resolve("test.csv"), dir.resolve("train.csv"));
      }
    }
    throw new BadInputException("--data: no banking77 data found (looked in PARLEY_DATA and ../shared/data);"
        + " pass --data FILE (CSV with a 'text' column or JSON Lines with a \"text\" field)");
  }

  private static List<String> read(Path file) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInputException("--data: cannot read " + file + ": " + e.getMessage(), e);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      List<String> out = new ArrayList<>();
      int lineNo = 0;
      for (String line : content.split("\n", -1)) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = Json.parse(line);
        } catch (UncheckedIOException e) {
          throw new BadInputException(file + ":" + lineNo + ": not JSON");
        }
        if (!node.path("text").isTextual()) {
          throw new BadInputException(file + ":" + lineNo + ": no \"text\" string field");
        }
        out.add(node.get("text").asText());
      }
      return out;
    }
    List<List<String>> rows = Csv.parse(content);
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> header = rows.getFirst();
    int column = 0;
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).trim().equalsIgnoreCase("text")) {
        column = i;
      }
    }
    List<String> out = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      if (column < row.size()) {
        out.add(row.get(column));
      }
    }
    return out;
  }

  /** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks. */
  static final class Csv {
    private Csv() {}

    static List<List<String>> parse(String content) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean any = false;
      for (int i = 0; i < content.length(); i++) {
        char c = content.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < content.length() && content.charAt(i + 1) == '"') {
              field.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            field.append(c);
          }
          continue;
        }
        switch (c) {
          case '"' -> {
            quoted = true;
            any = true;
          }
          case ',' -> {
            row.add(field.toString());
            field.setLength(0);
            any = true;
          }
          case '\r' -> { }
          case '\n' -> {
            if (any || field.length() > 0) {
              row.add(field.toString());
              rows.add(row);
            }
            row = new ArrayList<>();
            field.setLength(0);
            any = false;
          }
          default -> {
            field.append(c);
            any = true;
          }
        }
      }
      if (any || field.length() > 0) {
        row.add(field.toString());
        rows.add(row);
      }
      return rows;
    }
  }

  // ---- output ----

  private void printTable(PrintWriter out, Source source, int cores, List<ModelRun> runs, List<CachePass> cachePasses) {
    out.printf(Locale.ROOT, "Embedding throughput: %d texts (%d distinct) from %s; %d cores; median of %d interleaved rounds%n",
        source.texts().size(), source.distinct(), source.description(), cores, rounds);
    out.println("(CPU cores: process CPU time / wall time while it ran; texts/CPU-s: texts per second of CPU time,"
        + " which holds up when other processes take cores)");
    for (ModelRun run : runs) {
      out.println();
      out.println(run.model());
      double base = run.timings().getFirst().median();
      double baseCpu = run.timings().getFirst().textsPerCpuSecond();
      out.printf(Locale.ROOT, "  %-24s %9s %7s %10s %11s %7s %22s  %s%n", "implementation", "texts/s", "ratio", "CPU cores",
          "texts/CPU-s", "ratio", "cosine vs LC4j min/mean", "threads");
      for (Timing t : run.timings()) {
        out.printf(Locale.ROOT, "  %-24s %9.1f %6.2fx %10.2f %11.1f %6.2fx %13.6f/%-8.6f  %s%n", t.impl(), t.median(),
            t.median() / base, t.cpuCores(), t.textsPerCpuSecond(), t.textsPerCpuSecond() / baseCpu, t.minCosine(),
            t.meanCosine(), t.threads());
        out.printf(Locale.ROOT, "  %-24s rounds: %s%n", "", roundsText(t.textsPerSecond()));
      }
    }
    out.println();
    out.println("Cache (CachingEmbeddingModel over Parley exact):");
    for (CachePass p : cachePasses) {
      out.printf(Locale.ROOT, "  %-22s %-26s pass 1: embedded %d of %d in %.2f s; pass 2: embedded %d, cache hits %d, in %.3f s%n",
          p.cache(), p.model(), p.pass1Embedded(), p.texts(), p.pass1Seconds(), p.pass2Embedded(), p.pass2Hits(), p.pass2Seconds());
    }
  }

  private static String roundsText(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v));
    }
    return sb.toString();
  }

  private ObjectNode toJson(Source source, int cores, List<ModelRun> runs, List<CachePass> cachePasses) {
    ObjectNode root = Json.object();
    root.put("texts", source.texts().size());
    root.put("distinct", source.distinct());
    root.put("data", source.description());
    root.put("cores", cores);
    root.put("rounds", rounds);
    ArrayNode models = root.putArray("models");
    for (ModelRun run : runs) {
      ObjectNode m = models.addObject();
      m.put("model", run.model());
      double base = run.timings().getFirst().median();
      ArrayNode impls = m.putArray("implementations");
      for (Timing t : run.timings()) {
        ObjectNode i = impls.addObject();
        i.put("implementation", t.impl());
        i.put("threads", t.threads());
        i.put("texts_per_second", round(t.median(), 1));
        i.put("ratio_vs_langchain4j", round(t.median() / base, 3));
        i.put("cpu_cores", round(t.cpuCores(), 2));
        i.put("texts_per_cpu_second", round(t.textsPerCpuSecond(), 1));
        i.put("min_cosine_vs_langchain4j", round(t.minCosine(), 6));
        i.put("mean_cosine_vs_langchain4j", round(t.meanCosine(), 6));
        ArrayNode perRound = i.putArray("rounds_texts_per_second");
        for (double v : t.textsPerSecond()) {
          perRound.add(round(v, 1));
        }
      }
    }
    ArrayNode caches = root.putArray("cache");
    for (CachePass p : cachePasses) {
      ObjectNode c = caches.addObject();
      c.put("cache", p.cache());
      c.put("model", p.model());
      c.put("texts", p.texts());
      c.put("pass1_embedded", p.pass1Embedded());
      c.put("pass1_seconds", round(p.pass1Seconds(), 3));
      c.put("pass2_embedded", p.pass2Embedded());
      c.put("pass2_hits", p.pass2Hits());
      c.put("pass2_seconds", round(p.pass2Seconds(), 3));
    }
    return root;
  }

  private static double round(double value, int places) {
    double scale = Math.pow(10, places);
    return Math.round(value * scale) / scale;
  }
}
