package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Bounds of one agent's turns.
 *
 * @param maxToolRounds model calls that may end in tool use within one turn before the turn stops
 * @param turnTimeout wall-clock bound of one turn (model calls, tools and storage together)
 * @param tokenBudget estimated prompt tokens (system + tools + history) above which older history is
 *     folded into the rolling summary, when the {@code context_window} flag is on
 * @param keepRecentTokens estimated tokens of the most recent history kept verbatim when folding
 * @param maxOutputTokens the model's {@code max_tokens} per call
 * @param temperature sampling temperature sent with every call
 */
public record AgentLimits(
    int maxToolRounds,
    Duration turnTimeout,
    int tokenBudget,
    int keepRecentTokens,
    int maxOutputTokens,
    double temperature) {

  public static final int DEFAULT_MAX_TOOL_ROUNDS = 8;
  public static final Duration DEFAULT_TURN_TIMEOUT = Duration.ofSeconds(120);
  public static final int DEFAULT_TOKEN_BUDGET = 8_000;
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 1_024;

  public AgentLimits {
    requireNonNull(turnTimeout, "turnTimeout is null");
    if (maxToolRounds < 1 || maxToolRounds > 100) {
      throw new IllegalArgumentException("max_tool_rounds must be in [1, 100], was " + maxToolRounds);
    }
    if (turnTimeout.isNegative() || turnTimeout.isZero()) {
      throw new IllegalArgumentException("turn_timeout_seconds must be > 0, was " + turnTimeout.toSeconds());
    }
    if (tokenBudget < 500) {
      throw new IllegalArgumentException("token_budget must be >= 500, was " + tokenBudget);
    }
    if (keepRecentTokens < 1 || keepRecentTokens >= tokenBudget) {
      throw new IllegalArgumentException(
          "keep_recent_tokens must be in [1, token_budget=" + tokenBudget + "), was " + keepRecentTokens);
    }
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException("max_output_tokens must be >= 1, was " + maxOutputTokens);
    }
    if (temperature < 0 || temperature > 2) {
      throw new IllegalArgumentException("temperature must be in [0, 2], was " + temperature);
    }
  }

  public static AgentLimits defaults() {
    return new AgentLimits(
        DEFAULT_MAX_TOOL_ROUNDS, DEFAULT_TURN_TIMEOUT, DEFAULT_TOKEN_BUDGET, DEFAULT_TOKEN_BUDGET / 4, DEFAULT_MAX_OUTPUT_TOKENS, 0.3);
  }

  public AgentLimits withTurnTimeout(Duration timeout) {
    return new AgentLimits(maxToolRounds, timeout, tokenBudget, keepRecentTokens, maxOutputTokens, temperature);
  }

  public AgentLimits withTokenBudget(int budget, int keepRecent) {
    return new AgentLimits(maxToolRounds, turnTimeout, budget, keepRecent, maxOutputTokens, temperature);
  }
}
