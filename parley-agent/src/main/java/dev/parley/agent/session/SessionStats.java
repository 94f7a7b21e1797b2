package dev.parley.agent.session;

/** Per-session counters: turns and messages (the decision gate reads these) and usage and cost. */
public record SessionStats(
    int turns, int messages, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, double costUsd) {
  public static final SessionStats ZERO = new SessionStats(0, 0, 0, 0, 0, 0, 0);

  public SessionStats {
    if (turns < 0 || messages < 0 || inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || costUsd < 0) {
      throw new IllegalArgumentException("session counters must be >= 0");
    }
  }
}
