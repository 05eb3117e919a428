package dev.operators.elasticache.aws;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/** A replication group as DescribeReplicationGroups reports it. Built by name: {@link ReplicationGroupInfoBuilder}. */
@RecordBuilder
public record ReplicationGroupInfo(
    String id,
    String arn,
    String status,
    String engine,
    String cacheNodeType,
    boolean clusterEnabled,
    int numNodeGroups,
    int replicasPerNodeGroup,
    List<String> memberClusters,
    Endpoint primaryEndpoint,
    Endpoint readerEndpoint,
    Endpoint configurationEndpoint,
    boolean automaticFailover,
    boolean multiAZ,
    boolean transitEncryption,
    boolean atRestEncryption,
    boolean authTokenEnabled,
    Integer snapshotRetentionLimit,
    String snapshotWindow,
    List<String> nodeGroupIds,
    boolean pendingChanges,
    java.time.Instant authTokenLastModified,
    List<LogDelivery> logDelivery,
    boolean dataTiering,
    String networkType,
    String ipDiscovery,
    String kmsKeyId,
    /** preferred or required while TLS is on (AWS reports none for a group created before the modes: required); null while off. */
    String transitEncryptionMode,
    List<String> userGroupIds,
    /** EffectiveDurability: sync, async or disabled; null when AWS does not report it. */
    String durability,
    /** StorageEncryptionType: none, sse-elasticache or sse-kms (encryption at rest in effect); null when not reported. */
    String storageEncryption,
    /** ClusterMode: enabled, disabled or compatible (the step between them); null when AWS does not report it. */
    String clusterMode) implements ReplicationGroupInfoBuilder.With {

  public boolean available() { return "available".equals(status); }

  public boolean deleting() { return "deleting".equals(status); }

  /** disabled, compatible or enabled: as AWS reports it, else from ClusterEnabled. */
  public String clusterModeOrDefault() {
    return clusterMode != null ? clusterMode : clusterEnabled ? "enabled" : "disabled";
  }
}
