package dev.parley.cli;

import picocli.CommandLine;

/**
 * Registers every product subcommand; one line each, in help order. The development tools {@code bench} and
 * {@code simulate} live in parley-bench, which adds them to this command line ({@code dev.parley.bench.BenchMain}).
 */
final class Commands {
  private Commands() {}

  static void register(CommandLine root) {
    root.addSubcommand(new dev.parley.cli.commands.AnalyzeCommand());
    root.addSubcommand(new dev.parley.cli.commands.ClusterCommand());
    root.addSubcommand(new dev.parley.cli.commands.AssignCommand());
    root.addSubcommand(new dev.parley.cli.commands.LineageCommand());
    root.addSubcommand(new dev.parley.cli.commands.ImportCommand());
    root.addSubcommand(new dev.parley.cli.commands.StatsCommand());
    root.addSubcommand(new dev.parley.cli.commands.KeysCommand());
    root.addSubcommand(new dev.parley.cli.commands.ServeCommand());
    root.addSubcommand(new dev.parley.cli.commands.FlagsCommand());
    root.addSubcommand(new dev.parley.cli.commands.GateCommand());
    root.addSubcommand(new dev.parley.cli.commands.TriageCommand());
    root.addSubcommand(new dev.parley.cli.commands.SegmentCommand());
    root.addSubcommand(new dev.parley.cli.commands.CalibrateCommand());
    root.addSubcommand("eval", dev.parley.cli.commands.EvalCommand.commandLine());
  }
}
