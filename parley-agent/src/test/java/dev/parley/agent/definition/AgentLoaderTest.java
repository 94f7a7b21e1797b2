package dev.parley.agent.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.agent.testing.Fixtures;
import dev.parley.agent.tool.ToolHandlers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AgentLoaderTest {
  private final AgentLoader loader = new AgentLoader(ToolHandlers.none()::contains);

  @Test
  void load_coachMira_hasPhasesToolsAndTransitions() {
    AgentDefinition agent = Fixtures.coachMira();
    assertThat(agent.name()).isEqualTo("coachmira");
    assertThat(agent.phases().phases()).extracting(Phase::name)
        .containsExactly("context", "exploration", "diagnosis", "readiness", "complete");
    assertThat(agent.phases().initial().name()).isEqualTo("context");
    assertThat(agent.phases().phase("complete").isTerminal()).isTrue();
    assertThat(agent.toolSpecs("context")).extracting(t -> t.name()).containsExactly("complete_profile");
    assertThat(agent.toolSpecs("exploration")).extracting(t -> t.name()).containsExactly("submit_hypothesis");
    assertThat(agent.toolSpecs("diagnosis")).extracting(t -> t.name()).containsExactly("identify_constraint");
    assertThat(agent.toolSpecs("readiness")).extracting(t -> t.name()).containsExactly("submit_scores");
    assertThat(agent.toolSpecs("complete")).isEmpty();
    assertThat(agent.allToolSpecs()).hasSize(4);
    assertThat(agent.phases().canTransition("context", "exploration")).isTrue();
    assertThat(agent.phases().canTransition("context", "readiness")).isFalse();
    assertThat(agent.summaryModel()).contains("claude-haiku-4-5");
    assertThat(agent.limits().maxToolRounds()).isEqualTo(8);
  }

  @Test
  void render_coreAndOverlay_usesFieldsAndIfBlocks() {
    AgentDefinition agent = Fixtures.coachMira();
    String before = agent.prompts().render("context", AgentPrompts.templateValues(Map.of("user_name", "Dana"), "context", "coachmira"));
    assertThat(before).contains("You are speaking with Dana.").contains("**context** phase").contains("understand the business")
        .doesNotContain("The constraint identified").doesNotContain("check readiness");
    String after = agent.prompts().render("readiness", AgentPrompts.templateValues(
        Map.of("constraint", "No follow-up system for leads", "constraint_category", "execution"), "readiness", "coachmira"));
    assertThat(after).contains("The constraint identified is \"No follow-up system for leads\" (category: execution)")
        .contains("a coach whose name you do not know yet");
    String monolithic = agent.prompts().renderMonolithic(AgentPrompts.templateValues(Map.of(), "context", "coachmira"));
    assertThat(monolithic).contains("## Phase: context").contains("## Phase: readiness").contains("## Phase: complete");
  }

  @Test
  void load_transitionToUnknownPhase_reportsFileAndPhase(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    replace(dir.resolve("tools/context.json"), "\"transition\": \"exploration\"", "\"transition\": \"explore\"");
    AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(e.problems()).singleElement().asString()
        .contains("tools/context.json").contains("complete_profile").contains("unknown phase 'explore'");
  }

  @Test
  void load_invalidToolSchema_reportsSchemaProblem(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    replace(dir.resolve("tools/diagnosis.json"), "\"category\": {\"type\": \"string\"", "\"category\": {\"type\": \"strng\"");
    AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(e.problems()).singleElement().asString()
        .contains("tools/diagnosis.json").contains("identify_constraint").contains("input_schema is not a valid JSON Schema");
  }

  @Test
  void load_templateSyntaxError_reportsFileAndLine(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    replace(dir.resolve("prompts/00-core.md"), "{{/if}}.", ".");
    AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(e.problems()).singleElement().asString().contains("prompts/00-core.md").contains("template syntax error");
  }

  @Test
  void load_promptForUnknownPhaseAndMissingOverlay_reportsBoth(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    Files.move(dir.resolve("prompts/diagnosis.md"), dir.resolve("prompts/diagnosys.md"));
    AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(e.problems()).anyMatch(p -> p.contains("prompts/diagnosis.md: missing"))
        .anyMatch(p -> p.contains("prompts/diagnosys.md: no phase named 'diagnosys'"));
    assertThat(e.getMessage()).startsWith("agent ").contains("2 problems");
  }

  @Test
  void load_unknownJavaHandlerAndUnknownKey_reported(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    replace(dir.resolve("tools/readiness.json"), "\"effect\": {", "\"handler\": {\"java\": \"scores\"}, \"effekt\": {");
    AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(e.problems()).anyMatch(p -> p.contains("unknown key 'effekt'"))
        .anyMatch(p -> p.contains("no Java tool handler named 'scores'"));
  }

  @Test
  void load_unknownAndMissingKeys_namedByFileAndPath(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    replace(dir.resolve("agent.yaml"), "model: claude-sonnet-4-5\n", "");
    replace(dir.resolve("agent.yaml"), "  max_tool_rounds: 8", "  max_tool_round: 8");
    AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "agent.yaml: missing required key 'model' at $",
        "agent.yaml: unknown key 'max_tool_round' at $.limits (known: keep_recent_tokens, max_output_tokens, max_tool_rounds, "
            + "token_budget, turn_timeout_seconds)");
  }

  @Test
  void load_wrongTypes_namedByPath(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    replace(dir.resolve("agent.yaml"), "  token_budget: 12000", "  token_budget: lots");
    replace(dir.resolve("tools/context.json"), "\"transition\": \"exploration\"", "\"transition\": 3");
    AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(e.problems()).contains(
        "agent.yaml: expected an integer at $.limits.token_budget, found the string \"lots\"",
        "tools/context.json: expected a string at $.tools[0].effect.transition, found the number 3");
  }

  @Test
  void load_toolWithoutDescription_andUnknownRootKey(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    replace(dir.resolve("tools/context.json"), "\"tools\": [", "\"version\": 2, \"tools\": [");
    String text = Files.readString(dir.resolve("tools/context.json"));
    Files.writeString(dir.resolve("tools/context.json"), text.replaceFirst("\"description\": \"Record the coaching[^\"]*\",", ""));
    AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(e.problems()).containsExactly(
        "tools/context.json: unknown key 'version' at $ (known: tools)",
        "tools/context.json: missing required key 'description' at $.tools[0]");
  }

  @Test
  void load_malformedFiles_onePlainLineEach(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    replace(dir.resolve("tools/context.json"), "\"tools\": [", "\"tools\": [,");
    AgentDefinitionException json = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(json.problems()).containsExactly("tools/context.json: malformed JSON at line 2, column 13: unexpected character ',', expected a value");

    replace(dir.resolve("agent.yaml"), "initial_phase: context", "initial_phase: context\n  oops: 1");
    AgentDefinitionException yaml = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(yaml.problems()).singleElement().asString().startsWith("agent.yaml: malformed YAML at line ").doesNotContain("\n");
  }

  @Test
  void load_duplicateKey_isRefused(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    replace(dir.resolve("agent.yaml"), "temperature: 0.4", "temperature: 0.4\ntemperature: 0.9");
    AgentDefinitionException e = assertThrows(AgentDefinitionException.class, () -> loader.load(dir));
    assertThat(e.problems()).singleElement().asString().startsWith("agent.yaml: malformed YAML at line ").endsWith("duplicate key 'temperature'");
  }

  @Test
  void loadAll_examples_findsCoachMira() {
    AgentCatalog catalog = loader.loadAll(Fixtures.agentsDir());
    assertThat(catalog.find("coachmira")).isPresent();
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }
}
