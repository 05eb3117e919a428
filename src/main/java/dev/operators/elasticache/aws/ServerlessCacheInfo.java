package dev.operators.elasticache.aws;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * A serverless cache as DescribeServerlessCaches reports it (data type ServerlessCache). The
 * endpoints are null while it is being created; limits are null when none is set; {@code userGroupId}
 * the RBAC user group it uses (null: none, no access control).
 */
@RecordBuilder
public record ServerlessCacheInfo(
    String name,
    String arn,
    String status,
    String engine,
    String majorEngineVersion,
    String fullEngineVersion,
    Integer maxDataStorageGB,
    Integer maxECPUPerSecond,
    List<String> securityGroupIds,
    List<String> subnetIds,
    String kmsKeyId,
    int snapshotRetentionLimit,
    String dailySnapshotTime,
    String description,
    Endpoint endpoint,
    Endpoint readerEndpoint,
    String userGroupId) implements ServerlessCacheInfoBuilder.With {

  public ServerlessCacheInfo {
    securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
    subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
  }

  public boolean available() { return "available".equals(status); }
}
