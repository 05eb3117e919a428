package dev.operators.elasticache.aws;

import java.util.List;

/**
 * An ElastiCache RBAC user as DescribeUsers reports it (never its passwords).
 * {@code authenticationType}: password, iam or no-password (AWS's Authentication.Type values).
 */
public record UserInfo(
    String userId,
    String userName,
    String status,
    String engine,
    String accessString,
    String authenticationType,
    int passwordCount,
    List<String> userGroupIds,
    String arn) {

  public boolean active() { return "active".equals(status); }
}
