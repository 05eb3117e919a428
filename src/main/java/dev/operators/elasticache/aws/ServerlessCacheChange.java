package dev.operators.elasticache.aws;

import java.util.List;

/**
 * What ModifyServerlessCache is asked to change: only the non-null fields are sent. {@code userGroupId}
 * associates an RBAC user group; {@code removeUserGroup} true removes the one the cache has (AWS's way
 * to no access control).
 */
public record ServerlessCacheChange(
    String name,
    String description,
    Integer maxDataStorageGB,
    Integer maxECPUPerSecond,
    List<String> securityGroupIds,
    Integer snapshotRetentionLimit,
    String dailySnapshotTime,
    String userGroupId,
    Boolean removeUserGroup) {

  public ServerlessCacheChange(String name, String description, Integer maxDataStorageGB, Integer maxECPUPerSecond,
      List<String> securityGroupIds, Integer snapshotRetentionLimit, String dailySnapshotTime) {
    this(name, description, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, snapshotRetentionLimit, dailySnapshotTime, null, null);
  }

  public static ServerlessCacheChange of(String name) {
    return new ServerlessCacheChange(name, null, null, null, null, null, null);
  }

  public ServerlessCacheChange withLimits(Integer maxDataStorageGB, Integer maxECPUPerSecond) {
    return new ServerlessCacheChange(name, description, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, snapshotRetentionLimit,
        dailySnapshotTime, userGroupId, removeUserGroup);
  }

  public ServerlessCacheChange withSecurityGroupIds(List<String> ids) {
    return new ServerlessCacheChange(name, description, maxDataStorageGB, maxECPUPerSecond, ids, snapshotRetentionLimit, dailySnapshotTime,
        userGroupId, removeUserGroup);
  }

  public ServerlessCacheChange withSnapshots(Integer retention, String dailyTime) {
    return new ServerlessCacheChange(name, description, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, retention, dailyTime,
        userGroupId, removeUserGroup);
  }

  public ServerlessCacheChange withDescription(String text) {
    return new ServerlessCacheChange(name, text, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, snapshotRetentionLimit,
        dailySnapshotTime, userGroupId, removeUserGroup);
  }

  /** Associate this user group (ModifyServerlessCache UserGroupId). */
  public ServerlessCacheChange withUserGroup(String id) {
    return new ServerlessCacheChange(name, description, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, snapshotRetentionLimit,
        dailySnapshotTime, id, null);
  }

  /** Remove the cache's user group (ModifyServerlessCache RemoveUserGroup true). */
  public ServerlessCacheChange withoutUserGroup() {
    return new ServerlessCacheChange(name, description, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, snapshotRetentionLimit,
        dailySnapshotTime, null, Boolean.TRUE);
  }

  public boolean empty() {
    return description == null && maxDataStorageGB == null && maxECPUPerSecond == null && securityGroupIds == null
        && snapshotRetentionLimit == null && dailySnapshotTime == null && userGroupId == null && removeUserGroup == null;
  }
}
