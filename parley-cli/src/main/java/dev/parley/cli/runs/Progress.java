package dev.parley.cli.runs;

import static java.util.Objects.requireNonNull;

import dev.parley.pipeline.stage.StageListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress lines on stderr: {@code [3/8] segment ... done (1.2 s)}. Quiet when {@code --json} asks for
 * machine output only on stdout (progress still goes to stderr, which scripts ignore).
 */
public final class Progress implements StageListener {
  private final PrintWriter err;
  private final int total;
  private int step;

  /** A listener for work that has no stages of its own: only its {@link #note} lines are printed. */
  public static Progress notes(PrintWriter err) {
    return new Progress(err, 0);
  }

  public Progress(PrintWriter err, int total) {
    this.err = requireNonNull(err, "err is null");
    this.total = total;
  }

  @Override
  public void start(String stage) {
    step++;
    err.printf(Locale.ROOT, "[%d/%d] %s ...%n", step, total, stage);
    err.flush();
  }

  @Override
  public void done(String stage, String detail, long millis) {
    err.printf(Locale.ROOT, "      %s: %s (%s)%n", stage, detail, seconds(millis));
    err.flush();
  }

  @Override
  public void reused(String stage, String detail) {
    step++;
    err.printf(Locale.ROOT, "[%d/%d] %s: reused from the previous run (%s)%n", step, total, stage, detail);
    err.flush();
  }

  @Override
  public void note(String line) {
    err.println("      " + line);
    err.flush();
  }

  public static String seconds(long millis) {
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
