package dev.operators.elasticache.aws;

import java.util.List;

/**
 * An ElastiCache user group as DescribeUserGroups reports it: its members now, the members a
 * ModifyUserGroup in progress adds and removes (PendingChanges), and the replication groups and
 * serverless caches using it (AWS refuses to delete it while any does).
 */
public record UserGroupInfo(
    String userGroupId,
    String status,
    String engine,
    List<String> userIds,
    List<String> pendingAdd,
    List<String> pendingRemove,
    List<String> replicationGroups,
    String arn,
    List<String> serverlessCaches) {

  public UserGroupInfo {
    serverlessCaches = serverlessCaches == null ? List.of() : List.copyOf(serverlessCaches);
  }

  public UserGroupInfo(String userGroupId, String status, String engine, List<String> userIds, List<String> pendingAdd,
      List<String> pendingRemove, List<String> replicationGroups, String arn) {
    this(userGroupId, status, engine, userIds, pendingAdd, pendingRemove, replicationGroups, arn, List.of());
  }

  /** No replication group and no serverless cache uses it. */
  public boolean unused() { return replicationGroups.isEmpty() && serverlessCaches.isEmpty(); }

  public boolean active() { return "active".equals(status); }
}
