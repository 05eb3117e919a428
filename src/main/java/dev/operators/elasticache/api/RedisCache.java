package dev.operators.elasticache.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A production-ready AWS ElastiCache (Valkey or Redis OSS) replication group with an app-ready
 * connection Secret.
 */
@Group(RedisCache.GROUP)
@Version(RedisCache.VERSION)
// Short name: rcache only. "redis" is the kind (and plural) of other operators' resources (KubeDB's
// Redis, OT-Container-Kit's Redis) and a word users type meaning any of them; see the README.
@ShortNames({"rcache"})
// Columns in this order (CrdPostProcessor keeps it; the generator alone sorts them by JSON path).
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Engine", jsonPath = ".spec.engine", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.engineVersion", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Node Type", jsonPath = ".spec.nodeType", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Shards", jsonPath = ".spec.shards", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicasPerShard", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.endpoint", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class RedisCache extends CustomResource<RedisCacheSpec, RedisCacheStatus> implements Namespaced {
  public static final String GROUP = "elasticache.operators.dev";
  public static final String VERSION = "v1alpha1";
}
