package dev.parley.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.persist.MessageRepository;
import dev.parley.agent.persist.SessionRepository;
import dev.parley.agent.persist.TurnRepository;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.session.TurnRecord;
import dev.parley.agent.testing.Fixtures;
import dev.parley.agent.testing.Harness;
import dev.parley.core.chat.ContentBlock;
import dev.parley.fakes.FakeReply;
import dev.parley.store.Database;
import dev.parley.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Leases fenced on process liveness: a process that died (its owner lock is gone) frees its sessions at
 * once, a live one keeps them. A dead process is simulated by a lease whose owner lock was taken on a
 * connection that is then closed, or whose backend is terminated (what PostgreSQL sees of a kill -9).
 */
final class LeaseOwnerTest {
  private static final Duration LEASE = Duration.ofSeconds(150);

  private final AgentDefinition agent = Fixtures.coachMira();

  @Test
  void send_leaseOfAProcessThatDied_acceptedAtOnceAndStrandedTurnInterrupted() {
    try (Harness h = Harness.start(agent)) {
      Session session = h.newSession("coachmira");
      UUID stranded;
      try (Handle process = process(h.db)) {
        int owner = lockNewOwner(process);
        stranded = strandTurn(h, session, owner, "Hello");
        // Alive: its lease holds, and nobody waits for it in this process (no in-process lock is involved).
        AgentException busy = assertThrows(AgentException.class, () -> h.say(session, "Is anyone there?"));
        assertThat(busy.kind()).isEqualTo(AgentException.Kind.TURN_IN_PROGRESS);
        assertThat(h.orchestrator.sessions().json(h.tenant, session.id()).at("/last_turn/status").asText()).isEqualTo("running");
      }
      // The process is gone (its connection closed, so its lock with it); its lease has 150 s left.
      assertThat(h.orchestrator.sessions().json(h.tenant, session.id()).at("/last_turn/status").asText()).isEqualTo("interrupted");

      h.fake.enqueue(FakeReply.text("I'm here."));
      long t0 = System.nanoTime();
      TurnReply reply = h.say(session, "Is anyone there?");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(reply.json().at("/message/text").asText()).isEqualTo("I'm here.");

      List<TurnRecord> turns = h.orchestrator.sessions().turns(h.tenant, session.id());
      assertThat(turns).extracting(TurnRecord::id).first().isEqualTo(stranded);
      assertThat(turns).extracting(t -> t.status().wire()).containsExactly("interrupted", "completed");
      // The stranded message got no answer and the user moved on: it is not merged into the new one.
      assertThat(h.fake.request(0).messages()).hasSize(1);
      assertThat(h.fake.request(0).lastMessageText()).isEqualTo("Is anyone there?");
    }
  }

  @Test
  void recoverInterrupted_ownerGone_marksTurnAndFreesLeaseWithoutWaitingForExpiry() {
    try (Harness h = Harness.start(agent)) {
      Session live = h.newSession("coachmira");
      Session dead = h.newSession("coachmira");
      try (Handle liveProcess = process(h.db)) {
        strandTurn(h, live, lockNewOwner(liveProcess), "still being answered");
        try (Handle deadProcess = process(h.db)) {
          strandTurn(h, dead, lockNewOwner(deadProcess), "never answered");
        }
        assertThat(h.orchestrator.turns().recoverInterrupted()).isEqualTo(1);
        assertThat(find(h, dead).activeTurn()).isEmpty();
        assertThat(find(h, live).activeTurn()).isPresent();
        ObjectNode json = h.orchestrator.sessions().json(h.tenant, dead.id());
        assertThat(json.at("/last_turn/status").asText()).isEqualTo("interrupted");
        assertThat(json.at("/last_turn/retriable").asBoolean()).isTrue();
      }
    }
  }

  @Test
  void send_twoLiveEngines_neitherTakesTheOthersLease() throws Exception {
    try (Harness h = Harness.start(agent)) {
      Session session = h.newSession("coachmira");
      h.fake.enqueue(FakeReply.text("slow answer").after(Duration.ofMillis(1500)));
      try (var other = h.another(agent, b -> {})) {
        var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        var first = pool.submit(() -> other.turns().send(TurnRequest.message(h.tenant, session.id(), "first"), TurnListener.NONE));
        ReliabilityTest.waitFor(() -> h.fake.requestCount() == 1);
        assertThat(other.turns().ownerId()).isPresent();
        AgentException busy = assertThrows(AgentException.class, () -> h.say(session, "second"));
        assertThat(busy.kind()).isEqualTo(AgentException.Kind.TURN_IN_PROGRESS);
        assertThat(first.get(30, TimeUnit.SECONDS).json().at("/message/text").asText()).isEqualTo("slow answer");
        pool.shutdown();
        assertThat(h.orchestrator.turns().ownerId()).isPresent().isNotEqualTo(other.turns().ownerId());
      }
    }
  }

