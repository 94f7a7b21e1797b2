package dev.parley.agent.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A signal for the issue-priority pipeline, in the DESIGN §4 format
 * {@code {"id","at","signal","severity","signature","phase"?,"user"?,"confidence"?,"snippet"?}}.
 *
 * @param signature stable grouping key, e.g. {@code guard_block:coachmira:context:out_of_phase}
 */
public record Signal(
    UUID id,
    Instant at,
    String signal,
    String severity,
    String signature,
    Optional<String> phase,
    Optional<String> user,
    Optional<Double> confidence,
    Optional<String> snippet) {
  public static final Set<String> SEVERITIES = Set.of("info", "low", "medium", "high", "critical");
  static final int MAX_SNIPPET = 500;

  public Signal {
    requireNonNull(id, "id is null");
    requireNonNull(at, "at is null");
    requireNonNull(signal, "signal is null");
    requireNonNull(severity, "severity is null");
    requireNonNull(signature, "signature is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(user, "user is null");
    requireNonNull(confidence, "confidence is null");
    requireNonNull(snippet, "snippet is null");
    if (!SEVERITIES.contains(severity)) {
      throw new IllegalArgumentException("severity must be one of " + SEVERITIES + ", was '" + severity + "'");
    }
    confidence.ifPresent(c -> {
      if (c < 0 || c > 1) {
        throw new IllegalArgumentException("confidence must be in [0, 1], was " + c);
      }
    });
    snippet = snippet.map(Signal::clip);
  }

  /** At most {@link #MAX_SNIPPET} characters, never cutting a surrogate pair in two (half a pair cannot be stored). */
  private static String clip(String s) {
    if (s.length() <= MAX_SNIPPET) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(MAX_SNIPPET - 1)) ? MAX_SNIPPET - 1 : MAX_SNIPPET;
    return s.substring(0, end);
  }

  /** The JSON line of DESIGN §4. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object()
        .put("id", id.toString())
        .put("at", at.toString())
        .put("signal", signal)
        .put("severity", severity)
        .put("signature", signature);
    phase.ifPresent(p -> node.put("phase", p));
    user.ifPresent(u -> node.put("user", u));
    confidence.ifPresent(c -> node.put("confidence", c));
    snippet.ifPresent(s -> node.put("snippet", s));
    return node;
  }
}
