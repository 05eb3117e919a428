package dev.operators.elasticache.aws;

/**
 * One engine version ElastiCache offers (DescribeCacheEngineVersions' CacheEngineVersion): the
 * engine (valkey, redis), the version as AWS lists it (e.g. 9.1, 7.1, 5.0.6) and the cache parameter
 * group family a group for it must have (valkey9, redis7, redis5.0, ...).
 */
public record EngineVersionInfo(String engine, String version, String family) {}
