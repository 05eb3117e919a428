package dev.operators.elasticache.aws;

import java.util.List;
import java.util.Objects;

/** A replication group with its member clusters: what one sweep knows about one cache. */
public record ObservedGroup(ReplicationGroupInfo group, List<CacheClusterInfo> clusters) {

  public String id() { return group.id(); }

  /** The same group as a reconcile left it (modifying, deleting), until the next sweep says more. */
  public ObservedGroup withStatus(String status) {
    return new ObservedGroup(group.withStatus(status), clusters);
  }

  /** The engine version the members run (the lowest when they differ during an upgrade). */
  public String engineVersion() {
    return clusters.stream().map(CacheClusterInfo::engineVersion).filter(Objects::nonNull).sorted().findFirst().orElse(null);
  }

  public String parameterGroupName() {
    return clusters.stream().map(CacheClusterInfo::cacheParameterGroupName).filter(Objects::nonNull).findFirst().orElse(null);
  }

  public List<String> securityGroupIds() {
    return clusters.stream().map(CacheClusterInfo::securityGroupIds).filter(Objects::nonNull).findFirst().orElse(List.of());
  }

  public String maintenanceWindow() {
    return clusters.stream().map(CacheClusterInfo::preferredMaintenanceWindow).filter(Objects::nonNull).findFirst().orElse(null);
  }

  /** A node type AWS will apply later (NextMaintenanceWindow), or null. */
  public String pendingNodeType() {
    return clusters.stream().map(CacheClusterInfo::pendingCacheNodeType).filter(Objects::nonNull).findFirst().orElse(null);
  }

  /** An engine version AWS will apply later, or null. */
  public String pendingEngineVersion() {
    return clusters.stream().map(CacheClusterInfo::pendingEngineVersion).filter(Objects::nonNull).findFirst().orElse(null);
  }

  public int members() {
    return group.memberClusters() == null ? clusters.size() : group.memberClusters().size();
  }
}
