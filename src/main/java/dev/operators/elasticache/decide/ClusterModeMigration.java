package dev.operators.elasticache.decide;

import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ReplicationGroupInfo;

/**
 * Cluster mode switched on a running replication group, in AWS's steps (ElastiCache user guide,
 * "Modifying cluster mode"; ModifyReplicationGroup {@code ClusterMode}): disabled, then
 * {@code compatible} (one shard that serves cluster-mode clients through the configuration endpoint
 * and plain clients through the primary endpoint), then {@code enabled}. From compatible the group
 * can go back to disabled; enabled is final. Every step is derived from what AWS reports
 * (DescribeReplicationGroups {@code ClusterMode}) and the spec, never from memory, so a restart
 * anywhere resumes.
 *
 * <p>The connection Secret follows while AWS is in {@code compatible}, where both kinds of client
 * work: it switches to the configuration endpoint and {@code clusterMode: "true"} before enabled is
 * asked (or back to the primary endpoint before disabled is asked).
 */
public final class ClusterModeMigration {
  private ClusterModeMigration() {}

  public static final String DISABLED = "disabled";
  public static final String COMPATIBLE = "compatible";
  public static final String ENABLED = "enabled";

  /** The next ModifyReplicationGroup towards {@code target}, or null when there is none to ask (there or not possible). */
  public static Change.Modify next(String target, ReplicationGroupInfo g) {
    String state = g.clusterModeOrDefault();
    if (state.equals(target) || ENABLED.equals(state)) return null; // enabled cannot be left: see precondition
    String to = switch (state) {
      case DISABLED -> COMPATIBLE; // to compatible or enabled: compatible first
      case COMPATIBLE -> target;   // enabled, or back to disabled
      default -> null;
    };
    if (to == null) return null;
    return new Change.Modify(ModifyRequest.of(g.id(), true).withClusterMode(to), "clusterMode " + state + " -> " + to);
  }

  /** The step out of {@code compatible}: the Secret switched before it, apps need time to follow. */
  public static boolean leavesCompatible(Change next) {
    return next instanceof Change.Modify m && m.request().clusterMode() != null && !COMPATIBLE.equals(m.request().clusterMode());
  }

  /**
   * Whether the Secret gives apps the cluster-mode endpoint: as the spec says before the group
   * exists; as AWS runs it once disabled or enabled; in {@code compatible}, where both work, the way
   * the spec goes (towards enabled, or resting in compatible: cluster; back to disabled: plain).
   */
  public static boolean secretClusterMode(String target, ReplicationGroupInfo g) {
    if (g == null) return ENABLED.equals(target);
    String state = g.clusterModeOrDefault();
    return COMPATIBLE.equals(state) ? !DISABLED.equals(target) : ENABLED.equals(state);
  }

  /**
   * AWS's preconditions, checked before any cluster mode step is asked (user guide, "Modifying
   * cluster mode"): enabled cannot be reverted; the engine is Valkey 7.2+ or Redis OSS 7.0+;
   * automatic failover with at least one replica. The operator adds one of its own: it migrates
   * only a group on AWS's default parameter group (AWS then moves it to the default
   * {@code .cluster.on} group itself), so {@code spec.parameters} must be unset while it moves.
   * A problem naming the field, or null.
   */
  public static Problem precondition(Desired d, ReplicationGroupInfo g, String runningVersion) {
    String target = d.clusterModeTargetOrDefault();
    String state = g.clusterModeOrDefault();
    if (state.equals(target)) return null;
    if (ENABLED.equals(state)) {
      return new Problem("spec.clusterMode", "replication group " + g.id() + " runs with cluster mode enabled, which AWS cannot revert; "
          + "set clusterMode: Enabled (only a group in Compatible goes back to Disabled)");
    }
    if (COMPATIBLE.equals(state)) return null; // the step out of compatible: both ways are open
    // the spec's engine and version: an upgrade asked together comes first in the plan
    String engine = d.engine().awsName();
    String version = d.engineVersion();
    if (version != null && !EngineVersions.atLeast(version, "redis".equals(engine) ? "7.0" : "7.2")) {
      return new Problem("spec.engineVersion", "AWS changes cluster mode on a running group only on Valkey 7.2 or later or Redis OSS 7.0 or later; "
          + "the spec asks for " + engine + " " + version + (runningVersion == null ? "" : " (the group runs " + runningVersion + ")")
          + ": set engineVersion to 7.0 or later (or engine: valkey), then change clusterMode");
    }
    if (d.replicasPerShard() < 1) {
      return new Problem("spec.replicasPerShard", "AWS changes cluster mode only with automatic failover and at least one replica: "
          + "set replicasPerShard to 1 or more (it turns automatic failover on), then change clusterMode");
    }
    if (!d.parameters().isEmpty()) {
      return new Problem("spec.parameters", "the operator migrates cluster mode only on AWS's default parameter group (AWS moves the group to "
          + "its cluster-enabled default itself): remove parameters while cluster mode changes, and set them again once it is " + target);
    }
    return null;
  }
}
