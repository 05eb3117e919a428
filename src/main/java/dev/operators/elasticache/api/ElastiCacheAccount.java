package dev.operators.elasticache.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An AWS account and region RedisCaches may be created in, owned by a platform engineer
 * (cluster-scoped): the IAM role the operator assumes there, and which namespaces may use it. A
 * RedisCache names it in {@code spec.account}; without one, a cache lives in the operator's own
 * account and region.
 */
@Group(RedisCache.GROUP)
@Version(RedisCache.VERSION)
@AdditionalPrinterColumn(name = "Role", jsonPath = ".spec.roleArn", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Region", jsonPath = ".spec.region", type = AdditionalPrinterColumn.Type.STRING)
public class ElastiCacheAccount extends CustomResource<ElastiCacheAccountSpec, Void> {
}
