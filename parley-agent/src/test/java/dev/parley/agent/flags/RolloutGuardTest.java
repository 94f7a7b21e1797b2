package dev.parley.agent.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.persist.SignalRepository;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.Signal;
import dev.parley.agent.testing.Fixtures;
import dev.parley.agent.testing.Harness;
import dev.parley.agent.testing.MutableClock;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Guarded rollouts, on real turns: the orchestrator against the fake Anthropic server, which fails the
 * turns a test asks it to (500 api_error: the turn ends {@code failed} with a provider error).
 */
final class RolloutGuardTest {
  private static final String FLAG = "context_window";

  /** The fake answers "ok", or 500 while {@code failing} is set. */
  private static AtomicBoolean failWhenSet(Harness h) {
    AtomicBoolean failing = new AtomicBoolean();
    h.fake.respondWith(r -> failing.get() ? FakeReply.serverError() : FakeReply.text("ok"));
    return failing;
  }

  /** {@code ok} completed turns, then {@code failed} failed ones, on sessions of five turns that {@code sessionOk} accepts. */
  private static void turns(Harness h, AtomicBoolean failing, int ok, int failed, Predicate<Session> sessionOk) {
    Session session = session(h, sessionOk);
    for (int i = 0; i < ok + failed; i++) {
      if (i > 0 && i % 5 == 0) {
        session = session(h, sessionOk);
      }
      Session s = session;
      failing.set(i >= ok);
      if (i >= ok) {
        AgentException e = assertThrows(AgentException.class, () -> h.say(s, "hello"));
        assertThat(e.kind()).isEqualTo(AgentException.Kind.PROVIDER_ERROR);
      } else {
        h.say(s, "hello");
      }
    }
  }

  private static Session session(Harness h, Predicate<Session> accept) {
    while (true) {
      Session s = h.newSession("coachmira");
      if (accept.test(s)) {
        return s;
      }
    }
  }

  private static FlagGuard guard(double maxErrorRate, int minTurns) {
    return new FlagGuard(true, maxErrorRate, minTurns, Duration.ofMinutes(15));
  }

  private static List<Signal> signals(Harness h) {
    return h.db.jdbi().withHandle(x -> SignalRepository.list(x, h.tenant)).stream().filter(s -> s.signal().equals(RolloutGuard.EVENT)).toList();
  }

