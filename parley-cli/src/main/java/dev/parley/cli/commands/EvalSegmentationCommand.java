package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.insights.Datasets;
import dev.parley.cli.insights.Env;
import dev.parley.cli.insights.SegmentationData;
import dev.parley.core.json.Json;
import dev.parley.insights.eval.SegmentationMetrics;
import dev.parley.insights.segment.Segmentation;
import dev.parley.insights.segment.SegmentationCalibrator;
import dev.parley.insights.segment.SegmentationModel;
import dev.parley.insights.segment.TextTilingSegmenter;
import dev.parley.insights.segment.TopicSegmenter;
import dev.parley.insights.segment.Turn;
import dev.parley.pipeline.PipelineComponents;
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
 * {@code ./parley eval segmentation}: mean Pk and WindowDiff of the calibrated segmenter, the lexical
 * TextTiling baseline and the no-boundary reference, on the same dialogues in the same run.
 */
@Command(name = "segmentation", mixinStandardHelpOptions = true,
    description = "Pk / WindowDiff on TIAGE, SGD multi-service and spliced-SGD dialogues, with baselines computed in the same run.")
public final class EvalSegmentationCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", description = "Datasets folder (default PARLEY_DATA, else ../shared/data).")
  @Nullable Path data;

  @Option(names = "--datasets", split = ",", defaultValue = "tiage:test,sgd:test,sgd-splice:test", paramLabel = "SPEC",
      description = "Datasets to report (default ${DEFAULT-VALUE}).")
  List<String> datasets = new ArrayList<>();

  @Option(names = "--calibration", paramLabel = "FILE", description = "Calibration JSON (default: the shipped one).")
  @Nullable Path calibration;

  @Option(names = "--no-store", description = "Cache embeddings in memory only.")
  boolean noStore;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Path root = Datasets.root(Optional.ofNullable(data));
    SegmentationModel model = SegmentCommand.load(Optional.ofNullable(calibration));
    ArrayNode rows = Json.mapper().createArrayNode();
    try (PipelineComponents services = PipelineComponents.open(Pipelines.config(common, !noStore, Env.current()).build())) {
      var embeddings = services.embeddings();
      for (String spec : datasets) {
        List<Datasets.LabelledDialogue> dialogues = SegmentationData.load(root, spec, common.seed());
        long embedStart = System.nanoTime();
        List<SegmentationCalibrator.Labelled> labelled = SegmentationData.embed(spec, dialogues, embeddings, err);
        long embedMillis = (System.nanoTime() - embedStart) / 1_000_000;
        long segmentStart = System.nanoTime();
        ObjectNode parley = score(labelled, c -> TopicSegmenter.segment("x", c.turns(), c.turnVectors(), c.pairVectors(), model));
        long segmentMillis = (System.nanoTime() - segmentStart) / 1_000_000;
        TextTilingSegmenter tiling = new TextTilingSegmenter(2);
        ObjectNode textTiling = score(labelled, c -> Segmentation.of("x", c.turns(), tiling.boundaries(c.turns().stream().map(Turn::text).toList()), new double[0]));
        ObjectNode none = score(labelled, c -> Segmentation.of("x", c.turns(), List.of(), new double[0]));
        ObjectNode row = Json.object();
        row.put("dataset", spec);
        row.put("dialogues", dialogues.size());
        row.set("parley", parley);
        row.set("texttiling", textTiling);
        row.set("no_boundaries", none);
        row.put("embed_ms", embedMillis);
        row.put("segment_ms", segmentMillis);
        rows.add(row);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(rows));
    } else {
      out.println("| dataset | dialogues | Parley Pk | Parley WD | TextTiling Pk | TextTiling WD | no-boundary Pk | mean segments (ref / Parley) |");
      out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
      for (var r : rows) {
        out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f / %.2f |%n", r.get("dataset").asText(), r.get("dialogues").asInt(),
            r.get("parley").get("pk").asDouble(), r.get("parley").get("wd").asDouble(), r.get("texttiling").get("pk").asDouble(),
            r.get("texttiling").get("wd").asDouble(), r.get("no_boundaries").get("pk").asDouble(),
            r.get("parley").get("reference_segments").asDouble(), r.get("parley").get("segments").asDouble());
      }
      out.println("calibration: " + model.embeddingModel() + ", fitted " + model.provenance().fittedAt() + " on " + model.provenance().scorerData()
          + " / gate " + model.provenance().gateData());
    }
    out.flush();
    return 0;
  }

  private static ObjectNode score(List<SegmentationCalibrator.Labelled> data, Function<SegmentationCalibrator.Labelled, Segmentation> segmenter) {
    double pk = 0;
    double wd = 0;
    double segments = 0;
    double reference = 0;
    int n = 0;
    for (SegmentationCalibrator.Labelled c : data) {
      if (!SegmentationMetrics.measurable(c.referenceMasses())) {
        continue;
      }
      Segmentation s = segmenter.apply(c);
      var scores = SegmentationMetrics.score(c.referenceMasses(), s.masses());
      pk += scores.pk();
      wd += scores.windowDiff();
      segments += s.segments().size();
      reference += c.referenceMasses().length;
      n++;
    }
    ObjectNode node = Json.object();
    node.put("pk", pk / n);
    node.put("wd", wd / n);
    node.put("scored", n);
    node.put("segments", segments / n);
    node.put("reference_segments", reference / n);
    return node;
  }
}
