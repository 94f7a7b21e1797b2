package dev.parley.agent.metrics;

import static java.util.Objects.requireNonNull;

import dev.parley.core.chat.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Orchestrator metrics, named after the OpenTelemetry GenAI semantic conventions where one exists
 * ({@code gen_ai.client.operation.duration}, {@code gen_ai.client.token.usage} with
 * {@code gen_ai.token.type}, {@code gen_ai.execute_tool.duration}) and {@code parley.*} otherwise.
 */
public final class AgentMetrics {
  private final MeterRegistry registry;

  public AgentMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One model call; {@code errorType} is empty on success. */
  public void modelCall(String provider, String model, String purpose, Duration duration, Usage usage, String errorType) {
    Timer.builder("gen_ai.client.operation.duration")
        .description("Duration of GenAI client operations")
        .tag("gen_ai.operation.name", "chat")
        .tag("gen_ai.system", provider)
        .tag("gen_ai.request.model", model)
        .tag("parley.purpose", purpose)
        .tag("error.type", errorType.isEmpty() ? "none" : errorType)
        .publishPercentileHistogram()
        .register(registry)
        .record(duration);
    tokens(provider, model, "input", usage.inputTokens());
    tokens(provider, model, "output", usage.outputTokens());
    if (usage.cacheReadTokens() > 0) {
      tokens(provider, model, "cache_read", usage.cacheReadTokens());
    }
    if (usage.cacheWriteTokens() > 0) {
      tokens(provider, model, "cache_write", usage.cacheWriteTokens());
    }
  }

  private void tokens(String provider, String model, String type, long count) {
    DistributionSummary.builder("gen_ai.client.token.usage")
        .description("Tokens used by GenAI operations")
        .tag("gen_ai.operation.name", "chat")
        .tag("gen_ai.system", provider)
        .tag("gen_ai.request.model", model)
        .tag("gen_ai.token.type", type)
        .register(registry)
        .record(count);
  }

  public void toolExecution(String agent, String tool, Duration duration, boolean success) {
    Timer.builder("gen_ai.execute_tool.duration")
        .description("Duration of tool executions")
        .tag("gen_ai.tool.name", tool)
        .tag("parley.agent", agent)
        .tag("outcome", success ? "success" : "error")
        .register(registry)
        .record(duration);
    Counter.builder("parley.tool.calls").tag("parley.agent", agent).tag("gen_ai.tool.name", tool)
        .tag("outcome", success ? "success" : "error").register(registry).increment();
  }

  public void guardBlock(String agent, String phase, String reason) {
    Counter.builder("parley.guard.blocks").description("Tool calls refused by the phase guard")
        .tag("parley.agent", agent).tag("parley.phase", phase).tag("reason", reason)
        .register(registry).increment();
  }

  /**
   * One finished turn: its latency, and the orchestration overhead (turn time minus model and tool time).
   *
   * @param outcome completed, failed or interrupted
   */
  public void turn(String agent, String outcome, Duration total, Duration overhead) {
    Timer.builder("parley.turn.duration").description("Turn latency").tag("parley.agent", agent).tag("outcome", outcome)
        .publishPercentileHistogram().register(registry).record(total);
    Timer.builder("parley.turn.overhead").description("Turn time outside model and tool calls")
        .tag("parley.agent", agent).publishPercentileHistogram().register(registry).record(overhead);
    Counter.builder("parley.turns").tag("parley.agent", agent).tag("outcome", outcome).register(registry).increment();
  }

  public void error(String agent, String code) {
    Counter.builder("parley.errors").description("Turns that ended in an error").tag("parley.agent", agent).tag("code", code)
        .register(registry).increment();
  }

  public void cost(String agent, String model, double usd) {
    Counter.builder("parley.cost").baseUnit("usd").description("Spend on model calls").tag("parley.agent", agent)
        .tag("gen_ai.request.model", model).register(registry).increment(usd);
  }

  /** Recorded once per conversation, when it reaches a terminal phase. */
  public void conversationCost(String agent, double usd) {
    DistributionSummary.builder("parley.conversation.cost").baseUnit("usd").description("Cost per completed conversation")
        .tag("parley.agent", agent).register(registry).record(usd);
  }

  /** The rollout guard stepped {@code flag} back to 0 % (agent/flags {@code RolloutGuard}). */
  public void flagRollback(String flag) {
    Counter.builder("parley.flag.rollbacks").description("Flag rollouts the rollout guard stepped back to 0 %")
        .tag("parley.flag", flag).register(registry).increment();
  }
}
