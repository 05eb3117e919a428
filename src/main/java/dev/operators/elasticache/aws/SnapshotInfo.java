package dev.operators.elasticache.aws;

/**
 * An ElastiCache snapshot as DescribeSnapshots reports it (data type Snapshot): what a restore into a
 * new replication group must fit. {@code numNodeGroups} is the source's shard count; {@code
 * clusterMode} whether the source ran in cluster mode (its parameter group had cluster-enabled yes,
 * or it had more than one shard). {@code arn}: what CreateServerlessCache SnapshotArnsToRestore takes to
 * restore this node-based snapshot into a serverless cache ({@code arn:aws:elasticache:<region>:<account>:snapshot:<name>}).
 */
public record SnapshotInfo(
    String name,
    String status,
    String engine,
    String engineVersion,
    String cacheNodeType,
    int numNodeGroups,
    boolean clusterMode,
    String replicationGroupId,
    String arn) {

  public SnapshotInfo(String name, String status, String engine, String engineVersion, String cacheNodeType, int numNodeGroups,
      boolean clusterMode, String replicationGroupId) {
    this(name, status, engine, engineVersion, cacheNodeType, numNodeGroups, clusterMode, replicationGroupId, null);
  }

  public boolean available() { return "available".equals(status); }
}
