package dev.parley.cli.commands;

import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.insights.Datasets;
import dev.parley.cli.insights.Env;
import dev.parley.cli.insights.SegmentationData;
import dev.parley.insights.segment.GapFeatures;
import dev.parley.insights.segment.GapScorer;
import dev.parley.insights.segment.SegmentationCalibrator;
import dev.parley.insights.segment.SegmentationModel;
import dev.parley.insights.segment.SegmentationModelJson;
import dev.parley.pipeline.PipelineComponents;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./parley calibrate segmentation}: fits the gap scorer (logistic regression on gap labels) and the
 * adaptive gate (CMA-ES on mean Pk) from labelled dialogues and writes the versioned calibration JSON.
 */
@Command(name = "segmentation", mixinStandardHelpOptions = true,
    description = {
        "Fit the segmentation calibration (gap scorer and adaptive gate) and write it as versioned JSON.",
        "The gap scorer is trained on --scorer-data, the gate fitted on --gate-data (mean Pk, averaged per dataset). Datasets: tiage:SPLIT, sgd:SPLIT (multi-service), sgd-splice:SPLIT (spliced SGD).",
        "Never fits on test splits; `parley eval segmentation` reports them."})
public final class CalibrateSegmentationCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", description = "Datasets folder (default PARLEY_DATA, else ../shared/data).")
  @Nullable Path data;

  @Option(names = "--scorer-data", split = ",", defaultValue = "tiage:train,sgd-splice:dev", paramLabel = "SPEC",
      description = "Datasets the gap scorer is trained on (default ${DEFAULT-VALUE}).")
  List<String> scorerData = new ArrayList<>();

  @Option(names = "--gate-data", split = ",", defaultValue = "tiage:dev,sgd-splice:dev", paramLabel = "SPEC",
      description = "Datasets the gate is fitted on (default ${DEFAULT-VALUE}).")
  List<String> gateData = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Calibration JSON to write.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path out;

  @Option(names = "--no-store", description = "Cache embeddings in memory only.")
  boolean noStore;

  @Override
  public Integer call() {
    for (String spec : scorerData) {
      rejectTest(spec);
    }
    for (String spec : gateData) {
      rejectTest(spec);
    }
    PrintWriter err = spec.commandLine().getErr();
    Path root = Datasets.root(Optional.ofNullable(data));
    try (PipelineComponents services = PipelineComponents.open(Pipelines.config(common, !noStore, Env.current()).build())) {
      var model = services.embeddings();
      List<SegmentationCalibrator.Labelled> scorerSet = new ArrayList<>();
      for (String s : scorerData) {
        scorerSet.addAll(SegmentationData.embed(s.split(":")[0], SegmentationData.load(root, s, common.seed()), model, err));
      }
      List<SegmentationCalibrator.Labelled> gateSet = new ArrayList<>();
      for (String s : gateData) {
        gateSet.addAll(SegmentationData.embed(s.split(":")[0], SegmentationData.load(root, s, common.seed()), model, err));
      }
      long start = System.nanoTime();
      SegmentationCalibrator calibrator = new SegmentationCalibrator(SegmentationCalibrator.Options.defaults(common.seed()));
      GapScorer scorer = calibrator.fitScorer(scorerSet);
      SegmentationCalibrator.GateFit gate = calibrator.fitGate(scorer, gateSet);
      String command = "./parley calibrate segmentation --scorer-data " + String.join(",", scorerData) + " --gate-data "
          + String.join(",", gateData) + " --seed " + common.seed() + " --embed " + common.embed() + " --out " + out;
      SegmentationModel fitted = new SegmentationModel(SegmentationModel.CURRENT_VERSION, GapFeatures.VERSION, model.id(), GapFeatures.names(),
          scorer, gate.gate(), new SegmentationModel.Provenance(scorerData, gateData, common.seed(), LocalDate.now(ZoneOffset.UTC).toString(),
              "mean Pk (per-dataset average)", gate.pkByDataset(), command));
      try {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(out, SegmentationModelJson.write(fitted));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + out, e);
      }
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf(Locale.ROOT, "fitted in %.1f s: gate floor=%.4f k=%.4f min_segment_turns=%d; fit-set mean Pk %s -> %s%n",
          (System.nanoTime() - start) / 1e9, gate.gate().floor(), gate.gate().k(), gate.gate().minSegmentTurns(), gate.pkByDataset(), out);
      stdout.flush();
    }
    return 0;
  }

  private static void rejectTest(String spec) {
    if (spec.endsWith(":test")) {
      throw new dev.parley.core.error.BadInputException("refusing to fit on a test split: " + spec);
    }
  }
}
