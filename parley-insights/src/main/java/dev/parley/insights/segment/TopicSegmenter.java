package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Segments conversations by topic: turns ({@link Turns}), embeddings of every turn and every adjacent
 * turn pair (one batched call per batch of conversations), {@link GapFeatures}, the calibrated
 * {@link GapScorer}, and the adaptive {@link SegmentationGate}.
 */
public final class TopicSegmenter {
  private final EmbeddingModel embeddings;
  private final SegmentationModel model;

  public TopicSegmenter(EmbeddingModel embeddings, SegmentationModel model) {
    this.embeddings = requireNonNull(embeddings, "embeddings is null");
    this.model = requireNonNull(model, "model is null");
  }

  public SegmentationModel model() {
    return model;
  }

  public List<Segmentation> segment(List<Conversation> conversations) {
    requireNonNull(conversations, "conversations is null");
    List<List<Turn>> allTurns = new ArrayList<>(conversations.size());
    List<String> texts = new ArrayList<>();
    for (Conversation c : conversations) {
      List<Turn> turns = Turns.of(c.messages());
      allTurns.add(turns);
      texts.addAll(unitTexts(turns));
    }
    float[][] vectors = texts.isEmpty() ? new float[0][] : embeddings.embed(texts);
    List<Segmentation> out = new ArrayList<>(conversations.size());
    int offset = 0;
    for (int i = 0; i < conversations.size(); i++) {
      List<Turn> turns = allTurns.get(i);
      int t = turns.size();
      float[][] turnVectors = java.util.Arrays.copyOfRange(vectors, offset, offset + t);
      float[][] pairVectors = java.util.Arrays.copyOfRange(vectors, offset + t, offset + t + Math.max(0, t - 1));
      offset += t + Math.max(0, t - 1);
      out.add(segment(conversations.get(i).id(), turns, turnVectors, pairVectors, model));
    }
    return out;
  }

  /** The texts to embed for a conversation: every turn, then every adjacent pair of turns. */
  public static List<String> unitTexts(List<Turn> turns) {
    List<String> texts = new ArrayList<>(2 * turns.size());
    for (Turn t : turns) {
      texts.add(t.text());
    }
    for (int i = 0; i + 1 < turns.size(); i++) {
      texts.add(pairText(turns.get(i), turns.get(i + 1)));
    }
    return texts;
  }

  public static String pairText(Turn first, Turn second) {
    return first.text() + "\n" + second.text();
  }

  /** The pure core: segments one conversation from its turns and their embeddings. */
  public static Segmentation segment(String id, List<Turn> turns, float[][] turnVectors, float[][] pairVectors, SegmentationModel model) {
    double[] p = gapProbabilities(turns, turnVectors, pairVectors, model.scorer());
    return Segmentation.of(id, turns, model.gate().boundaries(p), p);
  }

  public static double[] gapProbabilities(List<Turn> turns, float[][] turnVectors, float[][] pairVectors, GapScorer scorer) {
    double[][] features = GapFeatures.compute(turns, turnVectors, pairVectors);
    double[] p = new double[features.length];
    for (int g = 0; g < p.length; g++) {
      p[g] = scorer.probability(features[g]);
    }
    return p;
  }
}
