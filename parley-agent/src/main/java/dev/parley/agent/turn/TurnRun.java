package dev.parley.agent.turn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.flags.FlagSet;
import dev.parley.agent.fsm.SessionStatus;
import dev.parley.agent.persist.SessionRepository;
import dev.parley.agent.prompt.TokenEstimator;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.Signal;
import dev.parley.agent.session.StoredMessage;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import dev.parley.store.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The mutable state of one running turn, shared by the loop and the parts it calls; confined to the
 * turn's thread. The session and history are this turn's view: it holds the lease, so nobody else
 * changes them while it runs.
 */
final class TurnRun {
  final TenantId tenant;
  final AgentDefinition agent;
  final UUID turnId;
  final UUID leaseToken;
  final int userSeq;
  /** Whether this attempt resumes a turn an earlier attempt started (a retry, or the same Idempotency-Key). */
  final boolean resumed;
  /** What earlier attempts of this turn took, in ms: at least their model and tool time (see {@link TurnLedger.Claim}). */
  final double priorMs;
  final TurnEvents events;
  final long startNanos;
  final long deadlineNanos;
  Session session;
  /** The session's status when the turn began (before any attempt's rounds): the conversation-cost metric's edge. */
  SessionStatus startStatus;
  /** Set when a fold gave no summary: the turn goes on with its whole history and does not ask again. */
  boolean foldGaveUp;
  FlagSet flags = FlagSet.DEFAULTS;
  List<StoredMessage> history = new ArrayList<>();
  /** Index in {@link #history} of this turn's first message; folding stops before it. */
  int protectFrom;
  /** The last assistant message of this turn stored so far (by this attempt or an earlier one); empty before the first round. */
  Optional<StoredMessage> lastAssistant = Optional.empty();
  /** Seq of the next stored message (this turn holds the lease, so nobody else writes messages). */
  int nextSeq;
  int rounds;
  int modelCalls;
  long modelNanos;
  long toolNanos;
  final Pending pending = new Pending();
  /** Every tool call of this turn, earlier attempts' first, as the reply's {@code tool_calls}. */
  final ArrayNode toolCalls = Json.mapper().createArrayNode();

  TurnRun(TenantId tenant, AgentDefinition agent, TurnLedger.Claim claim, TurnListener listener, long startNanos) {
    this.tenant = tenant;
    this.agent = agent;
    this.session = claim.session();
    this.turnId = claim.turnId();
    this.leaseToken = claim.leaseToken();
    this.userSeq = claim.userSeq();
    this.nextSeq = claim.nextSeq();
    this.resumed = claim.resumed();
    this.priorMs = claim.priorMs();
    this.startStatus = claim.session().status();
    this.events = new TurnEvents(listener, claim.turnId());
    this.startNanos = startNanos;
    this.deadlineNanos = startNanos + agent.limits().turnTimeout().toNanos();
  }

  /**
   * Figures, events and signals not yet written to the store. They go out with the next transaction of
   * the {@link TurnLedger}, so that a crash loses none that belong to a stored round and stores none of
   * a round that was not.
   */
  static final class Pending {
    Usage usage = Usage.ZERO;
    double cost;
    int calls;
    long modelNanos;
    long toolNanos;
    final List<AgentEvent> events = new ArrayList<>();
    final List<Signal> signals = new ArrayList<>();

    void clear() {
      events.clear();
      signals.clear();
      usage = Usage.ZERO;
      cost = 0;
      calls = 0;
      modelNanos = 0;
      toolNanos = 0;
    }
  }

  UUID sessionId() {
    return session.id();
  }

  double elapsedMs() {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  /** The time limit left, in nanoseconds; throws when none is. */
  long checkDeadline() {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      throw new TurnErrors.TurnTimeout(timeoutMessage());
    }
    return remaining;
  }

  String timeoutMessage() {
    return String.format(Locale.ROOT, "The turn exceeded its time limit of %.1f s (elapsed %.1f s, %d model calls completed, %d tool rounds).",
        agent.limits().turnTimeout().toMillis() / 1000.0, elapsedMs() / 1000.0, modelCalls, rounds);
  }

  /**
   * Starts the turn's history; messages from {@link #userSeq} on belong to this turn (for a resumed
   * turn, its user message and the rounds earlier attempts stored).
   */
  void openHistory(List<StoredMessage> messages) {
    history = new ArrayList<>(messages);
    protectFrom = history.size();
    for (int i = 0; i < history.size(); i++) {
      StoredMessage m = history.get(i);
      if (m.seq() >= userSeq) {
        if (protectFrom == history.size()) {
          protectFrom = i;
        }
        if (m.seq() == userSeq) {
          // The phase the user message was stored in is the phase the turn began in, whatever earlier attempts did since.
          agent.phases().find(m.phase()).ifPresent(p -> startStatus = SessionStatus.of(p));
        }
        if (m.kind() == MessageKind.ASSISTANT && m.turnId().filter(turnId::equals).isPresent()) {
          lastAssistant = Optional.of(m);
        }
      }
    }
  }

  void modelCalled(long nanos, Usage usage, double cost) {
    modelCalls++;
    modelNanos += nanos;
    pending.calls++;
    pending.modelNanos += nanos;
    pending.usage = pending.usage.plus(usage);
    pending.cost += cost;
  }

  /**
   * A model call that failed or ran out of time: its wait is model time (not orchestration overhead),
   * though it completed no call.
   */
  void modelWaited(long nanos) {
    modelNanos += nanos;
    pending.modelNanos += nanos;
  }

  void toolRan(long nanos) {
    toolNanos += nanos;
    pending.toolNanos += nanos;
  }

  /** After a stored round: its two messages join the history and its state change the session. */
  void roundStored(StoredMessage toolUses, StoredMessage results, Optional<SessionRepository.StateChange> change, Instant at) {
    nextSeq += 2;
    rounds++;
    history.add(toolUses);
    history.add(results);
    lastAssistant = Optional.of(toolUses);
    change.ifPresent(c -> session = session.withState(c.phase(), c.status(), c.fields(), at));
  }

  /** The turn's duration over all its attempts, given this attempt's. */
  double turnMs(double attemptMs) {
    return priorMs + attemptMs;
  }

  /** The part of a turn's duration spent neither waiting for the model nor running tools. */
  double overheadMs(double durationMs) {
    return Math.max(0, durationMs - modelNanos / 1e6 - toolNanos / 1e6);
  }

  StoredMessage message(int seq, MessageKind kind, List<ContentBlock> blocks, String phase, Instant at) {
    return new StoredMessage(sessionId(), seq, UUID.randomUUID(), Optional.of(turnId), kind, blocks, TokenEstimator.blocks(blocks), phase, at);
  }

  Signal signal(Instant at, String name, String severity, String signature, String phase, String snippet) {
    return new Signal(UUID.randomUUID(), at, name, severity, signature, Optional.of(phase), session.user(), Optional.of(1.0), Optional.of(snippet));
  }
}
