package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Requests Jetty refuses before any route sees them still get the API's error shape, not Jetty's HTML page. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class JsonErrorHandlerTest {
  private ServerHarness h;

  @BeforeAll
  void start() {
    h = new ServerHarness();
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private static JsonNode body(String response) {
    return Json.parse(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  @Test
  void idempotencyKeyOf10KB_431InTheErrorShape() {
    String id = h.newSession();
    String body = "{\"text\":\"hi\"}";
    String response = h.raw("POST /v1/sessions/" + id + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer " + h.key + "\r\nIdempotency-Key: " + "k".repeat(10 * 1024) + "\r\nContent-Length: " + body.length()
        + "\r\nConnection: close\r\n\r\n" + body);
    assertThat(response).startsWith("HTTP/1.1 431").containsIgnoringCase("content-type: application/json").doesNotContain("<h1>");
    assertThat(body(response).at("/error/code").asText()).isEqualTo("request_header_too_large");
    assertThat(body(response).at("/error/message").asText()).contains(Integer.toString(ApiLimits.MAX_REQUEST_HEADER_BYTES));
    assertThat(h.fake.requestCount()).isZero();
    assertThat(h.scrape()).contains("http_server_requests_seconds_count{method=\"UNKNOWN\",route=\"unmatched\",status=\"431\"}");
  }

  @Test
  void uriOverTheLimit_414InTheErrorShape() {
    String response = h.raw("GET /v1/runs?x=" + "a".repeat(10 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(response).matches("(?s)HTTP/1.1 4(14|31).*");
    assertThat(body(response).at("/error/code").asText()).isIn("uri_too_long", "request_header_too_large");
  }

  @Test
  void malformedRequest_400InTheErrorShape() {
    String response = h.raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Without Colon\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/json");
    assertThat(body(response).at("/error/code").asText()).isEqualTo("bad_request");
    assertThat(body(response).at("/error/message").asText()).startsWith("malformed HTTP request");
  }
}
