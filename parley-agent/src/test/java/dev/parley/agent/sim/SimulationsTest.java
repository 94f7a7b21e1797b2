package dev.parley.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.testing.Fixtures;
import dev.parley.agent.testing.Harness;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.error.LineException;
import dev.parley.fakes.FakeOpenAiServer;
import dev.parley.fakes.FakeReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SimulationsTest {
  private final AgentDefinition agent = Fixtures.coachMira();

  private static Path simulations() {
    return Fixtures.agentsDir().resolveSibling("simulations");
  }

  @Test
  void scripted_adversarialSample_zeroExecutedViolationsAndExpectationsMet() {
    // The first 25 of the 100 shipped conversations keep the suite fast; `./parley simulate` runs all 100.
    List<Script> scripts = ScriptReader.read(simulations().resolve("coachmira-adversarial.jsonl"));
    assertThat(scripts).hasSize(100);
    try (Harness h = Harness.start(agent)) {
      SimulationReport report = Simulations.scripted(h.orchestrator, ModelScript.of(h.fake::play, h.fake::reset), agent, h.tenant, scripts.subList(0, 25), n -> {});
      assertThat(report.executedViolations()).as(report.toText()).isZero();
      assertThat(report.expectationFailures()).isEmpty();
      assertThat(report.expectationsMet()).isEqualTo(report.expectationsChecked()).isEqualTo(75);
      assertThat(report.blocked() + report.invalid()).isPositive();
      assertThat(report.blockedByReason()).containsKeys("out_of_phase", "unknown_tool");
      assertThat(report.failedTurns()).isZero();
      assertThat(report.toJson().path("executed_violations").asInt()).isZero();
    }
  }

  @Test
  void scripted_happyPath_completesWithFullAdherence() {
    List<Script> scripts = ScriptReader.read(simulations().resolve("coachmira-happy.jsonl"));
    try (Harness h = Harness.start(agent)) {
      SimulationReport report = Simulations.scripted(h.orchestrator, ModelScript.of(h.fake::play, h.fake::reset), agent, h.tenant, scripts, n -> {});
      assertThat(report.completed()).isEqualTo(1);
      assertThat(report.phaseAdherence()).isEqualTo(1.0);
      assertThat(report.executed()).isEqualTo(4);
      assertThat(report.expectationsMet()).isEqualTo(3);
      assertThat(report.inputTokens()).isPositive();
      assertThat(report.costUsd()).isPositive();
      assertThat(report.toText()).contains("completion        1/1");
    }
  }

  @Test
  void persona_llmUser_drivesConversationsToTheEnd() throws IOException {
    String persona = Files.readString(simulations().resolve("personas/overwhelmed-coach.md"));
    try (Harness h = Harness.start(agent); FakeOpenAiServer users = FakeOpenAiServer.start()) {
      ChatModel userModel = Fixtures.openAi(users);
      users.respondWith(r -> FakeReply.text(r.messages().size() > 8 ? "[DONE]" : "I coach executives; clients are scarce."));
      h.fake.respondWith(r -> FakeReply.text("Tell me more about that."));
      SimulationReport report = Simulations.persona(h.orchestrator, userModel, "gpt-4o-mini", agent, h.tenant, persona, 2, 10, n -> {});
      assertThat(report.conversations()).isEqualTo(2);
      assertThat(report.turns()).isEqualTo(2 * 4);
      assertThat(users.request(0).systemPrompt()).contains("Dana Reyes");
      assertThat(report.completed()).isZero();
    }
  }

  @Test
  void read_malformedLine_reportsFileAndLine(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("bad.jsonl");
    Files.writeString(file, "{\"id\":\"ok\",\"turns\":[{\"user\":\"hi\",\"model\":[{\"text\":\"x\"}]}]}\n{\"id\":\"bad\",\"turns\":[]}\n");
    LineException e = assertThrows(LineException.class, () -> ScriptReader.read(file));
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("bad.jsonl:2").contains("turns must be a non-empty array");
  }
}
