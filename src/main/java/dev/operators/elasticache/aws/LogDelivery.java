package dev.operators.elasticache.aws;

/** One log delivery configuration of a replication group: slow-log or engine-log to a CloudWatch Logs group. */
public record LogDelivery(String logType, String logGroup, String format, boolean enabled) {
  public static final String SLOW = "slow-log";
  public static final String ENGINE = "engine-log";
}
