package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.aws.EngineVersionInfo;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine versions AWS offers, as DescribeCacheEngineVersions lists them (see
 * {@code resources.EngineCatalogue}), and what follows from them: is the version a spec asks for
 * offered, which version to send AWS, which parameter group family it takes. A pure value: the
 * operator holds no list of its own, so a version AWS adds (Valkey 9.1, say) is accepted the day
 * AWS offers it.
 *
 * <p>A spec asks for major.minor (the CRD's pattern). AWS lists major.minor from Redis OSS 6 on,
 * and full versions before (4.0.10, 5.0.6): "5.0" is the listed 5.0.6.
 */
public final class EngineVersions {
  private final List<EngineVersionInfo> offered;

  public EngineVersions(List<EngineVersionInfo> offered) {
    this.offered = List.copyOf(offered);
  }

  /** Every family a version AWS offers takes (the parameter groups the operator may have made take one of these). */
  public List<String> families() {
    return offered.stream().map(EngineVersionInfo::family).distinct().sorted().toList();
  }

  public static String defaultVersion(Engine engine) {
    return engine == Engine.VALKEY ? "8.0" : "7.1";
  }

  public static String effective(Engine engine, String requested) {
    return requested == null || requested.isBlank() ? defaultVersion(engine) : requested;
  }

  /** The versions AWS offers for the engine, as AWS lists them. */
  public List<String> supported(Engine engine) {
    return offered.stream().filter(v -> v.engine().equals(engine.awsName())).map(EngineVersionInfo::version).toList();
  }

  public boolean isSupported(Engine engine, String requested) {
    return find(engine, requested).isPresent();
  }

  /** What AWS lists for a requested version: the same version, or the one listed with its patch level (5.0 -> 5.0.6). */
  public Optional<EngineVersionInfo> find(Engine engine, String requested) {
    if (requested == null) return Optional.empty();
    return offered.stream().filter(v -> v.engine().equals(engine.awsName()))
        .filter(v -> v.version().equals(requested) || sameMinor(requested, v.version())).findFirst();
  }

  /** The version sent to AWS: as AWS lists it; an unknown one as asked (AWS then refuses it). */
  public String awsVersion(Engine engine, String requested) {
    return find(engine, requested).map(EngineVersionInfo::version).orElse(requested);
  }

  /** The cache parameter group family, e.g. valkey9, valkey8, redis7, redis6.x, redis5.0. */
  public Optional<String> family(Engine engine, String requested) {
    return find(engine, requested).map(EngineVersionInfo::family);
  }

  /** True when {@code version} (major.minor, with or without a patch level; 6.x counts as 6.0) is {@code min} or later. */
  public static boolean atLeast(String version, String min) {
    String[] v = version.split("\\.");
    String[] m = min.split("\\.");
    for (int i = 0; i < 2; i++) {
      int a = i < v.length ? number(v[i]) : 0;
      int b = i < m.length ? number(m[i]) : 0;
      if (a != b) return a > b;
    }
    return true;
  }

  private static int number(String part) {
    try {
      return Integer.parseInt(part);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** True when AWS's reported version (with patch level) is the requested major.minor. */
  public static boolean sameMinor(String requested, String reported) {
    if (requested == null || reported == null) return false;
    return reported.equals(requested) || reported.startsWith(requested + ".");
  }

  // ---------------------------------------------------------------------------------------------
  // Extended Support: data in the operator, not derived. DescribeCacheEngineVersions says nothing
  // about support dates (CacheEngineVersion has Engine, EngineVersion, CacheParameterGroupFamily and
  // two descriptions), so the dates AWS published are kept here, and whether a cache is in Extended
  // Support today is derived from them and the clock.
  //
  // Sources: ElastiCache user guide, "ElastiCache Extended Support"
  // (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html): end of
  // standard support for Redis OSS 4.0.10 (and 5) January 31, 2026, charged from February 1, 2026;
  // Extended Support "up to 3 years past the end of standard support", for versions 4 and 5 until
  // January 31, 2029, after which AWS upgrades such caches to the latest Valkey. AWS Database Blog,
  // "Introducing Extended Support for Amazon ElastiCache version 4 and version 5 for Redis OSS"
  // (same dates). Redis OSS 6: end of standard support January 31, 2027, as reported from AWS's
  // announcement by https://dev.classmethod.jp/articles/2026-1-31-elasticache-for-redis-oss-4-5
  // (not found on an AWS page here); its end of Extended Support, January 31, 2030, is AWS's
  // "up to 3 years" rule applied, not a published date. Check both against AWS's "end of life
  // schedule" (engine-versions.html#deprecated-engine-versions) when it lists them.

  /** AWS's support dates for a Redis OSS major version: Extended Support runs from {@code begins} to {@code ends}, inclusive. */
  public record Lifecycle(String major, LocalDate begins, LocalDate ends) {}

  static final Map<String, Lifecycle> REDIS_EXTENDED_SUPPORT = Map.of(
      "4", new Lifecycle("4", LocalDate.of(2026, 2, 1), LocalDate.of(2029, 1, 31)),
      "5", new Lifecycle("5", LocalDate.of(2026, 2, 1), LocalDate.of(2029, 1, 31)),
      "6", new Lifecycle("6", LocalDate.of(2027, 2, 1), LocalDate.of(2030, 1, 31)));

  /** The Extended Support a Redis OSS version is in on {@code today}, if any (Valkey has none). */
  public static Optional<Lifecycle> extendedSupport(Engine engine, String version, LocalDate today) {
    if (engine != Engine.REDIS || version == null || version.isBlank()) return Optional.empty();
    Lifecycle l = REDIS_EXTENDED_SUPPORT.get(version.split("\\.")[0]);
    if (l == null || today.isBefore(l.begins())) return Optional.empty();
    return Optional.of(l);
  }

  /** What status.extendedSupport says, and the Warning event with it. */
  public static String describe(Lifecycle l) {
    return "Redis OSS " + l.major() + " is in AWS's paid Extended Support since " + l.begins() + " (standard support ended "
        + l.begins().minusDays(1) + "); Extended Support ends " + l.ends() + ", after which AWS upgrades the cache to the "
        + "latest Valkey. Upgrade (engine: valkey, or a newer redis engineVersion) to leave it.";
  }
}
