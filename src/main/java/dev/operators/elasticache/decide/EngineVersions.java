package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.Engine;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine versions AWS ElastiCache offers for node-based clusters and their parameter group
 * families (AWS ElastiCache User Guide, "Supported engines and versions" and "Parameter groups",
 * as of 2025).
 */
public final class EngineVersions {
  private static final Map<Engine, List<String>> SUPPORTED = Map.of(
      Engine.VALKEY, List.of("7.2", "8.0", "8.1"),
      Engine.REDIS, List.of("5.0", "6.0", "6.2", "7.0", "7.1"));

  private EngineVersions() {}

  /** Every family a supported version maps to. */
  public static List<String> families() {
    return java.util.stream.Stream.of(Engine.values())
        .flatMap(e -> SUPPORTED.get(e).stream().map(v -> family(e, v).orElseThrow())).distinct().sorted().toList();
  }

  public static String defaultVersion(Engine engine) {
    return engine == Engine.VALKEY ? "8.0" : "7.1";
  }

  public static String effective(Engine engine, String requested) {
    return requested == null || requested.isBlank() ? defaultVersion(engine) : requested;
  }

  public static List<String> supported(Engine engine) {
    return SUPPORTED.get(engine);
  }

  public static boolean isSupported(Engine engine, String version) {
    return SUPPORTED.get(engine).contains(version);
  }

  /** The cache parameter group family, e.g. valkey8, redis7, redis6.x, redis5.0. */
  public static Optional<String> family(Engine engine, String version) {
    if (!isSupported(engine, version)) return Optional.empty();
    String major = version.substring(0, version.indexOf('.'));
    if (engine == Engine.VALKEY) return Optional.of("valkey" + major);
    return switch (major) {
      case "7" -> Optional.of("redis7");
      case "6" -> Optional.of("redis6.x");
      case "5" -> Optional.of("redis5.0");
      default -> Optional.empty();
    };
  }

  /** True when AWS's reported version (with patch level) is the requested major.minor. */
  public static boolean sameMinor(String requested, String reported) {
    if (requested == null || reported == null) return false;
    return reported.equals(requested) || reported.startsWith(requested + ".");
  }
}
