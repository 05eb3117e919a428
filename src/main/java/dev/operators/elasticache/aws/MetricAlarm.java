package dev.operators.elasticache.aws;

import java.util.List;

/** A CloudWatch metric alarm on one ElastiCache node (dimension CacheClusterId). */
public record MetricAlarm(String name, String metric, String statistic, double threshold, String cacheClusterId,
    int periodSeconds, int evaluationPeriods, List<String> actions) {
  public static final String NAMESPACE = "AWS/ElastiCache";
  public static final String COMPARISON = "GreaterThanThreshold";
}
