package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Where the thread ended up.
 *
 * @param action what the responder did, e.g. {@code refund}, {@code troubleshooting}, {@code none}
 * @param evidence the message text the decision rests on (shortened)
 */
public record Resolution(Status status, String action, String evidence) {
  public enum Status {
    RESOLVED,
    PENDING,
    UNRESOLVED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Resolution {
    requireNonNull(status, "status is null");
    requireNonNull(action, "action is null");
    requireNonNull(evidence, "evidence is null");
  }
}
