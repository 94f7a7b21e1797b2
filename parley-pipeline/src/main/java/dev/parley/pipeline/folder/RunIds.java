package dev.parley.pipeline.folder;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.hash.ContentHash;
import dev.parley.core.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Run ids: {@code <kind>-<UTC time>-<8 hex of input hash + parameters>}, sortable and readable. */
public final class RunIds {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private RunIds() {}

  public static String next(String kind, Instant at, String inputHash, ObjectNode parameters) {
    return kind + "-" + FORMAT.format(at) + "-" + ContentHash.sha256Hex(inputHash, Json.write(parameters)).substring(0, 8);
  }
}
