package dev.operators.elasticache.decide;

import dev.operators.elasticache.aws.SnapshotInfo;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the snapshot named in spec.restoreFrom.snapshotName can seed the cache the spec asks for,
 * judged before CreateReplicationGroup from what DescribeSnapshots reports. The rules are the
 * ElastiCache user guide's "Restoring from a backup into a new cache" and the API reference's
 * CreateReplicationGroup (SnapshotName, NumNodeGroups, NodeGroupConfiguration): a Valkey snapshot
 * cannot become a Redis OSS cache (Redis OSS into Valkey is an upgrade AWS allows); an engine never
 * goes back to an older version; a snapshot of a cluster-mode group keeps its number of shards
 * unless NodeGroupConfiguration (which the operator does not send) redistributes the slots; the new
 * nodes need at least the memory of the snapshot's node type. AWS has the last word: whatever this
 * lets through and AWS refuses shows with AWS's message.
 */
public final class RestoreCheck {
  private RestoreCheck() {}

  /** What to do about the snapshot: go on, wait for it, or stop with a problem naming the field. */
  public sealed interface Verdict {}
  public record Go() implements Verdict {}
  public record Wait(String message) implements Verdict {}
  public record Refuse(Problem problem) implements Verdict {}

  /** Memory in GiB of node types (ElastiCache user guide, "Supported node types"); others are not checked. */
  static final Map<String, Double> MEMORY_GIB = Map.ofEntries(
      Map.entry("cache.t4g.micro", 0.5), Map.entry("cache.t4g.small", 1.37), Map.entry("cache.t4g.medium", 3.09),
      Map.entry("cache.t3.micro", 0.5), Map.entry("cache.t3.small", 1.37), Map.entry("cache.t3.medium", 3.09),
      Map.entry("cache.m6g.large", 6.38), Map.entry("cache.m6g.xlarge", 12.93), Map.entry("cache.m6g.2xlarge", 26.04),
      Map.entry("cache.m7g.large", 6.38), Map.entry("cache.m7g.xlarge", 12.93), Map.entry("cache.m7g.2xlarge", 26.04),
      Map.entry("cache.r6g.large", 13.07), Map.entry("cache.r6g.xlarge", 26.32), Map.entry("cache.r6g.2xlarge", 52.82),
      Map.entry("cache.r7g.large", 13.07), Map.entry("cache.r7g.xlarge", 26.32), Map.entry("cache.r7g.2xlarge", 52.82));

  public static Verdict judge(Desired d, Optional<SnapshotInfo> found) {
    String field = "spec.restoreFrom.snapshotName";
    String name = d.restoreSnapshotName();
    if (found.isEmpty()) {
      return new Refuse(new Problem(field, "snapshot " + name + " does not exist in this account and region; name an existing snapshot"
          + " (aws elasticache describe-snapshots) or create the RedisCache without restoreFrom"));
    }
    SnapshotInfo s = found.get();
    if ("creating".equals(s.status())) return new Wait("Waiting for snapshot " + name + " to be available (it is " + s.status() + ")");
    if (!s.available() && !"restoring".equals(s.status())) {
      return new Refuse(new Problem(field, "snapshot " + name + " is " + s.status() + ", not available; name another snapshot"));
    }
    String engine = d.engine().awsName();
    if (s.engine() != null && !s.engine().equals(engine)) {
      if (!(s.engine().equals("redis") && engine.equals("valkey"))) {
        return new Refuse(new Problem("spec.engine", "snapshot " + name + " holds " + s.engine() + " data, which AWS cannot restore into "
            + engine + "; set engine: " + s.engine()));
      }
    } else if (s.engineVersion() != null && compareMinor(d.engineVersion(), s.engineVersion()) < 0) {
      return new Refuse(new Problem("spec.engineVersion", "snapshot " + name + " was taken from " + s.engine() + " " + s.engineVersion()
          + "; AWS restores it only into that version or a newer one: set engineVersion to at least " + minor(s.engineVersion())));
    }
    if (s.clusterMode() && s.numNodeGroups() != d.shards()) {
      return new Refuse(new Problem("spec.shards", "snapshot " + name + " is of a cluster-mode group with " + s.numNodeGroups()
          + " shards; a cache restored from it must have the same number: set shards: " + s.numNodeGroups()));
    }
    Double have = MEMORY_GIB.get(d.nodeType());
    Double need = s.cacheNodeType() == null ? null : MEMORY_GIB.get(s.cacheNodeType());
    if (have != null && need != null && have < need) {
      return new Refuse(new Problem("spec.nodeType", "snapshot " + name + " was taken from " + s.cacheNodeType() + " nodes (" + need
          + " GiB); " + d.nodeType() + " has " + have + " GiB: choose a node type with at least as much memory"));
    }
    return new Go();
  }

