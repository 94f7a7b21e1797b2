package dev.parley.agent.sim;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.definition.ToolDefinition;
import dev.parley.agent.session.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Accumulates what simulated conversations did; not thread-safe (simulations run one turn at a time). */
final class SimulationStats {
  private final AgentDefinition agent;
  private final String mode;
  int conversations;
  int completed;
  int turns;
  int failedTurns;
  int toolCalls;
  int executed;
  int blocked;
  int invalid;
  int toolErrors;
  int inPhaseCalls;
  final Map<String, Integer> blockedByReason = new HashMap<>();
  final List<String> violations = new ArrayList<>();
  long inputTokens;
  long outputTokens;
  long cacheReadTokens;
  long cacheWriteTokens;
  double costUsd;
  final List<Double> latencies = new ArrayList<>();
  int expectationsChecked;
  int expectationsMet;
  final List<String> expectationFailures = new ArrayList<>();

  SimulationStats(AgentDefinition agent, String mode) {
    this.agent = requireNonNull(agent, "agent is null");
    this.mode = requireNonNull(mode, "mode is null");
  }

  /** Counts one turn's tool calls and checks each executed one against the definitions, independently of the guard. */
  TurnCounts addTurn(String conversation, JsonNode reply, double latencyMs) {
    turns++;
    latencies.add(latencyMs);
    int turnBlocked = 0;
    int turnExecuted = 0;
    for (JsonNode call : reply.path("tool_calls")) {
      toolCalls++;
      String name = call.path("name").asText();
      String phase = call.path("phase").asText();
      String status = call.path("status").asText();
      Optional<ToolDefinition> tool = agent.phases().find(phase).isPresent() ? agent.tool(phase, name) : Optional.empty();
      if (tool.isPresent()) {
        inPhaseCalls++;
      }
      switch (status) {
        case "executed", "failed" -> {
          executed++;
          turnExecuted++;
          if (status.equals("failed")) {
            toolErrors++;
          }
          if (tool.isEmpty()) {
            violations.add(conversation + ": " + name + " ran in phase " + phase + " where it is not offered");
          } else {
            List<String> errors = tool.get().inputSchema().validate(call.path("input"));
            if (!errors.isEmpty()) {
              violations.add(conversation + ": " + name + " ran with invalid input: " + String.join("; ", errors));
            }
          }
        }
        case "blocked" -> {
          blocked++;
          turnBlocked++;
          blockedByReason.merge(call.path("reason").asText("unknown"), 1, Integer::sum);
        }
        case "invalid" -> {
          invalid++;
          turnBlocked++;
          blockedByReason.merge("invalid_input", 1, Integer::sum);
        }
        default -> violations.add(conversation + ": unknown tool call status '" + status + "'");
      }
    }
    return new TurnCounts(turnBlocked, turnExecuted);
  }

  record TurnCounts(int blocked, int executed) {}

  void addConversation(Session session) {
    conversations++;
    if (session.status().isTerminal()) {
      completed++;
    }
    inputTokens += session.stats().inputTokens();
    outputTokens += session.stats().outputTokens();
    cacheReadTokens += session.stats().cacheReadTokens();
    cacheWriteTokens += session.stats().cacheWriteTokens();
    costUsd += session.stats().costUsd();
  }

  void expectation(boolean met, String failure) {
    expectationsChecked++;
    if (met) {
      expectationsMet++;
    } else {
      expectationFailures.add(failure);
    }
  }

  SimulationReport report() {
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return new SimulationReport(agent.name(), mode, conversations, completed, turns, failedTurns, toolCalls, executed, blocked, invalid,
        toolErrors, blockedByReason, toolCalls == 0 ? 1.0 : (double) inPhaseCalls / toolCalls, violations.size(), violations,
        inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd, percentile(sorted, 0.50), percentile(sorted, 0.95),
        expectationsChecked, expectationsMet, expectationFailures);
  }

  /** Nearest-rank percentile of sorted values (0 when empty). */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
