package dev.parley.insights.triage;

import java.util.List;

/** How conversations get classified: offline on embeddings, or by an LLM. */
public sealed interface TriageBackend permits OfflineTriageBackend, LlmTriageBackend {
  /** Recorded in every result, e.g. {@code offline:logistic-regression}. */
  String name();

  /** One result per input, in order; inputs all have customer text. Never throws for one bad item. */
  List<TriageResult> triage(List<TriageInput> inputs, Routing routing);
}
