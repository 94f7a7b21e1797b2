package dev.parley.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.definition.AgentLoader;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.testing.Fixtures;
import dev.parley.agent.testing.Harness;
import dev.parley.agent.testing.MutableClock;
import dev.parley.agent.tool.ToolHandlers;
import dev.parley.fakes.FakeReply;
import dev.parley.store.TenantId;
import dev.parley.store.Tenants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

final class ReliabilityTest {
  private static final String PROFILE = "{\"business_type\":\"executive coaching\",\"surface_challenge\":\"not enough clients\",\"business_stage\":\"growing\"}";

  private final AgentDefinition agent = Fixtures.coachMira();

  @Test
  void send_parallelPostsToOneSession_neverInterleave() throws Exception {
    try (Harness h = Harness.start(agent)) {
      Session session = h.newSession("coachmira");
      h.fake.latency(Duration.ofMillis(30)).respondWith(r -> FakeReply.text("answer to: " + r.lastMessageText()));
      int posts = 8;
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      List<Future<TurnReply>> futures = new ArrayList<>();
      for (int i = 0; i < posts; i++) {
        String text = "message " + i;
        futures.add(pool.submit(() -> h.say(session, text)));
      }
      for (Future<TurnReply> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(h.fake.maxConcurrentRequests()).isEqualTo(1);
      List<StoredMessage> messages = h.orchestrator.sessions().messages(h.tenant, session.id());
      assertThat(messages).hasSize(2 * posts);
      for (int i = 0; i < messages.size(); i += 2) {
        StoredMessage user = messages.get(i);
        StoredMessage answer = messages.get(i + 1);
        assertThat(user.kind()).isEqualTo(MessageKind.USER);
        assertThat(answer.kind()).isEqualTo(MessageKind.ASSISTANT);
        assertThat(answer.turnId()).isEqualTo(user.turnId());
        assertThat(answer.text()).isEqualTo("answer to: " + user.text());
      }
      assertThat(h.orchestrator.sessions().find(h.tenant, session.id()).orElseThrow().stats().turns()).isEqualTo(posts);
    }
  }

  @Test
  void send_whileAnotherTurnRunsAndNoWait_conflict() throws Exception {
    try (Harness h = Harness.start(agent, b -> b.config(EngineConfig.defaults().withLockWait(Duration.ZERO)))) {
      Session session = h.newSession("coachmira");
      h.fake.enqueue(FakeReply.text("slow").after(Duration.ofMillis(1500)));
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      Future<TurnReply> first = pool.submit(() -> h.say(session, "first"));
      waitFor(() -> h.fake.requestCount() == 1);
      AgentException e = assertThrows(AgentException.class, () -> h.say(session, "second"));
      assertThat(e.kind()).isEqualTo(AgentException.Kind.TURN_IN_PROGRESS);
      assertThat(first.get(30, TimeUnit.SECONDS).json().at("/message/text").asText()).isEqualTo("slow");
      pool.shutdown();
      assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).extracting(StoredMessage::text).containsExactly("first", "slow");
    }
  }

