package dev.parley.cli.runs;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress lines on stderr: {@code [3/8] segment ... done (1.2 s)}. Quiet when {@code --json} asks for
 * machine output only on stdout (progress still goes to stderr, which scripts ignore).
 */
public final class Progress {
  private final PrintWriter err;
  private final int total;
  private int step;

  public Progress(PrintWriter err, int total) {
    this.err = requireNonNull(err, "err is null");
    this.total = total;
  }

  public void start(String stage) {
    step++;
    err.printf(Locale.ROOT, "[%d/%d] %s ...%n", step, total, stage);
    err.flush();
  }

  public void done(String stage, String detail, long millis) {
    err.printf(Locale.ROOT, "      %s: %s (%s)%n", stage, detail, seconds(millis));
    err.flush();
  }

  public void reused(String stage, String detail) {
    step++;
    err.printf(Locale.ROOT, "[%d/%d] %s: reused from the previous run (%s)%n", step, total, stage, detail);
    err.flush();
  }

  public void note(String line) {
    err.println("      " + line);
    err.flush();
  }

  static String seconds(long millis) {
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
