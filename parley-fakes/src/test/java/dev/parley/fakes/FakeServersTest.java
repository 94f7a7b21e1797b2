package dev.parley.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fakes' own behaviour, over plain HTTP (the adapters' tests cover the chat formats end to end). */
class FakeServersTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> post(String url, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void embeddingsAreDeterministicUnitVectorsOfTheConfiguredDimension() throws Exception {
    try (FakeOpenAiServer server = FakeOpenAiServer.start().embeddingDimension(64)) {
      HttpResponse<String> r = post(server.baseUrl() + "/embeddings", "{\"model\":\"e\",\"input\":[\"alpha\",\"beta\",\"alpha\"]}");

      JsonNode data = Json.parse(r.body()).path("data");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(data).hasSize(3);
      float[] a = vector(data.get(0).path("embedding"));
      assertThat(a).hasSize(64).containsExactly(FakeOpenAiServer.embeddingOf("alpha", 64));
      assertThat(vector(data.get(2).path("embedding"))).containsExactly(a);
      assertThat(vector(data.get(1).path("embedding"))).isNotEqualTo(a);
      double norm = 0;
      for (float x : a) {
        norm += x * x;
      }
      assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(data.get(1).path("index").asInt()).isEqualTo(1);
      assertThat(server.requestsTo("/embeddings")).hasSize(1);
    }
  }

  @Test
  void embeddingsHonourRequestedDimensionsAndBase64() throws Exception {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      JsonNode floats = Json.parse(post(server.baseUrl() + "/embeddings",
          "{\"model\":\"e\",\"input\":\"text\",\"dimensions\":4096}").body());
      JsonNode b64 = Json.parse(post(server.baseUrl() + "/embeddings",
          "{\"model\":\"e\",\"input\":\"text\",\"dimensions\":8,\"encoding_format\":\"base64\"}").body());

      assertThat(floats.at("/data/0/embedding")).hasSize(4096);
      ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b64.at("/data/0/embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
      float[] decoded = new float[8];
      for (int i = 0; i < 8; i++) {
        decoded[i] = buf.getFloat();
      }
      assertThat(decoded).containsExactly(FakeOpenAiServer.embeddingOf("text", 8));
    }
  }

  @Test
  void embeddingErrorsCanBeScripted() throws Exception {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.enqueueEmbeddings(FakeReply.rateLimited());

      assertThat(post(server.baseUrl() + "/embeddings", "{\"input\":\"a\"}").statusCode()).isEqualTo(429);
      assertThat(post(server.baseUrl() + "/embeddings", "{\"input\":\"a\"}").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void unscriptedRequestGetsAnExplanatory400() throws Exception {
    try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
      HttpResponse<String> r = post(server.baseUrl() + "/v1/messages", "{\"model\":\"m\",\"messages\":[]}");

      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(Json.parse(r.body()).at("/error/message").asText()).contains("no scripted reply for request #1");
      assertThat(Json.parse(r.body()).at("/type").asText()).isEqualTo("error");
    }
  }

  @Test
  void wrongKeyIs401AndUnknownPathIs404() throws Exception {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.requireApiKey("right").respondWith(r -> FakeReply.text("ok"));

      assertThat(post(server.baseUrl() + "/chat/completions", "{\"messages\":[]}", "Authorization", "Bearer wrong").statusCode())
          .isEqualTo(401);
      assertThat(post(server.baseUrl() + "/chat/completions", "{\"messages\":[]}", "Authorization", "Bearer right").statusCode())
          .isEqualTo(200);
      assertThat(post(server.baseUrl() + "/nope", "{}", "Authorization", "Bearer right").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void requestsAreRecordedWithHeadersAndParsedBody() throws Exception {
    try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
      server.respondWith(r -> FakeReply.text("echo: " + r.lastMessageText()));

      HttpResponse<String> r = post(server.baseUrl() + "/v1/messages",
          "{\"model\":\"m\",\"system\":[{\"type\":\"text\",\"text\":\"S\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
              + "\"tools\":[{\"name\":\"a\",\"input_schema\":{}}],\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
          "x-api-key", "k1");

      assertThat(Json.parse(r.body()).at("/content/0/text").asText()).isEqualTo("echo: hello");
      RecordedRequest rec = server.lastRequest();
      assertThat(rec.header("X-Api-Key")).contains("k1");
      assertThat(rec.systemPrompt()).isEqualTo("S");
      assertThat(rec.toolNames()).containsExactly("a");
      assertThat(rec.hasCacheControl()).isTrue();
      assertThat(rec.sequence()).isEqualTo(1);
    }
  }

  @Test
  void servesManyRequestsConcurrently() throws Exception {
    int n = 64;
    try (FakeAnthropicServer server = FakeAnthropicServer.start();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch allArrived = new CountDownLatch(n);
      // Each reply waits until every request is inside the server: only a thread-per-request server passes.
      server.respondWith(r -> {
        allArrived.countDown();
        try {
          return allArrived.await(30, TimeUnit.SECONDS) ? FakeReply.text("ok") : FakeReply.serverError();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return FakeReply.serverError();
        }
      });
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        statuses.add(clients.submit(() -> post(server.baseUrl() + "/v1/messages", "{\"model\":\"m\",\"messages\":[]}").statusCode()));
      }
      for (Future<Integer> s : statuses) {
        assertThat(s.get()).isEqualTo(200);
      }
      assertThat(server.maxConcurrentRequests()).isEqualTo(n);
      assertThat(server.requestCount()).isEqualTo(n);
    }
  }

  private static float[] vector(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) array.get(i).asDouble();
    }
    return v;
  }
}
