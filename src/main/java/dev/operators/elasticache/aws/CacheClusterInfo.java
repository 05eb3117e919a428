package dev.operators.elasticache.aws;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/** A member cache cluster as DescribeCacheClusters reports it (where AWS keeps engine version, windows, groups).
 * Built by name: {@link CacheClusterInfoBuilder}. */
@RecordBuilder
public record CacheClusterInfo(
    String id,
    String replicationGroupId,
    String status,
    String engineVersion,
    String cacheParameterGroupName,
    String cacheSubnetGroupName,
    List<String> securityGroupIds,
    String preferredMaintenanceWindow,
    String pendingCacheNodeType,
    String pendingEngineVersion) {}
