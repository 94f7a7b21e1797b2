package dev.parley.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Locale;

/**
 * Finds the PostgreSQL binaries archive on the class path for the embedded server. The library's own resolver
 * refuses to start when the archive is on the class path twice, which happens whenever a runnable jar whose
 * manifest names {@code lib/*.jar} sits on a class path that also holds those jars (a module's tests run
 * beside the packaged {@code parley-cli.jar}); the copies are the same artefact, so the first one is used.
 */
public final class PostgresBinaries implements PgBinaryResolver {
  public static final PostgresBinaries INSTANCE = new PostgresBinaries();

  private PostgresBinaries() {}

  @Override
  public InputStream getPgBinary(String system, String machineHardware) throws IOException {
    String name = String.format(Locale.ROOT, "postgres-%s-%s.txz", system.toLowerCase(Locale.ROOT), machineHardware);
    URL resource = PostgresBinaries.class.getClassLoader().getResource(name);
    if (resource == null) {
      // Other platforms' names (Alpine, and so on) are the library's to know.
      return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
    }
    return resource.openStream();
  }
}
