package dev.operators.elasticache.aws;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * A ModifyReplicationGroup call: only the fields that change are set (null means "leave it"),
 * so a field that did not change is never resent. {@code authToken} is secret: toString never shows it
 * (the generated {@link ModifyRequestBuilder}'s does: never log a builder). Withers by name
 * ({@code withCacheNodeType}, ...) come from {@link ModifyRequestBuilder.With}.
 */
@RecordBuilder
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
    List<LogDelivery> logDelivery,
    String ipDiscovery,
    Boolean transitEncryptionEnabled,
    String transitEncryptionMode,
    List<String> userGroupIdsToAdd,
    List<String> userGroupIdsToRemove,
    String durability,
    /** ClusterMode: compatible, enabled, or disabled (only from compatible); alone in its request. */
    String clusterMode,
    /** RemoveUserGroups: the group's user group comes off (AWS's way back from RBAC to AUTH, with AuthToken and ROTATE). */
    Boolean removeUserGroups) implements ModifyRequestBuilder.With {

  /** A request that changes nothing yet: add the changes with the withers ({@code withCacheNodeType} ...). */
  public static ModifyRequest of(String id, boolean applyImmediately) {
    return ModifyRequestBuilder.builder().replicationGroupId(id).applyImmediately(applyImmediately).build();
  }

  /** A new engine (null: the same) and version. */
  public ModifyRequest engine(String engine, String version) {
    return with(b -> b.engine(engine).engineVersion(version));
  }

  public ModifyRequest failover(Boolean automaticFailover, Boolean multiAZ) {
    return with(b -> b.automaticFailover(automaticFailover).multiAZ(multiAZ));
  }

  /** A new AUTH token and how AWS is to apply it (ROTATE, SET). */
  public ModifyRequest token(String token, String strategy) {
    return with(b -> b.authToken(token).authTokenUpdateStrategy(strategy));
  }

  /** In-transit encryption on or off (null: unchanged) and its mode, preferred or required (null: unchanged). */
  public ModifyRequest transit(Boolean enabled, String mode) {
    return with(b -> b.transitEncryptionEnabled(enabled).transitEncryptionMode(mode));
  }

  /** UserGroupIdsToAdd / UserGroupIdsToRemove (null or empty: none). */
  public ModifyRequest userGroups(List<String> add, List<String> remove) {
    return with(b -> b.userGroupIdsToAdd(add).userGroupIdsToRemove(remove));
  }

  /** RemoveUserGroups true with a new AUTH token and ROTATE (user guide, "Migrating from RBAC to AUTH"). */
  public ModifyRequest backToToken(String token) {
    return with(b -> b.removeUserGroups(true).authToken(token).authTokenUpdateStrategy("ROTATE"));
  }

  @Override
  public String toString() {
    return "ModifyRequest[" + replicationGroupId + ", nodeType=" + cacheNodeType + ", engine=" + engine + " " + engineVersion
        + ", parameterGroup=" + cacheParameterGroupName + ", securityGroups=" + securityGroupIds + ", retention=" + snapshotRetentionLimit
        + ", snapshotWindow=" + snapshotWindow + ", maintenanceWindow=" + preferredMaintenanceWindow + ", failover=" + automaticFailover
        + ", multiAZ=" + multiAZ + ", logDelivery=" + logDelivery + ", ipDiscovery=" + ipDiscovery + ", transitEncryption=" + transitEncryptionEnabled + "/" + transitEncryptionMode + ", userGroups=+" + userGroupIdsToAdd + "-" + userGroupIdsToRemove + (removeUserGroups == null ? "" : ", removeUserGroups=" + removeUserGroups) + ", durability=" + durability + ", clusterMode=" + clusterMode + ", authToken=" + (authToken == null ? "unchanged" : "<redacted> " + authTokenUpdateStrategy) + "]";
  }
}
