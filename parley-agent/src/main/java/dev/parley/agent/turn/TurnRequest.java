package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import dev.parley.core.error.BadInputException;
import dev.parley.core.text.TextChecks;
import dev.parley.store.TenantId;
import java.util.Optional;
import java.util.UUID;

/**
 * A user message for a session, or ({@code retry}) a request to run the session's last failed or
 * interrupted turn again without storing another message.
 */
public record TurnRequest(TenantId tenant, UUID sessionId, Optional<String> text, Optional<String> idempotencyKey, boolean retry) {
  public static final int MAX_TEXT = 32_000;
  public static final int MAX_KEY = 255;

  public TurnRequest {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(sessionId, "sessionId is null");
    requireNonNull(text, "text is null");
    requireNonNull(idempotencyKey, "idempotencyKey is null");
    if (retry == text.isPresent()) {
      throw new BadInputException(retry ? "a retry takes no text" : "text is required");
    }
    text.ifPresent(t -> {
      if (t.isBlank()) {
        throw new BadInputException("text is blank");
      }
      if (t.length() > MAX_TEXT) {
        throw new BadInputException("text must have at most " + MAX_TEXT + " characters, has " + t.length());
      }
      // Refused rather than repaired: the store cannot hold it, and only the sender knows what was meant.
      TextChecks.problem(t).ifPresent(p -> {
        throw new BadInputException("text " + p);
      });
    });
    idempotencyKey.ifPresent(k -> {
      if (k.isEmpty() || k.length() > MAX_KEY) {
        throw new BadInputException("Idempotency-Key must have 1 to " + MAX_KEY + " characters, has " + k.length());
      }
      TextChecks.problem(k).ifPresent(p -> {
        throw new BadInputException("Idempotency-Key " + p);
      });
    });
  }

  public static TurnRequest message(TenantId tenant, UUID sessionId, String text) {
    return new TurnRequest(tenant, sessionId, Optional.of(text), Optional.empty(), false);
  }
}
