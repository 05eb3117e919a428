package dev.operators.elasticache.aws;

import java.util.List;
import java.util.Objects;

/**
 * A replication group with its member clusters: what one sweep knows about one cache. {@code clusters}
 * is null when the members were not read (the first sweep after a restart reads the groups only):
 * the member facts (engine version, parameter group, security groups, maintenance window, pending
 * node changes) are then unknown, and answer null or empty.
 */
public record ObservedGroup(ReplicationGroupInfo group, List<CacheClusterInfo> clusters) {

  /** Whether the member clusters were read with the group. */
  public boolean membersKnown() { return clusters != null; }

  private java.util.stream.Stream<CacheClusterInfo> memberStream() {
    return clusters == null ? java.util.stream.Stream.empty() : clusters.stream();
  }

  public String id() { return group.id(); }

  /** The same group as a reconcile left it (modifying, deleting), until the next sweep says more. */
  public ObservedGroup withStatus(String status) {
    return new ObservedGroup(group.withStatus(status), clusters);
  }

  /** The engine version the members run (the lowest when they differ during an upgrade). */
  public String engineVersion() {
    return memberStream().map(CacheClusterInfo::engineVersion).filter(Objects::nonNull).sorted().findFirst().orElse(null);
  }

  public String parameterGroupName() {
    return memberStream().map(CacheClusterInfo::cacheParameterGroupName).filter(Objects::nonNull).findFirst().orElse(null);
  }

  public List<String> securityGroupIds() {
    return memberStream().map(CacheClusterInfo::securityGroupIds).filter(Objects::nonNull).findFirst().orElse(List.of());
  }

  public String maintenanceWindow() {
    return memberStream().map(CacheClusterInfo::preferredMaintenanceWindow).filter(Objects::nonNull).findFirst().orElse(null);
  }

  /** A node type AWS will apply later (NextMaintenanceWindow), or null. */
  public String pendingNodeType() {
    return memberStream().map(CacheClusterInfo::pendingCacheNodeType).filter(Objects::nonNull).findFirst().orElse(null);
  }

  /** An engine version AWS will apply later, or null. */
  public String pendingEngineVersion() {
    return memberStream().map(CacheClusterInfo::pendingEngineVersion).filter(Objects::nonNull).findFirst().orElse(null);
  }

  public int members() {
    return group.memberClusters() != null ? group.memberClusters().size() : clusters == null ? 0 : clusters.size();
  }
}
