package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The triage of one conversation. Either stage 1 (with stage 2 when support replied, and a resolution when
 * anyone replied) or an error saying why this one conversation could not be triaged.
 *
 * @param backend {@code offline:<method>} or {@code llm:<provider>}
 */
public record TriageResult(
    String conversationId, Optional<Stage> stage1, Optional<Stage2> stage2, Optional<Resolution> resolution, Optional<String> error, String backend) {
  public TriageResult {
    requireNonNull(conversationId, "conversationId is null");
    requireNonNull(stage1, "stage1 is null");
    requireNonNull(stage2, "stage2 is null");
    requireNonNull(resolution, "resolution is null");
    requireNonNull(error, "error is null");
    requireNonNull(backend, "backend is null");
    if (stage1.isPresent() == error.isPresent()) {
      throw new IllegalArgumentException("exactly one of stage1 and error must be present for '" + conversationId + "'");
    }
  }

  public static TriageResult failed(String conversationId, String error, String backend) {
    return new TriageResult(conversationId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(error), backend);
  }
}
