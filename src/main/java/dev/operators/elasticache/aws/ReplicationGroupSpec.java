package dev.operators.elasticache.aws;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;
import java.util.Map;

/**
 * Everything CreateReplicationGroup is sent. {@code authToken} is secret: toString never shows it
 * (the generated {@link ReplicationGroupSpecBuilder}'s does: never log a builder). Built by name,
 * with withers ({@code withAuthToken}) from {@link ReplicationGroupSpecBuilder.With}.
 */
@RecordBuilder
public record ReplicationGroupSpec(
    String replicationGroupId,
    String description,
    String engine,
    String engineVersion,
    String cacheNodeType,
    boolean dataTiering,
    /** Durability sent to AWS: sync, async, or null (not sent: AWS's default, no durability). */
    String durability,
    String networkType,
    String ipDiscovery,
    int numNodeGroups,
    int replicasPerNodeGroup,
    boolean clusterMode,
    boolean automaticFailover,
    boolean multiAZ,
    int port,
    String cacheSubnetGroupName,
    List<String> securityGroupIds,
    String cacheParameterGroupName,
    boolean transitEncryption,
    boolean atRestEncryption,
    String kmsKeyId,
    String authToken,
    int snapshotRetentionLimit,
    String snapshotWindow,
    String preferredMaintenanceWindow,
    String snapshotName,
    List<String> snapshotArns,
    /** UserGroupIds: the cache's RBAC user group (at most one; TLS, and no AuthToken beside it), or null/empty. */
    List<String> userGroupIds,
    Map<String, String> tags) implements ReplicationGroupSpecBuilder.With {

  @Override
  public String toString() {
    return "ReplicationGroupSpec[" + replicationGroupId + ", " + engine + " " + engineVersion + ", " + cacheNodeType
        + ", shards=" + numNodeGroups + ", replicas=" + replicasPerNodeGroup + (snapshotName != null ? ", snapshot=" + snapshotName : "")
        + (snapshotArns != null && !snapshotArns.isEmpty() ? ", snapshotArns=" + snapshotArns : "")
        + (userGroupIds != null && !userGroupIds.isEmpty() ? ", userGroups=" + userGroupIds : "") + ", authToken="
        + (authToken == null ? "none" : "<redacted>") + "]";
  }
}
