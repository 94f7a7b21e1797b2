package dev.parley.agent.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.agent.fsm.TurnStatus;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.session.TurnRecord;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import dev.parley.store.Database;
import dev.parley.store.TenantId;
import dev.parley.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Statements keyed by a globally unique id still filter on the tenant: the wrong tenant sees and changes nothing. */
class TenantIsolationTest {
  private static final TenantId OWNER = TenantId.DEFAULT;
  private static final TenantId OTHER = new TenantId(2);
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void wrongTenantTouchesNoTurnIdempotencyMessageOrLease() {
    try (Database db = TestDatabase.fresh()) {
      UUID session = UUID.randomUUID();
      UUID turn = UUID.randomUUID();
      UUID token = UUID.randomUUID();
      db.jdbi().useHandle(h -> {
        h.execute("INSERT INTO tenants (id, name) VALUES (2, 'other')");
        h.createUpdate("""
                INSERT INTO sessions (id, tenant_id, agent, status, phase, state) VALUES (:id, 1, 'a', 'active', 'start', CAST(:state AS jsonb))""")
            .bind("id", session).bind("state", Json.write(StateCodec.encode(Json.object()))).execute();
        assertThat(SessionRepository.acquire(h, OWNER, session, turn, token, 1, NOW, NOW.plusSeconds(60), 1, 1)).isPresent();
        TurnRepository.insert(h, OWNER, turn, session, 1, 1, NOW);
        IdempotencyRepository.insert(h, OWNER, session, "k", "hash", turn);
        MessageRepository.insert(h, OWNER, new StoredMessage(session, 1, UUID.randomUUID(), Optional.of(turn), MessageKind.USER,
            List.of(new ContentBlock.Text("hi")), 1, "start", NOW));
      });

      db.jdbi().useHandle(h -> {
        Usage usage = new Usage(5, 5, 0, 0);
        assertThat(TurnRepository.find(h, OTHER, turn)).isEmpty();
        assertThat(TurnRepository.nextSeq(h, OTHER, session)).isEqualTo(1);
        assertThat(TurnRepository.casStatus(h, OTHER, turn, TurnStatus.RUNNING, TurnStatus.FAILED, Optional.of("x"), Optional.of("x"), NOW))
            .isFalse();
        TurnRepository.addRound(h, OTHER, turn, 1, 1, usage, 1.0, 1.0, 1.0);
        TurnRepository.setDuration(h, OTHER, turn, 9.0);
        assertThat(TurnRepository.complete(h, OTHER, turn, 1, 1, usage, 1.0, 1.0, 1.0, 9.0, NOW)).isEmpty();
        IdempotencyRepository.storeReply(h, OTHER, turn, "{\"leak\":true}");
        assertThat(MessageRepository.nextSeq(h, OTHER, session)).isEqualTo(1);
        assertThat(SessionRepository.renewLease(h, OTHER, session, token, NOW.plusSeconds(600))).isFalse();
        assertThat(SessionRepository.commitRound(h, OTHER, session, token, NOW.plusSeconds(600), 2, usage, 1.0, NOW, Optional.empty()))
            .isFalse();
        assertThat(SessionRepository.casSummary(h, OTHER, session, token, 0, "leak", 1, NOW)).isFalse();
        assertThat(SessionRepository.finish(h, OTHER, session, token, 1, usage, 1.0, NOW)).isEmpty();
        assertThat(SessionRepository.releaseLease(h, OTHER, session, token)).isFalse();
        assertThat(SessionRepository.leaseHeld(h, OTHER, session, turn, NOW)).isFalse();

        // The owner's rows are as they were.
        TurnRecord stored = TurnRepository.find(h, OWNER, turn).orElseThrow();
        assertThat(stored.status()).isEqualTo(TurnStatus.RUNNING);
        assertThat(stored.rounds()).isZero();
        assertThat(stored.durationMs()).isEmpty();
        assertThat(IdempotencyRepository.find(h, OWNER, session, "k").orElseThrow().reply()).isEmpty();
        var held = SessionRepository.find(h, OWNER, session).orElseThrow();
        assertThat(held.activeTurn()).contains(turn);
        assertThat(held.leaseUntil()).contains(NOW.plusSeconds(60));
        assertThat(held.summary()).isEmpty();

        // The owner's tenant id reaches the same rows.
        assertThat(TurnRepository.nextSeq(h, OWNER, session)).isEqualTo(2);
        assertThat(MessageRepository.nextSeq(h, OWNER, session)).isEqualTo(2);
        IdempotencyRepository.storeReply(h, OWNER, turn, "{\"ok\":true}");
        assertThat(IdempotencyRepository.find(h, OWNER, session, "k").orElseThrow().reply()).isPresent();
        assertThat(SessionRepository.renewLease(h, OWNER, session, token, NOW.plusSeconds(600))).isTrue();
        assertThat(SessionRepository.releaseLease(h, OWNER, session, token)).isTrue();
      });
    }
  }
}
