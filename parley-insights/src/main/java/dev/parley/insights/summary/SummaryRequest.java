package dev.parley.insights.summary;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One segment to summarise.
 *
 * @param id caller's key, echoed in the result (e.g. {@code conversation#segment})
 * @param userTexts the customer's messages in the segment, in order
 * @param transcript the whole segment as "speaker: text" lines (what an LLM reads)
 */
public record SummaryRequest(String id, List<String> userTexts, String transcript) {
  public SummaryRequest {
    requireNonNull(id, "id is null");
    userTexts = List.copyOf(requireNonNull(userTexts, "userTexts is null"));
    requireNonNull(transcript, "transcript is null");
  }
}
