package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import dev.parley.core.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Offline triage on embeddings. Stage 1 classifies the customer's messages before support replied. Stage 2
 * (only when a human agent replied) mixes the class probabilities of all the customer's messages with
 * those of support's replies ({@code (1 - w) p_customer + w p_support}, w = {@value #SUPPORT_WEIGHT}: the
 * agent's words often name the real problem, but the classifier was trained on customer phrasing, so they
 * count less). Support insights and the resolution come from {@link ThreadCues}.
 */
public final class OfflineTriageBackend implements TriageBackend {
  static final double SUPPORT_WEIGHT = 0.3;

  private final TypeClassifier classifier;
  private final EmbeddingModel embeddings;

  public OfflineTriageBackend(TypeClassifier classifier, EmbeddingModel embeddings) {
    this.classifier = requireNonNull(classifier, "classifier is null");
    this.embeddings = requireNonNull(embeddings, "embeddings is null");
  }

  @Override
  public String name() {
    return "offline:" + classifier.method();
  }

  /** The vector of a text of the first pass (every text the second pass looks up is there). */
  private static float[] vectorOf(Map<String, Integer> index, float[][] vectors, String text) {
    return vectors[requireNonNull(index.get(text), "text not indexed")];
  }

  @Override
  public List<TriageResult> triage(List<TriageInput> inputs, Routing routing) {
    Map<String, Integer> index = new LinkedHashMap<>();
    for (TriageInput in : inputs) {
      index.putIfAbsent(in.stage1Text(), index.size());
      if (in.supportReplied()) {
        index.putIfAbsent(in.customerText(), index.size());
        index.putIfAbsent(in.supportText(), index.size());
      }
    }
    List<String> texts = new ArrayList<>(index.keySet());
    float[][] vectors = texts.isEmpty() ? new float[0][] : embeddings.embed(texts);
    List<TriageResult> out = new ArrayList<>(inputs.size());
    for (TriageInput in : inputs) {
      Prediction first = classifier.predict(vectorOf(index, vectors, in.stage1Text()), in.stage1Text());
      Stage stage1 = routing.stage(first.type(), first.confidence(), first.probability(), in.stage1Text(), Urgency.LOW);
      Optional<Stage2> stage2 = Optional.empty();
      if (in.supportReplied()) {
        double[] pc = classifier.probabilities(vectorOf(index, vectors, in.customerText()), in.customerText());
        double[] ps = classifier.probabilities(vectorOf(index, vectors, in.supportText()), in.supportText());
        double[] mixed = new double[pc.length];
        for (int c = 0; c < mixed.length; c++) {
          mixed[c] = (1 - SUPPORT_WEIGHT) * pc[c] + SUPPORT_WEIGHT * ps[c];
        }
        Prediction second = classifier.fromProbabilities(mixed);
        Stage s = routing.stage(second.type(), second.confidence(), second.probability(), in.customerText(), Urgency.LOW);
        String supportSays = classifier.fromProbabilities(ps).type();
        String reasoning = String.format(Locale.ROOT,
            "Before support replied the customer's messages pointed to %s (p=%.2f); with the whole thread, %s (p=%.2f); "
                + "support's replies alone point to %s.",
            first.type(), first.probability(), second.type(), second.probability(), supportSays);
        stage2 = Optional.of(new Stage2(s, !second.type().equals(first.type()), DisambiguationLevel.between(first, second), reasoning,
            ThreadCues.insights(in.supportText())));
      }
      Optional<Resolution> resolution = in.hasResponder() ? Optional.of(ThreadCues.resolution(in.tail())) : Optional.empty();
      out.add(new TriageResult(in.conversationId(), Optional.of(stage1), stage2, resolution, Optional.empty(), name()));
    }
    return out;
  }
}
