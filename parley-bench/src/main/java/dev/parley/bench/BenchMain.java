package dev.parley.bench;

import dev.parley.bench.cli.BenchCommand;
import dev.parley.bench.cli.SimulateCommand;
import dev.parley.cli.Main;
import picocli.CommandLine;

/**
 * Entry point of the development jar ({@code parley-bench/target/parley-bench.jar}): the product command line
 * of {@link Main#newCommandLine(Object...)}, with the same exit codes, plus {@code bench} and {@code simulate},
 * which need benchmark baselines and fake provider servers that stay out of the product jar. {@code ./parley}
 * runs this jar for those two commands and the product jar for everything else.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code; used by tests in-process. */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  public static CommandLine newCommandLine() {
    return Main.newCommandLine(new BenchCommand(), new SimulateCommand());
  }
}
