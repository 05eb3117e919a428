package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AtRestEncryptionSpec;
import dev.operators.elasticache.api.Durability;
import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.api.NetworkSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.KmsPort.KeyInfo;
import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.SubnetGroupInfo;
import dev.operators.elasticache.fake.Harness;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decisions behind dataTiering, network.networkType/ipDiscovery and the KMS key check. */
public class NodeFeaturesTest {

  private static List<String> fields(RedisCache rc) {
    return SpecValidation.validate(rc.getSpec(), DecisionsTest.AWS).stream().map(p -> p.field() + ": " + p.message()).toList();
  }

  @Test
  void dataTieringGoesWithR6gdAndOnlyWithIt() {
    assertThat(NodeFeatures.dataTiering("cache.r6gd.xlarge")).isTrue();
    assertThat(NodeFeatures.dataTiering("cache.r6g.xlarge")).isFalse();
    RedisCache rc = Harness.cache("ns", "c");
    rc.getSpec().setNodeType("cache.r6gd.xlarge");
    assertThat(fields(rc)).containsExactly("spec.dataTiering: nodeType cache.r6gd.xlarge is an r6gd type, which AWS runs only with data tiering: set dataTiering: true");
    rc.getSpec().setDataTiering(true);
    assertThat(fields(rc)).isEmpty();
    rc.getSpec().setNodeType("cache.r7g.large");
    assertThat(fields(rc)).containsExactly("spec.dataTiering: AWS offers data tiering only on r6gd node types; use a cache.r6gd.* nodeType or set dataTiering: false");
  }

  /** A spec that meets durability's preconditions: valkey 9.0, 2 shards with a replica, Multi-AZ, TLS, an r7g node. */
  public static RedisCache durable(Durability mode) {
    RedisCache rc = Harness.cache("ns", "c");
    rc.getSpec().setEngineVersion("9.0");
    rc.getSpec().setNodeType("cache.r7g.large");
    rc.getSpec().setShards(2);
    rc.getSpec().setReplicasPerShard(1);
    rc.getSpec().setMultiAZ(true);
    rc.getSpec().setTls(true);
    rc.getSpec().setDurability(mode);
    return rc;
  }

  @Test
  void durabilityNeedsValkey9ClusterModeMultiAzTlsEncryptionAtRestAndADurableFamily() {
    assertThat(NodeFeatures.durability("cache.r7g.large")).isTrue();
    assertThat(NodeFeatures.durability("cache.c7gn.large")).isTrue();
    assertThat(NodeFeatures.durability("cache.t4g.micro")).isFalse();
    assertThat(NodeFeatures.durabilityEngine(Engine.VALKEY, "9.0")).isTrue();
    assertThat(NodeFeatures.durabilityEngine(Engine.VALKEY, "10.1")).isTrue();
    assertThat(NodeFeatures.durabilityEngine(Engine.VALKEY, "8.2")).isFalse();
    assertThat(NodeFeatures.durabilityEngine(Engine.REDIS, "7.1")).isFalse();
    assertThat(fields(durable(Durability.Sync))).isEmpty();

    RedisCache rc = durable(Durability.Async);
    rc.getSpec().setEngineVersion("8.2");
    rc.getSpec().setShards(1);
    rc.getSpec().setMultiAZ(false);
    rc.getSpec().setTls(false);
    rc.getSpec().setAuth(new dev.operators.elasticache.api.AuthSpec());
    rc.getSpec().getAuth().setEnabled(false);
    rc.getSpec().setAtRestEncryption(new AtRestEncryptionSpec());
    rc.getSpec().getAtRestEncryption().setEnabled(false);
    rc.getSpec().setNodeType("cache.t4g.small");
    assertThat(fields(rc)).containsExactly(
        "spec.durability: durability Async needs valkey 9.0 or later; valkey 8.2 has none: set engine: valkey and engineVersion \"9.0\" or higher",
        "spec.durability: durability Async needs cluster mode: set shards to 2 or more",
        "spec.durability: durability Async needs multiAZ: true and replicasPerShard >= 1",
        "spec.durability: durability Async needs tls: true",
        "spec.durability: durability Async turns encryption at rest on: remove atRestEncryption.enabled: false",
        "spec.durability: durability Async needs a node type of the r8g, r7g, r6g, m8g, m7g, m6g, c8gn or c7gn family; cache.t4g.small is not");
    RedisCache tiered = durable(Durability.Sync);
    tiered.getSpec().setNodeType("cache.r6gd.xlarge");
    tiered.getSpec().setDataTiering(true);
    assertThat(fields(tiered)).containsExactly("spec.durability: durability Sync cannot be combined with dataTiering");
  }

