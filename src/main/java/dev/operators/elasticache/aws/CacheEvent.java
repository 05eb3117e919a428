package dev.operators.elasticache.aws;

import java.time.Instant;

/** An ElastiCache event as DescribeEvents reports it (e.g. a create that failed, and why). */
public record CacheEvent(String sourceId, String sourceType, String message, Instant date) {}
