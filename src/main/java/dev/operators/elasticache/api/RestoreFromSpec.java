package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Data to seed a new cache with, at creation only: for a replication group CreateReplicationGroup
 * SnapshotName / SnapshotArns; for a serverless cache CreateServerlessCache SnapshotArnsToRestore (the
 * serverless snapshot's ARN, or the S3 files' ARNs).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreFromSpec {
  @JsonPropertyDescription("Name of an ElastiCache snapshot in the same account and region (a manual backup, an automatic one, or the final snapshot of a deleted RedisCache). Its engine must be the same or redis into valkey, its engine version at most the cache's; a snapshot of a cluster-mode group needs the same number of shards. For a serverless cache (spec.serverless): the name of a serverless cache snapshot (for example the final snapshot of a deleted serverless RedisCache). The operator checks these before it asks AWS.")
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$")
  @Size(max = 255)
  private String snapshotName;

  @JsonPropertyDescription("Valkey/Redis OSS RDB files in S3, as ARNs arn:aws:s3:::bucket/key.rdb (no commas in the key). The bucket must be in the cache's region and grant ElastiCache read access to the files (AWS user guide: seeding a new cluster with an externally created backup); AWS's refusal shows as a Warning event and a Stalled condition. The cache keeps the shards of spec.shards whatever the number of files.")
  @Size(min = 1, max = 100)
  private List<@Pattern("^arn:aws[a-z-]*:s3:::[^/,]+/[^,]+$") @Size(max = 1100) String> rdbS3Arns;

  public String getSnapshotName() { return snapshotName; }
  public void setSnapshotName(String snapshotName) { this.snapshotName = snapshotName; }
  public List<String> getRdbS3Arns() { return rdbS3Arns; }
  public void setRdbS3Arns(List<String> rdbS3Arns) { this.rdbS3Arns = rdbS3Arns; }

}
