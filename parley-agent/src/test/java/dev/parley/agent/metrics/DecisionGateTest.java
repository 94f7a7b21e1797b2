package dev.parley.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.definition.AgentLoader;
import dev.parley.agent.flags.Flags;
import dev.parley.agent.flags.KnownFlag;
import dev.parley.agent.metrics.DecisionGate.Arm;
import dev.parley.agent.metrics.DecisionGate.ArmFigures;
import dev.parley.agent.metrics.DecisionGate.Figures;
import dev.parley.agent.session.Session;
import dev.parley.agent.testing.Harness;
import dev.parley.agent.tool.ToolHandlers;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision gate on seeded sessions with known figures: real turns through the orchestrator against
 * the fake Anthropic server, which reports fixed usage (chat call 100 in + 10 out, summary 40 + 10), at a
 * price of 1 USD per million tokens of every kind.
 *
 * <p>The test agent's system prompt alone exceeds its token budget and it keeps 1 recent token, so with
 * the context window on every turn after the first folds everything before its own user message (one
 * summary call); a turn that says "finish" calls the {@code finish} tool (phase {@code done}, terminal)
 * and then answers, two chat calls. A completed session of n turns therefore uses 110 (n + 1) tokens,
 * plus 50 (n - 1) with the window on.
 */
final class DecisionGateTest {
  private static final String FLAG = "context_window";

