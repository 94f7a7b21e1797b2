package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

/** Stage 2: the re-classification with the whole thread, and what changed. */
public record Stage2(Stage stage, boolean classificationChanged, DisambiguationLevel disambiguationLevel, String reasoning, SupportInsights supportInsights) {
  public Stage2 {
    requireNonNull(stage, "stage is null");
    requireNonNull(disambiguationLevel, "disambiguationLevel is null");
    requireNonNull(reasoning, "reasoning is null");
    requireNonNull(supportInsights, "supportInsights is null");
  }
}
