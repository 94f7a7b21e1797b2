package dev.parley.cli.commands;

/** Lets tests in other packages run a command line in-process. */
public final class CliRunAccess {
  private CliRunAccess() {}

  /** Exit code and output of one command line. */
  public record Result(int exit, String out, String err) {}

  public static Result run(String... args) {
    CliRun r = CliRun.of(args);
    return new Result(r.exit(), r.out(), r.err());
  }
}
