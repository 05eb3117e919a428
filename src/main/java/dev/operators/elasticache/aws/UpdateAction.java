package dev.operators.elasticache.aws;

import java.time.Instant;

/**
 * A service update's action on one replication group, as DescribeUpdateActions reports it (API
 * reference, data type UpdateAction): the update's name, severity (critical, important, medium,
 * low), type (security-update), release and recommended apply-by dates, and the action's status
 * on this group (not-applied, waiting-to-start, in-progress, stopping, stopped, complete,
 * scheduling, scheduled, not-applicable).
 */
public record UpdateAction(String replicationGroupId, String serviceUpdateName, String severity, String type,
    Instant releaseDate, Instant recommendedApplyByDate, String status) {

  public UpdateAction withStatus(String newStatus) {
    return new UpdateAction(replicationGroupId, serviceUpdateName, severity, type, releaseDate, recommendedApplyByDate, newStatus);
  }
}
