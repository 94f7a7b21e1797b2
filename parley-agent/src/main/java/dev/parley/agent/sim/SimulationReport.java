package dev.parley.agent.sim;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a simulation measured.
 *
 * @param phaseAdherence share of the model's tool calls that named a tool of the session's current phase
 * @param executedViolations tool calls that ran although out of phase or with schema-invalid input
 *     (checked independently of the guard, from the definitions); must be 0
 */
public record SimulationReport(
    String agent,
    String mode,
    int conversations,
    int completed,
    int turns,
    int failedTurns,
    int toolCalls,
    int executed,
    int blocked,
    int invalid,
    int toolErrors,
    Map<String, Integer> blockedByReason,
    double phaseAdherence,
    int executedViolations,
    List<String> violationDetails,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    double costUsd,
    double latencyP50Ms,
    double latencyP95Ms,
    int expectationsChecked,
    int expectationsMet,
    List<String> expectationFailures) {

  public SimulationReport {
    requireNonNull(agent, "agent is null");
    requireNonNull(mode, "mode is null");
    blockedByReason = Map.copyOf(requireNonNull(blockedByReason, "blockedByReason is null"));
    violationDetails = List.copyOf(requireNonNull(violationDetails, "violationDetails is null"));
    expectationFailures = List.copyOf(requireNonNull(expectationFailures, "expectationFailures is null"));
  }

  public double completionRate() {
    return conversations == 0 ? 0 : (double) completed / conversations;
  }

  public ObjectNode toJson() {
    ObjectNode n = Json.object()
        .put("agent", agent)
        .put("mode", mode)
        .put("conversations", conversations)
        .put("completed", completed)
        .put("completion_rate", completionRate())
        .put("turns", turns)
        .put("failed_turns", failedTurns)
        .put("tool_calls", toolCalls)
        .put("executed", executed)
        .put("blocked", blocked)
        .put("invalid", invalid)
        .put("tool_errors", toolErrors)
        .put("phase_adherence", phaseAdherence)
        .put("executed_violations", executedViolations);
    n.set("blocked_by_reason", Json.mapper().valueToTree(new java.util.TreeMap<>(blockedByReason)));
    n.set("violation_details", Json.mapper().valueToTree(violationDetails));
    n.put("input_tokens", inputTokens).put("output_tokens", outputTokens).put("cache_read_tokens", cacheReadTokens)
        .put("cache_write_tokens", cacheWriteTokens).put("cost_usd", costUsd).put("latency_p50_ms", latencyP50Ms).put("latency_p95_ms", latencyP95Ms)
        .put("expectations_checked", expectationsChecked).put("expectations_met", expectationsMet);
    n.set("expectation_failures", Json.mapper().valueToTree(expectationFailures));
    return n;
  }

  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "simulation of %s (%s): %d conversations, %d turns (%d failed)%n", agent, mode, conversations, turns, failedTurns));
    sb.append(String.format(Locale.ROOT, "  completion        %d/%d (%.0f %%)%n", completed, conversations, 100 * completionRate()));
    sb.append(String.format(Locale.ROOT, "  tool calls        %d: %d executed, %d blocked, %d invalid input, %d tool errors%n",
        toolCalls, executed, blocked, invalid, toolErrors));
    if (!blockedByReason.isEmpty()) {
      sb.append("  blocked by reason ").append(new java.util.TreeMap<>(blockedByReason)).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "  phase adherence   %.1f %% of the model's tool calls named a tool of the current phase%n", 100 * phaseAdherence));
    sb.append(String.format(Locale.ROOT, "  executed violations %d%n", executedViolations));
    violationDetails.stream().limit(10).forEach(v -> sb.append("    ").append(v).append('\n'));
    sb.append(String.format(Locale.ROOT, "  tokens            %d input, %d output, %d cache read; cost $%.4f%n", inputTokens, outputTokens, cacheReadTokens, costUsd));
    sb.append(String.format(Locale.ROOT, "  turn latency      p50 %.1f ms, p95 %.1f ms%n", latencyP50Ms, latencyP95Ms));
    if (expectationsChecked > 0) {
      sb.append(String.format(Locale.ROOT, "  expectations      %d/%d met%n", expectationsMet, expectationsChecked));
      expectationFailures.stream().limit(10).forEach(f -> sb.append("    ").append(f).append('\n'));
    }
    return sb.toString();
  }
}
