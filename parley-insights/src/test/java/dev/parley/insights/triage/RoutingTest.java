package dev.parley.insights.triage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class RoutingTest {
  private final Routing routing = new Routing(TaxonomyParser.defaultTaxonomy());

  @Test
  void stage_criticalPhrase_urgentPriorityAndNoAutoResponse() {
    Stage s = routing.stage("account_issue", Confidence.HIGH, 0.99, "I think my account was hacked", Urgency.LOW);
    assertThat(s.urgency()).isEqualTo(Urgency.CRITICAL);
    assertThat(s.routingPriority()).isEqualTo(RoutingPriority.URGENT);
    assertThat(s.autoResponseEligible()).isFalse();
  }

  @Test
  void stage_eligibleTypeHighConfidenceCalm_autoResponse() {
    Stage s = routing.stage("how_to_question", Confidence.HIGH, 0.99, "how do I invite a teammate", Urgency.LOW);
    assertThat(s.urgency()).isEqualTo(Urgency.LOW);
    assertThat(s.autoResponseEligible()).isTrue();
    assertThat(s.routingTeam()).isEqualTo("support");
    assertThat(routing.stage("how_to_question", Confidence.MEDIUM, 0.7, "how do I invite a teammate", Urgency.LOW).autoResponseEligible()).isFalse();
  }

  @Test
  void urgencyRule_matchesWholeWordsOnly() {
    // "download" must not fire the "down" of a rule; "hacked" must fire.
    assertThat(routing.stage("other", Confidence.LOW, 0.3, "the download is slow", Urgency.LOW).urgency()).isEqualTo(Urgency.LOW);
  }
}
