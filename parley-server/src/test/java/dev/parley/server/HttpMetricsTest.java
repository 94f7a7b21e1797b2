package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.fakes.FakeReply;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code http.server.requests}: counted and timed by route template and status, never by raw path. */
final class HttpMetricsTest {
  private ServerHarness h;

  @BeforeEach
  void start() {
    h = new ServerHarness();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static long count(String scrape, String labels) {
    String prefix = "http_server_requests_seconds_count{" + labels + "} ";
    return scrape.lines().filter(l -> l.startsWith(prefix)).mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()))).sum();
  }

  @Test
  void requests_countedByRouteTemplateMethodAndStatus() {
    String first = h.newSession();
    String second = h.newSession();
    h.get("/v1/sessions/" + first);
    h.get("/v1/sessions/" + second);
    h.fake.enqueue(FakeReply.text("Hi!"));
    h.post("/v1/sessions/" + first + "/messages", "{\"text\":\"hi\"}");
    h.post("/v1/sessions/" + first + "/messages", "{\"text\":\"hi\",\"role\":\"system\"}");
    h.send("GET", "/v1/sessions/" + first, Optional.empty(), Map.of());
    h.get("/v1/nothing/" + first);
    String scrape = h.scrape();

    assertThat(count(scrape, "method=\"POST\",route=\"/v1/sessions\",status=\"201\"")).isEqualTo(2);
    assertThat(count(scrape, "method=\"GET\",route=\"/v1/sessions/{id}\",status=\"200\"")).isEqualTo(2);
    assertThat(count(scrape, "method=\"POST\",route=\"/v1/sessions/{id}/messages\",status=\"200\"")).isEqualTo(1);
    assertThat(count(scrape, "method=\"POST\",route=\"/v1/sessions/{id}/messages\",status=\"400\"")).isEqualTo(1);
    assertThat(count(scrape, "method=\"GET\",route=\"unmatched\",status=\"404\"")).isEqualTo(1);
    assertThat(scrape).contains("http_server_requests_seconds_bucket{method=\"POST\",route=\"/v1/sessions/{id}/messages\",status=\"200\",le=");
    assertThat(scrape).contains("http_server_requests_seconds_sum{method=\"POST\",route=\"/v1/sessions/{id}/messages\",status=\"200\"}");
    // A series per session id would grow without bound.
    List<String> http = scrape.lines().filter(l -> l.startsWith("http_server_requests")).toList();
    assertThat(http).isNotEmpty().noneMatch(l -> l.contains(first) || l.contains(second) || l.contains("/v1/nothing"));
    // A request a before-handler ended (the auth check's 401) still counts under the route it asked for.
    assertThat(count(scrape, "method=\"GET\",route=\"/v1/sessions/{id}\",status=\"401\"")).isEqualTo(1);
  }

  @Test
  void pattern_paramsMatchOneSegmentAndATrailingSlash() {
    assertThat(HttpMetrics.pattern("/v1/sessions/{id}/messages").matcher("/v1/sessions/abc/messages").matches()).isTrue();
    assertThat(HttpMetrics.pattern("/v1/sessions/{id}/messages").matcher("/v1/sessions/abc/messages/").matches()).isTrue();
    assertThat(HttpMetrics.pattern("/v1/sessions/{id}").matcher("/v1/sessions/abc/messages").matches()).isFalse();
    assertThat(HttpMetrics.pattern("/v1/a.b/{id}").matcher("/v1/aXb/1").matches()).isFalse();
    assertThat(HttpMetrics.pattern("/files/<path>").matcher("/files/a/b/c").matches()).isTrue();
  }
}
