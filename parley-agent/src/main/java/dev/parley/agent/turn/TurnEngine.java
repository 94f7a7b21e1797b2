package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.flags.FlagSet;
import dev.parley.agent.flags.Flags;
import dev.parley.agent.fsm.SessionStatus;
import dev.parley.agent.fsm.TurnStatus;
import dev.parley.agent.metrics.AgentMetrics;
import dev.parley.agent.metrics.PriceTable;
import dev.parley.agent.persist.EventRepository;
import dev.parley.agent.persist.IdempotencyRepository;
import dev.parley.agent.persist.MessageRepository;
import dev.parley.agent.persist.SessionRepository;
import dev.parley.agent.persist.SignalRepository;
import dev.parley.agent.persist.TurnRepository;
import dev.parley.agent.prompt.PromptBuilder;
import dev.parley.agent.prompt.TokenEstimator;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.SessionJson;
import dev.parley.agent.session.Signal;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.session.TurnRecord;
import dev.parley.agent.tool.GuardDecision;
import dev.parley.agent.tool.ToolExecutor;
import dev.parley.agent.tool.ToolGuard;
import dev.parley.agent.tool.ToolInvocation;
import dev.parley.agent.tool.ToolOutcome;
import dev.parley.agent.window.ContextWindow;
import dev.parley.agent.window.Summarizer;
import dev.parley.core.error.BadInputException;
import dev.parley.core.hash.ContentHash;
import dev.parley.core.json.Json;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.LlmException;
import dev.parley.core.chat.Usage;
import dev.parley.store.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
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
 */
public final class TurnEngine {
  private static final Logger LOG = LoggerFactory.getLogger(TurnEngine.class);

  private final Jdbi jdbi;
  private final AgentCatalog catalog;
  private final ChatModel model;
  private final Summarizer summarizer;
  private final Flags flags;
  private final ToolExecutor executor;
  private final AgentMetrics metrics;
  private final PriceTable prices;
  private final Clock clock;
  private final ExecutorService callExecutor;
  private final EngineConfig config;
  private final SessionLocks locks = new SessionLocks();
  private final Map<String, ToolGuard> guards = new HashMap<>();

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
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.model = requireNonNull(model, "model is null");
    this.summarizer = requireNonNull(summarizer, "summarizer is null");
    this.flags = requireNonNull(flags, "flags is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.prices = requireNonNull(prices, "prices is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.callExecutor = requireNonNull(callExecutor, "callExecutor is null");
    this.config = requireNonNull(config, "config is null");
    catalog.all().forEach(a -> guards.put(a.name(), new ToolGuard(a)));
  }

  /** Runs one turn (or replays its stored reply). */
  @SuppressWarnings("try") // the session lock is held for the try block's duration, not referenced in it
  public TurnReply send(TurnRequest request, TurnListener listener) {
    requireNonNull(request, "request is null");
    requireNonNull(listener, "listener is null");
    Session session = jdbi.withHandle(h -> SessionRepository.find(h, request.tenant(), request.sessionId()))
        .orElseThrow(() -> notFound(request.sessionId()));
    AgentDefinition agent = catalog.find(session.agent()).orElseThrow(() -> new AgentException(AgentException.Kind.AGENT_UNAVAILABLE,
        "session " + session.id() + " belongs to agent '" + session.agent() + "', which this server does not run"));
    String hash = requestHash(request);
    Optional<TurnReply> replay = replay(request, hash);
    if (replay.isPresent()) {
      return replay.get();
    }
    try (SessionLocks.Held held = locks.acquire(session.id(), config.lockWait()).orElseThrow(() -> busy(session.id()))) {
      replay = replay(request, hash);
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
    Instant now = clock.instant();
    return jdbi.inTransaction(h -> {
      List<TurnRepository.Interrupted> turns = TurnRepository.interruptDead(h, now);
      // Cross-tenant on purpose: frees expired leases of every tenant's sessions (maintenance, not a tenant request).
      h.createUpdate("UPDATE sessions SET active_turn = NULL, lease_token = NULL, lease_until = NULL WHERE lease_until < :now")
          .bind("now", java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC)).execute();
      for (TurnRepository.Interrupted t : turns) {
        EventRepository.insertAll(h, t.tenant(), List.of(AgentEvent.of(t.sessionId(), Optional.of(t.turnId()), now, EventType.ERROR,
            Json.object().put("code", "turn_interrupted").put("message", TurnRepository.INTERRUPTED_MESSAGE).put("retriable", true))));
      }
      return turns.size();
    });
  }

