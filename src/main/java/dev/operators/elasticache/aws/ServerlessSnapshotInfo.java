package dev.operators.elasticache.aws;

/**
 * A serverless cache snapshot as DescribeServerlessCacheSnapshots reports it (data type
 * ServerlessCacheSnapshot): its ARN (what CreateServerlessCache SnapshotArnsToRestore takes), status,
 * and the engine and major version of the cache it was taken of.
 */
public record ServerlessSnapshotInfo(String name, String arn, String status, String engine, String majorEngineVersion, String serverlessCacheName) {
  public boolean available() { return "available".equals(status); }
}
