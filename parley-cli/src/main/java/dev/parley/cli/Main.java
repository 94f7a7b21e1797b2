package dev.parley.cli;

import dev.parley.core.error.BadInputException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/** Entry point of the runnable jar: maps outcomes to exit codes (0 ok, 2 bad usage or input, 1 failure). */
public final class Main {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  /** The development tools of parley-bench: not in the product jar, run through {@code ./parley}. */
  private static final Set<String> DEVELOPMENT_COMMANDS = Set.of("bench", "simulate");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code; used by tests in-process. */
  public static int run(String... args) {
    CommandLine cli = newCommandLine();
    return cli.execute(args);
  }

  /** The product command line with its exit-code handling. */
  public static CommandLine newCommandLine() {
    return newCommandLine(new Object[0]);
  }

  /**
   * The product command line plus {@code extraCommands} (picocli command objects, added after the product's),
   * with the same exit-code handling: parley-bench's {@code BenchMain} adds its development commands this way.
   */
  public static CommandLine newCommandLine(Object... extraCommands) {
    CommandLine cli = new CommandLine(new ParleyCommand());
    Commands.register(cli);
    for (Object command : extraCommands) {
      cli.addSubcommand(command);
    }
    stopAtUnknownCommands(cli);
    cli.setExecutionExceptionHandler(Main::handleException);
    cli.setParameterExceptionHandler((ex, argv) -> handleParameterException(ex));
    cli.setExecutionStrategy(Main::execute);
    return cli;
  }

  /**
   * A command that only groups subcommands stops parsing at the first argument it does not know, so that
   * {@code parley NO-SUCH-COMMAND --help} or {@code parley NO-SUCH-COMMAND cluster} reports the unknown
   * command instead of printing help or running {@code cluster}.
   */
  private static void stopAtUnknownCommands(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
      spec.parser().stopAtUnmatched(true);
    }
    command.getSubcommands().values().forEach(Main::stopAtUnknownCommands);
  }

  /**
   * picocli prints the help for {@code parley --help NO-SUCH-COMMAND} (help requested, so unmatched arguments
   * are not an error): an unknown command is bad usage, help or not.
   */
  private static int execute(CommandLine.ParseResult parseResult) {
    CommandLine.ParseResult last = parseResult;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    CommandLine command = last.commandSpec().commandLine();
    Optional<String> unknown = unknownCommand(command, last.unmatched());
    if (unknown.isPresent()) {
      return unknownCommandError(command, unknown.get());
    }
    return new CommandLine.RunLast().execute(parseResult);
  }

  private static int handleParameterException(CommandLine.ParameterException ex) {
    CommandLine command = ex.getCommandLine();
    if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
      Optional<String> unknown = unknownCommand(command, unmatched.getUnmatched());
      if (unknown.isPresent()) {
        return unknownCommandError(command, unknown.get());
      }
    }
    return usageError(command, String.valueOf(ex.getMessage()));
  }

  /**
   * The first unmatched argument when it names a subcommand that does not exist: the command takes
   * subcommands and no positional parameters, and the argument is not an option.
   */
  private static Optional<String> unknownCommand(CommandLine command, List<String> unmatched) {
    CommandSpec spec = command.getCommandSpec();
    if (unmatched.isEmpty() || spec.subcommands().isEmpty() || !spec.positionalParameters().isEmpty()
        || unmatched.getFirst().startsWith("-")) {
      return Optional.empty();
    }
    return Optional.of(unmatched.getFirst());
  }

  private static int unknownCommandError(CommandLine command, String name) {
    String qualified = command.getCommandSpec().qualifiedName();
    int space = qualified.indexOf(' ');
    String path = space < 0 ? name : qualified.substring(space + 1) + " " + name;
    Optional<String> note = space < 0 && DEVELOPMENT_COMMANDS.contains(name)
        ? Optional.of("'" + name + "' is a development tool (module parley-bench): run it through ./parley, which builds it on first use.")
        : Optional.empty();
    return usageError(command, "unknown command '" + path + "'", note);
  }

  private static int usageError(CommandLine command, String message) {
    return usageError(command, message, Optional.empty());
  }

  private static int usageError(CommandLine command, String message, Optional<String> note) {
    PrintWriter err = command.getErr();
    err.println("parley: " + message);
    note.ifPresent(err::println);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return EXIT_USAGE;
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
