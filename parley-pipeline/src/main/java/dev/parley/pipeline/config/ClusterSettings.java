package dev.parley.pipeline.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.insights.label.LabelParams;
import dev.parley.insights.label.SamplingParams;
import dev.parley.insights.privacy.PrivacyRule;

/** What a cluster run needs besides its data: seed, privacy rule, sampling and label settings. */
public record ClusterSettings(long seed, PrivacyRule privacy, SamplingParams sampling, LabelParams labels) {
  public ClusterSettings {
    requireNonNull(privacy, "privacy is null");
    requireNonNull(sampling, "sampling is null");
    requireNonNull(labels, "labels is null");
  }

  public static ClusterSettings defaults(long seed, PrivacyRule privacy) {
    return new ClusterSettings(seed, privacy, SamplingParams.DEFAULTS, LabelParams.DEFAULTS);
  }

  // run.json spells every key in snake_case, record components included.
  private static final com.fasterxml.jackson.databind.ObjectMapper SNAKE = Json.mapper().copy()
      .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

  /** The settings as run.json records them. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("seed", seed);
    node.set("privacy", SNAKE.valueToTree(privacy));
    node.set("sampling", SNAKE.valueToTree(sampling));
    node.set("labels", SNAKE.valueToTree(labels));
    return node;
  }
}
