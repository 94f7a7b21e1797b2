package dev.parley.insights.vector;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the {@link VectorOps} implementation once per JVM: the Vector API one when the incubator
 * module is present, else the scalar one (with a logged reason and fix). The system property
 * {@code parley.vector} forces {@code scalar} or {@code panama} (tests run in both modes).
 *
 * <p>Pattern after jvector's {@code VectorizationProvider}: the SIMD class is loaded reflectively so
 * that its absence can never break class loading of callers.
 */
public final class VectorizationProvider {
  private static final System.Logger LOG = System.getLogger(VectorizationProvider.class.getName());
  private static final VectorOps INSTANCE = choose(System.getProperty("parley.vector", "auto"));

  private VectorizationProvider() {}

  /** The implementation chosen at start-up. */
  public static VectorOps ops() {
    return INSTANCE;
  }

  /** The scalar implementation, always available (baseline for benchmarks and contract tests). */
  public static VectorOps scalar() {
    return ScalarVectorOps.INSTANCE;
  }

  /** The Vector API implementation if this JVM can load it. */
  public static java.util.Optional<VectorOps> panama() {
    try {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return java.util.Optional.empty();
      }
      Class<?> cls = Class.forName("dev.parley.insights.vector.PanamaVectorOps");
      var ctor = cls.getDeclaredConstructor();
      ctor.setAccessible(true);
      return java.util.Optional.of((VectorOps) ctor.newInstance());
    } catch (ReflectiveOperationException | LinkageError e) {
      return java.util.Optional.empty();
    }
  }

  static VectorOps choose(String mode) {
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "scalar" -> {
        return ScalarVectorOps.INSTANCE;
      }
      case "panama", "auto" -> {
        var simd = panama();
        if (simd.isPresent()) {
          return simd.get();
        }
        LOG.log(mode.equals("auto") ? Level.DEBUG : Level.WARNING,
            "Vector API unavailable, using scalar kernels (about 5x slower); fix: run java with --add-modules jdk.incubator.vector");
        return ScalarVectorOps.INSTANCE;
      }
      default -> throw new IllegalArgumentException("parley.vector must be auto, scalar or panama, found: " + mode);
    }
  }
}
