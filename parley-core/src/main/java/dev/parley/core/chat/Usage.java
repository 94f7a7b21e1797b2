package dev.parley.core.chat;

/** Token usage of one call; cache figures are zero where the provider reports none. */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0);

  public Usage {
    if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0");
    }
  }

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadTokens + other.cacheReadTokens,
        cacheWriteTokens + other.cacheWriteTokens);
  }

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens;
  }
}