  private static AgentDefinition gateBot(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("prompts"));
    Files.createDirectories(dir.resolve("tools"));
    Files.writeString(dir.resolve("agent.yaml"), """
        name: gatebot
        description: Test agent of the decision gate.
        model: claude-sonnet-4-5
        summary_model: claude-haiku-4-5
        initial_phase: chat
        phases: [chat, done]
        terminal_phases: [done]
        limits:
          max_tool_rounds: 4
          turn_timeout_seconds: 30
          token_budget: 500
          keep_recent_tokens: 1
          max_output_tokens: 64
        temperature: 0
        """);
    Files.writeString(dir.resolve("prompts/00-core.md"), "You are a test agent. ".repeat(120));
    Files.writeString(dir.resolve("prompts/chat.md"), "Chat until the user is done.");
    Files.writeString(dir.resolve("prompts/done.md"), "The chat is over.");
    Files.writeString(dir.resolve("tools/chat.json"), """
        {"tools": [{"name": "finish", "description": "Ends the chat.",
          "input_schema": {"type": "object", "properties": {}, "additionalProperties": false},
          "effect": {"transition": "done"}}]}
        """);
    return new AgentLoader(ToolHandlers.none()::contains).load(dir);
  }

  private static PriceTable dollarPerMillion() {
    return new PriceTable(Map.of("claude-", new PriceTable.Price(1, 1, 1, 1)), PriceTable.Price.FREE);
  }

  /** The fake model: summaries for the summary model, {@code finish} when asked to, "ok" otherwise. */
  private static AtomicBoolean script(Harness h) {
    AtomicBoolean finish = new AtomicBoolean();
    h.fake.respondWith(r -> {
      if (r.model().equals("claude-haiku-4-5")) {
        return FakeReply.text("SUMMARY").withUsage(new Usage(40, 10, 0, 0));
      }
      if (finish.get() && r.toolNames().contains("finish")) {
        return FakeReply.toolUse("toolu_finish", "finish", Json.object()).withUsage(new Usage(100, 10, 0, 0));
      }
      return FakeReply.text("ok").withUsage(new Usage(100, 10, 0, 0));
    });
    return finish;
  }

  /** A session of {@code texts}; the last one finishes it when {@code complete}. */
  private static Session converse(Harness h, AtomicBoolean finish, boolean complete, String... texts) {
    Session session = h.newSession("gatebot");
    for (int i = 0; i < texts.length; i++) {
      finish.set(complete && i == texts.length - 1);
      h.say(session, texts[i]);
    }
    finish.set(false);
    return session;
  }

  private static void assertFigures(Figures f, long n, double avg, double p95, double max) {
    assertThat(f.n()).isEqualTo(n);
    assertThat(f.avg().orElseThrow()).isCloseTo(avg, within(1e-9));
    assertThat(f.p95().orElseThrow()).isCloseTo(p95, within(1e-9));
    assertThat(f.max().orElseThrow()).isCloseTo(max, within(1e-9));
  }

  @Test
  void compute_seededSessions_knownFigures(@TempDir Path tmp) throws IOException {
    try (Harness h = Harness.start(gateBot(tmp.resolve("gatebot")), b -> b.prices(dollarPerMillion()))) {
      Flags flags = h.orchestrator.flags();
      AtomicBoolean finish = script(h);
      flags.set(FLAG, true, 100);
      // On: 3 turns (A) and 5 turns (B), both completed; A's third and B's fourth message repeat a folded one.
      Session a = converse(h, finish, true,
          "My coaching business serves startup founders in Berlin",
          "Mostly through referrals and posts",
          "As I said, my coaching business serves startup founders in Berlin");
      converse(h, finish, true,
          "We sell group programs for new managers",
          "Revenue has been flat for two quarters",
          "Our biggest problem is finding new clients",
          "Revenue has been flat for two quarters now",
          "ok");
      Session mixed = converse(h, finish, false, "hello there friend");
      flags.set(FLAG, true, 0);
      // Off: 2 turns (C) and 4 turns (D) completed, 1 turn (E) not; the mixed session's second turn runs with the flag off.
      converse(h, finish, true, "one", "two");
      converse(h, finish, true, "one", "two", "three", "four");
      converse(h, finish, false, "one");
      h.say(mixed, "still here");
      h.newSession("gatebot"); // no turn: unrecorded

      DecisionGate.Report report = h.orchestrator.decisionGate().compute(DecisionGate.Query.of(KnownFlag.CONTEXT_WINDOW));

      ArmFigures on = report.arm(Arm.ON);
      assertThat(on.sessions()).isEqualTo(2);
      assertThat(on.completed()).isEqualTo(2);
      assertFigures(on.turns(), 2, 4, 5, 5);
      assertFigures(on.tokens(), 2, 700, 860, 860); // 110 * 4 + 50 * 2, 110 * 6 + 50 * 4
      assertFigures(on.cost(), 2, 700e-6, 860e-6, 860e-6);
      ArmFigures off = report.arm(Arm.OFF);
      assertThat(off.sessions()).isEqualTo(3);
      assertThat(off.completed()).isEqualTo(2);
      assertThat(off.completionRate().orElseThrow()).isCloseTo(2.0 / 3, within(1e-9));
      assertFigures(off.turns(), 2, 3, 4, 4);
      assertFigures(off.tokens(), 2, 440, 550, 550); // 110 * 3, 110 * 5
      ArmFigures all = report.arm(Arm.ALL);
      assertThat(all.sessions()).isEqualTo(7);
      assertThat(all.completed()).isEqualTo(4);
      assertFigures(all.turns(), 4, 3.5, 5, 5);
      assertFigures(all.tokens(), 4, 570, 860, 860);
      assertThat(report.arm(Arm.MIXED).sessions()).isEqualTo(1);
      assertThat(report.arm(Arm.MIXED).completed()).isZero();
      assertThat(report.arm(Arm.MIXED).turns()).isEqualTo(Figures.NONE);
      assertThat(report.arm(Arm.UNRECORDED).sessions()).isEqualTo(1);
      assertThat(report.ratio(ArmFigures::turns).orElseThrow()).isCloseTo(4.0 / 3, within(1e-9));
      assertThat(report.ratio(ArmFigures::tokens).orElseThrow()).isCloseTo(700.0 / 440, within(1e-9));
      // Judged: A's third message (repeat), B's third (no) and fourth (repeat); B's "ok" is too short.
      assertThat(report.repeats()).isEqualTo(new DecisionGate.Repeats(2, 3, 2));
      assertThat(report.repeats().share().orElseThrow()).isCloseTo(2.0 / 3, within(1e-9));

      JsonNode json = report.toJson();
      assertThat(json.path("flag").asText()).isEqualTo(FLAG);
      assertThat(json.path("agent").isNull()).isTrue();
      assertThat(json.at("/arms/on/turns_per_completed_session/p95").asDouble()).isEqualTo(5);
      assertThat(json.at("/arms/off/tokens_per_conversation/avg").asDouble()).isEqualTo(440);
      assertThat(json.at("/arms/off/completion_rate").asDouble()).isCloseTo(2.0 / 3, within(1e-9));
      assertThat(json.at("/arms/mixed/cost_per_conversation_usd/avg").isNull()).isTrue();
      assertThat(json.at("/arms/unrecorded/sessions").asLong()).isEqualTo(1);
      assertThat(json.at("/on_vs_off/cost_avg_ratio").asDouble()).isCloseTo(700.0 / 440, within(1e-6));
      assertThat(json.at("/repeats/user_messages").asLong()).isEqualTo(3);
      assertThat(json.at("/repeats/repeats").asLong()).isEqualTo(2);
      assertThat(json.at("/repeats/sessions_with_folding").asLong()).isEqualTo(2);
      assertThat(json.at("/repeats/threshold").asDouble()).isEqualTo(0.5);

      // Filters: another agent, or sessions after these, leave nothing; the first session's own agent keeps all.
      DecisionGate.Report none = h.orchestrator.decisionGate().compute(
          new DecisionGate.Query(Optional.of("coachmira"), KnownFlag.CONTEXT_WINDOW, Optional.empty()));
      assertThat(none.arm(Arm.ALL)).isEqualTo(ArmFigures.EMPTY);
      assertThat(none.repeats()).isEqualTo(new DecisionGate.Repeats(0, 0, 0));
      assertThat(none.ratio(ArmFigures::cost)).isEqualTo(OptionalDouble.empty());
      assertThat(none.toJson().at("/on_vs_off/cost_avg_ratio").isNull()).isTrue();
      Instant later = Instant.now().plusSeconds(60);
      assertThat(h.orchestrator.decisionGate().compute(new DecisionGate.Query(Optional.empty(), KnownFlag.CONTEXT_WINDOW, Optional.of(later)))
          .arm(Arm.ALL).sessions()).isZero();
      assertThat(h.orchestrator.decisionGate().compute(new DecisionGate.Query(Optional.of(a.agent()), KnownFlag.CONTEXT_WINDOW,
          Optional.of(a.createdAt().minusSeconds(1)))).arm(Arm.ALL).sessions()).isEqualTo(7);
      // Split by another flag, modular_prompts (on throughout), every session with turns is "on".
      DecisionGate.Report modular = h.orchestrator.decisionGate().compute(DecisionGate.Query.of(KnownFlag.MODULAR_PROMPTS));
      assertThat(modular.arm(Arm.ON).sessions()).isEqualTo(6);
      assertThat(modular.arm(Arm.OFF).sessions()).isZero();
      assertThat(List.of(modular.arm(Arm.ALL).completed())).containsExactly(4L);
    }
  }
}
