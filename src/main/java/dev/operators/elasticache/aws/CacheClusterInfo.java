package dev.operators.elasticache.aws;

import java.util.List;

/** A member cache cluster as DescribeCacheClusters reports it (where AWS keeps engine version, windows, groups). */
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
