package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.insights.Datasets;
import dev.parley.cli.insights.Env;
import dev.parley.cli.runs.Progress;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.json.Json;
import dev.parley.insights.eval.ClassificationReport;
import dev.parley.insights.triage.LogisticTypeClassifier;
import dev.parley.insights.triage.Prediction;
import dev.parley.insights.triage.TypeClassifierTrainer;
import dev.parley.pipeline.PipelineComponents;
import dev.parley.pipeline.embed.Embedding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./parley eval triage}: stage-1 classification quality of the offline classifier, trained on a
 * training set (the classifier's own calibration slice is held out of it) and scored on a test set it never
 * saw: BANKING77 (train / test) and Bitext at both levels (category and intent; a seeded 80/20 split).
 */
@Command(name = "triage", mixinStandardHelpOptions = true,
    description = "Stage-1 accuracy, macro-F1 and accuracy per confidence level on BANKING77 and Bitext (category, intent).")
public final class EvalTriageCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", description = "Datasets folder (default PARLEY_DATA, else ../shared/data).")
  @Nullable Path data;

  @Option(names = "--datasets", split = ",", defaultValue = "banking77,bitext-category,bitext-intent", paramLabel = "NAME",
      description = "Datasets (default ${DEFAULT-VALUE}).")
  List<String> datasets = new ArrayList<>();

  @Option(names = "--no-store", description = "Cache embeddings in memory only.")
  boolean noStore;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Path root = Datasets.root(Optional.ofNullable(data));
    ArrayNode rows = Json.mapper().createArrayNode();
    try (PipelineComponents services = PipelineComponents.open(Pipelines.config(common, !noStore, Env.current()).build())) {
      EmbeddingModel model = services.embeddings();
      for (String name : datasets) {
        List<Datasets.Row> train;
        List<Datasets.Row> test;
        Function<Datasets.Row, String> label = Datasets.Row::label;
        switch (name) {
          case "banking77" -> {
            train = Datasets.banking77(root, "train");
            test = Datasets.banking77(root, "test");
          }
          case "bitext-intent", "bitext-category" -> {
            List<List<Datasets.Row>> split = Datasets.split(Datasets.bitext(root), 0.2, common.seed());
            train = split.get(0);
            test = split.get(1);
            if (name.equals("bitext-category")) {
              label = r -> r.label2().orElseThrow(); // every Bitext row has its category
            }
          }
          default -> throw new dev.parley.core.error.BadInputException("unknown dataset '" + name + "' (expected banking77, bitext-category or bitext-intent)");
        }
        rows.add(evaluate(name, train, test, label, model, err));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(rows));
    } else {
      out.println("| dataset | train / test | accuracy | macro-F1 | high: share / precision | medium: share / acc. | low: share / acc. | fit s | classify /s |");
      out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (var r : rows) {
        out.printf(Locale.ROOT, "| %s | %d / %d | %.4f | %.4f | %s | %s | %s | %.1f | %.0f |%n", r.get("dataset").asText(), r.get("train").asInt(),
            r.get("test").asInt(), r.get("accuracy").asDouble(), r.get("macro_f1").asDouble(), level(r, "high"), level(r, "medium"), level(r, "low"),
            r.get("fit_ms").asDouble() / 1000, r.get("classify_per_second").asDouble());
      }
    }
    out.flush();
    return 0;
  }

  private ObjectNode evaluate(String name, List<Datasets.Row> train, List<Datasets.Row> test, Function<Datasets.Row, String> label,
      EmbeddingModel model, PrintWriter err) {
    List<String> trainTexts = train.stream().map(Datasets.Row::text).toList();
    List<String> testTexts = test.stream().map(Datasets.Row::text).toList();
    err.printf(Locale.ROOT, "      %s: embedding %d + %d texts%n", name, trainTexts.size(), testTexts.size());
    float[][] trainVectors = Embedding.embedAll(model, trainTexts, Progress.notes(err));
    float[][] testVectors = Embedding.embedAll(model, testTexts, Progress.notes(err));
    long fitStart = System.nanoTime();
    LogisticTypeClassifier classifier = new TypeClassifierTrainer(TypeClassifierTrainer.Options.defaults(common.seed()))
        .fit(trainTexts, trainVectors, train.stream().map(label).toList());
    long fitMillis = (System.nanoTime() - fitStart) / 1_000_000;
    List<String> gold = new ArrayList<>();
    List<String> predicted = new ArrayList<>();
    List<String> levels = new ArrayList<>();
    long classifyStart = System.nanoTime();
    for (int i = 0; i < test.size(); i++) {
      Prediction p = classifier.predict(testVectors[i], testTexts.get(i));
      gold.add(label.apply(test.get(i)));
      predicted.add(p.type());
      levels.add(p.confidence().wireName());
    }
    double classifySeconds = (System.nanoTime() - classifyStart) / 1e9;
    ClassificationReport report = ClassificationReport.of(gold, predicted, levels);
    ObjectNode row = Json.object();
    row.put("dataset", name);
    row.put("train", train.size());
    row.put("test", test.size());
    row.put("classes", classifier.labels().size());
    row.put("accuracy", report.accuracy());
    row.put("macro_f1", report.macroF1());
    ObjectNode byLevel = row.putObject("by_confidence");
    report.byGroup().forEach((level, g) -> {
      ObjectNode o = byLevel.putObject(level);
      o.put("count", g.count());
      o.put("share", g.share());
      o.put("accuracy", g.accuracy());
    });
    row.put("fit_ms", fitMillis);
    row.put("classify_per_second", test.size() / Math.max(classifySeconds, 1e-9));
    ObjectNode training = row.putObject("training");
    training.put("held_out", classifier.report().heldOut());
    training.put("held_out_accuracy", classifier.report().heldOutAccuracy());
    training.put("l2", classifier.report().l2());
    training.put("temperature", classifier.temperature());
    training.put("threshold_high", classifier.thresholds().high());
    training.put("threshold_medium", classifier.thresholds().medium());
    return row;
  }

  private static String level(com.fasterxml.jackson.databind.JsonNode row, String level) {
    var node = row.get("by_confidence").get(level);
    return node == null ? "0 / -" : String.format(Locale.ROOT, "%.3f / %.4f", node.get("share").asDouble(), node.get("accuracy").asDouble());
  }
}
