package dev.parley.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ./parley eval ...}: quality on public datasets. Subcommands are registered in {@link #commandLine()}
 * (one line each), so each component adds its own evaluation there.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Quality on public datasets (numbers for docs/quality.md).")
public final class EvalCommand implements Runnable {
  @Spec CommandSpec spec;

  /** The {@code eval} command with its subcommands; one line per evaluation. */
  public static CommandLine commandLine() {
    CommandLine eval = new CommandLine(new EvalCommand());
    eval.addSubcommand(new EvalSegmentationCommand());
    eval.addSubcommand(new EvalTriageCommand());
    eval.addSubcommand(new EvalClusteringCommand());
    return eval;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand (e.g. `parley eval segmentation`)");
  }
}
