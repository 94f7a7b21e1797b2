package dev.parley.cli;

import picocli.CommandLine;

/** Registers every subcommand; one line each, in help order. */
final class Commands {
  private Commands() {}

  static void register(CommandLine root) {
  }
}
