package dev.parley.insights.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.llm.embed.LocalEmbeddingModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class SegmentationCalibratorTest {
  private static final String[][][] TOPICS = {
      {{"my card was declined at the supermarket", "I see a declined card payment, your card is blocked"},
          {"why was my card blocked", "it was blocked after three wrong PIN entries"}},
      {{"I want to book a flight to Rome", "which dates would you like to fly to Rome"},
          {"next Friday, returning Sunday", "I found a flight to Rome on Friday at 9 am"}},
      {{"what's the weather tomorrow in Oslo", "tomorrow in Oslo it will be cold and snowy"},
          {"will it rain on the weekend", "the weekend in Oslo looks dry but windy"}},
      {{"reset my password please", "I sent a password reset link to your email"},
          {"the reset link expired", "here is a new password reset link, valid for an hour"}}};

  /** Conversations chaining topics in different orders; each topic is one reference segment of 4 messages. */
  private static List<SegmentationCalibrator.Labelled> data(EmbeddingModel model) {
    int[][] orders = {{0, 1, 2}, {1, 3, 0}, {2, 0, 3}, {3, 2, 1}, {0, 3}, {1, 2}};
    List<SegmentationCalibrator.Labelled> out = new ArrayList<>();
    for (int[] order : orders) {
      List<Message> messages = new ArrayList<>();
      for (int topic : order) {
        for (String[] exchange : TOPICS[topic]) {
          messages.add(Message.of(Speaker.USER, exchange[0]));
          messages.add(Message.of(Speaker.ASSISTANT, exchange[1]));
        }
      }
      List<Turn> turns = Turns.of(messages);
      float[][] v = model.embed(TopicSegmenter.unitTexts(turns));
      int t = turns.size();
      int[] masses = new int[order.length];
      Arrays.fill(masses, 4);
      out.add(new SegmentationCalibrator.Labelled("toy", turns, Arrays.copyOfRange(v, 0, t), Arrays.copyOfRange(v, t, 2 * t - 1), masses));
    }
    return out;
  }

  @Test
  void fit_toyTopics_beatsNoBoundaryAndIsReproducible() {
    List<SegmentationCalibrator.Labelled> data = data(LocalEmbeddingModels.bgeSmall());
    var options = new SegmentationCalibrator.Options(1e-2, 2, 100, List.of(1, 2), 7);
    SegmentationCalibrator calibrator = new SegmentationCalibrator(options);
    GapScorer scorer = calibrator.fitScorer(data);
    SegmentationCalibrator.GateFit fit = calibrator.fitGate(scorer, data);
    List<double[]> p = data.stream().map(c -> TopicSegmenter.gapProbabilities(c.turns(), c.turnVectors(), c.pairVectors(), scorer)).toList();
    double none = SegmentationCalibrator.objective(new SegmentationGate(1.0, 0, 1), data, p).objective();
    assertThat(fit.objective()).isLessThan(none);
    assertThat(fit.pkByDataset()).containsOnlyKeys("toy");
    SegmentationCalibrator.GateFit again = new SegmentationCalibrator(options).fitGate(new SegmentationCalibrator(options).fitScorer(data), data);
    assertThat(again.gate()).isEqualTo(fit.gate());
  }

  @Test
  void gapLabels_positiveWhereAReferenceSegmentStarts() {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      messages.add(Message.of(i % 2 == 0 ? Speaker.USER : Speaker.ASSISTANT, "m" + i));
    }
    List<Turn> turns = Turns.of(messages);
    var c = new SegmentationCalibrator.Labelled("x", turns, new float[6][1], new float[5][1], new int[] {3, 3});
    assertThat(SegmentationCalibrator.gapLabels(c)).containsExactly(false, false, true, false, false);
  }
}