  /**
   * The snapshot named for a serverless cache (spec.serverless): a serverless cache snapshot
   * (DescribeServerlessCacheSnapshots), which CreateServerlessCache SnapshotArnsToRestore takes by
   * its ARN. The engine rule is the one above (Redis OSS into Valkey, never back); the version rule
   * compares major versions, the only version a serverless cache has.
   */
  public static Verdict judgeServerless(Desired d, Optional<dev.operators.elasticache.aws.ServerlessSnapshotInfo> found) {
    String field = "spec.restoreFrom.snapshotName";
    String name = d.restoreSnapshotName();
    if (found.isEmpty()) {
      return new Refuse(new Problem(field, "no serverless cache snapshot " + name + " in this account and region; a serverless cache is restored"
          + " from a serverless snapshot (aws elasticache describe-serverless-cache-snapshots) or from RDB files in S3 (restoreFrom.rdbS3Arns)"));
    }
    var s = found.get();
    if ("creating".equals(s.status())) return new Wait("Waiting for serverless snapshot " + name + " to be available (it is " + s.status() + ")");
    if (!s.available()) return new Refuse(new Problem(field, "serverless snapshot " + name + " is " + s.status() + ", not available; name another snapshot"));
    return fitsServerless(d, "serverless snapshot " + name, s.engine(), s.majorEngineVersion(), s.majorEngineVersion());
  }

  /**
   * The engine rule (Redis OSS into Valkey, never back) and the major version rule (never into an
   * older one) of a snapshot described as {@code what} for the serverless cache {@code d} asks for.
   */
  private static Verdict fitsServerless(Desired d, String what, String snapEngine, String snapMajor, String snapVersion) {
    String engine = d.engine().awsName();
    if (snapEngine != null && !snapEngine.equals(engine)) {
      if (!(snapEngine.equals("redis") && engine.equals("valkey"))) {
        return new Refuse(new Problem("spec.engine", what + " holds " + snapEngine + " data, which AWS cannot restore into "
            + engine + "; set engine: " + snapEngine));
      }
    } else if (snapMajor != null && d.majorEngineVersion() != null && Integer.parseInt(d.majorEngineVersion()) < Integer.parseInt(snapMajor)) {
      return new Refuse(new Problem("spec.engineVersion", what + " was taken from " + snapEngine + " " + snapVersion
          + "; AWS restores it only into that major version or a newer one"));
    }
    return new Go();
  }

  /**
   * A node-based snapshot (DescribeSnapshots) named for a serverless cache: AWS's user guide ("Choosing
   * between deployment options") says "Backups from Valkey or Redis OSS node-based clusters can be
   * restored into a serverless configuration"; CreateServerlessCache takes it by its ARN
   * ({@code arn:aws:elasticache:<region>:<account>:snapshot:<name>}) in SnapshotArnsToRestore. The
   * engine rule is the one above (Redis OSS into Valkey, never back); the version rule compares the
   * snapshot's major version with the serverless cache's major version (never back to an older one).
   * Cluster mode, shards and node types do not matter: a serverless cache has none to fit.
   */
  public static Verdict judgeServerlessFromNodeBased(Desired d, Optional<SnapshotInfo> found) {
    String field = "spec.restoreFrom.snapshotName";
    String name = d.restoreSnapshotName();
    if (found.isEmpty()) {
      return new Refuse(new Problem(field, "no serverless cache snapshot " + name + " (aws elasticache describe-serverless-cache-snapshots)"
          + " nor node-based snapshot of that name (aws elasticache describe-snapshots) in this account and region;"
          + " name an existing one, or restore from RDB files in S3 (restoreFrom.rdbS3Arns)"));
    }
    SnapshotInfo s = found.get();
    if ("creating".equals(s.status())) return new Wait("Waiting for snapshot " + name + " to be available (it is " + s.status() + ")");
    if (!s.available()) return new Refuse(new Problem(field, "snapshot " + name + " is " + s.status() + ", not available; name another snapshot"));
    if (s.arn() == null) return new Refuse(new Problem(field, "AWS reports no ARN for snapshot " + name + "; CreateServerlessCache needs it"));
    String major = s.engineVersion() == null ? null : Integer.toString(part(s.engineVersion().split("\\."), 0));
    return fitsServerless(d, "snapshot " + name, s.engine(), major, s.engineVersion());
  }

  /** Compares major.minor of two versions ("8.0" with "8.0.1"). */
  static int compareMinor(String a, String b) {
    String[] x = minor(a).split("\\.");
    String[] y = minor(b).split("\\.");
    for (int i = 0; i < 2; i++) {
      int c = Integer.compare(part(x, i), part(y, i));
      if (c != 0) return c;
    }
    return 0;
  }

  static String minor(String v) {
    String[] p = v.split("\\.");
    return p.length >= 2 ? p[0] + "." + p[1] : p[0];
  }

  private static int part(String[] p, int i) {
    try {
      return i < p.length ? Integer.parseInt(p[i].replaceAll("[^0-9].*", "")) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
