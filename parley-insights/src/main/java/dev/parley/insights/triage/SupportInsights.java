package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What support's replies reveal.
 *
 * @param issueConfirmed support acknowledged the problem as real (a known issue, a confirmed bug, "I can see that...")
 * @param rootCause the sentence naming a cause ("because", "due to", "caused by"), if any
 * @param requestedInformation support asked the customer for details
 * @param escalated support passed the case on to another team
 * @param suggestedAction support's first concrete instruction, if any
 */
public record SupportInsights(
    boolean issueConfirmed, Optional<String> rootCause, boolean requestedInformation, boolean escalated, Optional<String> suggestedAction) {
  public SupportInsights {
    requireNonNull(rootCause, "rootCause is null");
    requireNonNull(suggestedAction, "suggestedAction is null");
  }
}
