package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.flags.FlagSet;
import dev.parley.agent.fsm.TurnStatus;
import dev.parley.agent.persist.EventRepository;
import dev.parley.agent.persist.IdempotencyRepository;
import dev.parley.agent.persist.MessageRepository;
import dev.parley.agent.persist.SessionRepository;
import dev.parley.agent.persist.SignalRepository;
import dev.parley.agent.persist.TurnRepository;
import dev.parley.agent.prompt.TokenEstimator;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.session.TurnRecord;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.error.BadInputException;
import dev.parley.core.hash.ContentHash;
import dev.parley.core.json.Json;
import dev.parley.core.text.TextChecks;
import dev.parley.store.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every database transaction of a turn, so that what a crash can leave behind is decided here alone.
 * Each write after the claim is fenced by the turn's lease token and carries the turn's pending
 * figures, events and signals with it ({@link TurnRun.Pending}): a round, a summary, the end of the
 * turn or its failure is stored whole or not at all, and a dead attempt's late write is refused with
 * {@link TurnErrors.LeaseLost}.
 */
final class TurnLedger {
  private static final Logger LOG = LoggerFactory.getLogger(TurnLedger.class);

  private final Jdbi jdbi;
  private final Duration leaseMargin;
  private final LeaseOwner owner;

  TurnLedger(Jdbi jdbi, Duration leaseMargin, LeaseOwner owner) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
    this.leaseMargin = requireNonNull(leaseMargin, "leaseMargin is null");
    this.owner = requireNonNull(owner, "owner is null");
  }

  /**
   * What a claimed turn starts from.
   *
   * @param resumed whether an earlier attempt of the turn ran (a retry or a repeated Idempotency-Key)
   * @param priorMs the time earlier attempts took: the durations they recorded, but at least the model
   *     and tool time they stored (an attempt that crashed recorded none), so that the turn's duration
   *     never falls below its model and tool time
   */
  record Claim(Session session, UUID turnId, UUID leaseToken, int userSeq, int nextSeq, boolean resumed, double priorMs) {}

  /** A completed turn: the session after it and the reply exactly as stored for replay. */
  record Finished(Session session, ObjectNode reply) {}

  /** What an Idempotency-Key is bound to: a retry and a message hash apart, so neither replays the other. */
  static String requestHash(TurnRequest request) {
    return ContentHash.sha256Hex(request.retry() ? "retry" : "text:" + request.text().orElse(""));
  }

  Optional<Session> session(TenantId tenant, UUID id) {
    return jdbi.withHandle(h -> SessionRepository.find(h, tenant, id));
  }

  /**
   * The stored reply of a request whose Idempotency-Key was seen before; empty when the key is new or
   * its turn has not completed.
   */
  Optional<TurnReply> replay(TurnRequest request, String hash) {
    if (request.idempotencyKey().isEmpty()) {
      return Optional.empty();
    }
    Optional<IdempotencyRepository.Entry> entry = jdbi.withHandle(h ->
        IdempotencyRepository.find(h, request.tenant(), request.sessionId(), request.idempotencyKey().get()));
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    if (!entry.get().requestHash().equals(hash)) {
      throw new AgentException(AgentException.Kind.IDEMPOTENCY_MISMATCH,
          "Idempotency-Key '" + request.idempotencyKey().get() + "' was already used with a different request body");
    }
    return entry.get().reply().map(r -> new TurnReply(r, true));
  }

  /**
   * Takes the session's lease and starts the turn in one transaction: a new turn stores its user message
   * (and Idempotency-Key) with it; a known key or a retry resumes the failed or interrupted turn without
   * storing the message again. A previous holder whose lease expired, or whose process died (see
   * {@link LeaseOwner}), is marked interrupted.
   */
  Claim claim(TurnRequest request, AgentDefinition agent, String hash, FlagSet flags, Instant now) {
    int ownerId = owner.id();
    return jdbi.inTransaction(h -> claim(h, request, agent, hash, flags, ownerId, now));
  }

  private Claim claim(Handle h, TurnRequest request, AgentDefinition agent, String hash, FlagSet flags, int ownerId, Instant now) {
    TenantId tenant = request.tenant();
    UUID sessionId = request.sessionId();
    Optional<IdempotencyRepository.Entry> entry = request.idempotencyKey().flatMap(k -> IdempotencyRepository.find(h, tenant, sessionId, k));
    UUID turnId;
    boolean resume;
    if (entry.isPresent()) {
      turnId = entry.get().turnId();
      resume = true;
    } else if (request.retry()) {
      TurnRecord last = TurnRepository.latest(h, tenant, sessionId)
          .orElseThrow(() -> new BadInputException("session " + sessionId + " has no turn to retry"));
      if (last.status() == TurnStatus.COMPLETED) {
        throw new BadInputException("nothing to retry: the last turn of session " + sessionId + " completed");
      }
      turnId = last.id();
      resume = true;
    } else {
      turnId = UUID.randomUUID();
      resume = false;
    }
    Instant until = now.plus(agent.limits().turnTimeout()).plus(leaseMargin);
    UUID token = UUID.randomUUID();
    int added = resume ? 0 : 1;
    SessionRepository.Acquired acquired = SessionRepository.acquire(h, tenant, sessionId, turnId, token, ownerId, now, until, added, added)
        .orElseThrow(() -> TurnErrors.busy(sessionId));
    List<AgentEvent> events = new ArrayList<>();
    Optional<UUID> previous = acquired.previous();
    if (previous.isPresent() && TurnRepository.casStatus(h, tenant, previous.get(), TurnStatus.RUNNING, TurnStatus.INTERRUPTED,
        Optional.of("turn_interrupted"), Optional.of(TurnRepository.INTERRUPTED_MESSAGE), now)) {
      events.add(interrupted(sessionId, previous.get(), now));
    }
    Session session = acquired.session();
    int userSeq;
    double priorMs = 0;
    if (resume) {
      TurnRecord turn = TurnRepository.find(h, tenant, turnId).orElseThrow(() -> new IllegalStateException("turn " + turnId + " of an idempotency key is missing"));
      if (!turn.status().isRetriable()) {
        throw new IllegalStateException("turn " + turnId + ": expected a failed or interrupted turn to resume, found " + turn.status());
      }
      TurnRepository.casStatus(h, tenant, turnId, turn.status(), TurnStatus.RUNNING, Optional.empty(), Optional.empty(), now);
      userSeq = turn.userMessageSeq();
      priorMs = Math.max(turn.durationMs().orElse(0.0), turn.modelMs() + turn.toolMs());
    } else {
      // The counters were incremented with the lease: message_count is now the new message's seq.
      userSeq = session.stats().messages();
      TurnRepository.insert(h, tenant, turnId, sessionId, session.stats().turns(), userSeq, now);
      List<ContentBlock> blocks = List.of(new ContentBlock.Text(request.text().orElseThrow()));
      MessageRepository.insert(h, tenant, new StoredMessage(sessionId, userSeq, UUID.randomUUID(), Optional.of(turnId), MessageKind.USER, blocks,
          TokenEstimator.blocks(blocks), session.phase(), now));
      if (request.idempotencyKey().isPresent()) {
        IdempotencyRepository.insert(h, tenant, sessionId, request.idempotencyKey().get(), hash, turnId);
      }
    }
    // The flags this attempt runs with, for the rollout guard and the decision gate (agent/flags, agent/metrics).
    TurnRepository.recordFlags(h, tenant, turnId, flags.toJson());
    EventRepository.insertAll(h, tenant, events);
    return new Claim(session, turnId, token, userSeq, session.stats().messages() + 1, resume, priorMs);
  }

  /** The tool calls that earlier attempts of a resumed turn decided ({@link ToolRound#earlierCalls}). */
  List<ObjectNode> earlierCalls(TurnRun run) {
    List<StoredMessage> mine = run.history.stream().filter(m -> m.turnId().filter(run.turnId::equals).isPresent()).toList();
    if (mine.stream().noneMatch(StoredMessage::hasToolUse)) {
      return List.of();
    }
    List<AgentEvent> events = jdbi.withHandle(h -> EventRepository.ofTurn(h, run.tenant, run.sessionId(), run.turnId));
    return ToolRound.earlierCalls(mine, events);
  }

  /** The session's messages after seq {@code afterSeq}, oldest first. */
  List<StoredMessage> history(TurnRun run, int afterSeq) {
    return jdbi.withHandle(h -> MessageRepository.list(h, run.tenant, run.sessionId(), afterSeq));
  }

  /** Stores a new rolling summary covering messages up to {@code throughSeq}, compare-and-set on the session's version. */
  void recordSummary(TurnRun run, String summary, int throughSeq, Instant now) {
    long version = run.session.version();
    jdbi.useTransaction(h -> {
      fence(h, run, now);
      if (!SessionRepository.casSummary(h, run.tenant, run.sessionId(), run.leaseToken, version, summary, throughSeq, now)) {
        throw new TurnErrors.LeaseLost("session " + run.sessionId() + " changed under turn " + run.turnId + " (expected version " + version + ")");
      }
      flush(h, run, 0, 0, now);
    });
  }

  /** Stores a tool round: the assistant message with its tool_uses, their results and the session's change, if any. */
  void recordRound(TurnRun run, StoredMessage toolUses, StoredMessage results, Optional<SessionRepository.StateChange> change, Instant now) {
    long version = run.session.version();
    jdbi.useTransaction(h -> {
      // Fence first: the update locks the session row and fails when another attempt holds the lease.
      if (!SessionRepository.commitRound(h, run.tenant, run.sessionId(), run.leaseToken, leaseUntil(run, now), 2, run.pending.usage, run.pending.cost,
          now, change)) {
        throw new TurnErrors.LeaseLost("turn " + run.turnId + " lost session " + run.sessionId() + " (lease taken over or version " + version
            + " changed); nothing more was stored");
      }
      MessageRepository.insert(h, run.tenant, toolUses);
      MessageRepository.insert(h, run.tenant, results);
      flushTurn(h, run, 1);
    });
  }

  /**
   * Completes the turn and releases the lease: stores {@code answer} when it is new ({@code storeAnswer};
   * otherwise it is the last round's assistant message, already stored) and the reply for replay.
   */
  Finished finish(TurnRun run, StoredMessage answer, boolean storeAnswer, String stop, double durationMs, Instant now) {
    Finished finished = jdbi.inTransaction(h -> {
      Session session = SessionRepository.finish(h, run.tenant, run.sessionId(), run.leaseToken, storeAnswer ? 1 : 0, run.pending.usage, run.pending.cost, now)
          .orElseThrow(() -> new TurnErrors.LeaseLost("turn " + run.turnId + " lost session " + run.sessionId()
              + " to another attempt (its lease expired); nothing more was stored"));
      if (storeAnswer) {
        MessageRepository.insert(h, run.tenant, answer);
      }
      TurnRecord turn = TurnRepository.complete(h, run.tenant, run.turnId, 0, run.pending.calls, run.pending.usage, run.pending.cost,
              run.pending.modelNanos / 1e6, run.pending.toolNanos / 1e6, run.turnMs(durationMs), now)
          .orElseThrow(() -> new TurnErrors.LeaseLost("turn " + run.turnId + " is no longer running"));
      EventRepository.insertAll(h, run.tenant, run.pending.events);
      SignalRepository.insertAll(h, run.tenant, Optional.of(run.sessionId()), run.pending.signals);
      ObjectNode json = TextChecks.sanitize(TurnReplyJson.render(answer, session, turn, run.toolCalls, stop));
      // The reply as the store keeps it, so that a replay is identical to this answer.
      String text = Json.write(json);
      IdempotencyRepository.storeReply(h, run.tenant, run.turnId, text);
      return new Finished(session, (ObjectNode) Json.parse(text));
    });
    run.pending.clear();
    return finished;
  }

  /**
   * Records a failed or interrupted turn with its error event and releases the lease; writes nothing
   * when another attempt holds the session now. When what the attempt had pending cannot be stored (it
   * may be what failed the turn), the failure is recorded without its pending events and signals:
   * the session must not stay locked until its lease expires, nor the turn be reported later as a
   * crash.
   */
  void fail(TurnRun run, TurnStatus status, String code, String message, double durationMs, Instant now) {
    try {
      jdbi.useTransaction(h -> failIn(h, run, status, code, message, durationMs, now));
    } catch (RuntimeException e) {
      LOG.warn("session {} turn {}: cannot store the {} turn with its pending events ({}); storing the failure alone", run.sessionId(), run.turnId,
          status.wire(), TurnErrors.oneLine(e.toString()));
      run.pending.events.clear();
      run.pending.signals.clear();
      jdbi.useTransaction(h -> failIn(h, run, status, code, message, durationMs, now));
    }
  }

  private void failIn(Handle h, TurnRun run, TurnStatus status, String code, String message, double durationMs, Instant now) {
    if (!SessionRepository.renewLease(h, run.tenant, run.sessionId(), run.leaseToken, now)) {
      return;
    }
    run.pending.events.add(AgentEvent.timed(run.sessionId(), Optional.of(run.turnId), now, EventType.ERROR, durationMs,
        Json.object().put("code", code).put("message", message).put("retriable", true).put("rounds", run.rounds)));
    if (code.equals(AgentException.Kind.PROVIDER_ERROR.code()) || code.equals(AgentException.Kind.TURN_TIMEOUT.code())) {
      run.pending.signals.add(run.signal(now, code, "high", code + ":" + run.agent.name(), run.session.phase(), TurnErrors.oneLine(message)));
    }
    flush(h, run, 0, 0, now);
    TurnRepository.setDuration(h, run.tenant, run.turnId, run.turnMs(durationMs));
    TurnRepository.casStatus(h, run.tenant, run.turnId, TurnStatus.RUNNING, status, Optional.of(code), Optional.of(message), now);
    SessionRepository.releaseLease(h, run.tenant, run.sessionId(), run.leaseToken);
  }

  /**
   * Marks turns whose process died (its owner lock is gone, its lease expired, or the lease moved on) as
   * interrupted and frees their leases.
   *
   * @return how many turns were marked
   */
  int recoverInterrupted(Instant now) {
    return jdbi.inTransaction(h -> {
      List<TurnRepository.Interrupted> turns = TurnRepository.interruptDead(h, now);
      SessionRepository.releaseDeadLeases(h, now);
      for (TurnRepository.Interrupted t : turns) {
        EventRepository.insertAll(h, t.tenant(), List.of(interrupted(t.sessionId(), t.turnId(), now)));
      }
      return turns.size();
    });
  }

  private static AgentEvent interrupted(UUID session, UUID turn, Instant now) {
    return AgentEvent.of(session, Optional.of(turn), now, EventType.ERROR,
        Json.object().put("code", "turn_interrupted").put("message", TurnRepository.INTERRUPTED_MESSAGE).put("retriable", true));
  }

  /** Renews the lease; throws when this turn no longer holds the session (its writes must not land). */
  private void fence(Handle h, TurnRun run, Instant now) {
    if (!SessionRepository.renewLease(h, run.tenant, run.sessionId(), run.leaseToken, leaseUntil(run, now))) {
      throw new TurnErrors.LeaseLost("turn " + run.turnId + " lost session " + run.sessionId()
          + " to another turn (its lease expired); nothing more was stored");
    }
  }

  /** The lease lasts as long as the turn may still run, plus the margin. */
  private Instant leaseUntil(TurnRun run, Instant now) {
    return now.plusNanos(Math.max(0, run.deadlineNanos - System.nanoTime())).plus(leaseMargin);
  }

  /** Writes pending counters (session and turn), events and signals; inside the caller's transaction. */
  private static void flush(Handle h, TurnRun run, int messages, int rounds, Instant now) {
    SessionRepository.addStats(h, run.tenant, run.sessionId(), 0, messages, run.pending.usage, run.pending.cost, now);
    flushTurn(h, run, rounds);
  }

  /** Writes the turn's pending counters, events and signals (the session's counters went with its own update). */
  private static void flushTurn(Handle h, TurnRun run, int rounds) {
    TurnRepository.addRound(h, run.tenant, run.turnId, rounds, run.pending.calls, run.pending.usage, run.pending.cost,
        run.pending.modelNanos / 1e6, run.pending.toolNanos / 1e6);
    EventRepository.insertAll(h, run.tenant, run.pending.events);
    SignalRepository.insertAll(h, run.tenant, Optional.of(run.sessionId()), run.pending.signals);
    run.pending.clear();
  }
}
