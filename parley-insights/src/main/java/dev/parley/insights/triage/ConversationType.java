package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One type of the triage taxonomy.
 *
 * @param id stable label (what classifiers output and examples' {@code label} refers to)
 * @param description what conversations of this type are about (zero-shot prototypes and LLM prompts use it)
 * @param examples example customer phrases
 * @param routingTeam team the conversation is routed to
 * @param routingPriority default queue priority
 * @param defaultUrgency urgency when no rule fires
 * @param urgencyRules phrase rules raising urgency
 * @param autoResponseEligible whether an automatic answer may be sent (only at high confidence and
 *     normal or low urgency)
 */
public record ConversationType(
    String id,
    String description,
    List<String> examples,
    String routingTeam,
    RoutingPriority routingPriority,
    Urgency defaultUrgency,
    List<UrgencyRule> urgencyRules,
    boolean autoResponseEligible) {

  public ConversationType {
    requireNonNull(id, "id is null");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id is blank");
    }
    requireNonNull(description, "description is null");
    examples = List.copyOf(requireNonNull(examples, "examples is null"));
    requireNonNull(routingTeam, "routingTeam is null");
    requireNonNull(routingPriority, "routingPriority is null");
    requireNonNull(defaultUrgency, "defaultUrgency is null");
    urgencyRules = List.copyOf(requireNonNull(urgencyRules, "urgencyRules is null"));
  }

  /** A type known only by its label (from labelled examples): neutral routing, no rules. */
  public static ConversationType ofLabel(String label) {
    return new ConversationType(label, label.replace('_', ' '), List.of(), "support", RoutingPriority.NORMAL, Urgency.NORMAL, List.of(), false);
  }
}