  /**
   * A process dies mid-turn (here: its model call hangs and its lease runs out); another process sees the
   * stored user message and an interrupted turn, and a retry with the same key completes it. The first
   * process's late answer is fenced off.
   */
  @Test
  void send_processDiesMidTurn_turnVisibleAsInterruptedAndRetriable() throws Exception {
    MutableClock clock = new MutableClock();
    try (Harness h = Harness.start(agent, b -> b.clock(clock))) {
      Session session = h.newSession("coachmira");
      h.fake.enqueue(FakeReply.text("too late").after(Duration.ofMillis(2500)));
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      Future<TurnReply> dying = pool.submit(() -> h.say(session, "Hello", "key-1"));
      waitFor(() -> h.fake.requestCount() == 1);

      // Later, in another process: the first one's lease has expired.
      clock.advance(Duration.ofMinutes(10));
      try (Orchestrator other = h.another(agent, b -> b.clock(clock))) {
        ObjectNode json = other.sessions().json(h.tenant, session.id());
        assertThat(json.at("/last_turn/status").asText()).isEqualTo("interrupted");
        assertThat(json.at("/last_turn/retriable").asBoolean()).isTrue();
        assertThat(other.sessions().messages(h.tenant, session.id())).extracting(StoredMessage::text).containsExactly("Hello");
        assertThat(other.turns().recoverInterrupted()).isEqualTo(1);

        h.fake.enqueue(FakeReply.text("Hello, I'm Mira."));
        TurnReply retried = other.turns().send(new TurnRequest(h.tenant, session.id(), Optional.of("Hello"), Optional.of("key-1"), false),
            TurnListener.NONE);
        assertThat(retried.json().at("/message/text").asText()).isEqualTo("Hello, I'm Mira.");
        assertThat(retried.json().at("/turn/attempts").asInt()).isEqualTo(2);
      }
      java.util.concurrent.ExecutionException late = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> dying.get(30, TimeUnit.SECONDS));
      assertThat(late.getCause()).isInstanceOfSatisfying(AgentException.class,
          e -> assertThat(e.kind()).isEqualTo(AgentException.Kind.INTERRUPTED));
      pool.shutdown();
      assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).extracting(StoredMessage::text)
          .containsExactly("Hello", "Hello, I'm Mira.");
      assertThat(h.orchestrator.sessions().json(h.tenant, session.id()).at("/last_turn/status").asText()).isEqualTo("completed");
    }
  }

  /**
   * A process dies mid-turn (PostgreSQL ends its connections, as after a kill -9; here the process itself
   * goes on, like one cut off from the database): the next message is accepted at once, not when the
   * dead turn's lease expires, and the dead process's late answer is fenced off.
   */
  @Test
  void send_processDiedMidTurn_nextMessageAcceptedAtOnceAndLateAnswerFenced() throws Exception {
    try (Harness h = Harness.start(agent)) {
      Session session = h.newSession("coachmira");
      h.fake.enqueue(FakeReply.text("too late").after(Duration.ofMillis(2500)));
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      try (Orchestrator dying = h.another(agent, b -> {})) {
        Future<TurnReply> late = pool.submit(() -> dying.turns().send(TurnRequest.message(h.tenant, session.id(), "Hello"), TurnListener.NONE));
        waitFor(() -> h.fake.requestCount() == 1);
        LeaseOwnerTest.terminate(h.db.jdbi(), dying.turns().ownerId().orElseThrow());

        h.fake.enqueue(FakeReply.text("Hello, I'm Mira."));
        long t0 = System.nanoTime();
        TurnReply reply = h.say(session, "Hello?");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(reply.json().at("/message/text").asText()).isEqualTo("Hello, I'm Mira.");

        java.util.concurrent.ExecutionException fenced = assertThrows(java.util.concurrent.ExecutionException.class,
            () -> late.get(30, TimeUnit.SECONDS));
        assertThat(fenced.getCause()).isInstanceOfSatisfying(AgentException.class,
            e -> assertThat(e.kind()).isEqualTo(AgentException.Kind.INTERRUPTED));
      }
      pool.shutdown();
      assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).extracting(StoredMessage::text)
          .containsExactly("Hello", "Hello?", "Hello, I'm Mira.");
      assertThat(h.orchestrator.sessions().turns(h.tenant, session.id())).extracting(t -> t.status().wire())
          .containsExactly("interrupted", "completed");
    }
  }

  /**
   * A process dies after storing a round; the retry (same key) in another process completes the turn.
   * Its reply lists the call the dead attempt made, and the turn's duration covers every attempt's model
   * and tool time.
   */
  @Test
  void send_retryAfterProcessDiedAfterARound_replyListsEarlierCallsAndDurationCoversAttempts() throws Exception {
    try (Harness h = Harness.start(agent)) {
      Session session = h.newSession("coachmira");
      h.fake.enqueue(
          FakeReply.toolUse("toolu_1", "complete_profile", Fixtures.json(PROFILE)).after(Duration.ofMillis(1200)),
          FakeReply.text("too late").after(Duration.ofMillis(3000)));
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      try (Orchestrator dying = h.another(agent, b -> {})) {
        Future<TurnReply> late = pool.submit(() -> dying.turns().send(
            new TurnRequest(h.tenant, session.id(), Optional.of("Hello"), Optional.of("key-1"), false), TurnListener.NONE));
        waitFor(() -> h.fake.requestCount() == 2);
        LeaseOwnerTest.terminate(h.db.jdbi(), dying.turns().ownerId().orElseThrow());

        h.fake.enqueue(FakeReply.text("Thanks, noted."));
        TurnReply reply = h.say(session, "Hello", "key-1");
        assertThat(reply.json().at("/message/text").asText()).isEqualTo("Thanks, noted.");
        assertThat(reply.json().at("/turn/attempts").asInt()).isEqualTo(2);
        assertThat(reply.json().path("tool_calls")).singleElement().satisfies(call -> {
          assertThat(call.path("name").asText()).isEqualTo("complete_profile");
          assertThat(call.path("status").asText()).isEqualTo("executed");
          assertThat(call.path("phase").asText()).isEqualTo("context");
          assertThat(call.path("input").path("business_stage").asText()).isEqualTo("growing");
        });
        double duration = reply.json().at("/turn/duration_ms").asDouble();
        double model = reply.json().at("/turn/model_ms").asDouble();
        double tool = reply.json().at("/turn/tool_ms").asDouble();
        assertThat(model).isGreaterThan(1000);
        assertThat(duration).isGreaterThanOrEqualTo(model + tool);
        assertThat(reply.json().at("/session/phase").asText()).isEqualTo("exploration");

        assertThat(assertThrows(java.util.concurrent.ExecutionException.class, () -> late.get(30, TimeUnit.SECONDS)).getCause())
            .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.kind()).isEqualTo(AgentException.Kind.INTERRUPTED));
      }
      pool.shutdown();
      assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).extracting(StoredMessage::kind)
          .containsExactly(MessageKind.USER, MessageKind.ASSISTANT, MessageKind.TOOL_RESULT, MessageKind.ASSISTANT);
    }
  }

  /** Waiting for a provider that never answers is model time: the timed-out turn's overhead is what the orchestrator itself spent. */
  @Test
  void send_turnTimesOut_overheadExcludesProviderWait(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    Path yaml = dir.resolve("agent.yaml");
    Files.writeString(yaml, Files.readString(yaml).replace("turn_timeout_seconds: 120", "turn_timeout_seconds: 1.5"));
    AgentDefinition quick = new AgentLoader(ToolHandlers.none()::contains).load(dir);
    try (Harness h = Harness.start(quick)) {
      Session session = h.newSession("coachmira");
      h.fake.enqueue(FakeReply.text("late").after(Duration.ofSeconds(4)));
      assertThat(assertThrows(AgentException.class, () -> h.say(session, "hi")).kind()).isEqualTo(AgentException.Kind.TURN_TIMEOUT);
      ObjectNode turn = (ObjectNode) h.orchestrator.sessions().json(h.tenant, session.id()).path("last_turn");
      double duration = turn.path("duration_ms").asDouble();
      assertThat(duration).isGreaterThanOrEqualTo(1500);
      assertThat(turn.path("model_ms").asDouble()).isGreaterThan(duration / 2);
      assertThat(turn.path("overhead_ms").asDouble()).isLessThan(duration / 2);
      var overhead = h.registry.get("parley.turn.overhead").timer();
      var total = h.registry.get("parley.turn.duration").timer();
      assertThat(overhead.totalTime(TimeUnit.MILLISECONDS)).isLessThan(total.totalTime(TimeUnit.MILLISECONDS) / 2);
    }
  }

  @Test
  void send_modelSlowerThanTurnTimeout_failsRetriably(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.agentsDir().resolve("coachmira"), tmp.resolve("coachmira"));
    Path yaml = dir.resolve("agent.yaml");
    Files.writeString(yaml, Files.readString(yaml).replace("turn_timeout_seconds: 120", "turn_timeout_seconds: 0.5"));
    AgentDefinition quick = new AgentLoader(ToolHandlers.none()::contains).load(dir);
    try (Harness h = Harness.start(quick)) {
      Session session = h.newSession("coachmira");
      h.fake.enqueue(FakeReply.text("late").after(Duration.ofSeconds(2)));
      AgentException e = assertThrows(AgentException.class, () -> h.say(session, "hi"));
      assertThat(e.kind()).isEqualTo(AgentException.Kind.TURN_TIMEOUT);
      assertThat(e.getMessage()).contains("time limit of 0.5 s").contains("0 model calls completed");
      assertThat(h.orchestrator.sessions().json(h.tenant, session.id()).at("/last_turn/status").asText()).isEqualTo("failed");
      assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).hasSize(1);
    }
  }

  @Test
  void sessions_otherTenant_cannotSeeSession() {
    try (Harness h = Harness.start(agent)) {
      Session session = h.newSession("coachmira");
      h.fake.enqueue(FakeReply.text("Hello, Dana."));
      h.say(session, "Hello", "key-1");
      TenantId other = new Tenants(h.db.jdbi()).ensure("other");

      assertThat(h.orchestrator.sessions().find(other, session.id())).isEmpty();
      List<Executable> refused = List.of(
          () -> h.orchestrator.sessions().json(other, session.id()),
          () -> h.orchestrator.sessions().messages(other, session.id()),
          () -> h.orchestrator.sessions().turns(other, session.id()),
          () -> h.orchestrator.sessions().events(other, session.id(), 0, 100),
          // The owner's key must not replay the owner's reply to another tenant.
          () -> h.orchestrator.turns().send(new TurnRequest(other, session.id(), Optional.of("Hello"), Optional.of("key-1"), false), TurnListener.NONE),
          () -> h.orchestrator.turns().send(TurnRequest.message(other, session.id(), "hi"), TurnListener.NONE));
      for (Executable call : refused) {
        assertThat(assertThrows(AgentException.class, call).kind()).isEqualTo(AgentException.Kind.NOT_FOUND);
      }

      // The refused posts stored nothing in the owner's session and never reached the model.
      assertThat(h.fake.requestCount()).isEqualTo(1);
      assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).extracting(StoredMessage::text).containsExactly("Hello", "Hello, Dana.");
      assertThat(h.orchestrator.sessions().turns(h.tenant, session.id())).hasSize(1);
      Session now = h.orchestrator.sessions().find(h.tenant, session.id()).orElseThrow();
      assertThat(now.stats().turns()).isEqualTo(1);
      assertThat(now.activeTurn()).isEmpty();
    }
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(10);
    }
  }
}
