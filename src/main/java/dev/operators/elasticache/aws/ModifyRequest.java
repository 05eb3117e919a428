package dev.operators.elasticache.aws;

import java.util.List;

/**
 * A ModifyReplicationGroup call: only the fields that change are set (null means "leave it"),
 * so a field that did not change is never resent. {@code authToken} is secret: toString never shows it.
 */
public record ModifyRequest(
    String replicationGroupId,
    boolean applyImmediately,
    String cacheNodeType,
    String engine,
    String engineVersion,
    String cacheParameterGroupName,
    List<String> securityGroupIds,
    Integer snapshotRetentionLimit,
    String snapshotWindow,
    String preferredMaintenanceWindow,
    Boolean automaticFailover,
    Boolean multiAZ,
    String authToken,
    String authTokenUpdateStrategy,
    List<LogDelivery> logDelivery) {

  public static ModifyRequest of(String id, boolean applyImmediately) {
    return new ModifyRequest(id, applyImmediately, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public ModifyRequest nodeType(String v) { return new ModifyRequest(replicationGroupId, applyImmediately, v, engine, engineVersion, cacheParameterGroupName, securityGroupIds, snapshotRetentionLimit, snapshotWindow, preferredMaintenanceWindow, automaticFailover, multiAZ, authToken, authTokenUpdateStrategy, logDelivery); }
  public ModifyRequest engine(String e, String v) { return new ModifyRequest(replicationGroupId, applyImmediately, cacheNodeType, e, v, cacheParameterGroupName, securityGroupIds, snapshotRetentionLimit, snapshotWindow, preferredMaintenanceWindow, automaticFailover, multiAZ, authToken, authTokenUpdateStrategy, logDelivery); }
  public ModifyRequest parameterGroup(String v) { return new ModifyRequest(replicationGroupId, applyImmediately, cacheNodeType, engine, engineVersion, v, securityGroupIds, snapshotRetentionLimit, snapshotWindow, preferredMaintenanceWindow, automaticFailover, multiAZ, authToken, authTokenUpdateStrategy, logDelivery); }
  public ModifyRequest securityGroups(List<String> v) { return new ModifyRequest(replicationGroupId, applyImmediately, cacheNodeType, engine, engineVersion, cacheParameterGroupName, v, snapshotRetentionLimit, snapshotWindow, preferredMaintenanceWindow, automaticFailover, multiAZ, authToken, authTokenUpdateStrategy, logDelivery); }
  public ModifyRequest retention(Integer v) { return new ModifyRequest(replicationGroupId, applyImmediately, cacheNodeType, engine, engineVersion, cacheParameterGroupName, securityGroupIds, v, snapshotWindow, preferredMaintenanceWindow, automaticFailover, multiAZ, authToken, authTokenUpdateStrategy, logDelivery); }
  public ModifyRequest snapshotWindow(String v) { return new ModifyRequest(replicationGroupId, applyImmediately, cacheNodeType, engine, engineVersion, cacheParameterGroupName, securityGroupIds, snapshotRetentionLimit, v, preferredMaintenanceWindow, automaticFailover, multiAZ, authToken, authTokenUpdateStrategy, logDelivery); }
  public ModifyRequest maintenanceWindow(String v) { return new ModifyRequest(replicationGroupId, applyImmediately, cacheNodeType, engine, engineVersion, cacheParameterGroupName, securityGroupIds, snapshotRetentionLimit, snapshotWindow, v, automaticFailover, multiAZ, authToken, authTokenUpdateStrategy, logDelivery); }
  public ModifyRequest failover(Boolean failover, Boolean multi) { return new ModifyRequest(replicationGroupId, applyImmediately, cacheNodeType, engine, engineVersion, cacheParameterGroupName, securityGroupIds, snapshotRetentionLimit, snapshotWindow, preferredMaintenanceWindow, failover, multi, authToken, authTokenUpdateStrategy, logDelivery); }
  public ModifyRequest token(String token, String strategy) { return new ModifyRequest(replicationGroupId, applyImmediately, cacheNodeType, engine, engineVersion, cacheParameterGroupName, securityGroupIds, snapshotRetentionLimit, snapshotWindow, preferredMaintenanceWindow, automaticFailover, multiAZ, token, strategy, logDelivery); }
  public ModifyRequest logDelivery(List<LogDelivery> v) { return new ModifyRequest(replicationGroupId, applyImmediately, cacheNodeType, engine, engineVersion, cacheParameterGroupName, securityGroupIds, snapshotRetentionLimit, snapshotWindow, preferredMaintenanceWindow, automaticFailover, multiAZ, authToken, authTokenUpdateStrategy, v); }

  @Override
  public String toString() {
    return "ModifyRequest[" + replicationGroupId + ", nodeType=" + cacheNodeType + ", engine=" + engine + " " + engineVersion
        + ", parameterGroup=" + cacheParameterGroupName + ", securityGroups=" + securityGroupIds + ", retention=" + snapshotRetentionLimit
        + ", snapshotWindow=" + snapshotWindow + ", maintenanceWindow=" + preferredMaintenanceWindow + ", failover=" + automaticFailover
        + ", multiAZ=" + multiAZ + ", logDelivery=" + logDelivery + ", authToken=" + (authToken == null ? "unchanged" : "<redacted> " + authTokenUpdateStrategy) + "]";
  }
}