  private static double rollbacks(Harness h) {
    var counter = h.registry.find("parley.flag.rollbacks").tag("parley.flag", FLAG).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void check_errorRateAboveThreshold_rollsBackToZeroWithEventAndSignal() {
    try (Harness h = Harness.start(Fixtures.coachMira())) {
      Flags flags = h.orchestrator.flags();
      flags.set(FLAG, true, 100, guard(0.05, 20));
      turns(h, failWhenSet(h), 16, 4, s -> true);

      List<RolloutGuard.Verdict> verdicts = h.orchestrator.rolloutGuard().check();

      assertThat(verdicts).singleElement().satisfies(v -> {
        assertThat(v.outcome()).isEqualTo(RolloutGuard.Outcome.ROLLED_BACK);
        assertThat(v.turns()).isEqualTo(20);
        assertThat(v.errors()).isEqualTo(4);
        assertThat(v.errorRate()).isEqualTo(0.2);
      });
      Flag now = flags.get(FLAG);
      assertThat(now.rollout()).isZero();
      assertThat(now.enabled()).isTrue();
      assertThat(now.guard()).isEqualTo(guard(0.05, 20));
      assertThat(flags.evaluate(h.newSession("coachmira").id().toString()).contextWindow()).isFalse();

      List<FlagRepository.FlagEvent> events = flags.repository().events(FLAG);
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo("flag_rolled_back");
        assertThat(e.data().path("from_rollout").asInt()).isEqualTo(100);
        assertThat(e.data().path("to_rollout").asInt()).isZero();
        assertThat(e.data().path("turns").asLong()).isEqualTo(20);
        assertThat(e.data().path("errors").asLong()).isEqualTo(4);
        assertThat(e.data().path("error_rate").asDouble()).isEqualTo(0.2);
        assertThat(e.data().at("/guard/max_error_rate").asDouble()).isEqualTo(0.05);
        assertThat(e.data().at("/tenants/0/tenant").asLong()).isEqualTo(h.tenant.value());
      });
      assertThat(signals(h)).singleElement().satisfies(s -> {
        assertThat(s.severity()).isEqualTo("high");
        assertThat(s.signature()).isEqualTo("flag_rolled_back:context_window");
        assertThat(s.snippet()).hasValueSatisfying(t -> assertThat(t).contains("from 100 % to 0 %").contains("4 of 20 turns"));
        JsonNode json = s.toJson();
        assertThat(json.fieldNames()).toIterable().contains("id", "at", "signal", "severity", "signature");
      });
      assertThat(rollbacks(h)).isEqualTo(1.0);

      // Rolled back: nothing left to judge; raised again, only turns after the change count.
      assertThat(h.orchestrator.rolloutGuard().check()).isEmpty();
      flags.set(FLAG, true, 100);
      assertThat(h.orchestrator.rolloutGuard().check()).singleElement()
          .satisfies(v -> assertThat(v.outcome()).isEqualTo(RolloutGuard.Outcome.TOO_FEW_TURNS))
          .satisfies(v -> assertThat(v.turns()).isZero());
      assertThat(flags.repository().events(FLAG)).hasSize(1);
    }
  }

  @Test
  void check_errorRateAtThreshold_unchanged() {
    try (Harness h = Harness.start(Fixtures.coachMira())) {
      Flags flags = h.orchestrator.flags();
      flags.set(FLAG, true, 100, guard(0.10, 20));
      turns(h, failWhenSet(h), 18, 2, s -> true);

      assertThat(h.orchestrator.rolloutGuard().check()).singleElement().satisfies(v -> {
        assertThat(v.outcome()).isEqualTo(RolloutGuard.Outcome.WITHIN_THRESHOLD);
        assertThat(v.errorRate()).isEqualTo(0.10);
      });
      assertThat(flags.get(FLAG).rollout()).isEqualTo(100);
      assertThat(flags.repository().events(FLAG)).isEmpty();
      assertThat(signals(h)).isEmpty();
      assertThat(rollbacks(h)).isZero();
    }
  }

  @Test
  void check_fewerTurnsThanMinimum_unchanged() {
    try (Harness h = Harness.start(Fixtures.coachMira())) {
      Flags flags = h.orchestrator.flags();
      flags.set(FLAG, true, 100, guard(0.01, 50));
      turns(h, failWhenSet(h), 0, 10, s -> true);

      assertThat(h.orchestrator.rolloutGuard().check()).singleElement().satisfies(v -> {
        assertThat(v.outcome()).isEqualTo(RolloutGuard.Outcome.TOO_FEW_TURNS);
        assertThat(v.turns()).isEqualTo(10);
        assertThat(v.errors()).isEqualTo(10);
      });
      assertThat(flags.get(FLAG).rollout()).isEqualTo(100);
      assertThat(flags.repository().events(FLAG)).isEmpty();
      assertThat(signals(h)).isEmpty();
    }
  }

  @Test
  void check_guardOffOrNone_unchanged() {
    try (Harness h = Harness.start(Fixtures.coachMira())) {
      Flags flags = h.orchestrator.flags();
      flags.set(FLAG, true, 100); // no guard: the default
      AtomicBoolean failing = failWhenSet(h);
      turns(h, failing, 0, 5, s -> true);
      assertThat(h.orchestrator.rolloutGuard().check()).isEmpty();
      flags.set(FLAG, true, 100, guard(0.01, 5).with(java.util.Optional.of(false), java.util.OptionalDouble.empty(),
          java.util.OptionalInt.empty(), java.util.Optional.empty()));
      turns(h, failing, 0, 5, s -> true);

      assertThat(h.orchestrator.rolloutGuard().check()).isEmpty();
      assertThat(flags.get(FLAG).rollout()).isEqualTo(100);
      assertThat(flags.get(FLAG).guard().enabled()).isFalse();
      assertThat(flags.repository().events(FLAG)).isEmpty();
      assertThat(signals(h)).isEmpty();
    }
  }

  @Test
  void check_failuresOutsideTheRolloutBucket_notCounted() {
    try (Harness h = Harness.start(Fixtures.coachMira())) {
      Flags flags = h.orchestrator.flags();
      flags.set(FLAG, true, 50, guard(0.05, 10));
      AtomicBoolean failing = failWhenSet(h);
      // Completed turns in the flag's bucket, failed turns outside it: the flag is not to blame.
      turns(h, failing, 10, 0, s -> Rollout.bucket(FLAG, s.id().toString()) <= 50);
      turns(h, failing, 0, 10, s -> Rollout.bucket(FLAG, s.id().toString()) > 50);

      assertThat(h.orchestrator.rolloutGuard().check()).singleElement().satisfies(v -> {
        assertThat(v.outcome()).isEqualTo(RolloutGuard.Outcome.WITHIN_THRESHOLD);
        assertThat(v.turns()).isEqualTo(10);
        assertThat(v.errors()).isZero();
      });
      assertThat(flags.get(FLAG).rollout()).isEqualTo(50);
      // Each turn recorded the flags it ran with.
      List<String> recorded = h.db.jdbi().withHandle(x -> x.createQuery("SELECT flags::text FROM agent_turns ORDER BY started_at")
          .mapTo(String.class).list());
      assertThat(recorded).hasSize(20);
      assertThat(recorded.stream().map(Json::parse).filter(j -> j.path(FLAG).asBoolean())).hasSize(10);
      assertThat(recorded.stream().map(Json::parse)).allSatisfy(j -> assertThat(j.path("modular_prompts").asBoolean()).isTrue());
    }
  }

  @Test
  void check_failuresOlderThanTheWindow_notCounted() {
    MutableClock clock = new MutableClock();
    try (Harness h = Harness.start(Fixtures.coachMira(), b -> b.clock(clock))) {
      Flags flags = h.orchestrator.flags();
      flags.set(FLAG, true, 100, guard(0.05, 10));
      turns(h, failWhenSet(h), 0, 10, s -> true);
      clock.advance(Duration.ofMinutes(16));

      assertThat(h.orchestrator.rolloutGuard().check()).singleElement().satisfies(v -> {
        assertThat(v.outcome()).isEqualTo(RolloutGuard.Outcome.TOO_FEW_TURNS);
        assertThat(v.turns()).isZero();
      });
      assertThat(flags.get(FLAG).rollout()).isEqualTo(100);
    }
  }

  @Test
  void check_flagChangedSinceItWasRead_secondProcessDoesNothing() {
    try (Harness h = Harness.start(Fixtures.coachMira())) {
      Flags flags = h.orchestrator.flags();
      flags.set(FLAG, true, 100, guard(0.05, 5));
      turns(h, failWhenSet(h), 0, 5, s -> true);
      Flag seen = flags.get(FLAG);
      assertThat(h.orchestrator.rolloutGuard().check()).singleElement()
          .satisfies(v -> assertThat(v.outcome()).isEqualTo(RolloutGuard.Outcome.ROLLED_BACK));
      // What a second process that read the flag before the rollback would attempt.
      java.util.Optional<Flag> second = h.db.jdbi().withHandle(x -> FlagRepository.rollBack(x, seen));
      assertThat(second).isEmpty();
      assertThat(flags.repository().events(FLAG)).hasSize(1);
    }
  }
}