  private Optional<TurnReply> replay(TurnRequest request, String hash) {
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

  private static String requestHash(TurnRequest request) {
    return ContentHash.sha256Hex(request.retry() ? "retry" : "text:" + request.text().orElse(""));
  }

  // ---------------------------------------------------------------- one turn

  /** The mutable state of one running turn; confined to the turn's thread. */
  private static final class Run {
    final TenantId tenant;
    final AgentDefinition agent;
    final UUID turnId;
    final UUID leaseToken;
    final int userSeq;
    final TurnListener listener;
    final long startNanos;
    final long deadlineNanos;
    Session session;
    FlagSet flags = FlagSet.DEFAULTS;
    List<StoredMessage> history = new ArrayList<>();
    int protectFrom;
    StoredMessage lastAssistant;
    /** Seq of the next stored message (this turn holds the lease, so nobody else writes messages). */
    int nextSeq;
    int rounds;
    int modelCalls;
    long modelNanos;
    long toolNanos;
    // Figures not yet written to the store.
    Usage pendingUsage = Usage.ZERO;
    double pendingCost;
    int pendingCalls;
    long pendingModelNanos;
    long pendingToolNanos;
    final List<AgentEvent> events = new ArrayList<>();
    final List<Signal> signals = new ArrayList<>();
    final ArrayNode toolCalls = Json.mapper().createArrayNode();

    Run(TenantId tenant, AgentDefinition agent, Session session, UUID turnId, UUID leaseToken, int userSeq, TurnListener listener, long startNanos) {
      this.tenant = tenant;
      this.agent = agent;
      this.session = session;
      this.turnId = turnId;
      this.leaseToken = leaseToken;
      this.userSeq = userSeq;
      this.listener = listener;
      this.startNanos = startNanos;
      this.deadlineNanos = startNanos + agent.limits().turnTimeout().toNanos();
    }

    UUID sessionId() {
      return session.id();
    }

    double elapsedMs() {
      return (System.nanoTime() - startNanos) / 1e6;
    }
  }

  private record Begin(Session session, UUID turnId, UUID leaseToken, int userSeq, int nextSeq) {}

  private TurnReply run(TurnRequest request, AgentDefinition agent, String hash, TurnListener listener) {
    long startNanos = System.nanoTime();
    Instant now = clock.instant();
    Begin begin = jdbi.inTransaction(h -> begin(h, request, agent, hash, now));
    Run run = new Run(request.tenant(), agent, begin.session(), begin.turnId(), begin.leaseToken(), begin.userSeq(), listener, startNanos);
    run.nextSeq = begin.nextSeq();
    try {
      return loop(run);
    } catch (LlmException e) {
      String message = "The model provider failed (" + e.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + oneLine(e.getMessage())
          + "). Your message is stored; retry with the same Idempotency-Key or {\"retry\": true}.";
      fail(run, TurnStatus.FAILED, AgentException.Kind.PROVIDER_ERROR.code(), message);
      throw new AgentException(AgentException.Kind.PROVIDER_ERROR, message, Optional.of(run.turnId), e);
    } catch (TurnTimeout e) {
      String message = e.getMessage() + " Your message is stored; retry with the same Idempotency-Key or {\"retry\": true}.";
      fail(run, TurnStatus.FAILED, AgentException.Kind.TURN_TIMEOUT.code(), message);
      throw new AgentException(AgentException.Kind.TURN_TIMEOUT, message, Optional.of(run.turnId), e);
    } catch (LeaseLost e) {
      metrics.error(agent.name(), AgentException.Kind.INTERRUPTED.code());
      throw new AgentException(AgentException.Kind.INTERRUPTED, e.getMessage(), Optional.of(run.turnId), e);
    } catch (AgentException e) {
      if (e.kind() == AgentException.Kind.INTERRUPTED) {
        fail(run, TurnStatus.INTERRUPTED, e.code(), e.getMessage());
      }
      throw e;
    } catch (RuntimeException e) {
      fail(run, TurnStatus.FAILED, "internal_error", "internal error: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
      throw e;
    }
  }

  private Begin begin(Handle h, TurnRequest request, AgentDefinition agent, String hash, Instant now) {
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
    Instant until = now.plus(agent.limits().turnTimeout()).plus(config.leaseMargin());
    UUID token = UUID.randomUUID();
    int added = resume ? 0 : 1;
    SessionRepository.Acquired acquired = SessionRepository.acquire(h, tenant, sessionId, turnId, token, now, until, added, added)
        .orElseThrow(() -> busy(sessionId));
    List<AgentEvent> events = new ArrayList<>();
    Optional<UUID> previous = acquired.previous();
    if (previous.isPresent() && TurnRepository.casStatus(h, tenant, previous.get(), TurnStatus.RUNNING, TurnStatus.INTERRUPTED,
        Optional.of("turn_interrupted"), Optional.of(TurnRepository.INTERRUPTED_MESSAGE), now)) {
      events.add(AgentEvent.of(sessionId, previous, now, EventType.ERROR,
          Json.object().put("code", "turn_interrupted").put("message", TurnRepository.INTERRUPTED_MESSAGE).put("retriable", true)));
    }
    Session session = acquired.session();
    int userSeq;
    if (resume) {
      TurnRecord turn = TurnRepository.find(h, tenant, turnId).orElseThrow(() -> new IllegalStateException("turn " + turnId + " of an idempotency key is missing"));
      if (!turn.status().isRetriable()) {
        throw new IllegalStateException("turn " + turnId + ": expected a failed or interrupted turn to resume, found " + turn.status());
      }
      TurnRepository.casStatus(h, tenant, turnId, turn.status(), TurnStatus.RUNNING, Optional.empty(), Optional.empty(), now);
      userSeq = turn.userMessageSeq();
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
    EventRepository.insertAll(h, tenant, events);
    return new Begin(session, turnId, token, userSeq, session.stats().messages() + 1);
  }

  private TurnReply loop(Run run) {
    run.flags = flags.evaluate(run.sessionId().toString());
    int after = run.flags.contextWindow() ? run.session.summaryThrough() : 0;
    run.history = new ArrayList<>(jdbi.withHandle(h -> MessageRepository.list(h, run.tenant, run.sessionId(), after)));
    run.protectFrom = run.history.size();
    for (int i = 0; i < run.history.size(); i++) {
      if (run.history.get(i).seq() >= run.userSeq) {
        run.protectFrom = i;
        break;
      }
    }
    AgentDefinition agent = run.agent;
    while (true) {
      PromptBuilder.Prompt prompt = PromptBuilder.prompt(agent, run.session, run.flags);
      if (run.flags.contextWindow()) {
        prompt = maybeFold(run, prompt);
      }
      ChatRequest request = PromptBuilder.request(agent, config.modelOverride().orElse(agent.model()), prompt, run.history, run.flags);
      String offeredPhase = run.session.phase();
      ChatResponse response = callModel(run, request, "turn", model, offeredPhase, prompt);
      List<ContentBlock.ToolUse> uses = response.toolUses();
      if (uses.isEmpty()) {
        return finish(run, Optional.of(response.message()), "end_turn");
      }
      Round round = executeTools(run, offeredPhase, uses);
      persistRound(run, response.message(), round);
      if (run.rounds >= agent.limits().maxToolRounds()) {
        return finish(run, Optional.empty(), "max_tool_rounds");
      }
    }
  }

  private PromptBuilder.Prompt maybeFold(Run run, PromptBuilder.Prompt prompt) {
    AgentDefinition agent = run.agent;
    Optional<ContextWindow.Fold> fold = ContextWindow.plan(run.history, prompt.estimatedTokens(), agent.limits().tokenBudget(),
        agent.limits().keepRecentTokens(), run.protectFrom);
    if (fold.isEmpty()) {
      return prompt;
    }
    // With a model override (another provider), the agent's own summary model name would not exist there.
    String summaryModel = config.summaryModel().or(config::modelOverride).or(agent::summaryModel).orElse(agent.model());
    checkDeadline(run);
    long t0 = System.nanoTime();
    ChatResponse response;
    try {
      response = summarizer.summarize(summaryModel, run.session.summary(), fold.get().folded());
    } catch (LlmException e) {
      metrics.modelCall(summarizer.model().provider(), summaryModel, "summary", Duration.ofNanos(System.nanoTime() - t0), Usage.ZERO, e.kind().name());
      throw e;
    }
    long nanos = System.nanoTime() - t0;
    account(run, summarizer.model().provider(), summaryModel, "summary", nanos, response.usage());
    String summary = response.message().text().strip();
    Instant now = clock.instant();
    ObjectNode data = Json.object()
        .put("messages_folded", fold.get().folded().size())
        .put("through_seq", fold.get().throughSeq())
        .put("tokens_folded", fold.get().folded().stream().mapToInt(StoredMessage::tokens).sum())
        .put("messages_kept", fold.get().kept().size())
        .put("summary_chars", summary.length());
    run.events.add(new AgentEvent(0, run.sessionId(), Optional.of(run.turnId), now, EventType.SUMMARIZATION, Optional.of(nanos / 1e6),
        Optional.of(response.model()), Optional.of(response.usage()), data));
    long version = run.session.version();
    jdbi.useTransaction(h -> {
      fence(h, run, now);
      if (!SessionRepository.casSummary(h, run.tenant, run.sessionId(), run.leaseToken, version, summary, fold.get().throughSeq(), now)) {
        throw new LeaseLost("session " + run.sessionId() + " changed under turn " + run.turnId + " (expected version " + version + ")");
      }
      flush(h, run, 0, 0, now);
    });
    run.session = run.session.withSummary(summary, fold.get().throughSeq(), now);
    run.protectFrom -= fold.get().folded().size();
    run.history = new ArrayList<>(fold.get().kept());
    return PromptBuilder.prompt(agent, run.session, run.flags);
  }

  private ChatResponse callModel(Run run, ChatRequest request, String purpose, ChatModel chatModel, String phase, PromptBuilder.Prompt prompt) {
    long remaining = checkDeadline(run);
    long t0 = System.nanoTime();
    Future<ChatResponse> future = callExecutor.submit(() ->
        run.listener.streaming() ? chatModel.stream(request, run.listener::onText) : chatModel.chat(request));
    ChatResponse response;
    try {
      response = future.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      metrics.modelCall(chatModel.provider(), request.model(), purpose, Duration.ofNanos(System.nanoTime() - t0), Usage.ZERO, "timeout");
      throw new TurnTimeout(timeoutMessage(run), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String type = cause instanceof LlmException le ? le.kind().name() : cause.getClass().getSimpleName();
      metrics.modelCall(chatModel.provider(), request.model(), purpose, Duration.ofNanos(System.nanoTime() - t0), Usage.ZERO, type);
      if (cause instanceof LlmException le) {
        throw le;
      }
      throw new LlmException(LlmException.Kind.OTHER, cause.getClass().getSimpleName() + ": " + oneLine(cause.getMessage()), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new AgentException(AgentException.Kind.INTERRUPTED, "turn " + run.turnId + " was interrupted while waiting for the model",
          Optional.of(run.turnId), e);
    }
    long nanos = System.nanoTime() - t0;
    account(run, chatModel.provider(), request.model(), purpose, nanos, response.usage());
    ObjectNode data = Json.object()
        .put("purpose", purpose)
        .put("phase", phase)
        .put("round", run.rounds + 1)
        .put("stop_reason", response.stopReason().name().toLowerCase(java.util.Locale.ROOT))
        .put("messages", request.messages().size())
        .put("system_chars", request.system().length())
        .put("estimated_prompt_tokens", prompt.estimatedTokens() + run.history.stream().mapToInt(StoredMessage::tokens).sum())
        .put("modular_prompts", run.flags.modularPrompts())
        .put("prompt_caching", request.cachePrompt());
    ArrayNode offered = data.putArray("tools_offered");
    request.tools().forEach(t -> offered.add(t.name()));
    run.events.add(new AgentEvent(0, run.sessionId(), Optional.of(run.turnId), clock.instant(), EventType.LLM_REQUEST,
        Optional.of(nanos / 1e6), Optional.of(response.model()), Optional.of(response.usage()), data));
    return response;
  }

  private void account(Run run, String provider, String modelName, String purpose, long nanos, Usage usage) {
    double cost = prices.cost(modelName, usage);
    metrics.modelCall(provider, modelName, purpose, Duration.ofNanos(nanos), usage, "");
    metrics.cost(run.agent.name(), modelName, cost);
    run.modelCalls++;
    run.modelNanos += nanos;
    run.pendingCalls++;
    run.pendingModelNanos += nanos;
    run.pendingUsage = run.pendingUsage.plus(usage);
    run.pendingCost += cost;
  }

  private record Round(List<ContentBlock> results, ObjectNode fields, Optional<String> newPhase, boolean changed) {}

  private Round executeTools(Run run, String phase, List<ContentBlock.ToolUse> uses) {
    AgentDefinition agent = run.agent;
    ToolGuard guard = guards.get(agent.name());
    ObjectNode fields = run.session.fields().deepCopy();
    boolean changed = false;
    Optional<String> newPhase = Optional.empty();
    List<ContentBlock> results = new ArrayList<>();
    for (ContentBlock.ToolUse use : uses) {
      Instant at = clock.instant();
      GuardDecision decision = newPhase.isPresent() ? guard.phaseChanged(newPhase.get()) : guard.check(phase, use);
      ObjectNode call = Json.object().put("id", use.id()).put("name", use.name());
      call.set("input", use.input());
      call.put("phase", phase);
      String content;
      boolean isError;
      switch (decision) {
        case GuardDecision.Allowed allowed -> {
          long t0 = System.nanoTime();
          ToolOutcome outcome = executor.execute(allowed.tool(), new ToolInvocation(String.valueOf(run.tenant.value()), run.sessionId().toString(),
              agent.name(), phase, use.id(), use.name(), use.input(), fields));
          Optional<String> target = outcome.transition();
          if (!outcome.isError() && target.isPresent() && !agent.phases().canTransition(phase, target.get())) {
            outcome = ToolOutcome.error("Tool " + use.name() + " failed: it asked for a phase change that is not allowed from " + phase + ".");
            target = Optional.empty();
          }
          long nanos = System.nanoTime() - t0;
          run.toolNanos += nanos;
          run.pendingToolNanos += nanos;
          metrics.toolExecution(agent.name(), use.name(), Duration.ofNanos(nanos), !outcome.isError());
          ObjectNode data = Json.object().put("tool", use.name()).put("tool_use_id", use.id()).put("phase", phase).put("is_error", outcome.isError());
          if (!outcome.isError()) {
            final ObjectNode set = outcome.setFields();
            set.properties().forEach(e -> fields.set(e.getKey(), e.getValue()));
            changed |= !set.isEmpty();
            data.set("set_fields", Json.mapper().valueToTree(iterable(set.fieldNames())));
            if (target.isPresent()) {
              newPhase = target;
              changed = true;
              data.put("transition", target.get());
            }
          } else {
            data.put("error", outcome.content());
            run.signals.add(signal(run, at, "tool_error", "medium", "tool_error:" + agent.name() + ":" + use.name(), phase, outcome.content()));
          }
          run.events.add(AgentEvent.timed(run.sessionId(), Optional.of(run.turnId), at, EventType.TOOL_EXECUTION, nanos / 1e6, data));
          if (target.isPresent()) {
            run.events.add(AgentEvent.of(run.sessionId(), Optional.of(run.turnId), at, EventType.PHASE_CHANGE,
                Json.object().put("from", phase).put("to", target.get()).put("tool", use.name())));
            run.listener.onPhaseChange(phase, target.get());
          }
          content = outcome.content();
          isError = outcome.isError();
          call.put("status", isError ? "failed" : "executed");
        }
        case GuardDecision.Blocked blocked -> {
          String reason = blocked.reason().name().toLowerCase(java.util.Locale.ROOT);
          block(run, at, phase, use, reason, List.of());
          content = blocked.message();
          isError = true;
          call.put("status", "blocked").put("reason", reason);
        }
        case GuardDecision.Invalid invalid -> {
          block(run, at, phase, use, "invalid_input", invalid.errors());
          content = invalid.message();
          isError = true;
          call.put("status", "invalid").put("reason", "invalid_input");
        }
      }
      call.put("is_error", isError).put("result", content);
      results.add(new ContentBlock.ToolResult(use.id(), content, isError));
      run.toolCalls.add(call);
      run.listener.onToolCall(call);
    }
    return new Round(results, fields, newPhase, changed);
  }

  private void block(Run run, Instant at, String phase, ContentBlock.ToolUse use, String reason, List<String> errors) {
    String agent = run.agent.name();
    metrics.guardBlock(agent, phase, reason);
    ObjectNode data = Json.object().put("tool", use.name()).put("tool_use_id", use.id()).put("phase", phase).put("reason", reason);
    if (!errors.isEmpty()) {
      data.set("errors", Json.mapper().valueToTree(errors));
    }
    run.events.add(AgentEvent.of(run.sessionId(), Optional.of(run.turnId), at, EventType.GUARD_BLOCK, data));
    String severity = switch (reason) {
      case "phase_changed" -> "info";
      case "case_mismatch", "invalid_input" -> "low";
      default -> "medium";
    };
    run.signals.add(signal(run, at, "guard_block", severity, "guard_block:" + agent + ":" + phase + ":" + reason, phase,
        use.name() + (errors.isEmpty() ? "" : ": " + String.join("; ", errors))));
  }

  private static Signal signal(Run run, Instant at, String name, String severity, String signature, String phase, String snippet) {
    return new Signal(UUID.randomUUID(), at, name, severity, signature, Optional.of(phase), run.session.user(), Optional.of(1.0), Optional.of(snippet));
  }

  private void persistRound(Run run, ChatMessage assistant, Round round) {
    Instant now = clock.instant();
    String before = run.session.phase();
    String after = round.newPhase().orElse(before);
    SessionStatus status = SessionStatus.of(run.agent.phases().phase(after));
    long version = run.session.version();
    StoredMessage toolUses = message(run, run.nextSeq, MessageKind.ASSISTANT, assistant.content(), before, now);
    StoredMessage results = message(run, run.nextSeq + 1, MessageKind.TOOL_RESULT, round.results(), before, now);
    Optional<SessionRepository.StateChange> change = round.changed()
        ? Optional.of(new SessionRepository.StateChange(version, after, status, round.fields()))
        : Optional.empty();
    jdbi.useTransaction(h -> {
      // Fence first: the update locks the session row and fails when another attempt holds the lease.
      if (!SessionRepository.commitRound(h, run.tenant, run.sessionId(), run.leaseToken, leaseUntil(run, now), 2, run.pendingUsage, run.pendingCost, now, change)) {
        throw new LeaseLost("turn " + run.turnId + " lost session " + run.sessionId() + " (lease taken over or version " + version
            + " changed); nothing more was stored");
      }
      MessageRepository.insert(h, run.tenant, toolUses);
      MessageRepository.insert(h, run.tenant, results);
      flushTurn(h, run, 1);
    });
    run.nextSeq += 2;
    run.rounds++;
    run.history.add(toolUses);
    run.history.add(results);
    run.lastAssistant = toolUses;
    if (round.changed()) {
      run.session = run.session.withState(after, status, round.fields(), now);
    }
  }

  private TurnReply finish(Run run, Optional<ChatMessage> last, String stop) {
    Instant now = clock.instant();
    boolean wasTerminal = run.session.status().isTerminal();
    StoredMessage answer = last.map(m -> message(run, run.nextSeq, MessageKind.ASSISTANT, m.content(), run.session.phase(), now))
        .orElse(run.lastAssistant);
    double durationMs = run.elapsedMs();
    double overheadMs = Math.max(0, durationMs - run.modelNanos / 1e6 - run.toolNanos / 1e6);
    run.events.add(AgentEvent.timed(run.sessionId(), Optional.of(run.turnId), now, EventType.TURN_COMPLETE, durationMs, Json.object()
        .put("stop", stop)
        .put("rounds", run.rounds)
        .put("model_calls", run.modelCalls)
        .put("model_ms", run.modelNanos / 1e6)
        .put("tool_ms", run.toolNanos / 1e6)
        .put("overhead_ms", overheadMs)
        .put("phase", run.session.phase())));
    Session[] finalSession = new Session[1];
    ObjectNode reply = jdbi.inTransaction(h -> {
      Session session = SessionRepository.finish(h, run.tenant, run.sessionId(), run.leaseToken, last.isPresent() ? 1 : 0, run.pendingUsage, run.pendingCost, now)
          .orElseThrow(() -> new LeaseLost("turn " + run.turnId + " lost session " + run.sessionId()
              + " to another attempt (its lease expired); nothing more was stored"));
      if (last.isPresent()) {
        MessageRepository.insert(h, run.tenant, answer);
      }
      TurnRecord turn = TurnRepository.complete(h, run.tenant, run.turnId, 0, run.pendingCalls, run.pendingUsage, run.pendingCost,
              run.pendingModelNanos / 1e6, run.pendingToolNanos / 1e6, durationMs, now)
          .orElseThrow(() -> new LeaseLost("turn " + run.turnId + " is no longer running"));
      EventRepository.insertAll(h, run.tenant, run.events);
      SignalRepository.insertAll(h, run.tenant, Optional.of(run.sessionId()), run.signals);
      finalSession[0] = session;
      ObjectNode json = Json.object();
      json.set("message", SessionJson.message(answer));
      json.set("session", SessionJson.session(session, Optional.of(SessionJson.turn(turn, TurnStatus.COMPLETED.wire()))));
      json.set("tool_calls", run.toolCalls);
      json.set("turn", SessionJson.turn(turn, TurnStatus.COMPLETED.wire()).put("stop", stop));
      // The reply as the store keeps it, so that a replay is identical to this answer.
      String text = Json.write(json);
      IdempotencyRepository.storeReply(h, run.tenant, run.turnId, text);
      return (ObjectNode) Json.parse(text);
    });
    clearPending(run);
    metrics.turn(run.agent.name(), "completed", Duration.ofNanos((long) (durationMs * 1e6)), Duration.ofNanos((long) (overheadMs * 1e6)));
    if (!wasTerminal && finalSession[0].status().isTerminal()) {
      metrics.conversationCost(run.agent.name(), finalSession[0].stats().costUsd());
    }
    return new TurnReply(reply, false);
  }

  /** Records a failed or interrupted turn; never throws (the original error matters more). */
  private void fail(Run run, TurnStatus status, String code, String message) {
    Instant now = clock.instant();
    metrics.error(run.agent.name(), code);
    double durationMs = run.elapsedMs();
    metrics.turn(run.agent.name(), status.wire(), Duration.ofNanos((long) (durationMs * 1e6)),
        Duration.ofNanos(Math.max(0, (long) (durationMs * 1e6) - run.modelNanos - run.toolNanos)));
    try {
      jdbi.useTransaction(h -> {
        if (!SessionRepository.renewLease(h, run.tenant, run.sessionId(), run.leaseToken, now)) {
          return; // another process owns the session now: write nothing
        }
        run.events.add(AgentEvent.timed(run.sessionId(), Optional.of(run.turnId), now, EventType.ERROR, durationMs,
            Json.object().put("code", code).put("message", message).put("retriable", true).put("rounds", run.rounds)));
        if (code.equals(AgentException.Kind.PROVIDER_ERROR.code()) || code.equals(AgentException.Kind.TURN_TIMEOUT.code())) {
          run.signals.add(signal(run, now, code, "high", code + ":" + run.agent.name(), run.session.phase(), oneLine(message)));
        }
        flush(h, run, 0, 0, now);
        TurnRepository.setDuration(h, run.tenant, run.turnId, durationMs);
        TurnRepository.casStatus(h, run.tenant, run.turnId, TurnStatus.RUNNING, status, Optional.of(code), Optional.of(message), now);
        SessionRepository.releaseLease(h, run.tenant, run.sessionId(), run.leaseToken);
      });
    } catch (RuntimeException e) {
      LOG.warn("session {} turn {}: cannot record the {} turn: {}", run.sessionId(), run.turnId, status.wire(), e.toString());
    }
  }

  /** Writes pending counters (session and turn), events and signals; inside the caller's transaction. */
  private static void flush(Handle h, Run run, int messages, int rounds, Instant now) {
    SessionRepository.addStats(h, run.tenant, run.sessionId(), 0, messages, run.pendingUsage, run.pendingCost, now);
    flushTurn(h, run, rounds);
  }

  /** Writes the turn's pending counters, events and signals (the session's counters went with its own update). */
  private static void flushTurn(Handle h, Run run, int rounds) {
    TurnRepository.addRound(h, run.tenant, run.turnId, rounds, run.pendingCalls, run.pendingUsage, run.pendingCost,
        run.pendingModelNanos / 1e6, run.pendingToolNanos / 1e6);
    EventRepository.insertAll(h, run.tenant, run.events);
    SignalRepository.insertAll(h, run.tenant, Optional.of(run.sessionId()), run.signals);
    clearPending(run);
  }

  private static void clearPending(Run run) {
    run.events.clear();
    run.signals.clear();
    run.pendingUsage = Usage.ZERO;
    run.pendingCost = 0;
    run.pendingCalls = 0;
    run.pendingModelNanos = 0;
    run.pendingToolNanos = 0;
  }

  private Instant leaseUntil(Run run, Instant now) {
    return now.plusNanos(Math.max(0, run.deadlineNanos - System.nanoTime())).plus(config.leaseMargin());
  }

  /** Renews the lease; throws when this turn no longer holds the session (its writes must not land). */
  private void fence(Handle h, Run run, Instant now) {
    if (!SessionRepository.renewLease(h, run.tenant, run.sessionId(), run.leaseToken, leaseUntil(run, now))) {
      throw new LeaseLost("turn " + run.turnId + " lost session " + run.sessionId() + " to another turn (its lease expired); nothing more was stored");
    }
  }

  private long checkDeadline(Run run) {
    long remaining = run.deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      throw new TurnTimeout(timeoutMessage(run), null);
    }
    return remaining;
  }

  private static String timeoutMessage(Run run) {
    return String.format(java.util.Locale.ROOT, "The turn exceeded its time limit of %.1f s (elapsed %.1f s, %d model calls completed, %d tool rounds).",
        run.agent.limits().turnTimeout().toMillis() / 1000.0, run.elapsedMs() / 1000.0, run.modelCalls, run.rounds);
  }

  private static StoredMessage message(Run run, int seq, MessageKind kind, List<ContentBlock> blocks, String phase, Instant at) {
    return new StoredMessage(run.sessionId(), seq, UUID.randomUUID(), Optional.of(run.turnId), kind, blocks, TokenEstimator.blocks(blocks), phase, at);
  }

  private static AgentException notFound(UUID session) {
    return new AgentException(AgentException.Kind.NOT_FOUND, "session " + session + " not found");
  }

  private static AgentException busy(UUID session) {
    return new AgentException(AgentException.Kind.TURN_IN_PROGRESS,
        "session " + session + " is answering another message; retry when it has finished");
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "(no detail)";
    }
    return text.lines().findFirst().orElse(text);
  }

  private static <T> List<T> iterable(java.util.Iterator<T> it) {
    List<T> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }

  /** The turn ran past its time limit. */
  private static final class TurnTimeout extends RuntimeException {
    TurnTimeout(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** This turn no longer holds the session's lease. */
  private static final class LeaseLost extends RuntimeException {
    LeaseLost(String message) {
      super(message);
    }
  }
}
