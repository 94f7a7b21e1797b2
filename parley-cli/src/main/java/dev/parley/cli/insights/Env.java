package dev.parley.cli.insights;

import java.util.HashMap;
import java.util.Map;

/**
 * The process environment, overlaid with system properties named {@code parley.env.NAME} (so in-process
 * tests can set {@code INTERCOM_TOKEN} or a provider key, which the JVM cannot do for real variables).
 */
public final class Env {
  private Env() {}

  public static Map<String, String> current() {
    Map<String, String> env = new HashMap<>(System.getenv());
    System.getProperties().forEach((k, v) -> {
      String key = k.toString();
      if (key.startsWith("parley.env.")) {
        env.put(key.substring("parley.env.".length()), v.toString());
      }
    });
    return env;
  }
}
