package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.flags.FlagSet;
import dev.parley.agent.flags.Flags;
import dev.parley.agent.fsm.TurnStatus;
import dev.parley.agent.metrics.AgentMetrics;
import dev.parley.agent.metrics.PriceTable;
import dev.parley.agent.persist.SessionRepository;
import dev.parley.agent.prompt.PromptBuilder;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.tool.ToolExecutor;
import dev.parley.agent.window.Summarizer;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.LlmException;
import dev.parley.core.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The turn loop. One turn: store the user message (first, in its own transaction), then until the model
 * ends its turn or a bound is hit: build the prompt and tools for the session's current phase, fold old
 * history into the summary if over budget, call the model, pass every tool_use through the guard, run
 * the allowed ones, and store the round (assistant message with all its blocks, tool results, phase and
 * field changes, events and signals) in one transaction fenced by the session's lease. A crash
 * therefore leaves complete rounds only, and the turn can be retried from where it stopped.
 *
 * <p>The steps live in their own classes: {@link TurnLedger} (every transaction), {@link TimedModelCall},
 * {@link ToolRound} and {@link ContextFolder}. This class decides their order and how a turn ends.
 */
public final class TurnEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TurnEngine.class);

  private final AgentCatalog catalog;
  private final Flags flags;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final EngineConfig config;
  private final SessionLocks locks = new SessionLocks();
  private final LeaseOwner owner;
  private final TurnLedger ledger;
  private final TimedModelCall modelCall;
  private final ContextFolder folder;
  private final ToolRound tools;

  public TurnEngine(
      Jdbi jdbi,
      AgentCatalog catalog,
      ChatModel model,
      Summarizer summarizer,
      Flags flags,
      ToolExecutor executor,
      AgentMetrics metrics,
      PriceTable prices,
      Clock clock,
      ExecutorService callExecutor,
      EngineConfig config) {
    requireNonNull(jdbi, "jdbi is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    requireNonNull(model, "model is null");
    requireNonNull(summarizer, "summarizer is null");
    this.flags = requireNonNull(flags, "flags is null");
    requireNonNull(executor, "executor is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    requireNonNull(prices, "prices is null");
    this.clock = requireNonNull(clock, "clock is null");
    requireNonNull(callExecutor, "callExecutor is null");
    this.config = requireNonNull(config, "config is null");
    this.owner = new LeaseOwner(jdbi);
    this.ledger = new TurnLedger(jdbi, config.leaseMargin(), owner);
    this.modelCall = new TimedModelCall(model, callExecutor, metrics, prices, clock);
    this.folder = new ContextFolder(summarizer, modelCall, ledger, clock, config);
    this.tools = new ToolRound(catalog, executor, metrics, clock);
  }

  /** Runs one turn (or replays its stored reply). */
  @SuppressWarnings("try") // the session lock is held for the try block's duration, not referenced in it
  public TurnReply send(TurnRequest request, TurnListener listener) {
    requireNonNull(request, "request is null");
    requireNonNull(listener, "listener is null");
    Session session = ledger.session(request.tenant(), request.sessionId()).orElseThrow(() -> TurnErrors.notFound(request.sessionId()));
    AgentDefinition agent = catalog.find(session.agent()).orElseThrow(() -> new AgentException(AgentException.Kind.AGENT_UNAVAILABLE,
        "session " + session.id() + " belongs to agent '" + session.agent() + "', which this server does not run"));
    String hash = TurnLedger.requestHash(request);
    Optional<TurnReply> replay = ledger.replay(request, hash);
    if (replay.isPresent()) {
      return replay.get();
    }
    try (SessionLocks.Held held = locks.acquire(session.id(), config.lockWait()).orElseThrow(() -> TurnErrors.busy(session.id()))) {
      // The turn this post waited for may have been the same request (a client retrying early).
      replay = ledger.replay(request, hash);
      if (replay.isPresent()) {
        return replay.get();
      }
      return run(request, agent, hash, listener);
    }
  }

  /**
   * Marks turns whose process died (lease expired, or the lease moved on) as interrupted and frees
   * expired leases. Safe to run at any time, from any process.
   */
  public int recoverInterrupted() {
    return ledger.recoverInterrupted(clock.instant());
  }

  /**
   * Gives up this process's lease owner lock: its running turns' leases are dead from now on, and any
   * process may take their sessions over at once.
   */
  @Override
  public void close() {
    owner.close();
  }

  /** The lease owner id this engine holds, once it has claimed a turn (for tests). */
  Optional<Integer> ownerId() {
    return owner.current();
  }

  private TurnReply run(TurnRequest request, AgentDefinition agent, String hash, TurnListener listener) {
    long startNanos = System.nanoTime();
    // Evaluated before the claim, so that the turn row records the flags it runs with (the rollout guard reads them).
    FlagSet turnFlags = flags.evaluate(request.sessionId().toString());
    TurnLedger.Claim claim = ledger.claim(request, agent, hash, turnFlags, clock.instant());
    TurnRun run = new TurnRun(request.tenant(), agent, claim, listener, startNanos);
    run.flags = turnFlags;
    try {
      return loop(run);
    } catch (LlmException e) {
      String message = "The model provider failed (" + e.kind().name().toLowerCase(Locale.ROOT) + ": " + TurnErrors.oneLine(e)
          + "). Your message is stored; retry with the same Idempotency-Key or {\"retry\": true}.";
      fail(run, TurnStatus.FAILED, AgentException.Kind.PROVIDER_ERROR.code(), message);
      throw new AgentException(AgentException.Kind.PROVIDER_ERROR, message, Optional.of(run.turnId), e);
    } catch (TurnErrors.TurnTimeout e) {
      String message = e.getMessage() + " Your message is stored; retry with the same Idempotency-Key or {\"retry\": true}.";
      fail(run, TurnStatus.FAILED, AgentException.Kind.TURN_TIMEOUT.code(), message);
      throw new AgentException(AgentException.Kind.TURN_TIMEOUT, message, Optional.of(run.turnId), e);
    } catch (TurnErrors.LeaseLost e) {
      // This attempt no longer owns the turn, so it stores nothing more, not even its failure.
      metrics.error(agent.name(), AgentException.Kind.INTERRUPTED.code());
      throw new AgentException(AgentException.Kind.INTERRUPTED, e.getMessage(), Optional.of(run.turnId), e);
    } catch (AgentException e) {
      if (e.kind() == AgentException.Kind.INTERRUPTED) {
        fail(run, TurnStatus.INTERRUPTED, e.code(), e.getMessage());
      }
      throw e;
    } catch (RuntimeException e) {
      fail(run, TurnStatus.FAILED, "internal_error", "internal error: " + e.getClass().getSimpleName() + ": " + TurnErrors.oneLine(e));
      throw e;
    }
  }

  private TurnReply loop(TurnRun run) {
    run.openHistory(ledger.history(run, ContextFolder.historyAfter(run)));
    if (run.resumed) {
      run.toolCalls.addAll(ledger.earlierCalls(run));
    }
    AgentDefinition agent = run.agent;
    while (true) {
      // Rebuilt every round: a tool may have changed the phase, and with it the prompt and the tools.
      PromptBuilder.Prompt prompt = folder.fold(run, PromptBuilder.prompt(agent, run.session, run.flags));
      ChatRequest request = PromptBuilder.request(agent, config.modelOverride().orElse(agent.model()), prompt,
          SentHistory.of(run.history, run.userSeq), run.flags);
      String offeredPhase = run.session.phase();
      ChatResponse response = modelCall.call(run, request, "turn", offeredPhase, prompt);
      List<ContentBlock.ToolUse> uses = response.toolUses();
      if (uses.isEmpty()) {
        return finish(run, Optional.of(response.message()), "end_turn");
      }
      ToolRound.Result round = tools.run(run, offeredPhase, uses);
      storeRound(run, response.message(), round);
      if (run.rounds >= agent.limits().maxToolRounds()) {
        return finish(run, Optional.empty(), "max_tool_rounds");
      }
    }
  }

  private void storeRound(TurnRun run, ChatMessage assistant, ToolRound.Result round) {
    Instant now = clock.instant();
    String phase = run.session.phase();
    StoredMessage toolUses = run.message(run.nextSeq, MessageKind.ASSISTANT, assistant.content(), phase, now);
    StoredMessage results = run.message(run.nextSeq + 1, MessageKind.TOOL_RESULT, round.results(), phase, now);
    Optional<SessionRepository.StateChange> change = round.stateChange(run.agent, run.session);
    ledger.recordRound(run, toolUses, results, change, now);
    run.roundStored(toolUses, results, change, now);
  }

  /**
   * Ends the turn with {@code last} as its answer, or without one the last round's assistant message.
   * An empty answer is stored as it came (the turn needs an answer, and the API shows what the model
   * said), but never sent back to a model ({@link SentHistory}).
   */
  private TurnReply finish(TurnRun run, Optional<ChatMessage> last, String stop) {
    Instant now = clock.instant();
    StoredMessage answer = last.map(m -> run.message(run.nextSeq, MessageKind.ASSISTANT, m.content(), run.session.phase(), now))
        .or(() -> run.lastAssistant)
        .orElseThrow(() -> new IllegalStateException("turn " + run.turnId + " ends without an answer: it stored no round"));
    double durationMs = run.elapsedMs();
    double overheadMs = run.overheadMs(durationMs);
    boolean empty = last.isPresent() && ModelOutput.isBlank(answer.blocks());
    ObjectNode data = Json.object()
        .put("stop", stop)
        .put("rounds", run.rounds)
        .put("model_calls", run.modelCalls)
        .put("model_ms", run.modelNanos / 1e6)
        .put("tool_ms", run.toolNanos / 1e6)
        .put("overhead_ms", overheadMs)
        .put("phase", run.session.phase());
    if (empty) {
      data.put("empty_reply", true);
      run.pending.signals.add(run.signal(now, "empty_reply", "low", "empty_reply:" + run.agent.name() + ":" + run.session.phase(), run.session.phase(),
          "the model ended its turn without any text or tool call"));
    }
    run.pending.events.add(AgentEvent.timed(run.sessionId(), Optional.of(run.turnId), now, EventType.TURN_COMPLETE, durationMs, data));
    TurnLedger.Finished finished = ledger.finish(run, answer, last.isPresent(), stop, durationMs, now);
    metrics.turn(run.agent.name(), "completed", Duration.ofNanos((long) (durationMs * 1e6)), Duration.ofNanos((long) (overheadMs * 1e6)));
    // The status the turn began with, not run.session's: a round of this turn may already have made it terminal.
    if (!run.startStatus.isTerminal() && finished.session().status().isTerminal()) {
      metrics.conversationCost(run.agent.name(), finished.session().stats().costUsd());
    }
    return new TurnReply(finished.reply(), false);
  }

  /** Records a failed or interrupted turn; never throws (the original error matters more). */
  private void fail(TurnRun run, TurnStatus status, String code, String message) {
    Instant now = clock.instant();
    metrics.error(run.agent.name(), code);
    double durationMs = run.elapsedMs();
    metrics.turn(run.agent.name(), status.wire(), Duration.ofNanos((long) (durationMs * 1e6)), Duration.ofNanos((long) (run.overheadMs(durationMs) * 1e6)));
    try {
      ledger.fail(run, status, code, message, durationMs, now);
    } catch (RuntimeException e) {
      LOG.warn("session {} turn {}: cannot record the {} turn: {}", run.sessionId(), run.turnId, status.wire(), e.toString());
    }
  }
}
