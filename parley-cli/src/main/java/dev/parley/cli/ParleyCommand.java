package dev.parley.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root command: prints help when run without a subcommand. */
@Command(
    name = "parley",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run AI-agent conversations and understand them at scale.",
    footer = {
        "",
        "Development tools, not in the product jar (./parley builds them on first use):",
        "  bench      Performance benchmarks, each against a baseline in the same run.",
        "  simulate   Scripted or LLM-simulated users against an agent.",
        "",
        "Exit codes: 0 ok, 2 bad usage or input, 1 failure.",
        "Docs: README.md and docs/ in the repository."})
public final class ParleyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }
}