  @Test
  void durabilityIsSentAtCreateAndSwitchedAloneInTheRightOrder() {
    Desired sync = Desired.of(durable(Durability.Sync), "test", DecisionsTest.AWS);
    assertThat(sync.replicationGroupSpec("sg-1").durability()).isEqualTo("sync");
    Desired off = Desired.of(durable(null), "test", DecisionsTest.AWS);
    assertThat(off.replicationGroupSpec("sg-1").durability()).as("absent: not sent, AWS's default is off").isNull();

    var running = DecisionsTest.group(true, null, null, null).withNumNodeGroups(2).withMultiAZ(true).withCacheNodeType("cache.r7g.large")
        .withEngine("valkey").withNodeGroupIds(List.of("0001", "0002"));
    assertThat(ReplicationGroupChanges.plan(sync, new ObservedGroup(running.withDurability("async"), null), "sg-1"))
        .extracting(Change::summary).containsExactly("durability async -> sync");
    var change = (Change.Modify) ReplicationGroupChanges.plan(sync, new ObservedGroup(running.withDurability("disabled"), null), "sg-1").get(0);
    assertThat(change.request()).isEqualTo(ModifyRequest.of("rg", true).withDurability("sync"));
    assertThat(ReplicationGroupChanges.plan(sync, new ObservedGroup(running.withDurability("sync"), null), "sg-1")).isEmpty();
    assertThat(ReplicationGroupChanges.plan(off, new ObservedGroup(running.withDurability("disabled"), null), "sg-1")).isEmpty();
    assertThat(ReplicationGroupChanges.plan(sync, new ObservedGroup(running, null), "sg-1")).as("AWS does not report durability").isEmpty();

    // durability goes off before Multi-AZ does (AWS keeps durability only with Multi-AZ)
    RedisCache single = durable(null);
    single.getSpec().setMultiAZ(false);
    Desired plain = Desired.of(single, "test", DecisionsTest.AWS);
    assertThat(ReplicationGroupChanges.plan(plain, new ObservedGroup(running.withDurability("sync"), null), "sg-1"))
        .extracting(Change::summary).containsExactly("durability sync -> disabled", "multiAZ on -> off");
  }

  @Test
  void ipv6NeedsANewEnoughEngineANitroNodeAndFittingDiscovery() {
    assertThat(NodeFeatures.ipv6Engine(Engine.REDIS, "6.2")).isTrue();
    assertThat(NodeFeatures.ipv6Engine(Engine.REDIS, "6.0")).isFalse();
    assertThat(NodeFeatures.ipv6Engine(Engine.VALKEY, "7.2")).isTrue();
    assertThat(NodeFeatures.nitro("cache.t4g.micro")).isTrue();
    assertThat(NodeFeatures.nitro("cache.m4.large")).isFalse();
    assertThat(NodeFeatures.nitro("cache.t2.micro")).isFalse();

    RedisCache rc = Harness.cache("ns", "c");
    NetworkSpec n = rc.getSpec().getNetwork();
    n.setNetworkType("dual_stack");
    assertThat(fields(rc)).isEmpty();
    rc.getSpec().setEngine(Engine.REDIS);
    rc.getSpec().setEngineVersion("6.0");
    rc.getSpec().setNodeType("cache.m4.large");
    assertThat(fields(rc)).containsExactly(
        "spec.network.networkType: dual_stack needs valkey 7.2+ or redis 6.2+; redis 6.0 is IPv4 only",
        "spec.network.networkType: dual_stack needs a node type built on the Nitro system; cache.m4.large is not");

    RedisCache v4 = Harness.cache("ns", "c");
    v4.getSpec().getNetwork().setIpDiscovery("ipv6");
    v4.getSpec().getNetwork().setAllowedCidrBlocks(List.of("2001:db8::/32"));
    assertThat(fields(v4)).containsExactly("spec.network.ipDiscovery: ipv6 needs networkType ipv6 or dual_stack",
        "spec.network.allowedCidrBlocks: IPv6 ranges need networkType ipv6 or dual_stack (an ipv4 cache has no IPv6 address)");
    RedisCache v6 = Harness.cache("ns", "c");
    v6.getSpec().getNetwork().setNetworkType("ipv6");
    v6.getSpec().getNetwork().setIpDiscovery("ipv4");
    assertThat(fields(v6)).containsExactly("spec.network.ipDiscovery: an ipv6-only cache has no IPv4 addresses to advertise; use ipv6 (or leave it out)");
  }

