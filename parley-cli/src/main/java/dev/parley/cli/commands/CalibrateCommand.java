package dev.parley.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./parley calibrate ...}: refits shipped calibrations from public data. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, subcommands = CalibrateSegmentationCommand.class,
    description = "Refit a calibration from labelled public data (reproducibly: same data and seed, same file).")
public final class CalibrateCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand (e.g. `parley calibrate segmentation`)");
  }
}