  @Test
  void id_connectionTerminated_sameIdLockedAgain() throws InterruptedException {
    try (Database db = TestDatabase.fresh()) {
      LeaseOwner owner = new LeaseOwner(db.jdbi());
      int id = owner.id();
      assertThat(locked(db.jdbi(), id)).isTrue();
      terminate(db.jdbi(), id);
      assertThat(owner.id()).isEqualTo(id);
      assertThat(locked(db.jdbi(), id)).isTrue();
      owner.close();
      assertThat(locked(db.jdbi(), id)).isFalse();
      assertThrows(IllegalStateException.class, owner::id);
    }
  }

  @Test
  void id_nextIdLockedByAnotherProcess_skipsIt() {
    try (Database db = TestDatabase.fresh(); Handle other = process(db)) {
      int taken = lockNewOwner(other);
      other.createQuery("SELECT setval('lease_owners', :v, false)").bind("v", taken).mapTo(Long.class).one();
      LeaseOwner owner = new LeaseOwner(db.jdbi());
      try {
        assertThat(owner.id()).isEqualTo(taken + 1);
      } finally {
        owner.close();
      }
    }
  }

  /**
   * A connection of its own, as another process has (not one of the pool, which would stay open, and
   * keep its locks, when closed).
   */
  static Handle process(Database db) {
    try {
      String url;
      String user;
      try (Connection pooled = db.dataSource().getConnection()) {
        url = pooled.getMetaData().getURL();
        user = pooled.getMetaData().getUserName();
      }
      return Jdbi.open(DriverManager.getConnection(url, user, null));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Takes an owner id and its lock on {@code process}, as a {@link LeaseOwner} does. */
  static int lockNewOwner(Handle process) {
    int id = process.createQuery("SELECT nextval('lease_owners')::integer").mapTo(Integer.class).one();
    assertThat(process.createQuery("SELECT pg_try_advisory_lock(:ns, :id)").bind("ns", LeaseOwner.NAMESPACE).bind("id", id)
        .mapTo(Boolean.class).one()).isTrue();
    return id;
  }

  /** What a process leaves behind when it dies right after claiming a turn: the lease, the running turn, the user message. */
  private static UUID strandTurn(Harness h, Session session, int owner, String text) {
    UUID turn = UUID.randomUUID();
    Instant now = Instant.now();
    h.db.jdbi().useTransaction(x -> {
      Session held = SessionRepository.acquire(x, h.tenant, session.id(), turn, UUID.randomUUID(), owner, now, now.plus(LEASE), 1, 1)
          .orElseThrow().session();
      int seq = held.stats().messages();
      TurnRepository.insert(x, h.tenant, turn, session.id(), held.stats().turns(), seq, now);
      MessageRepository.insert(x, h.tenant, new StoredMessage(session.id(), seq, UUID.randomUUID(), Optional.of(turn), MessageKind.USER,
          List.of(new ContentBlock.Text(text)), 3, held.phase(), now));
    });
    return turn;
  }

  private static Session find(Harness h, Session session) {
    return h.orchestrator.sessions().find(h.tenant, session.id()).orElseThrow();
  }

  static boolean locked(Jdbi jdbi, int id) {
    return jdbi.withHandle(x -> x.createQuery("""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = CAST(:ns AS oid) AND objid = CAST(:id AS oid)
              AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))""")
        .bind("ns", LeaseOwner.NAMESPACE).bind("id", id).mapTo(Boolean.class).one());
  }

  /** Ends the backend that holds owner {@code id}'s lock, as PostgreSQL does when that process dies, and waits until it is gone. */
  static void terminate(Jdbi jdbi, int id) throws InterruptedException {
    jdbi.useHandle(x -> x.createQuery("""
            SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = CAST(:ns AS oid) AND objid = CAST(:id AS oid)
              AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")
        .bind("ns", LeaseOwner.NAMESPACE).bind("id", id).mapTo(Boolean.class).list());
    ReliabilityTest.waitFor(() -> !locked(jdbi, id));
  }
}
