package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class SseWriterTest {
  /** Writes byte by byte, yielding between bytes, and notes whether two writers were ever inside at once. */
  private static final class SlowStream extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicBoolean overlapped = new AtomicBoolean();

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (inside.incrementAndGet() > 1) {
        overlapped.set(true);
      }
      try {
        for (int i = 0; i < len; i++) {
          synchronized (bytes) {
            bytes.write(b[off + i]);
          }
          Thread.yield();
        }
      } finally {
        inside.decrementAndGet();
      }
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void event_fromManyThreadsAtOnce_framesWholeAndNeverInterleaved() throws InterruptedException {
    SlowStream out = new SlowStream();
    SseWriter sse = new SseWriter(out);
    int threads = 8;
    int perThread = 50;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int writer = t;
      writers.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          sse.event(writer % 2 == 0 ? "text" : "tool_call", Json.object().put("writer", writer).put("i", i).put("pad", "x".repeat(40)));
        }
      }));
    }
    start.countDown();
    for (Thread w : writers) {
      w.join();
    }
    assertThat(out.overlapped).as("two writes were inside the stream at once").isFalse();
    String[] frames = out.text().split("\n\n", -1);
    assertThat(frames).hasSize(threads * perThread + 1);
    assertThat(frames[frames.length - 1]).isEmpty();
    int[] next = new int[threads];
    for (int f = 0; f < frames.length - 1; f++) {
      List<String> lines = frames[f].lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0)).matches("event: (text|tool_call)");
      assertThat(lines.get(1)).startsWith("data: ");
      JsonNode data = Json.parse(lines.get(1).substring(6));
      int writer = data.path("writer").asInt();
      // Each writer's own events keep their order.
      assertThat(data.path("i").asInt()).isEqualTo(next[writer]++);
    }
  }

  @Test
  void finish_laterEventsDropped() {
    SlowStream out = new SlowStream();
    SseWriter sse = new SseWriter(out);
    assertThat(sse.event("text", Json.object().put("delta", "a"))).isTrue();
    assertThat(sse.finish("done", Json.object())).isTrue();
    assertThat(sse.event("text", Json.object().put("delta", "late"))).isFalse();
    assertThat(sse.finish("error", Json.object())).isFalse();
    assertThat(out.text()).isEqualTo("event: text\ndata: {\"delta\":\"a\"}\n\nevent: done\ndata: {}\n\n");
  }

  @Test
  void event_dataWithLineBreaks_staysOneDataLine() {
    SlowStream out = new SlowStream();
    new SseWriter(out).event("text", Json.object().put("delta", "two\nlines\r\n"));
    assertThat(out.text()).isEqualTo("event: text\ndata: {\"delta\":\"two\\nlines\\r\\n\"}\n\n");
  }

  @Test
  void event_clientGone_falseAndNothingThrown() {
    OutputStream gone = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("broken pipe");
      }
    };
    SseWriter sse = new SseWriter(gone);
    assertThat(sse.event("text", Json.object())).isFalse();
    assertThat(sse.finish("done", Json.object())).isFalse();
  }

  @Test
  void event_nameWithLineBreak_refused() {
    SseWriter sse = new SseWriter(new ByteArrayOutputStream());
    assertThatThrownBy(() -> sse.event("text\ndata: x", Json.object())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event name must match");
  }
}
