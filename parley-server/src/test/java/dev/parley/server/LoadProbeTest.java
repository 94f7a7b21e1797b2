package dev.parley.server;

import dev.parley.core.json.Json;
import dev.parley.llm.fake.FakeReply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class LoadProbeTest {
  @org.junit.jupiter.api.RepeatedTest(3)
  void probe() throws Exception {
    try (ServerHarness h = new ServerHarness()) {
      h.fake.latency(Duration.ofMillis(500)).recording(false).respondWith(r -> FakeReply.text("ok"));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
      AtomicInteger ok = new AtomicInteger();
      ConcurrentHashMap<String, Integer> errors = new ConcurrentHashMap<>();
      long t0 = System.nanoTime();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> fs = new ArrayList<>();
        for (int s = 0; s < 200; s++) {
          fs.add(pool.submit(() -> {
            try {
              var c = http.send(HttpRequest.newBuilder(URI.create(h.url("/v1/sessions"))).header("Authorization", "Bearer " + h.key)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"coachmira\"}")).build(), HttpResponse.BodyHandlers.ofString());
              String id = Json.parse(c.body()).path("id").asText();
              for (int t = 0; t < 3; t++) {
                try {
                  var r = http.send(HttpRequest.newBuilder(URI.create(h.url("/v1/sessions/" + id + "/messages"))).header("Authorization", "Bearer " + h.key)
                      .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(), HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() == 200) ok.incrementAndGet(); else errors.merge("turn " + r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())), 1, Integer::sum);
                } catch (Exception e) {
                  errors.merge("turn " + t + " at " + (System.nanoTime() - t0) / 1_000_000_000 + "s " + e, 1, Integer::sum);
                }
              }
            } catch (Exception e) {
              errors.merge("create " + e, 1, Integer::sum);
            }
            return null;
          }));
        }
        for (var f : fs) f.get();
      }
      System.out.println("PROBE ok=" + ok + " seconds=" + (System.nanoTime() - t0) / 1e9 + " errors=" + errors);
    }
  }
}
