package dev.parley.bench.cli;

import dev.parley.cli.CommonOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./parley bench ...}: performance benchmarks. Each prints its figures next to a baseline measured
 * in the same run, and the machine it ran on.
 *
 * <p>To add a benchmark, write a {@code Bench<Name>Command} beside this class and add it, one line, to
 * {@code subcommands} below.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Performance benchmarks; each reports a baseline measured in the same run.",
    subcommands = {
        BenchEmbedCommand.class,
        BenchClusterCommand.class,
        BenchOrchestratorCommand.class,
    })
public final class BenchCommand implements Runnable {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing benchmark: one of " + String.join(", ", spec.subcommands().keySet()));
  }
}
