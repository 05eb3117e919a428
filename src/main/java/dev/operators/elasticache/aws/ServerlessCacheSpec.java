package dev.operators.elasticache.aws;

import java.util.List;
import java.util.Map;

/**
 * What CreateServerlessCache is asked for. A null limit, key, retention or time is left to AWS.
 * {@code snapshotArnsToRestore}: the data it starts with (a serverless snapshot's ARN, or RDB files
 * in S3), empty for none. {@code userGroupId}: the RBAC user group (spec.users), null for none: a
 * serverless cache without one takes connections without AUTH (see README "Serverless").
 */
public record ServerlessCacheSpec(
    String name,
    String description,
    String engine,
    String majorEngineVersion,
    Integer maxDataStorageGB,
    Integer maxECPUPerSecond,
    List<String> securityGroupIds,
    List<String> subnetIds,
    String kmsKeyId,
    Integer snapshotRetentionLimit,
    String dailySnapshotTime,
    Map<String, String> tags,
    List<String> snapshotArnsToRestore,
    String userGroupId) {

  /** A cache without a user group. */
  public ServerlessCacheSpec(String name, String description, String engine, String majorEngineVersion, Integer maxDataStorageGB,
      Integer maxECPUPerSecond, List<String> securityGroupIds, List<String> subnetIds, String kmsKeyId, Integer snapshotRetentionLimit,
      String dailySnapshotTime, Map<String, String> tags, List<String> snapshotArnsToRestore) {
    this(name, description, engine, majorEngineVersion, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, subnetIds, kmsKeyId,
        snapshotRetentionLimit, dailySnapshotTime, tags, snapshotArnsToRestore, null);
  }

  /** A cache created empty. */
  public ServerlessCacheSpec(String name, String description, String engine, String majorEngineVersion, Integer maxDataStorageGB,
      Integer maxECPUPerSecond, List<String> securityGroupIds, List<String> subnetIds, String kmsKeyId, Integer snapshotRetentionLimit,
      String dailySnapshotTime, Map<String, String> tags) {
    this(name, description, engine, majorEngineVersion, maxDataStorageGB, maxECPUPerSecond, securityGroupIds, subnetIds, kmsKeyId,
        snapshotRetentionLimit, dailySnapshotTime, tags, List.of(), null);
  }
}
