package dev.parley.cli;

import dev.parley.core.error.BadInputException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the runnable jar: maps outcomes to exit codes (0 ok, 2 bad usage or input, 1 failure). */
public final class Main {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code; used by tests in-process. */
  public static int run(String... args) {
    CommandLine cli = newCommandLine();
    return cli.execute(args);
  }

  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new ParleyCommand());
    Commands.register(cli);
    cli.setExecutionExceptionHandler(Main::handleException);
    cli.setParameterExceptionHandler((ex, argv) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("parley: " + ex.getMessage());
      err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
      return EXIT_USAGE;
    });
    return cli;
  }

  /**
   * {@code --verbose} belongs to each command's {@link CommonOptions}, so it is matched on the subcommand's
   * parse result, not the root's that picocli hands the handler.
   */
  private static boolean verbose(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return Boolean.getBoolean("parley.verbose");
  }

  private static int handleException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    boolean verbose = verbose(parseResult);
    Throwable cause = ex;
    if (cause instanceof BadInputException) {
      err.println("parley: " + cause.getMessage());
      if (verbose) {
        cause.printStackTrace(err);
      }
      return EXIT_USAGE;
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    err.println("parley: error: " + message.lines().findFirst().orElse(message));
    if (verbose) {
      cause.printStackTrace(err);
    } else {
      err.println("(run with --verbose for details)");
    }
    return EXIT_FAILURE;
  }
}
