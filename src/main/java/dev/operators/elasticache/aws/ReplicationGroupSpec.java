package dev.operators.elasticache.aws;

import java.util.List;
import java.util.Map;

/**
 * Everything CreateReplicationGroup is sent. {@code authToken} is secret: toString never shows it.
 */
public record ReplicationGroupSpec(
    String replicationGroupId,
    String description,
    String engine,
    String engineVersion,
    String cacheNodeType,
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
    Map<String, String> tags) {

  public ReplicationGroupSpec withAuthToken(String token) {
    return new ReplicationGroupSpec(replicationGroupId, description, engine, engineVersion, cacheNodeType, numNodeGroups,
        replicasPerNodeGroup, clusterMode, automaticFailover, multiAZ, port, cacheSubnetGroupName, securityGroupIds,
        cacheParameterGroupName, transitEncryption, atRestEncryption, kmsKeyId, token, snapshotRetentionLimit,
        snapshotWindow, preferredMaintenanceWindow, tags);
  }

  @Override
  public String toString() {
    return "ReplicationGroupSpec[" + replicationGroupId + ", " + engine + " " + engineVersion + ", " + cacheNodeType
        + ", shards=" + numNodeGroups + ", replicas=" + replicasPerNodeGroup + ", authToken="
        + (authToken == null ? "none" : "<redacted>") + "]";
  }
}
