package dev.parley.server;

import dev.parley.agent.turn.TurnRequest;

/**
 * What a client may send, bounded field by field (docs/http-api.md, "Limits"). A body as a whole is bounded
 * by {@code --max-body-bytes}; these bound what one field costs where it ends up: every system prompt
 * (the user's name), every session read (metadata), the turn's token budget (text).
 */
public final class ApiLimits {
  /** Agent names are folder names ({@code AgentDefinition.NAME}). */
  public static final int MAX_AGENT_CHARS = 64;
  /** As the orchestrator's sessions allow. */
  public static final int MAX_USER_CHARS = 200;
  /** {@code metadata.user_name} (or {@code metadata.name}) goes into every system prompt of the session. */
  public static final int MAX_USER_NAME_CHARS = 100;
  /** {@code metadata} as stored (compact JSON, UTF-8). */
  public static final int MAX_METADATA_BYTES = 16 * 1024;
  /** Nesting of {@code metadata}: the object itself is level 1. */
  public static final int MAX_METADATA_DEPTH = 4;
  public static final int MAX_METADATA_KEY_CHARS = 100;
  public static final int MAX_TEXT_CHARS = TurnRequest.MAX_TEXT;
  public static final int MAX_IDEMPOTENCY_KEY_CHARS = TurnRequest.MAX_KEY;
  /** {@code GET /v1/sessions/{id}/events?limit=}, as the orchestrator allows. */
  public static final int MAX_EVENTS_LIMIT = 10_000;
  public static final int DEFAULT_EVENTS_LIMIT = 1_000;
  /**
   * Request line and headers together (Jetty's default, made explicit); above it the reply is 431 in the
   * API's error shape. Every header the API reads is far smaller.
   */
  public static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;

  private ApiLimits() {}
}
