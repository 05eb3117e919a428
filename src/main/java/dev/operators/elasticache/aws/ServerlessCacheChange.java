package dev.operators.elasticache.aws;

import java.util.List;

/**
 * What ModifyServerlessCache is asked to change: only the non-null fields are sent.
 */
public record ServerlessCacheChange(
    String name,
    String description,
    Integer maxDataStorageGB,
    Integer maxECPUPerSecond,
    List<String> securityGroupIds,
    Integer snapshotRetentionLimit,
    String dailySnapshotTime) {

  public static ServerlessCacheChange of(String name) {
    return new ServerlessCacheChange(name, null, null, null, null, null, null);
  }

  public ServerlessCacheChange withLimits(Integer maxDataStorageGB, Integer maxECPUPerSecond) {
    return new ServerlessCacheChange(name, description, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, snapshotRetentionLimit, dailySnapshotTime);
  }

  public ServerlessCacheChange withSecurityGroupIds(List<String> ids) {
    return new ServerlessCacheChange(name, description, maxDataStorageGB, maxECPUPerSecond, ids, snapshotRetentionLimit, dailySnapshotTime);
  }

  public ServerlessCacheChange withSnapshots(Integer retention, String dailyTime) {
    return new ServerlessCacheChange(name, description, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, retention, dailyTime);
  }

  public ServerlessCacheChange withDescription(String text) {
    return new ServerlessCacheChange(name, text, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, snapshotRetentionLimit, dailySnapshotTime);
  }

  public boolean empty() {
    return description == null && maxDataStorageGB == null && maxECPUPerSecond == null && securityGroupIds == null
        && snapshotRetentionLimit == null && dailySnapshotTime == null;
  }
}
