package dev.parley.cli.insights;

import dev.parley.cli.runs.Progress;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.insights.segment.SegmentationCalibrator;
import dev.parley.insights.segment.TopicSegmenter;
import dev.parley.insights.segment.Turn;
import dev.parley.insights.segment.Turns;
import dev.parley.pipeline.embed.Embedding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Labelled dialogues with their turn and pair embeddings, for calibration and evaluation. */
public final class SegmentationData {
  private SegmentationData() {}

  /** Named dataset specs: {@code tiage:SPLIT}, {@code sgd:SPLIT} (multi-service), {@code sgd-splice:SPLIT}. */
  public static List<Datasets.LabelledDialogue> load(Path root, String spec, long seed) {
    String[] parts = spec.split(":", 2);
    String split = parts.length > 1 ? parts[1] : "test";
    return switch (parts[0]) {
      case "tiage" -> Datasets.tiage(root, split);
      case "sgd" -> Datasets.sgd(root, split, true);
      case "sgd-splice" -> Datasets.sgdSpliced(root, split, 200, split.equals("test") ? seed + 1 : seed);
      default -> throw new dev.parley.core.error.BadInputException("unknown segmentation dataset '" + parts[0] + "' (expected tiage, sgd or sgd-splice)");
    };
  }

  public static List<SegmentationCalibrator.Labelled> embed(String dataset, List<Datasets.LabelledDialogue> dialogues, EmbeddingModel model, PrintWriter err) {
    List<List<Turn>> turns = new ArrayList<>(dialogues.size());
    List<String> texts = new ArrayList<>();
    for (Datasets.LabelledDialogue d : dialogues) {
      List<Turn> t = Turns.of(d.messages());
      turns.add(t);
      texts.addAll(TopicSegmenter.unitTexts(t));
    }
    float[][] vectors = Embedding.embedAll(model, texts, Progress.notes(err));
    List<SegmentationCalibrator.Labelled> out = new ArrayList<>(dialogues.size());
    int offset = 0;
    for (int i = 0; i < dialogues.size(); i++) {
      int t = turns.get(i).size();
      out.add(new SegmentationCalibrator.Labelled(dataset, turns.get(i), Arrays.copyOfRange(vectors, offset, offset + t),
          Arrays.copyOfRange(vectors, offset + t, offset + 2 * t - 1), dialogues.get(i).masses()));
      offset += 2 * t - 1;
    }
    return out;
  }
}
