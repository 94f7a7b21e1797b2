package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.metrics.AgentMetrics;
import dev.parley.agent.metrics.PriceTable;
import dev.parley.agent.prompt.PromptBuilder;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.agent.session.StoredMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.LlmException;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One model call of a turn: bounded by what is left of the turn's time limit, timed (the turn's
 * {@code model_ms}), priced, and reported to the metrics and to the turn's pending figures. A call that
 * fails or times out is reported with its error type and no usage, and costs the turn nothing.
 */
final class TimedModelCall {
  private final ChatModel model;
  private final ExecutorService callExecutor;
  private final AgentMetrics metrics;
  private final PriceTable prices;
  private final Clock clock;

  /** Marks the end of a streamed call's text in its queue. */
  private static final Object END = new Object();

  /** A call made by {@link #inline} and how long it took. */
  record Timed(ChatResponse response, long nanos) {}

  TimedModelCall(ChatModel model, ExecutorService callExecutor, AgentMetrics metrics, PriceTable prices, Clock clock) {
    this.model = requireNonNull(model, "model is null");
    this.callExecutor = requireNonNull(callExecutor, "callExecutor is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.prices = requireNonNull(prices, "prices is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Calls the turn's model (streaming text to the turn's listener when it wants it) and records an
   * {@code llm_request} event. The call runs on the call executor so that the turn's thread can give up
   * at the deadline; the abandoned call is cancelled. Streamed text is handed to the turn's thread,
   * which delivers it while it waits, so the listener hears of nothing after the call ended or from two
   * threads. The reply comes back repaired ({@link ModelOutput#clean}).
   *
   * @param phase the phase whose tools the request offers
   * @param prompt the prompt the request was built from (for the event's token estimate)
   */
  ChatResponse call(TurnRun run, ChatRequest request, String purpose, String phase, PromptBuilder.Prompt prompt) {
    long remaining = run.checkDeadline();
    long t0 = System.nanoTime();
    long deadline = t0 + remaining;
    boolean streaming = run.events.streaming();
    BlockingQueue<Object> deltas = new LinkedBlockingQueue<>();
    Future<ChatResponse> future = callExecutor.submit(() -> {
      if (!streaming) {
        return model.chat(request);
      }
      try {
        return model.stream(request, deltas::add);
      } finally {
        deltas.add(END);
      }
    });
    ChatResponse raw;
    try {
      if (streaming) {
        relay(run, deltas, deadline);
      }
      // A streamed call has ended when its text has: the deadline must not fail it in the instant before its result is set.
      long wait = streaming ? Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)) : Math.max(0, deadline - System.nanoTime());
      raw = future.get(wait, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      failed(run, request, purpose, t0, "timeout");
      throw new TurnErrors.TurnTimeout(run.timeoutMessage(), e);
    } catch (ExecutionException e) {
      // Never null for a task that threw; the ExecutionException itself stands in, should it be.
      Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
      String type = cause instanceof LlmException le ? le.kind().name() : cause.getClass().getSimpleName();
      failed(run, request, purpose, t0, type);
      if (cause instanceof LlmException le) {
        throw le;
      }
      throw new LlmException(LlmException.Kind.OTHER, cause.getClass().getSimpleName() + ": " + TurnErrors.oneLine(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      failed(run, request, purpose, t0, "interrupted");
      throw new AgentException(AgentException.Kind.INTERRUPTED, "turn " + run.turnId + " was interrupted while waiting for the model",
          Optional.of(run.turnId), e);
    }
    long nanos = System.nanoTime() - t0;
    account(run, model.provider(), request.model(), purpose, nanos, raw.usage());
    ModelOutput.Cleaned cleaned = ModelOutput.clean(raw);
    ChatResponse response = cleaned.response();
    ObjectNode data = Json.object()
        .put("purpose", purpose)
        .put("phase", phase)
        .put("round", run.rounds + 1)
        .put("stop_reason", response.stopReason().name().toLowerCase(Locale.ROOT))
        .put("messages", request.messages().size())
        .put("system_chars", request.system().length())
        .put("estimated_prompt_tokens", prompt.estimatedTokens() + run.history.stream().mapToInt(StoredMessage::tokens).sum())
        .put("modular_prompts", run.flags.modularPrompts())
        .put("prompt_caching", request.cachePrompt());
    ArrayNode offered = data.putArray("tools_offered");
    request.tools().forEach(t -> offered.add(t.name()));
    if (cleaned.replaced() > 0) {
      data.put("replaced_characters", cleaned.replaced());
      run.pending.signals.add(run.signal(clock.instant(), "model_output_repaired", "low", "model_output_repaired:" + run.agent.name(), phase,
          cleaned.replaced() + " NUL or lone surrogate characters in the reply of " + response.model() + " were replaced with U+FFFD"));
    }
    run.pending.events.add(new AgentEvent(0, run.sessionId(), Optional.of(run.turnId), clock.instant(), EventType.LLM_REQUEST,
        Optional.of(nanos / 1e6), Optional.of(response.model()), Optional.of(response.usage()), data));
    return response;
  }

  /**
   * Delivers streamed text on the turn's thread until the call ends.
   *
   * @throws TimeoutException when {@code deadline} passes first
   */
  private static void relay(TurnRun run, BlockingQueue<Object> deltas, long deadline) throws InterruptedException, TimeoutException {
    while (true) {
      Object item = deltas.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (item == null) {
        throw new TimeoutException("no end of the model's stream before the turn's deadline");
      }
      if (item == END) {
        run.events.endText();
        return;
      }
      run.events.text((String) item);
    }
  }

  /** A failed call: reported, and its wait counted as model time (it is not orchestration overhead). */
  private void failed(TurnRun run, ChatRequest request, String purpose, long t0, String errorType) {
    long nanos = System.nanoTime() - t0;
    metrics.modelCall(model.provider(), request.model(), purpose, Duration.ofNanos(nanos), Usage.ZERO, errorType);
    run.modelWaited(nanos);
  }

  /**
   * Makes a call of another component (the summariser) on the turn's own thread. Only its start is
   * checked against the deadline; the caller records its event, since only it knows what the call was
   * for. The reply comes back repaired ({@link ModelOutput#clean}).
   */
  Timed inline(TurnRun run, String provider, String modelName, String purpose, Supplier<ChatResponse> call) {
    run.checkDeadline();
    long t0 = System.nanoTime();
    ChatResponse response;
    try {
      response = call.get();
    } catch (LlmException e) {
      long nanos = System.nanoTime() - t0;
      metrics.modelCall(provider, modelName, purpose, Duration.ofNanos(nanos), Usage.ZERO, e.kind().name());
      run.modelWaited(nanos);
      throw e;
    }
    long nanos = System.nanoTime() - t0;
    account(run, provider, modelName, purpose, nanos, response.usage());
    return new Timed(ModelOutput.clean(response).response(), nanos);
  }

  private void account(TurnRun run, String provider, String modelName, String purpose, long nanos, Usage usage) {
    double cost = prices.cost(modelName, usage);
    metrics.modelCall(provider, modelName, purpose, Duration.ofNanos(nanos), usage, "");
    metrics.cost(run.agent.name(), modelName, cost);
    run.modelCalled(nanos, usage, cost);
  }
}
