package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.text.Tokens;
import java.util.List;

/**
 * Routing from a classified type: urgency from the taxonomy's phrase rules (global and the type's own;
 * the most critical match wins, else the type's default), priority from the type, raised to {@code urgent}
 * by a critical urgency and to at least {@code high} by a high one, and auto-response eligibility only for
 * eligible types classified with high confidence at normal or low urgency.
 */
public final class Routing {
  private final Taxonomy taxonomy;

  public Routing(Taxonomy taxonomy) {
    this.taxonomy = requireNonNull(taxonomy, "taxonomy is null");
  }

  public Taxonomy taxonomy() {
    return taxonomy;
  }

  public Stage stage(String typeId, Confidence confidence, double score, String customerText, Urgency floor) {
    ConversationType type = taxonomy.type(typeId).orElseGet(() -> ConversationType.ofLabel(typeId));
    Urgency urgency = urgency(type, customerText).max(floor);
    RoutingPriority priority = type.routingPriority();
    if (urgency == Urgency.CRITICAL) {
      priority = RoutingPriority.URGENT;
    } else if (urgency == Urgency.HIGH) {
      priority = priority.max(RoutingPriority.HIGH);
    }
    boolean auto = type.autoResponseEligible() && confidence == Confidence.HIGH && (urgency == Urgency.NORMAL || urgency == Urgency.LOW);
    return new Stage(type.id(), confidence, score, priority, urgency, auto, type.routingTeam());
  }

  Urgency urgency(ConversationType type, String customerText) {
    List<String> words = Tokens.words(customerText);
    Urgency urgency = null;
    for (List<UrgencyRule> rules : List.of(taxonomy.globalUrgencyRules(), type.urgencyRules())) {
      for (UrgencyRule rule : rules) {
        if (rule.matches(words)) {
          urgency = urgency == null ? rule.level() : urgency.max(rule.level());
        }
      }
    }
    return urgency == null ? type.defaultUrgency() : urgency;
  }
}
