package dev.parley.insights.text;

import dev.parley.core.chat.Usage;
import java.util.Map;
import java.util.Optional;

/**
 * Estimated cost of LLM usage in US dollars from list prices per million tokens (input, output) of a few
 * common models, as published by the providers; unknown models have no estimate rather than a wrong one.
 * Cache reads are priced at a tenth of input, cache writes at 1.25x, as Anthropic bills them.
 */
public final class LlmCost {
  private static final Map<String, double[]> PRICES = Map.of(
      "claude-sonnet-4-5", new double[] {3.0, 15.0},
      "claude-sonnet-4", new double[] {3.0, 15.0},
      "claude-haiku-4-5", new double[] {1.0, 5.0},
      "claude-3-5-haiku", new double[] {0.8, 4.0},
      "gpt-4o-mini", new double[] {0.15, 0.60},
      "gpt-4o", new double[] {2.50, 10.0},
      "gpt-4.1-mini", new double[] {0.40, 1.60});

  private LlmCost() {}

  public static Optional<Double> usd(String model, Usage usage) {
    double[] price = null;
    String best = "";
    for (Map.Entry<String, double[]> e : PRICES.entrySet()) {
      // Longest matching prefix, so dated model names ("gpt-4o-mini-2024-07-18") find their base price.
      if (model.startsWith(e.getKey()) && e.getKey().length() > best.length()) {
        best = e.getKey();
        price = e.getValue();
      }
    }
    if (price == null) {
      return Optional.empty();
    }
    double input = usage.inputTokens() + 0.1 * usage.cacheReadTokens() + 1.25 * usage.cacheWriteTokens();
    return Optional.of((input * price[0] + usage.outputTokens() * price[1]) / 1_000_000.0);
  }
}
