package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AtRestEncryptionSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data tiering, network type with IPv6 ingress, and the customer managed KMS key checked before create. */
class NodeFeaturesComponentTest {

  @Test
  void r6gdCacheIsCreatedWithDataTiering() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "tiered");
    rc.getSpec().setNodeType("cache.r6gd.xlarge");
    rc.getSpec().setDataTiering(true);
    h.reconcileUntilReady(rc, 20);
    ReplicationGroupSpec s = h.aws.groups.values().iterator().next().spec;
    assertThat(s.dataTiering()).isTrue();
    assertThat(s.cacheNodeType()).isEqualTo("cache.r6gd.xlarge");
  }

  @Test
  void r6gdWithoutDataTieringStallsBeforeAnyAwsCall() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "tiered");
    rc.getSpec().setNodeType("cache.r6gd.xlarge");
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage()).startsWith("spec.dataTiering: ");
    assertThat(h.aws.calls).isEmpty();
  }

  @Test
  void durableCacheIsCreatedWithDurabilityAndSwitchedOnTheRunningGroup() {
    Harness h = new Harness();
    RedisCache rc = dev.operators.elasticache.decide.NodeFeaturesTest.durable(dev.operators.elasticache.api.Durability.Sync);
    h.reconcileUntilReady(rc, 20);
    ReplicationGroupSpec s = h.aws.groups.values().iterator().next().spec;
    assertThat(List.of(s.durability(), s.engineVersion(), String.valueOf(s.clusterMode()))).containsExactly("sync", "9.0", "true");
    assertThat(List.of(rc.getStatus().getDurability(), rc.getStatus().getStorageEncryption())).containsExactly("sync", "sse-elasticache");

    rc.getSpec().setDurability(dev.operators.elasticache.api.Durability.Async);
    rc.getMetadata().setGeneration(2L);
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.groups.values().iterator().next().spec.durability()).isEqualTo("async");
    assertThat(rc.getStatus().getDurability()).isEqualTo("async");
    rc.getSpec().setDurability(null);
    rc.getMetadata().setGeneration(3L);
    h.reconcileUntilReady(rc, 20);
    assertThat(rc.getStatus().getDurability()).isEqualTo("disabled");
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(2);
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isEqualTo(1);
  }

  @Test
  void durabilityOnValkey8StallsBeforeAnyAwsCall() {
    Harness h = new Harness();
    RedisCache rc = dev.operators.elasticache.decide.NodeFeaturesTest.durable(dev.operators.elasticache.api.Durability.Sync);
    rc.getSpec().setEngineVersion("8.2");
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage()).startsWith("spec.durability: durability Sync needs valkey 9.0 or later");
    assertThat(h.aws.calls).isEmpty();
  }

  @Test
  void dualStackCacheGetsItsNetworkTypeAndAnIpv6IngressRule() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "v6");
    rc.getSpec().getNetwork().setSubnetIds(List.of(FakeAws.DUAL_STACK_SUBNET_A, FakeAws.DUAL_STACK_SUBNET_B));
    rc.getSpec().getNetwork().setNetworkType("dual_stack");
    rc.getSpec().getNetwork().setAllowedCidrBlocks(List.of("10.0.0.0/16", "2001:db8:1234::/56"));
    h.reconcileUntilReady(rc, 20);
    ReplicationGroupSpec s = h.aws.groups.values().iterator().next().spec;
    assertThat(List.of(s.networkType(), s.ipDiscovery())).containsExactly("dual_stack", "ipv4");
    assertThat(h.aws.securityGroups.get(s.securityGroupIds().get(0)).ingress())
        .containsExactlyInAnyOrder(IngressRule.fromCidr(6379, "10.0.0.0/16"), IngressRule.fromCidr(6379, "2001:db8:1234::/56"));
  }

  @Test
  void ipDiscoveryIsChangedInPlaceOnADualStackCache() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "v6");
    rc.getSpec().getNetwork().setSubnetIds(List.of(FakeAws.DUAL_STACK_SUBNET_A, FakeAws.DUAL_STACK_SUBNET_B));
    rc.getSpec().getNetwork().setNetworkType("dual_stack");
    h.reconcileUntilReady(rc, 20);
    rc.getSpec().getNetwork().setIpDiscovery("ipv6");
    rc.getMetadata().setGeneration(2L);
    h.reconcileUntilReady(rc, 20);
    ReplicationGroupSpec s = h.aws.groups.values().iterator().next().spec;
    assertThat(s.ipDiscovery()).isEqualTo("ipv6");
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(1);
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isEqualTo(1);
  }

  @Test
  void dualStackOnIpv4OnlySubnetsStallsNamingTheSubnetsAndCreatesNoGroup() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "v6");
    rc.getSpec().getNetwork().setNetworkType("dual_stack");
    for (int i = 0; i < 5 && Harness.condition(rc, "Stalled").isEmpty(); i++) h.reconcile(rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("SubnetsDoNotFitNetworkType");
    assertThat(stalled.getMessage()).startsWith("spec.network.subnetIds: ").contains("[ipv4]", "dual_stack");
    assertThat(h.aws.calls).doesNotContain("elasticache:CreateReplicationGroup");
  }

  @Test
  void customerManagedKeyIsCheckedAndADisabledOneStallsWithItsState() {
    Harness h = new Harness();
    String key = h.aws.createKmsKey();
    h.aws.disableKmsKey(key);
    RedisCache rc = Harness.cache("shop", "encrypted");
    AtRestEncryptionSpec enc = new AtRestEncryptionSpec();
    enc.setKmsKeyId(key);
    rc.getSpec().setAtRestEncryption(enc);
    for (int i = 0; i < 5 && Harness.condition(rc, "Stalled").isEmpty(); i++) h.reconcile(rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("KmsKeyNotUsable");
    assertThat(stalled.getMessage()).isEqualTo("spec.atRestEncryption.kmsKeyId: KMS key " + key
        + " is Disabled; ElastiCache needs an Enabled key: enable it or name another");
    assertThat(h.aws.calls).contains("kms:DescribeKey").doesNotContain("elasticache:CreateReplicationGroup");

    // enabled again: the next look creates the cache with the key
    h.aws.kmsKeys.put(key, new FakeAws.KeyInfo(h.aws.kmsKeys.get(key).arn(), "Enabled", "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT"));
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.groups.values().iterator().next().spec.kmsKeyId()).isEqualTo(key);
  }

  @Test
  void anUnknownKeyStallsAndTheKeyIsNotLookedAtOnceTheGroupExists() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "encrypted");
    AtRestEncryptionSpec enc = new AtRestEncryptionSpec();
    enc.setKmsKeyId("alias/missing");
    rc.getSpec().setAtRestEncryption(enc);
    for (int i = 0; i < 5 && Harness.condition(rc, "Stalled").isEmpty(); i++) h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage())
        .isEqualTo("spec.atRestEncryption.kmsKeyId: KMS key alias/missing does not exist in this account and region");

    String key = h.aws.createKmsKey();
    enc.setKmsKeyId(key);
    rc.getMetadata().setGeneration(rc.getMetadata().getGeneration() + 1);
    h.reconcileUntilReady(rc, 20);
    long looks = h.aws.count("kms:DescribeKey");
    h.reconcile(rc);
    h.reconcile(rc);
    assertThat(h.aws.count("kms:DescribeKey")).as("no DescribeKey once the group exists").isEqualTo(looks);
  }
}