  @Test
  void ipDiscoveryIsSentOnlyWithANetworkTypeAndDefaultsToItsFamily() {
    RedisCache rc = Harness.cache("ns", "c");
    Desired plain = Desired.of(rc, "test", DecisionsTest.AWS);
    assertThat(plain.replicationGroupSpec("sg-1").networkType()).isNull();
    assertThat(plain.replicationGroupSpec("sg-1").ipDiscovery()).isNull();
    rc.getSpec().getNetwork().setNetworkType("ipv6");
    assertThat(Desired.of(rc, "test", DecisionsTest.AWS).replicationGroupSpec("sg-1").ipDiscovery()).isEqualTo("ipv6");
    rc.getSpec().getNetwork().setNetworkType("dual_stack");
    assertThat(Desired.of(rc, "test", DecisionsTest.AWS).replicationGroupSpec("sg-1").ipDiscovery()).isEqualTo("ipv4");
    rc.getSpec().getNetwork().setIpDiscovery("ipv6");
    var spec = Desired.of(rc, "test", DecisionsTest.AWS).replicationGroupSpec("sg-1");
    assertThat(List.of(spec.networkType(), spec.ipDiscovery())).containsExactly("dual_stack", "ipv6");
  }

  @Test
  void ipv6RangesAreTold() {
    assertThat(IngressRule.fromCidr(6379, "2001:db8::/32").ipv6()).isTrue();
    assertThat(IngressRule.fromCidr(6379, "10.0.0.0/8").ipv6()).isFalse();
    assertThat(IngressRule.fromGroup(6379, "sg-1").ipv6()).isFalse();
  }

  @Test
  void kmsKeyMustExistBeEnabledAndSymmetric() {
    String f = "spec.atRestEncryption.kmsKeyId";
    assertThat(CreateChecks.kmsKey("k", Optional.of(new KeyInfo("arn", "Enabled", "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT")))).isEmpty();
    assertThat(CreateChecks.kmsKey("k", Optional.empty())).extracting(Problem::field).containsExactly(f);
    assertThat(CreateChecks.kmsKey("k", Optional.of(new KeyInfo("arn", "PendingDeletion", "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT"))))
        .extracting(Problem::message).containsExactly("KMS key k is PendingDeletion; ElastiCache needs an Enabled key: enable it or name another");
    assertThat(CreateChecks.kmsKey("k", Optional.of(new KeyInfo("arn", "Enabled", "SIGN_VERIFY", "RSA_2048"))))
        .extracting(Problem::message).containsExactly("KMS key k is RSA_2048 for SIGN_VERIFY; ElastiCache encrypts only with a symmetric key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)");
  }

  @Test
  void subnetGroupMustSupportTheNetworkType() {
    RedisCache rc = Harness.cache("ns", "c");
    rc.getSpec().getNetwork().setNetworkType("dual_stack");
    Desired d = Desired.of(rc, "test", DecisionsTest.AWS);
    SubnetGroupInfo v4 = new SubnetGroupInfo("g", "vpc", List.of("s"), "arn", List.of("ipv4"));
    SubnetGroupInfo dual = new SubnetGroupInfo("g", "vpc", List.of("s"), "arn", List.of("ipv4", "dual_stack"));
    assertThat(CreateChecks.networkType(d, Optional.of(dual))).isEmpty();
    assertThat(CreateChecks.networkType(d, Optional.of(v4))).extracting(Problem::field).containsExactly("spec.network.subnetIds");
    rc.getSpec().getNetwork().setNetworkType("ipv6");
    assertThat(CreateChecks.networkType(Desired.of(rc, "test", DecisionsTest.AWS), Optional.of(dual))).extracting(Problem::message)
        .containsExactly("cache subnet group " + d.subnetGroupName() + " supports [ipv4, dual_stack], not networkType ipv6: use IPv6-only subnets");
  }
}
