package dev.parley.bench.cli;

import dev.parley.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** One in-process run of the development command line ({@link BenchMain}): exit code and what it printed. */
record BenchRun(int exit, String out, String err) {
  static BenchRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = BenchMain.newCommandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new BenchRun(exit, out.toString(), err.toString());
  }

  /** The repository root (the folder holding {@code examples/agents}). */
  static Path repo() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/agents/coachmira"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("repository root not found");
    }
    return dir;
  }
}
