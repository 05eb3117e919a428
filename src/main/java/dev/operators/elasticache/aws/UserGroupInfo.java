package dev.operators.elasticache.aws;

import java.util.List;

/**
 * An ElastiCache user group as DescribeUserGroups reports it: its members now, the members a
 * ModifyUserGroup in progress adds and removes (PendingChanges), and the replication groups using it.
 */
public record UserGroupInfo(
    String userGroupId,
    String status,
    String engine,
    List<String> userIds,
    List<String> pendingAdd,
    List<String> pendingRemove,
    List<String> replicationGroups,
    String arn) {

  public boolean active() { return "active".equals(status); }
}
