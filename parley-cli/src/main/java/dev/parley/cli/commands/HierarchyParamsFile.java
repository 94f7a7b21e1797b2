package dev.parley.cli.commands;

import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.hierarchy.HierarchyParams;
import java.io.IOException;
import java.nio.file.Path;

/** Reads the {@code --params FILE} option of the clustering commands: a HierarchyParams JSON, else the defaults. */
final class HierarchyParamsFile {
  private HierarchyParamsFile() {}

  /** {@code file} may be null (option not given). */
  static HierarchyParams readOrDefaults(Path file) {
    if (file == null) {
      return HierarchyParams.defaults();
    }
    try {
      return Json.mapper().readValue(file.toFile(), HierarchyParams.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new BadInputException("cannot read --params " + file + ": " + e.getMessage());
    }
  }
}
