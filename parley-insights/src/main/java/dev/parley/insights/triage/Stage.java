package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

/**
 * A classification with its routing: the fields DESIGN §4 puts in {@code stage1} (and, with more, in
 * {@code stage2}).
 *
 * @param score the calibrated probability of {@code type} (an extra field)
 */
public record Stage(
    String type, Confidence confidence, double score, RoutingPriority routingPriority, Urgency urgency, boolean autoResponseEligible, String routingTeam) {
  public Stage {
    requireNonNull(type, "type is null");
    requireNonNull(confidence, "confidence is null");
    requireNonNull(routingPriority, "routingPriority is null");
    requireNonNull(urgency, "urgency is null");
    requireNonNull(routingTeam, "routingTeam is null");
  }
}
