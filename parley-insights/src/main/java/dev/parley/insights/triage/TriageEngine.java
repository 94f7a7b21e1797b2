package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import dev.parley.core.conversation.Conversation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Two-stage triage of conversations: reads each into a {@link TriageInput}, lets the backend classify
 * those with customer text, and reports the others as per-conversation errors (never failing the batch).
 */
public final class TriageEngine {
  private final TriageBackend backend;
  private final Routing routing;

  public TriageEngine(TriageBackend backend, Taxonomy taxonomy) {
    this.backend = requireNonNull(backend, "backend is null");
    this.routing = new Routing(requireNonNull(taxonomy, "taxonomy is null"));
  }

  public String backendName() {
    return backend.name();
  }

  public List<TriageResult> triage(List<Conversation> conversations) {
    requireNonNull(conversations, "conversations is null");
    List<TriageInput> inputs = conversations.stream().map(TriageInput::of).toList();
    List<TriageInput> valid = inputs.stream().filter(i -> i.problem().isEmpty()).toList();
    List<TriageResult> classified = valid.isEmpty() ? List.of() : backend.triage(valid, routing);
    List<TriageResult> out = new ArrayList<>(inputs.size());
    int next = 0;
    for (TriageInput in : inputs) {
      Optional<String> problem = in.problem();
      if (problem.isPresent()) {
        out.add(TriageResult.failed(in.conversationId(), problem.get(), backend.name()));
      } else {
        out.add(classified.get(next++));
      }
    }
    return out;
  }
}
