package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The one writer of a response's Server-Sent Events. Each event is written and flushed whole under a lock,
 * so events handed over from different threads (the turn's, a streaming model call's) can never interleave
 * inside the stream: a client reads them in the order they were written, each one complete. After the
 * final event ({@code done} or {@code error}) nothing more is written: the client has taken the reply as
 * complete, and a late event would contradict it. A client that went away is ignored (the turn still
 * completes and is stored).
 *
 * <p>A lock rather than a writer thread: the turn's thread already waits for each event to be flushed, which
 * is the back-pressure a slow client should exert, and a queue would have to be bounded and drained anyway.
 */
final class SseWriter {
  /** Event names are ours; they must never carry a line break (it would end the field). */
  private static final Pattern NAME = Pattern.compile("[a-z_]{1,32}");

  private final OutputStream out;
  private final ReentrantLock lock = new ReentrantLock();
  /** Guarded by {@link #lock}. */
  private boolean open = true;
  /** Guarded by {@link #lock}. */
  private boolean finished;

  SseWriter(OutputStream out) {
    this.out = requireNonNull(out, "out is null");
  }

  /** Writes one event; false when it was not written (the client went away, or the stream is finished). */
  boolean event(String name, JsonNode data) {
    return write(name, data, false);
  }

  /** Writes the final event; every later {@link #event} is dropped. */
  boolean finish(String name, JsonNode data) {
    return write(name, data, true);
  }

  private boolean write(String name, JsonNode data, boolean last) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("event name must match " + NAME + ", was '" + name + "'");
    }
    // Compact JSON has no raw line break (strings escape theirs), so the data is one "data:" line.
    byte[] frame = ("event: " + name + "\ndata: " + Json.write(requireNonNull(data, "data is null")) + "\n\n").getBytes(StandardCharsets.UTF_8);
    lock.lock();
    try {
      if (finished) {
        return false;
      }
      finished = last;
      if (!open) {
        return false;
      }
      try {
        out.write(frame);
        out.flush();
        return true;
      } catch (IOException e) {
        open = false;
        return false;
      }
    } finally {
      lock.unlock();
    }
  }
}
