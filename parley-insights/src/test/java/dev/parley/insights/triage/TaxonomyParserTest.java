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
  void parse_unknownKey_namesSourcePathAndKnownKeys() {
    var e = assertThrows(BadInputException.class, () -> TaxonomyParser.parse("types:\n  - id: a\n    colour: red\n", "t.yaml"));
    assertThat(e.getMessage()).isEqualTo("t.yaml: unknown key 'colour' at $.types[0] (known: auto_response_eligible, description, examples, id, "
        + "routing_priority, routing_team, urgency, urgency_rules)");
  }

  @Test
  void parse_unknownTopLevelKey_isRefused() {
    var e = assertThrows(BadInputException.class, () -> TaxonomyParser.parse("typs:\n  - id: a\n", "t.yaml"));
    assertThat(e.getMessage()).isEqualTo("t.yaml: unknown key 'typs' at $ (known: name, types, urgency_rules, version)");
  }

  @Test
  void parse_missingRequired_namesKeyAndPath() {
    assertThat(assertThrows(BadInputException.class, () -> TaxonomyParser.parse("name: x\n", "t.yaml")).getMessage())
        .isEqualTo("t.yaml: missing required key 'types' at $");
    assertThat(assertThrows(BadInputException.class, () -> TaxonomyParser.parse("types:\n  - description: d\n", "t.yaml")).getMessage())
        .isEqualTo("t.yaml: missing required key 'id' at $.types[0]");
    assertThat(assertThrows(BadInputException.class,
        () -> TaxonomyParser.parse("types:\n  - id: a\n    urgency_rules:\n      - level: high\n", "t.yaml")).getMessage())
        .isEqualTo("t.yaml: missing required key 'phrases' at $.types[0].urgency_rules[0]");
  }

  @Test
  void parse_badPriority_listsTheValues() {
    var e = assertThrows(BadInputException.class,
        () -> TaxonomyParser.parse("types:\n  - id: a\n    routing_priority: asap\n", "t.yaml"));
    assertThat(e.getMessage()).isEqualTo("t.yaml: expected one of urgent, high, normal, low at $.types[0].routing_priority, found the string \"asap\"");
  }

  @Test
  void parse_notABoolean_isRefused() {
    var e = assertThrows(BadInputException.class,
        () -> TaxonomyParser.parse("types:\n  - id: a\n    auto_response_eligible: sometimes\n", "t.yaml"));
    assertThat(e.getMessage()).isEqualTo("t.yaml: expected true or false at $.types[0].auto_response_eligible, found the string \"sometimes\"");
  }

  @Test
  void parse_malformedYaml_onePlainLineWithLine() {
    var e = assertThrows(BadInputException.class, () -> TaxonomyParser.parse("types:\n  - id: a\n   description: b\n", "t.yaml"));
    assertThat(e.getMessage()).startsWith("t.yaml: malformed YAML at line 3, column ").doesNotContain("\n", "reader");
  }

  @Test
  void fromLabels_takesRoutingFromBaseWhereKnown() {
    Taxonomy t = Taxonomy.fromLabels(List.of("billing", "card_arrival"), Optional.of(TaxonomyParser.defaultTaxonomy()));
    assertThat(t.type("billing").orElseThrow().routingTeam()).isEqualTo("billing");
    assertThat(t.type("card_arrival").orElseThrow().routingTeam()).isEqualTo("support");
  }
}
