package dev.parley.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.StopReason;
import dev.parley.core.chat.Usage;
import dev.parley.core.hash.ContentHash;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local stand-in for the Anthropic Messages API: {@code POST /v1/messages}, answered as JSON or, when the
 * request says {@code "stream": true}, as the SSE event sequence {@code message_start}, {@code ping},
 * {@code content_block_start} / {@code content_block_delta} ({@code text_delta}, {@code input_json_delta})
 * / {@code content_block_stop}, {@code message_delta}, {@code message_stop}. Errors use Anthropic's body
 * {@code {"type":"error","error":{"type":...,"message":...}}}.
 *
 * <p>Usage, unless a reply scripts it, is estimated from the request (a quarter of its characters) and
 * prompt caching is simulated: a prefix ending at a {@code cache_control} marker (tools, then system, then
 * messages, as Anthropic orders them) that this server saw before is reported as
 * {@code cache_read_input_tokens}; a new one of at least {@link #minCacheableTokens(int)} tokens as
 * {@code cache_creation_input_tokens}. Entries never expire (Anthropic's last five minutes).
 *
 * <p>Point the adapter at it with {@code ANTHROPIC_BASE_URL=}{@link #baseUrl()}.
 */
public final class FakeAnthropicServer extends FakeProviderServer<FakeAnthropicServer> {
  private final Set<String> cachedPrefixes = ConcurrentHashMap.newKeySet();
  private volatile int minCacheableTokens = 1024;

  private FakeAnthropicServer() {}

  /** Starts a server on 127.0.0.1 and a free port. */
  public static FakeAnthropicServer start() {
    return new FakeAnthropicServer();
  }

  /** The host root, as Anthropic's SDKs read {@code ANTHROPIC_BASE_URL}. */
  @Override
  public String baseUrl() {
    return root();
  }

  @Override
  public Map<String, String> env(String apiKey) {
    return Map.of("ANTHROPIC_BASE_URL", baseUrl(), "ANTHROPIC_API_KEY", apiKey);
  }

  /**
   * Shortest prefix the simulated cache stores; 1024 by default, Anthropic's minimum for its Sonnet and
   * Opus models, so a short prompt shows no caching here either.
   */
  public FakeAnthropicServer minCacheableTokens(int tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("minCacheableTokens must be >= 0, was " + tokens);
    }
    this.minCacheableTokens = tokens;
    return this;
  }

  /** Forgets the simulated prompt cache. */
  public FakeAnthropicServer clearCache() {
    cachedPrefixes.clear();
    return this;
  }

  @Override
  Optional<String> presentedKey(RecordedRequest request) {
    return request.header("x-api-key");
  }

  @Override
  String errorBody(FakeReply.Error error) {
    ObjectNode body = Json.object().put("type", "error");
    body.putObject("error").put("type", error.type()).put("message", error.message());
    return Json.write(body);
  }

  @Override
  void serve(Exchange exchange) throws IOException, InterruptedException {
    RecordedRequest request = exchange.request;
    if (!request.path().equals("/v1/messages")) {
      exchange.reply(FakeReply.error(404, "not_found_error", "fake Anthropic server: no route " + request.path()));
      return;
    }
    if (!request.method().equals("POST")) {
      exchange.reply(FakeReply.error(405, "invalid_request_error", "use POST"));
      return;
    }
    if (!request.json().isObject() || !request.json().path("messages").isArray()) {
      exchange.reply(FakeReply.error(400, "invalid_request_error", "messages: field required"));
      return;
    }
    Optional<FakeReply.Message> next = exchange.nextMessage();
    if (next.isEmpty()) {
      return;
    }
    FakeReply.Message message = next.get();
    Usage usage = message.usage().orElseGet(() -> estimateUsage(request.json(), message));
    String id = "msg_fake_" + request.sequence();
    if (request.stream()) {
      stream(exchange, id, message, usage);
    } else {
      ObjectNode body = messageJson(id, request.model(), usage);
      ArrayNode content = body.putArray("content");
      for (ContentBlock block : message.content()) {
        content.add(blockJson(block));
      }
      body.put("stop_reason", stopReason(message.effectiveStopReason()));
      body.putNull("stop_sequence");
      exchange.sendJson(body);
    }
  }

  private void stream(Exchange exchange, String id, FakeReply.Message message, Usage usage)
      throws IOException, InterruptedException {
    ObjectNode start = Json.object().put("type", "message_start");
    ObjectNode msg = messageJson(id, exchange.request.model(), new Usage(usage.inputTokens(), 1, usage.cacheReadTokens(),
        usage.cacheWriteTokens()));
    msg.putArray("content");
    msg.putNull("stop_reason");
    msg.putNull("stop_sequence");
    start.set("message", msg);
    exchange.event("message_start", Json.write(start));
    exchange.event("ping", "{\"type\":\"ping\"}");
    int index = 0;
    for (ContentBlock block : message.content()) {
      ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", index);
      switch (block) {
        case ContentBlock.Text t -> {
          blockStart.putObject("content_block").put("type", "text").put("text", "");
          exchange.event("content_block_start", Json.write(blockStart));
          for (String chunk : textChunks(t.text())) {
            ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", index);
            delta.putObject("delta").put("type", "text_delta").put("text", chunk);
            exchange.event("content_block_delta", Json.write(delta));
          }
        }
        case ContentBlock.ToolUse u -> {
          ObjectNode cb = blockStart.putObject("content_block").put("type", "tool_use").put("id", u.id()).put("name", u.name());
          cb.putObject("input");
          exchange.event("content_block_start", Json.write(blockStart));
          for (String chunk : jsonChunks(Json.write(u.input()))) {
            ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", index);
            delta.putObject("delta").put("type", "input_json_delta").put("partial_json", chunk);
            exchange.event("content_block_delta", Json.write(delta));
          }
        }
        case ContentBlock.ToolResult r -> throw new AssertionError("rejected by FakeReply.Message");
      }
      exchange.event("content_block_stop", Json.write(Json.object().put("type", "content_block_stop").put("index", index)));
      index++;
    }
    ObjectNode delta = Json.object().put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", stopReason(message.effectiveStopReason())).putNull("stop_sequence");
    delta.putObject("usage").put("output_tokens", usage.outputTokens());
    exchange.event("message_delta", Json.write(delta));
    exchange.event("message_stop", "{\"type\":\"message_stop\"}");
    exchange.endStream();
  }

  private static ObjectNode messageJson(String id, String model, Usage usage) {
    ObjectNode body = Json.object()
        .put("id", id)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model);
    body.putObject("usage")
        .put("input_tokens", usage.inputTokens())
        .put("output_tokens", usage.outputTokens())
        .put("cache_creation_input_tokens", usage.cacheWriteTokens())
        .put("cache_read_input_tokens", usage.cacheReadTokens());
    return body;
  }

  private static ObjectNode blockJson(ContentBlock block) {
    return switch (block) {
      case ContentBlock.Text t -> Json.object().put("type", "text").put("text", t.text());
      case ContentBlock.ToolUse u -> {
        ObjectNode n = Json.object().put("type", "tool_use").put("id", u.id()).put("name", u.name());
        n.set("input", u.input());
        yield n;
      }
      case ContentBlock.ToolResult r -> throw new AssertionError("rejected by FakeReply.Message");
    };
  }

  private static String stopReason(StopReason reason) {
    return switch (reason) {
      case END_TURN -> "end_turn";
      case TOOL_USE -> "tool_use";
      case MAX_TOKENS -> "max_tokens";
      case STOP_SEQUENCE -> "stop_sequence";
      case OTHER -> "refusal";
    };
  }

  /** Estimated usage with simulated prompt caching (see the class comment). */
  private Usage estimateUsage(JsonNode body, FakeReply.Message reply) {
    // The model heads the prefix (caches are per model) but is not counted as a prompt token.
    StringBuilder prefix = new StringBuilder(body.path("model").asText()).append('\n');
    int base = prefix.length();
    List<Integer> breakpoints = new ArrayList<>();
    for (JsonNode tool : body.path("tools")) {
      prefix.append(withoutCacheControl(tool)).append('\n');
      if (tool.has("cache_control")) {
        breakpoints.add(prefix.length());
      }
    }
    JsonNode system = body.path("system");
    if (system.isTextual()) {
      prefix.append(system.asText()).append('\n');
    } else {
      for (JsonNode block : system) {
        prefix.append(block.path("text").asText()).append('\n');
        if (block.has("cache_control")) {
          breakpoints.add(prefix.length());
        }
      }
    }
    for (JsonNode message : body.path("messages")) {
      prefix.append(message.path("role").asText()).append(": ");
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        prefix.append(content.asText()).append('\n');
        continue;
      }
      for (JsonNode block : content) {
        prefix.append(block.path("type").asText("").equals("text") ? block.path("text").asText() : withoutCacheControl(block))
            .append('\n');
        if (block.has("cache_control")) {
          breakpoints.add(prefix.length());
        }
      }
    }
    long total = estimateTokens(prefix.length() - base);
    long read = 0;
    long write = 0;
    for (int i = breakpoints.size() - 1; i >= 0; i--) {
      if (cachedPrefixes.contains(ContentHash.sha256Hex(prefix.substring(0, breakpoints.get(i))))) {
        read = estimateTokens(breakpoints.get(i) - base);
        break;
      }
    }
    if (!breakpoints.isEmpty()) {
      int last = breakpoints.get(breakpoints.size() - 1);
      long lastTokens = estimateTokens(last - base);
      String lastHash = ContentHash.sha256Hex(prefix.substring(0, last));
      if (lastTokens >= minCacheableTokens && !cachedPrefixes.contains(lastHash)) {
        write = lastTokens - read;
      }
      for (int bp : breakpoints) {
        if (estimateTokens(bp - base) >= minCacheableTokens) {
          cachedPrefixes.add(ContentHash.sha256Hex(prefix.substring(0, bp)));
        }
      }
    }
    long input = Math.max(0, total - read - write);
    return new Usage(input, outputTokens(reply), read, write);
  }

  static long outputTokens(FakeReply.Message reply) {
    int chars = 0;
    for (ContentBlock block : reply.content()) {
      chars += switch (block) {
        case ContentBlock.Text t -> t.text().length();
        case ContentBlock.ToolUse u -> u.name().length() + Json.write(u.input()).length();
        case ContentBlock.ToolResult r -> 0;
      };
    }
    return Math.max(1, estimateTokens(chars));
  }

  private static String withoutCacheControl(JsonNode node) {
    if (!node.has("cache_control") || !node.isObject()) {
      return node.toString();
    }
    ObjectNode copy = ((ObjectNode) node).deepCopy();
    copy.remove("cache_control");
    return copy.toString();
  }
}
