package dev.parley.fakes;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.StopReason;
import dev.parley.core.chat.Usage;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One scripted reply of a fake provider server, in provider-neutral terms; each server renders it in its
 * own wire format (JSON, or SSE when the request asked to stream).
 */
public sealed interface FakeReply {

  /**
   * A model message. Without a stop reason it is {@code tool_use} when a tool_use block is present, else
   * {@code end_turn}; without usage the server estimates tokens from the request (and, for Anthropic,
   * simulates prompt caching).
   */
  record Message(List<ContentBlock> content, Optional<StopReason> stopReason, Optional<Usage> usage) implements FakeReply {
    public Message {
      content = List.copyOf(requireNonNull(content, "content is null"));
      requireNonNull(stopReason, "stopReason is null");
      requireNonNull(usage, "usage is null");
      for (ContentBlock block : content) {
        if (block instanceof ContentBlock.ToolResult) {
          throw new IllegalArgumentException("a model reply cannot contain a tool_result block");
        }
      }
    }

    public Message withUsage(Usage value) {
      return new Message(content, stopReason, Optional.of(value));
    }

    public Message withStopReason(StopReason value) {
      return new Message(content, Optional.of(value), usage);
    }

    public StopReason effectiveStopReason() {
      return stopReason.orElseGet(() -> content.stream().anyMatch(ContentBlock.ToolUse.class::isInstance)
          ? StopReason.TOOL_USE : StopReason.END_TURN);
    }
  }

  /** An HTTP error in the provider's error format, e.g. 429 {@code rate_limit_error}, 529 {@code overloaded_error}. */
  record Error(int status, String type, String message, Map<String, String> headers) implements FakeReply {
    public Error {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be in [400, 599], was " + status);
      }
      requireNonNull(type, "type is null");
      requireNonNull(message, "message is null");
      headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    }

    /** Adds a {@code retry-after} header (whole seconds, rounded up). */
    public Error withRetryAfter(Duration after) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put("retry-after", Long.toString((after.toMillis() + 999) / 1000));
      return new Error(status, type, message, h);
    }
  }

  /** Exactly this status, content type and body (garbage, truncated streams, odd servers). */
  record Raw(int status, String contentType, String body) implements FakeReply {
    public Raw {
      requireNonNull(contentType, "contentType is null");
      requireNonNull(body, "body is null");
    }
  }

  /** {@code reply}, after waiting {@code delay} (on top of the server's latency). */
  record Delayed(Duration delay, FakeReply reply) implements FakeReply {
    public Delayed {
      requireNonNull(delay, "delay is null");
      requireNonNull(reply, "reply is null");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must be >= 0, was " + delay);
      }
    }
  }

  /** This reply after {@code delay}. */
  default FakeReply after(Duration delay) {
    return new Delayed(delay, this);
  }

  static Message text(String text) {
    return new Message(List.of(new ContentBlock.Text(text)), Optional.empty(), Optional.empty());
  }

  /** One tool_use block. */
  static Message toolUse(String id, String name, ObjectNode input) {
    return new Message(List.of(new ContentBlock.ToolUse(id, name, input)), Optional.empty(), Optional.empty());
  }

  /** Any text and tool_use blocks, in order. */
  static Message message(ContentBlock... blocks) {
    return new Message(Arrays.asList(blocks), Optional.empty(), Optional.empty());
  }

  static Error error(int status, String type, String message) {
    return new Error(status, type, message, Map.of());
  }

  /** 429 rate_limit_error. */
  static Error rateLimited() {
    return error(429, "rate_limit_error", "Number of requests has exceeded your rate limit");
  }

  /** 529 overloaded_error, as Anthropic answers when busy. */
  static Error overloaded() {
    return error(529, "overloaded_error", "Overloaded");
  }

  /** 500 api_error. */
  static Error serverError() {
    return error(500, "api_error", "Internal server error");
  }

  /** A 200 whose JSON body is cut off. */
  static Raw malformed() {
    return new Raw(200, "application/json", "{\"id\":\"msg_broken\",\"type\":\"message\",\"content\":[{\"type\":\"te");
  }

  static Raw raw(int status, String contentType, String body) {
    return new Raw(status, contentType, body);
  }
}
