package dev.operators.elasticache.aws;

/**
 * Where AWS calls go: an account (the role assumed there; none for the operator's own credentials)
 * and a region. The operator keeps one set of clients, one call budget and one fleet sweep per target.
 */
public record AwsTarget(String roleArn, String externalId, String region) {

  /** The operator's own account (its own credentials) in the given region. */
  public static AwsTarget own(String region) {
    return new AwsTarget(null, null, region);
  }

  public boolean own() {
    return roleArn == null;
  }

  /** The account id in the role's ARN (arn:aws:iam::123456789012:role/name), or null for the operator's own. */
  public String accountId() {
    if (roleArn == null) return null;
    String[] parts = roleArn.split(":");
    return parts.length > 4 ? parts[4] : null;
  }

  /** For logs and event source names: never the external id (a shared secret of sorts). */
  @Override
  public String toString() {
    return (own() ? "own account" : "account " + accountId() + " (" + roleArn + ")") + " in " + region;
  }
}
