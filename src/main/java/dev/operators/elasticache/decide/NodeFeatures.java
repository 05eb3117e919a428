package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.Engine;
import java.util.Set;

/**
 * Which node types and engine versions carry data tiering and IPv6, from AWS's documentation:
 * CreateReplicationGroup's DataTieringEnabled ("only supported for replication groups using the
 * r6gd node type. This parameter must be set to true when using r6gd nodes") and the user guide's
 * "Choosing a network type" ("IPv6 is supported for workloads using Valkey 7.2 and onward, or
 * Redis OSS 6.2 and onward, on all instances built on the Nitro system"). Durability: the user
 * guide's "Durability in ElastiCache", Limitations (Valkey 9.0 or later; the R8g, R7g, R6g, M8g,
 * M7g, M6g, C8gn and C7gn families; not with data tiering).
 */
public final class NodeFeatures {
  /** ElastiCache node families on instances not built on Nitro (Xen and older generations). */
  private static final Set<String> NOT_NITRO = Set.of("t1", "t2", "m1", "m2", "m3", "m4", "c1", "r3", "r4");

  /** Node families AWS runs durability on (Durability.Limitations). */
  static final Set<String> DURABLE_FAMILIES = Set.of("r8g", "r7g", "r6g", "m8g", "m7g", "m6g", "c8gn", "c7gn");

  private NodeFeatures() {}

  /** A node type of a family AWS offers durability on. */
  public static boolean durability(String nodeType) {
    return DURABLE_FAMILIES.contains(family(nodeType));
  }

  /** Valkey 9.0 or later: the only engine versions with durability. */
  public static boolean durabilityEngine(Engine engine, String version) {
    if (engine != Engine.VALKEY || version == null) return false;
    return Integer.parseInt(version.split("\\.")[0]) >= 9;
  }

  /** cache.r6gd.* : the only family with data tiering, and one that always needs it. */
  public static boolean dataTiering(String nodeType) {
    return "r6gd".equals(family(nodeType));
  }

  public static boolean nitro(String nodeType) {
    String f = family(nodeType);
    return f != null && !NOT_NITRO.contains(f);
  }

  /** Valkey 7.2+ (every Valkey version) or Redis OSS 6.2+. */
  public static boolean ipv6Engine(Engine engine, String version) {
    if (engine == Engine.VALKEY) return true;
    String[] v = version.split("\\.");
    int major = Integer.parseInt(v[0]);
    int minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
    return major > 6 || (major == 6 && minor >= 2);
  }

  /** "r6gd" of "cache.r6gd.xlarge"; null when it is not cache.family.size. */
  static String family(String nodeType) {
    if (nodeType == null) return null;
    String[] parts = nodeType.split("\\.");
    return parts.length == 3 && parts[0].equals("cache") ? parts[1] : null;
  }
}
