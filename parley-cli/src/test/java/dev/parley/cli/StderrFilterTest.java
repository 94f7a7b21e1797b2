package dev.parley.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/stderr-filter.sh}, through which the launcher {@code ./parley} pipes the JVM's stderr: every line but the
 * JVM's incubator-modules notice comes out, in order and byte for byte, NUL bytes and bytes that are not UTF-8
 * included (the launcher's {@code grep} used to drop every line after the first NUL), each line as soon as it is
 * complete.
 */
final class StderrFilterTest {
  private static final Path SCRIPT = repoRoot().resolve("bin/stderr-filter.sh");

  @Test
  void filter_nulAndNoticeAmongOtherLines_everyLineButTheNoticeInOrderBytesIntact() throws Exception {
    byte[] input = bytes(
        "[main] INFO Parley API listening on 127.0.0.1:8080\n",
        "WARNING: Using incubator modules: jdk.incubator.vector\n",
        "[parley-request-1] WARN a value with a NUL: a\0b, then the same line goes on\n",
        "\0\0\0\n",
        "after the NUL: still here\n");
    byte[] notUtf8 = {'L', 'a', 't', 'i', 'n', '-', '1', ':', ' ', (byte) 0xE9, ' ', (byte) 0xFF, (byte) 0xFE, '\n'};
    byte[] tail = bytes(
        "  WARNING: Using incubator modules (not at the start of the line: kept)\n",
        "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called\n",
        "WARNING: Using incubator modules: jdk.incubator.vector\n",
        "crlf line\r\n",
        "last line\n");
    Result result = filter(concat(input, notUtf8, tail));

    byte[] expected = concat(
        bytes("[main] INFO Parley API listening on 127.0.0.1:8080\n",
            "[parley-request-1] WARN a value with a NUL: a\0b, then the same line goes on\n",
            "\0\0\0\n",
            "after the NUL: still here\n"),
        notUtf8,
        bytes("  WARNING: Using incubator modules (not at the start of the line: kept)\n",
            "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called\n",
            "crlf line\r\n",
            "last line\n"));
    assertThat(result.exit()).as(result.stderr()).isZero();
    assertThat(result.stdout()).isEqualTo(expected);
  }

  @Test
  void filter_onlyTheNoticeOrNothing_noOutputAndExitZero() throws Exception {
    Result notice = filter(bytes("WARNING: Using incubator modules: jdk.incubator.vector\n"));
    Result empty = filter(new byte[0]);

    assertThat(notice.stdout()).isEmpty();
    assertThat(notice.exit()).as(notice.stderr()).isZero();
    assertThat(empty.stdout()).isEmpty();
    assertThat(empty.exit()).as(empty.stderr()).isZero();
  }

  @Test
  void filter_lastLineWithoutNewline_comesOutWithOne() throws Exception {
    assertThat(filter(bytes("one\n", "two")).stdout()).isEqualTo(bytes("one\n", "two\n"));
  }

  /** A server's log line must not wait for the next one, nor for the JVM to exit. */
  @Test
  void filter_lineWrittenWhileTheInputStaysOpen_comesOutAtOnce() throws Exception {
    Process process = start();
    try {
      OutputStream in = process.getOutputStream();
      in.write(bytes("WARNING: Using incubator modules: jdk.incubator.vector\n", "first\0line\n"));
      in.flush();
      InputStream out = process.getInputStream();
      CompletableFuture<byte[]> line = CompletableFuture.supplyAsync(() -> readLine(out));
      assertThat(line.get(20, TimeUnit.SECONDS)).isEqualTo(bytes("first\0line\n"));
      in.close();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
    }
  }

  private record Result(int exit, byte[] stdout, String stderr) {}

  private static Result filter(byte[] input) throws IOException, InterruptedException {
    Process process = start();
    try {
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try (OutputStream in = process.getOutputStream()) {
        in.write(input);
      }
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the filter exits when its input ends").isTrue();
      return new Result(process.exitValue(), out.join(), new String(err.join(), UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }

  private static Process start() throws IOException {
    assertThat(SCRIPT).isRegularFile();
    return new ProcessBuilder("bash", SCRIPT.toString()).start();
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] readLine(InputStream in) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (int b = in.read(); b >= 0; b = in.read()) {
        line.write(b);
        if (b == '\n') {
          break;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return line.toByteArray();
  }

  private static byte[] bytes(String... lines) {
    return String.join("", lines).getBytes(UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      all.writeBytes(p);
    }
    return all.toByteArray();
  }

  /** The repository's root: the nearest directory above the working directory with {@code bin/stderr-filter.sh}. */
  private static Path repoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("bin/stderr-filter.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("bin/stderr-filter.sh not found above " + Path.of("").toAbsolutePath());
  }
}
