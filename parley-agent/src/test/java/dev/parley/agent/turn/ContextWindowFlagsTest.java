package dev.parley.agent.turn;

import static dev.parley.agent.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.definition.AgentLoader;
import dev.parley.agent.flags.Flag;
import dev.parley.agent.flags.FlagSet;
import dev.parley.agent.flags.Rollout;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.agent.session.Session;
import dev.parley.agent.testing.Fixtures;
import dev.parley.agent.testing.Harness;
import dev.parley.agent.tool.ToolHandlers;
import dev.parley.fakes.FakeReply;
import dev.parley.fakes.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ContextWindowFlagsTest {
  private static final String PROFILE = "{\"business_type\":\"career coaching\",\"surface_challenge\":\"revenue is flat\"}";
  private static final String LONG = "I have been thinking about this for a long time, and honestly the answer is complicated. ".repeat(4);

  private static AgentDefinition smallBudget(Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    Path yaml = dir.resolve("agent.yaml");
    Files.writeString(yaml, Files.readString(yaml).replace("token_budget: 12000", "token_budget: 2500").replace("keep_recent_tokens: 3000", "keep_recent_tokens: 600"));
    return new AgentLoader(ToolHandlers.none()::contains).load(dir);
  }

  @Test
  void send_historyBeyondBudget_summaryReplacesOldMessagesAndKeepsToolPairs(@TempDir Path tmp) throws IOException {
    AgentDefinition agent = smallBudget(tmp);
    try (Harness h = Harness.start(agent)) {
      Session session = h.newSession("coachmira");
      java.util.concurrent.atomic.AtomicBoolean profiled = new java.util.concurrent.atomic.AtomicBoolean();
      h.fake.respondWith(r -> {
        if (r.model().equals("claude-haiku-4-5")) {
          return FakeReply.text("SUMMARY after " + r.sequence() + ": Dana runs a career coaching business with flat revenue.");
        }
        if (profiled.compareAndSet(false, true)) {
          return FakeReply.toolUse("toolu_profile", "complete_profile", json(PROFILE));
        }
        return FakeReply.text("Tell me more. " + LONG);
      });
      for (int i = 0; i < 12; i++) {
        h.say(session, "Turn " + i + ": " + LONG);
      }
      List<AgentEvent> summaries = h.orchestrator.sessions().events(h.tenant, session.id(), 0, 1000).stream()
          .filter(e -> e.type() == EventType.SUMMARIZATION).toList();
      assertThat(summaries).isNotEmpty();
      assertThat(summaries.get(0).model()).contains("claude-haiku-4-5");
      Session now = h.orchestrator.sessions().find(h.tenant, session.id()).orElseThrow();
      assertThat(now.summary()).hasValueSatisfying(s -> assertThat(s).startsWith("SUMMARY after"));
      assertThat(now.summaryThrough()).isPositive();

      List<RecordedRequest> turns = h.fake.requests().stream().filter(r -> !r.model().equals("claude-haiku-4-5")).toList();
      RecordedRequest last = turns.get(turns.size() - 1);
      assertThat(last.systemPrompt()).contains("Earlier in this conversation (summary)").contains("SUMMARY after");
      assertThat(last.messages().size()).isLessThan(2 * 12);
      assertThat(last.messages().get(0).path("role").asText()).isEqualTo("user");
      // Every request: each tool_result answers a tool_use of the message just before it.
      for (RecordedRequest r : turns) {
        assertToolPairsIntact(r.messages());
      }
      // The summariser saw the folded tool call.
      RecordedRequest firstSummary = h.fake.requests().stream().filter(r -> r.model().equals("claude-haiku-4-5")).findFirst().orElseThrow();
      assertThat(firstSummary.lastMessageText()).contains("complete_profile").contains("Previous summary:");
    }
  }

  @Test
  void send_summaryComesBackEmpty_historyKeptWithErrorEventAndSignal(@TempDir Path tmp) throws IOException {
    AgentDefinition agent = smallBudget(tmp);
    try (Harness h = Harness.start(agent)) {
      Session session = h.newSession("coachmira");
      h.fake.respondWith(r -> r.model().equals("claude-haiku-4-5") ? FakeReply.text("  ") : FakeReply.text("Tell me more. " + LONG));
      int turns = 14;
      for (int i = 0; i < turns; i++) {
        h.say(session, "Turn " + i + ": " + LONG);
      }
      Session now = h.orchestrator.sessions().find(h.tenant, session.id()).orElseThrow();
      assertThat(now.summary()).isEmpty();
      assertThat(now.summaryThrough()).isZero();
      List<AgentEvent> events = h.orchestrator.sessions().events(h.tenant, session.id(), 0, 1000);
      assertThat(events).noneMatch(e -> e.type() == EventType.SUMMARIZATION);
      List<AgentEvent> errors = events.stream().filter(e -> e.type() == EventType.ERROR).toList();
      assertThat(errors).isNotEmpty().allSatisfy(e -> {
        assertThat(e.data().path("code").asText()).isEqualTo("summary_empty");
        assertThat(e.data().path("messages_not_folded").asInt()).isPositive();
      });
      // Asked once per turn at most, not once per round.
      long summaryCalls = h.fake.requests().stream().filter(r -> r.model().equals("claude-haiku-4-5")).count();
      assertThat(summaryCalls).isEqualTo(errors.size()).isLessThanOrEqualTo(turns);
      List<dev.parley.agent.session.Signal> signals = h.db.jdbi().withHandle(x -> dev.parley.agent.persist.SignalRepository.list(x, h.tenant));
      assertThat(signals).extracting(dev.parley.agent.session.Signal::signal).contains("summary_empty");
      // Nothing was lost: the last request still carries the whole conversation.
      assertThat(h.fake.lastRequest().messages()).hasSize(2 * turns - 1);
      assertThat(h.orchestrator.sessions().json(h.tenant, session.id()).at("/last_turn/status").asText()).isEqualTo("completed");
    }
  }

  @Test
  void send_contextWindowOff_sendsFullHistory(@TempDir Path tmp) throws IOException {
    AgentDefinition agent = smallBudget(tmp);
    try (Harness h = Harness.start(agent)) {
      h.orchestrator.flags().set("context_window", false, 0);
      Session session = h.newSession("coachmira");
      h.fake.respondWith(r -> FakeReply.text("More. " + LONG));
      for (int i = 0; i < 8; i++) {
        h.say(session, "Turn " + i + ": " + LONG);
      }
      assertThat(h.fake.requests()).noneMatch(r -> r.model().equals("claude-haiku-4-5"));
      assertThat(h.fake.lastRequest().messages()).hasSize(15);
    }
  }

  @Test
  void send_modularPromptsOff_monolithicPromptAllToolsAndGuardStillEnforced() {
    try (Harness h = Harness.start(Fixtures.coachMira())) {
      h.orchestrator.flags().set("modular_prompts", false, 0);
      Session session = h.newSession("coachmira");
      h.fake.enqueue(FakeReply.toolUse("t1", "submit_scores", json("{\"scores\":{\"importance\":5,\"confidence\":5,\"commitment\":5}}")),
          FakeReply.text("ok"));
      TurnReply reply = h.say(session, "hi");
      RecordedRequest first = h.fake.request(0);
      assertThat(first.toolNames()).containsExactly("complete_profile", "submit_hypothesis", "identify_constraint", "submit_scores");
      assertThat(first.systemPrompt()).contains("## Phase: context").contains("## Phase: readiness");
      assertThat(reply.json().at("/tool_calls/0/status").asText()).isEqualTo("blocked");
      assertThat(reply.json().at("/session/phase").asText()).isEqualTo("context");
    }
  }

  @Test
  void send_promptCaching_marksSystemAndToolsOnlyWhenOn() {
    try (Harness h = Harness.start(Fixtures.coachMira())) {
      h.fake.minCacheableTokens(100);
      Session session = h.newSession("coachmira");
      h.fake.respondWith(r -> FakeReply.text("ok"));
      h.say(session, "one");
      h.say(session, "two");
      assertThat(h.fake.request(0).hasCacheControl()).isTrue();
      assertThat(h.orchestrator.sessions().find(h.tenant, session.id()).orElseThrow().stats().cacheReadTokens()).isPositive();
      h.orchestrator.flags().set("prompt_caching", false, 0);
      h.say(session, "three");
      assertThat(h.fake.lastRequest().hasCacheControl()).isFalse();
    }
  }

  @Test
  void flags_partialRollout_bucketsSessionsAsUnleash() {
    try (Harness h = Harness.start(Fixtures.coachMira())) {
      Flag flag = h.orchestrator.flags().set("context_window", true, 25);
      assertThat(flag.rollout()).isEqualTo(25);
      Set<Boolean> seen = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        String id = java.util.UUID.nameUUIDFromBytes(("s" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        FlagSet set = h.orchestrator.flags().evaluate(id);
        assertThat(set.contextWindow()).isEqualTo(Rollout.bucket("context_window", id) <= 25);
        assertThat(set.modularPrompts()).isTrue();
        seen.add(set.contextWindow());
      }
      assertThat(seen).containsExactlyInAnyOrder(true, false);
      assertThat(h.orchestrator.flags().list()).extracting(Flag::name).containsExactly("modular_prompts", "context_window", "prompt_caching");
      org.junit.jupiter.api.Assertions.assertThrows(dev.parley.core.error.BadInputException.class,
          () -> h.orchestrator.flags().set("context_windw", true, 10));
    }
  }

  private static void assertToolPairsIntact(JsonNode messages) {
    for (int i = 0; i < messages.size(); i++) {
      for (JsonNode block : messages.get(i).path("content")) {
        if (block.path("type").asText().equals("tool_result")) {
          assertThat(i).as("a tool_result cannot open the history").isPositive();
          Set<String> uses = new HashSet<>();
          messages.get(i - 1).path("content").forEach(b -> uses.add(b.path("id").asText()));
          assertThat(uses).contains(block.path("tool_use_id").asText());
        }
      }
    }
  }
}
