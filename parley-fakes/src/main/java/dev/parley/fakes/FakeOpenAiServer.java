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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A local stand-in for an OpenAI-compatible server: {@code POST /v1/chat/completions} as JSON or, with
 * {@code "stream": true}, as SSE {@code data:} chunks (content deltas, {@code tool_calls} deltas with the
 * arguments in pieces, a usage chunk when {@code stream_options.include_usage} is set, then
 * {@code [DONE]}); and {@code POST /v1/embeddings} with unit vectors of {@link #embeddingDimension(int)}
 * (or the request's {@code dimensions}) derived from a hash of each text, so equal texts embed equally.
 * Errors use OpenAI's body {@code {"error":{"message":...,"type":...}}}.
 *
 * <p>Point adapters at it with {@code OPENAI_BASE_URL=}{@link #baseUrl()}.
 */
public final class FakeOpenAiServer extends FakeProviderServer<FakeOpenAiServer> {
  private final ConcurrentLinkedQueue<FakeReply> embeddingScript = new ConcurrentLinkedQueue<>();
  private volatile int embeddingDimension = 1536;

  private FakeOpenAiServer() {}

  /** Starts a server on 127.0.0.1 and a free port. */
  public static FakeOpenAiServer start() {
    return new FakeOpenAiServer();
  }

  /** Including {@code /v1}, as OpenAI's SDKs read {@code OPENAI_BASE_URL}. */
  @Override
  public String baseUrl() {
    return root() + "/v1";
  }

  @Override
  public Map<String, String> env(String apiKey) {
    return Map.of("OPENAI_BASE_URL", baseUrl(), "OPENAI_API_KEY", apiKey);
  }

  /** Dimension of embeddings when the request names none; 1536 by default. */
  public FakeOpenAiServer embeddingDimension(int dimension) {
    if (dimension < 1 || dimension > 65_536) {
      throw new IllegalArgumentException("embeddingDimension must be in [1, 65536], was " + dimension);
    }
    this.embeddingDimension = dimension;
    return this;
  }

  /** Replies (errors, raw bodies, delays) for the next embedding requests; then vectors are computed. */
  public FakeOpenAiServer enqueueEmbeddings(FakeReply... replies) {
    embeddingScript.addAll(List.of(replies));
    return this;
  }

  /** The unit vector this server returns for {@code text} at {@code dimension}. */
  public static float[] embeddingOf(String text, int dimension) {
    byte[] hash = ContentHash.sha256(text.getBytes(StandardCharsets.UTF_8));
    SplittableRandom random = new SplittableRandom(ByteBuffer.wrap(hash).getLong());
    float[] v = new float[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      double x = random.nextGaussian();
      v[i] = (float) x;
      norm += x * x;
    }
    float scale = (float) (1.0 / Math.sqrt(norm));
    for (int i = 0; i < dimension; i++) {
      v[i] *= scale;
    }
    return v;
  }

  @Override
  Optional<String> presentedKey(RecordedRequest request) {
    return request.header("authorization")
        .filter(h -> h.startsWith("Bearer "))
        .map(h -> h.substring("Bearer ".length()));
  }

  @Override
  String errorBody(FakeReply.Error error) {
    ObjectNode body = Json.object();
    body.putObject("error").put("message", error.message()).put("type", error.type()).putNull("param").putNull("code");
    return Json.write(body);
  }

  @Override
  void serve(Exchange exchange) throws IOException, InterruptedException {
    RecordedRequest request = exchange.request;
    if (!request.method().equals("POST")) {
      exchange.reply(FakeReply.error(405, "invalid_request_error", "use POST"));
      return;
    }
    switch (request.path()) {
      case "/v1/chat/completions" -> chat(exchange);
      case "/v1/embeddings" -> embeddings(exchange);
      default -> exchange.reply(FakeReply.error(404, "invalid_request_error", "fake OpenAI server: no route " + request.path()));
    }
  }

  private void chat(Exchange exchange) throws IOException, InterruptedException {
    RecordedRequest request = exchange.request;
    if (!request.json().path("messages").isArray()) {
      exchange.reply(FakeReply.error(400, "invalid_request_error", "messages: field required"));
      return;
    }
    Optional<FakeReply.Message> next = exchange.nextMessage();
    if (next.isEmpty()) {
      return;
    }
    FakeReply.Message message = next.get();
    Usage usage = message.usage().orElseGet(() -> new Usage(
        estimateTokens(request.json().path("messages").toString().length() + request.json().path("tools").toString().length()),
        FakeAnthropicServer.outputTokens(message), 0, 0));
    String id = "chatcmpl-fake-" + request.sequence();
    long created = 1_700_000_000L + request.sequence();
    if (request.stream()) {
      stream(exchange, id, created, message, usage);
      return;
    }
    ObjectNode body = Json.object().put("id", id).put("object", "chat.completion").put("created", created)
        .put("model", request.model());
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    ObjectNode msg = choice.putObject("message").put("role", "assistant");
    String text = text(message);
    if (text.isEmpty() && hasToolUse(message)) {
      msg.putNull("content");
    } else {
      msg.put("content", text);
    }
    if (hasToolUse(message)) {
      ArrayNode calls = msg.putArray("tool_calls");
      for (ContentBlock block : message.content()) {
        if (block instanceof ContentBlock.ToolUse u) {
          ObjectNode call = calls.addObject().put("id", u.id()).put("type", "function");
          call.putObject("function").put("name", u.name()).put("arguments", Json.write(u.input()));
        }
      }
    }
    choice.put("finish_reason", finishReason(message.effectiveStopReason()));
    body.set("usage", usageJson(usage));
    exchange.sendJson(body);
  }

  private void stream(Exchange exchange, String id, long created, FakeReply.Message message, Usage usage)
      throws IOException, InterruptedException {
    String model = exchange.request.model();
    ObjectNode first = chunk(id, created, model);
    first.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
        .putObject("delta").put("role", "assistant").put("content", "");
    exchange.event(Json.write(first));
    for (String piece : FakeProviderServer.textChunks(text(message))) {
      ObjectNode c = chunk(id, created, model);
      c.withArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta").put("content", piece);
      exchange.event(Json.write(c));
    }
    int index = 0;
    for (ContentBlock block : message.content()) {
      if (!(block instanceof ContentBlock.ToolUse u)) {
        continue;
      }
      ObjectNode head = chunk(id, created, model);
      ObjectNode call = head.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
          .putObject("delta").putArray("tool_calls").addObject().put("index", index).put("id", u.id()).put("type", "function");
      call.putObject("function").put("name", u.name()).put("arguments", "");
      exchange.event(Json.write(head));
      for (String piece : FakeProviderServer.jsonChunks(Json.write(u.input()))) {
        ObjectNode c = chunk(id, created, model);
        c.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
            .putObject("delta").putArray("tool_calls").addObject().put("index", index)
            .putObject("function").put("arguments", piece);
        exchange.event(Json.write(c));
      }
      index++;
    }
    ObjectNode last = chunk(id, created, model);
    last.withArray("choices").addObject().put("index", 0).put("finish_reason", finishReason(message.effectiveStopReason()))
        .putObject("delta");
    exchange.event(Json.write(last));
    if (exchange.request.at("/stream_options/include_usage").asBoolean(false)) {
      ObjectNode u = chunk(id, created, model);
      u.putArray("choices");
      u.set("usage", usageJson(usage));
      exchange.event(Json.write(u));
    }
    exchange.event("[DONE]");
    exchange.endStream();
  }

  private void embeddings(Exchange exchange) throws IOException, InterruptedException {
    RecordedRequest request = exchange.request;
    FakeReply polled = embeddingScript.poll();
    if (polled != null) {
      FakeReply scripted = undelayed(polled);
      if (!(scripted instanceof FakeReply.Message)) {
        exchange.reply(scripted);
        return;
      }
    }
    JsonNode input = request.json().path("input");
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) {
      texts.add(input.asText());
    } else if (input.isArray()) {
      input.forEach(t -> texts.add(t.isTextual() ? t.asText() : t.toString()));
    } else {
      exchange.reply(FakeReply.error(400, "invalid_request_error", "input: expected a string or an array of strings"));
      return;
    }
    JsonNode requested = request.json().path("dimensions");
    int dimension = requested.canConvertToInt() && requested.asInt() > 0 ? requested.asInt() : embeddingDimension;
    boolean base64 = request.json().path("encoding_format").asText("float").equals("base64");
    ObjectNode body = Json.object().put("object", "list").put("model", request.model());
    ArrayNode data = body.putArray("data");
    long tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      float[] v = embeddingOf(texts.get(i), dimension);
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
          buffer.putFloat(x);
        }
        item.put("embedding", Base64.getEncoder().encodeToString(buffer.array()));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float x : v) {
          values.add(x);
        }
      }
      tokens += estimateTokens(texts.get(i).length());
    }
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    exchange.sendJson(body);
  }

  private static ObjectNode chunk(String id, long created, String model) {
    return Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
  }

  private static ObjectNode usageJson(Usage usage) {
    long prompt = usage.inputTokens() + usage.cacheReadTokens();
    ObjectNode u = Json.object()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", usage.outputTokens())
        .put("total_tokens", prompt + usage.outputTokens());
    u.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadTokens());
    return u;
  }

  private static String text(FakeReply.Message message) {
    StringBuilder sb = new StringBuilder();
    for (ContentBlock block : message.content()) {
      if (block instanceof ContentBlock.Text t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  private static boolean hasToolUse(FakeReply.Message message) {
    return message.content().stream().anyMatch(ContentBlock.ToolUse.class::isInstance);
  }

  private static String finishReason(StopReason reason) {
    return switch (reason) {
      case END_TURN, STOP_SEQUENCE -> "stop";
      case TOOL_USE -> "tool_calls";
      case MAX_TOKENS -> "length";
      case OTHER -> "content_filter";
    };
  }
}
