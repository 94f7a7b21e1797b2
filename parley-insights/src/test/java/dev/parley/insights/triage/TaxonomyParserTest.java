package dev.parley.insights.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.error.BadInputException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class TaxonomyParserTest {
  @Test
  void defaultTaxonomy_eightTypesWithRouting() {
    Taxonomy t = TaxonomyParser.defaultTaxonomy();
    assertThat(t.typeIds()).containsExactly("account_issue", "billing", "bug_report", "configuration_help", "feature_request",
        "how_to_question", "feedback_complaint", "other");
    assertThat(t.type("billing").orElseThrow().routingTeam()).isEqualTo("billing");
    assertThat(t.types()).allMatch(type -> !type.examples().isEmpty());
    assertThat(t.globalUrgencyRules()).isNotEmpty();
  }

  @Test
  void parse_unknownField_namesTypeAndField() {
    var e = assertThrows(BadInputException.class, () -> TaxonomyParser.parse("types:\n  - id: a\n    colour: red\n", "t.yaml"));
    assertThat(e.getMessage()).contains("t.yaml").contains("'a'").contains("colour");
  }

  @Test
  void parse_badPriority_namesValue() {
    var e = assertThrows(BadInputException.class,
        () -> TaxonomyParser.parse("types:\n  - id: a\n    routing_priority: asap\n", "t.yaml"));
    assertThat(e.getMessage()).contains("asap").contains("urgent, high, normal or low");
  }

  @Test
  void fromLabels_takesRoutingFromBaseWhereKnown() {
    Taxonomy t = Taxonomy.fromLabels(List.of("billing", "card_arrival"), Optional.of(TaxonomyParser.defaultTaxonomy()));
    assertThat(t.type("billing").orElseThrow().routingTeam()).isEqualTo("billing");
    assertThat(t.type("card_arrival").orElseThrow().routingTeam()).isEqualTo("support");
  }
}
