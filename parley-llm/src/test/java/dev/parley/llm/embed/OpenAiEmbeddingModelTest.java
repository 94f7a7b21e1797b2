package dev.parley.llm.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.core.chat.LlmException;
import dev.parley.core.json.Json;
import dev.parley.llm.chat.ResilienceConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter over real HTTP against a small local server speaking the {@code /v1/embeddings} format. */
class OpenAiEmbeddingModelTest {
  static final String KEY = "sk-test-secret-key";

  /** A scripted reply; when the script is empty the server answers with real (fake) embeddings. */
  record Scripted(int status, String body, Map<String, String> headers) {}

  HttpServer server;
  final ConcurrentLinkedDeque<Scripted> script = new ConcurrentLinkedDeque<>();
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  volatile int dims = 6;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/embeddings", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    JsonNode request = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
    requests.add(request);
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    Scripted scripted = script.pollFirst();
    if (scripted != null) {
      scripted.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      send(exchange, scripted.status(), scripted.body());
      return;
    }
    int d = request.has("dimensions") ? request.get("dimensions").asInt() : dims;
    ObjectNode reply = Json.object();
    reply.put("object", "list");
    ArrayNode data = reply.putArray("data");
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < request.get("input").size(); i++) {
      order.add(i);
    }
    Collections.reverse(order); // Items in a different order than the inputs: the index must be honoured.
    for (int i : order) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      ArrayNode vector = item.putArray("embedding");
      for (float x : fakeVector(request.get("input").get(i).asText(), d)) {
        vector.add(x);
      }
    }
    reply.put("model", request.get("model").asText());
    send(exchange, 200, Json.write(reply));
  }

  /** Deterministic, not normalised: the adapter must normalise. */
  static float[] fakeVector(String text, int d) {
    float[] v = new float[d];
    for (int j = 0; j < d; j++) {
      v[j] = (text.hashCode() >>> j & 7) + j + 1;
    }
    return v;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private OpenAiEmbeddingModel model(int maxBatchSize) {
    ResilienceConfig fast = ResilienceConfig.defaults().withTimeout(Duration.ofSeconds(10)).withMaxAttempts(3)
        .withBackoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(5)).withMaxRetryAfter(Duration.ofMillis(10));
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    return new OpenAiEmbeddingModel(OpenAiEmbeddingModel.Config.of(base, KEY, "test-embed").withMaxBatchSize(maxBatchSize)
        .withResilience(fast));
  }

  @Test
  void config_toString_neverShowsTheKey() {
    OpenAiEmbeddingModel.Config config = OpenAiEmbeddingModel.Config.of(URI.create("http://127.0.0.1:1/v1"), "sk-secret-0123456789", "m");
    assertThat(config.toString()).doesNotContain("sk-secret-0123456789").contains("apiKey=****").contains("model=m");
  }

  @Test
  void batchesKeepOrderNormaliseAndDiscoverTheDimension() {
    OpenAiEmbeddingModel model = model(3);
    List<String> texts = List.of("a", "bb", "ccc", "", "eeeee", "ffffff", "g");
    float[][] vectors = model.embed(texts);
    assertThat(requests).hasSize(3);
    assertThat(model.dimension()).isEqualTo(6);
    assertThat(requests).hasSize(3); // The dimension came from the replies: no probe.
    for (int i = 0; i < texts.size(); i++) {
      float[] expected = Vectors.normalizeInPlace(fakeVector(texts.get(i).isEmpty() ? " " : texts.get(i), 6));
      assertThat(vectors[i]).as("text %d", i).containsExactly(expected);
    }
    JsonNode first = requests.stream().filter(r -> r.get("input").get(0).asText().equals("a")).findFirst().orElseThrow();
    assertThat(first.get("model").asText()).isEqualTo("test-embed");
    assertThat(first.get("encoding_format").asText()).isEqualTo("float");
    assertThat(first.has("dimensions")).isFalse();
    assertThat(authorizations).containsOnly("Bearer " + KEY);
    assertThat(model.id()).isEqualTo("openai:test-embed");
  }

  @Test
  void anyDimensionAndRequestedDimensions() {
    dims = 4096;
    assertThat(model(16).embed(List.of("x", "y"))[1]).hasSize(4096);
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    OpenAiEmbeddingModel shortened = new OpenAiEmbeddingModel(OpenAiEmbeddingModel.Config.of(base, KEY, "m").withDimensions(32));
    assertThat(shortened.dimension()).isEqualTo(32);
    assertThat(shortened.embed(List.of("x"))[0]).hasSize(32);
    assertThat(requests.getLast().get("dimensions").asInt()).isEqualTo(32);
    assertThat(shortened.id()).isEqualTo("openai:m:32");
  }

  @Test
  void dimensionProbesWhenNothingWasEmbeddedYet() {
    dims = 12;
    assertThat(model(8).dimension()).isEqualTo(12);
    assertThat(requests).hasSize(1);
  }

  @Test
  void retriesRateLimitThenSucceeds() {
    script.add(new Scripted(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}",
        Map.of("retry-after", "0")));
    script.add(new Scripted(503, "upstream busy", Map.of()));
    float[][] vectors = model(8).embed(List.of("hello", "world"));
    assertThat(requests).hasSize(3);
    assertThat(vectors[1]).containsExactly(Vectors.normalizeInPlace(fakeVector("world", 6)));
  }

  @Test
  void givesUpAfterMaxAttemptsOnServerErrors() {
    for (int i = 0; i < 3; i++) {
      script.add(new Scripted(500, "{\"error\":{\"message\":\"boom\"}}", Map.of()));
    }
    assertThatThrownBy(() -> model(8).embed(List.of("x")))
        .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.SERVER_ERROR))
        .hasMessageContaining("HTTP 500: boom").hasMessageContaining("3 attempts");
    assertThat(requests).hasSize(3);
  }

  @Test
  void clientErrorIsNotRetriedAndQuotesTheServer() {
    script.add(new Scripted(400, "{\"error\":{\"message\":\"'input' must not be empty (key " + KEY + ")\"}}", Map.of()));
    assertThatThrownBy(() -> model(8).embed(List.of("x")))
        .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.CLIENT_ERROR))
        .hasMessageContaining("HTTP 400: 'input' must not be empty").hasMessageContaining("1 attempt")
        .hasMessageNotContaining(KEY);
    assertThat(requests).hasSize(1);
  }

  @Test
  void malformedBodyFailsClearlyWithoutRetry() {
    script.add(new Scripted(200, "<html>gateway</html>", Map.of()));
    assertThatThrownBy(() -> model(8).embed(List.of("x")))
        .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED_RESPONSE))
        .hasMessageContaining("malformed").hasMessageContaining("<html>gateway</html>");
    assertThat(requests).hasSize(1);

    script.add(new Scripted(200, "{\"data\":[{\"index\":0,\"embedding\":[1,2]}]}", Map.of()));
    assertThatThrownBy(() -> model(8).embed(List.of("x", "y")))
        .isInstanceOf(LlmException.class).hasMessageContaining("sent 2 inputs, got 1 embeddings");

    script.add(new Scripted(200, "{\"object\":\"list\"}", Map.of()));
    assertThatThrownBy(() -> model(8).embed(List.of("x")))
        .isInstanceOf(LlmException.class).hasMessageContaining("no \"data\" array");
  }

  @Test
  void connectionRefusedIsReportedAfterRetries() {
    OpenAiEmbeddingModel model = model(8);
    server.stop(0);
    assertThatThrownBy(() -> model.embed(List.of("x")))
        .isInstanceOf(LlmException.class).hasMessageContaining("connection failed").hasMessageContaining("3 attempts");
  }
}
