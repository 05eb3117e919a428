package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AuthSpec;
import dev.operators.elasticache.api.ConnectionSecretSpec;
import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The reconciler through whole lifecycles, against a stateful fake of AWS that moves through states over time. */
class ReconcilerComponentTest {

  @Test
  void createsEverythingInOrderAndEndsReadyWithAnAppReadySecret() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "sessions");
    rc.getSpec().setReplicasPerShard(1);
    rc.getSpec().setMultiAZ(true);
    rc.getSpec().setParameters(Map.of("maxmemory-policy", "allkeys-lru"));
    rc.getSpec().getNetwork().setAllowedSecurityGroupIds(List.of("sg-0123456789abcdef0"));

    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Reconciling").orElseThrow().getReason()).isEqualTo("Creating");
    assertThat(Harness.ready(rc)).isFalse();
    assertThat(h.aws.calls).containsSubsequence("ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress",
        "elasticache:CreateCacheSubnetGroup", "elasticache:CreateCacheParameterGroup", "secretsmanager:CreateSecret",
        "elasticache:CreateReplicationGroup");

    h.reconcileUntilReady(rc, 20);

    assertThat(h.aws.groups).hasSize(1);
    FakeAws.Group g = h.aws.groups.values().iterator().next();
    ReplicationGroupSpec s = g.spec;
    assertThat(s.engine()).isEqualTo("valkey");
    assertThat(s.engineVersion()).isEqualTo("8.0");
    assertThat(s.automaticFailover()).isTrue();
    assertThat(s.multiAZ()).isTrue();
    assertThat(s.transitEncryption()).isTrue();
    assertThat(s.atRestEncryption()).isTrue();
    assertThat(s.cacheParameterGroupName()).endsWith("-valkey8");
    assertThat(h.aws.parameters.get(s.cacheParameterGroupName())).containsEntry("maxmemory-policy", "allkeys-lru");
    SecurityGroupInfo sg = h.aws.securityGroups.get(s.securityGroupIds().get(0));
    assertThat(sg.ingress()).containsExactlyInAnyOrder(IngressRule.fromCidr(6379, "10.0.0.0/16"),
        IngressRule.fromGroup(6379, "sg-0123456789abcdef0"));
    assertThat(g.tags).containsEntry("elasticache.operators.dev/uid", rc.getMetadata().getUid())
        .containsEntry("elasticache.operators.dev/namespace", "shop").containsEntry("elasticache.operators.dev/name", "sessions");

    Map<String, String> data = h.secretData(rc);
    String token = data.get("password");
    assertThat(token).isEqualTo(s.authToken()).isEqualTo(h.aws.secrets.values().iterator().next().value());
    assertThat(data).containsEntry("port", "6379").containsEntry("tls", "true").containsEntry("clusterMode", "false")
        .containsEntry("host", "master." + s.replicationGroupId() + ".abc123.use1.cache.amazonaws.com")
        .containsEntry("readerHost", "replica." + s.replicationGroupId() + ".abc123.use1.cache.amazonaws.com")
        .containsEntry("url", "rediss://:" + token + "@master." + s.replicationGroupId() + ".abc123.use1.cache.amazonaws.com:6379");
    assertThat(h.secretOf(rc).orElseThrow().getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(rc.getMetadata().getUid());

    // The Service Binding Provisioned Service duck type: status.binding.name names the complete Secret.
    assertThat(rc.getStatus().getBinding().getName()).isEqualTo("sessions-redis").isEqualTo(h.secretOf(rc).orElseThrow().getMetadata().getName());
    assertThat(data).containsEntry("type", "redis").containsEntry("provider", "aws-elasticache").containsEntry("ssl", "true")
        .containsEntry("pythonUrl", data.get("url") + "?ssl_cert_reqs=required");
    assertThat(rc.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(rc.getStatus().getEngineVersion()).isEqualTo("8.0.1");
    assertThat(rc.getStatus().getMembers()).isEqualTo(2);
    assertThat(rc.getStatus().getEstimatedMonthlyCostUSD()).isEqualTo("18.69"); // 0.016 * 0.8 * 730 * 2
    assertThat(rc.getStatus().getReplicationGroupArn()).isEqualTo(g.arn);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(h.kube.events).extracting(Harness.Recorded::reason)
        .contains("SecurityGroupCreated", "SubnetGroupCreated", "ParameterGroupCreated", "AuthTokenStored", "CreatingReplicationGroup", "Ready");
    assertThat(h.kube.events).noneMatch(e -> e.message().contains(token));
    assertThat(rc.getStatus().toString() + rc.getStatus().getConditions()).doesNotContain(token);
  }

  @Test
  void tokenIsStoredInSecretsManagerAndTheSecretBeforeTheGroupIsCreated() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "carts");
    AtomicReference<String> secretAtCreate = new AtomicReference<>();
    AtomicReference<String> managerAtCreate = new AtomicReference<>();
    h.aws.beforeCreate = spec -> {
      secretAtCreate.set(h.secretOf(rc).map(sec -> dev.operators.elasticache.resources.ConnectionSecrets.decoded(sec).get("password")).orElse(null));
      managerAtCreate.set(h.aws.secrets.values().stream().findFirst().map(x -> x.value()).orElse(null));
    };
    h.reconcile(rc);
    String sent = h.aws.groups.values().iterator().next().spec.authToken();
    assertThat(sent).isNotNull().hasSize(64);
    assertThat(secretAtCreate.get()).isEqualTo(sent);
    assertThat(managerAtCreate.get()).isEqualTo(sent);
    // The Secret has no host yet: no binding is offered to workloads until it is complete.
    assertThat(rc.getStatus().getBinding()).isNull();
  }

  @Test
  void restartsAtEveryStepCreateNoDuplicateAndKeepTheToken() {
    FakeAws aws = new FakeAws();
    Harness.Kube kube = new Harness.Kube();
    RedisCache rc = Harness.cache("shop", "orders");
    // Crash right after the token is stored: CreateReplicationGroup fails once.
    aws.failNext("elasticache:CreateReplicationGroup", 1);
    new Harness(aws, kube).reconcile(rc);
    assertThat(aws.groups).isEmpty();
    String stored = aws.secrets.values().iterator().next().value();

    // A fresh process (empty fleet) each step.
    for (int i = 0; i < 15 && !Harness.ready(rc); i++) {
      Harness h = new Harness(aws, kube);
      if (i % 2 == 1) h.sweep();
      h.reconcile(rc);
      aws.clock.advance(Duration.ofMinutes(2));
    }
    Harness last = new Harness(aws, kube);
    last.sweep();
    last.reconcileUntilReady(rc, 5);
    assertThat(aws.groups).hasSize(1);
    assertThat(aws.count("elasticache:CreateReplicationGroup")).isGreaterThanOrEqualTo(2);
    assertThat(aws.securityGroups).hasSize(1);
    assertThat(aws.subnetGroups).hasSize(1);
    assertThat(aws.secrets).hasSize(1);
    assertThat(aws.groups.values().iterator().next().spec.authToken()).isEqualTo(stored);
    assertThat(last.secretData(rc).get("password")).isEqualTo(stored);
  }

  @Test
  void aReconcileCutShortAfterItMadeTheSecurityGroupDoesNotDescribeItAgain() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "cut");
    h.aws.failNext("elasticache:CreateCacheSubnetGroup", 3); // cut short after the security group, as the call budget does
    h.reconcile(rc);
    assertThat(rc.getStatus().getSecurityGroupId()).isNotNull();
    h.aws.calls.clear();
    h.reconcile(rc);
    // This process made the group since the last listing: what it made stands in for a describe.
    assertThat(h.aws.calls).doesNotContain("ec2:DescribeSecurityGroups", "ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress")
        .contains("elasticache:CreateCacheSubnetGroup");
    // A new process knows nothing it made, and this generation was never prepared: it asks EC2 once.
    Harness after = h.restart();
    h.aws.calls.clear();
    after.reconcile(rc);
    assertThat(h.aws.count("ec2:DescribeSecurityGroups")).isEqualTo(1);
    assertThat(h.aws.securityGroups).hasSize(1);
  }

  @Test
  void aReconcileCutShortRightAfterCreatingTheSecurityGroupDoesNotCreateItAgain() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "halfway");
    h.aws.failNext("ec2:AuthorizeSecurityGroupIngress", 1); // the group is made, its rule not yet (throttled, budget, 5xx)
    h.reconcile(rc);
    assertThat(h.aws.securityGroups).hasSize(1);
    h.aws.calls.clear();
    h.reconcile(rc);
    // What this process made stands in for the listing: no second CreateSecurityGroup (AlreadyExists) and no describe.
    assertThat(h.aws.calls).doesNotContain("ec2:CreateSecurityGroup", "ec2:DescribeSecurityGroups").contains("ec2:AuthorizeSecurityGroupIngress");
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.securityGroups).hasSize(1);
  }

  @Test
  void throttlingBacksOffAndStillEndsReadyWithoutDuplicates() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "throttled");
    h.aws.throttleNext(3);
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Reconciling").orElseThrow().getReason()).isEqualTo("Throttled");
    long first = h.lastControl.getScheduleDelay().orElseThrow();
    h.reconcile(rc);
    long second = h.lastControl.getScheduleDelay().orElseThrow();
    assertThat(second).isGreaterThan(first);
    assertThat(h.kube.events).anyMatch(e -> e.type().equals("Warning") && e.message().contains("Rate exceeded"));
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.groups).hasSize(1);
    assertThat(h.aws.securityGroups).hasSize(1);
  }

  @Test
  void invalidSpecIsStalledNamingTheFieldAndNothingIsCalledInAws() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "bad");
    rc.getSpec().setMultiAZ(true);
    rc.getSpec().setEngineVersion("6.2");
    h.reconcile(rc);
    assertThat(h.aws.calls).isEmpty();
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("InvalidSpec");
    assertThat(stalled.getMessage()).contains("spec.multiAZ").contains("spec.engineVersion").contains("AWS offers [7.2, 8.0, 8.1, 8.2, 9.0, 9.1]");
    assertThat(Harness.condition(rc, "Ready").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(h.kube.events).filteredOn(e -> e.reason().equals("InvalidSpec")).hasSize(1);
    h.reconcile(rc);
    assertThat(h.kube.events).filteredOn(e -> e.reason().equals("InvalidSpec")).hasSize(1);
  }

  @Test
  void awsRefusalIsAStallWithAwsOwnMessage() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "params");
    rc.getSpec().setParameters(Map.of("no-such-parameter", "1"));
    h.reconcile(rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getMessage()).contains("Parameter no-such-parameter doesn't exist");
    assertThat(h.aws.groups).isEmpty();
  }

  @Test
  void unchangedOutcomeWritesNoStatusAndKeepsTransitionTimes() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "steady"), 20);
    String readySince = Harness.condition(rc, "Ready").orElseThrow().getLastTransitionTime();
    int patches = h.kube.statusPatches;
    h.aws.clock.advance(Duration.ofHours(1));
    h.reconcile(rc);
    h.reconcile(rc);
    assertThat(h.kube.statusPatches).isEqualTo(patches);
    assertThat(Harness.condition(rc, "Ready").orElseThrow().getLastTransitionTime()).isEqualTo(readySince);
  }

  @Test
  void staleIngressRulesAreRevoked() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "rules"), 20);
    String sgId = rc.getStatus().getSecurityGroupId();
    h.aws.authorizeIngress(sgId, List.of(IngressRule.fromCidr(6379, "0.0.0.0/0")));
    rc.getSpec().getNetwork().setAllowedCidrBlocks(List.of("10.1.0.0/16"));
    rc.getMetadata().setGeneration(2L);
    h.reconcile(rc);
    assertThat(h.aws.securityGroups.get(sgId).ingress()).containsExactly(IngressRule.fromCidr(6379, "10.1.0.0/16"));
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("IngressRevoked") && e.message().contains("0.0.0.0/0"));
  }

  @Test
  void aRuleAddedBehindTheOperatorsBackIsRevokedAfterTheNextSweep() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "sgdrift"), 20);
    h.reconcile(rc);
    String sgId = rc.getStatus().getSecurityGroupId();
    h.aws.authorizeIngress(sgId, List.of(IngressRule.fromCidr(6379, "0.0.0.0/0")));
    h.sweep();
    h.aws.calls.clear();
    h.reconcile(rc);
    assertThat(h.aws.securityGroups.get(sgId).ingress()).containsExactly(IngressRule.fromCidr(6379, "10.0.0.0/16"));
    assertThat(h.aws.calls).doesNotContain("ec2:DescribeSecurityGroups", "elasticache:DescribeCacheSubnetGroups")
        .contains("ec2:RevokeSecurityGroupIngress");
  }

  @Test
  void deletedSecretIsWrittenAgainWithTheSameToken() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "rewrite"), 20);
    String token = h.secretData(rc).get("password");
    h.kube.secrets.clear();
    h.reconcile(rc);
    assertThat(h.secretData(rc)).containsEntry("password", token).containsKey("host");
    assertThat(h.aws.groups).hasSize(1);
  }

  @Test
  void withoutSecretsManagerALostSecretStallsInsteadOfInventingAToken() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "nosm");
    ConnectionSecretSpec cs = new ConnectionSecretSpec();
    cs.setSecretsManager(false);
    rc.getSpec().setConnectionSecret(cs);
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.secrets).isEmpty();
    h.kube.secrets.clear();
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getReason()).isEqualTo("TokenLost");
  }

  @Test
  void noAuthGivesAPlainUrlAndNoPassword() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("games", "queue");
    AuthSpec auth = new AuthSpec();
    auth.setEnabled(false);
    rc.getSpec().setAuth(auth);
    rc.getSpec().setTls(false);
    h.reconcileUntilReady(rc, 20);
    Map<String, String> data = h.secretData(rc);
    assertThat(data).doesNotContainKey("password").containsEntry("tls", "false");
    assertThat(data.get("url")).startsWith("redis://master.");
    // Celery refuses ssl_cert_reqs on a plain redis:// URL: the Python URL is then the plain one.
    assertThat(data).containsEntry("ssl", "false").containsEntry("pythonUrl", data.get("url"));
    assertThat(h.aws.secrets).isEmpty();
    assertThat(h.aws.groups.values().iterator().next().spec.authToken()).isNull();
  }

  @Test
  void clusterModeUsesTheConfigurationEndpointAndTemplateKeys() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("feeds", "sharded");
    rc.getSpec().setShards(2);
    rc.getSpec().setReplicasPerShard(1);
    ConnectionSecretSpec cs = new ConnectionSecretSpec();
    cs.setTemplate(Map.of("CELERY_BROKER_URL", "{{ .url }}/0?ssl_cert_reqs=required"));
    rc.getSpec().setConnectionSecret(cs);
    h.reconcileUntilReady(rc, 20);
    Map<String, String> data = h.secretData(rc);
    assertThat(data.get("host")).startsWith("clustercfg.");
    assertThat(data).containsEntry("clusterMode", "true").doesNotContainKey("readerHost");
    assertThat(data.get("CELERY_BROKER_URL")).isEqualTo(data.get("url") + "/0?ssl_cert_reqs=required");
    assertThat(h.aws.groups.values().iterator().next().spec.clusterMode()).isTrue();
    assertThat(rc.getStatus().getMembers()).isEqualTo(4);
  }

  @Test
  void deleteRemovesEverythingInReverseOrderWaitingOutInUseAnswers() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "gone");
    rc.getSpec().setParameters(Map.of("timeout", "300"));
    h.reconcileUntilReady(rc, 20);
    h.aws.calls.clear();
    assertThat(h.delete(rc).isRemoveFinalizer()).isFalse();
    assertThat(h.aws.groups.values().iterator().next().status).isEqualTo("deleting");
    assertThat(h.deleteUntilGone(rc, 20)).isTrue();
    assertThat(h.aws.groups).isEmpty();
    assertThat(h.aws.parameterGroups).isEmpty();
    assertThat(h.aws.subnetGroups).isEmpty();
    assertThat(h.aws.securityGroups).isEmpty();
    assertThat(h.aws.secrets).isEmpty();
    assertThat(h.aws.calls).containsSubsequence("elasticache:DeleteReplicationGroup", "elasticache:DeleteCacheParameterGroup",
        "elasticache:DeleteCacheSubnetGroup", "ec2:DeleteSecurityGroup", "secretsmanager:DeleteSecret");
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("Deleted"));
  }

  @Test
  void deleteRightAfterCreateWaitsForTheGroupInsteadOfOrphaningIt() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "hasty");
    h.reconcile(rc); // created, still "creating"; the sweep has not seen it
    Harness restarted = h.restart();
    assertThat(restarted.delete(rc).isRemoveFinalizer()).isFalse();
    assertThat(h.aws.groups).hasSize(1);
    assertThat(h.aws.securityGroups).hasSize(1);
    assertThat(restarted.deleteUntilGone(rc, 30)).isTrue();
    assertThat(h.aws.groups).isEmpty();
    assertThat(h.aws.securityGroups).isEmpty();
  }

  @Test
  void snapshotPolicyNamesTheFinalSnapshotInAnEvent() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "snap");
    rc.getSpec().setDeletionPolicy(DeletionPolicy.Snapshot);
    h.reconcileUntilReady(rc, 20);
    assertThat(h.deleteUntilGone(rc, 20)).isTrue();
    assertThat(h.aws.snapshots).hasSize(1);
    String snapshot = h.aws.snapshots.get(0);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("FinalSnapshot") && e.message().contains(snapshot));
  }

  @Test
  void retainLeavesAwsInPlaceReleasesTheGroupAndSaysSo() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "keep");
    rc.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    rc.getSpec().setTags(Map.of("team", "shop"));
    h.reconcileUntilReady(rc, 20);
    int securityGroups = h.aws.securityGroups.size();
    int parameterGroups = h.aws.parameterGroups.size();
    h.aws.calls.clear();
    assertThat(h.delete(rc).isRemoveFinalizer()).isTrue();
    // Nothing deleted or changed; only the group's ownership tags go, so it can be adopted again.
    assertThat(h.aws.calls).containsExactly("elasticache:ListTagsForResource", "elasticache:RemoveTagsFromResource");
    assertThat(h.aws.groups).hasSize(1);
    assertThat(h.aws.securityGroups).hasSize(securityGroups);
    assertThat(h.aws.parameterGroups).hasSize(parameterGroups);
    assertThat(h.aws.groups.values().iterator().next().tags).containsOnly(Map.entry("team", "shop"));
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("Retained") && e.message().contains("adopted again"));
  }

  @Test
  void userNamedSubnetGroupAndAdditionalSecurityGroupsAreNeverDeleted() {
    Harness h = new Harness();
    h.aws.createSubnetGroup("shared-subnets", "theirs", List.of("subnet-0a1b2c3d4e5f60718"), Map.of());
    String theirs = h.aws.createSecurityGroup(FakeAws.VPC, "their-sg", "theirs", Map.of());
    RedisCache rc = Harness.cache("shop", "guest");
    rc.getSpec().getNetwork().setSubnetIds(null);
    rc.getSpec().getNetwork().setSubnetGroupName("shared-subnets");
    rc.getSpec().getNetwork().setVpcId(FakeAws.VPC);
    rc.getSpec().getNetwork().setAdditionalSecurityGroupIds(List.of(theirs));
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.groups.values().iterator().next().spec.securityGroupIds()).hasSize(2).contains(theirs);
    assertThat(h.deleteUntilGone(rc, 20)).isTrue();
    assertThat(h.aws.subnetGroups).containsKey("shared-subnets");
    assertThat(h.aws.securityGroups).containsKey(theirs).hasSize(1);
  }

  @Test
  void aGroupOwnedByAnotherResourceIsNeverTakenOver() {
    Harness h = new Harness();
    RedisCache first = Harness.cache("shop", "twin");
    first.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    h.reconcileUntilReady(first, 20);
    h.delete(first);
    h.aws.securityGroups.clear(); // only the replication group is left behind
    RedisCache second = Harness.cache("shop", "twin");
    Harness fresh = h.restart();
    fresh.sweep();
    fresh.reconcile(second);
    var stalled = Harness.condition(second, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("ReplicationGroupOwnedByAnother");
    assertThat(h.aws.groups).hasSize(1);
  }

  @Test
  void manyCachesShareOneSweep() {
    Harness h = new Harness();
    Set<RedisCache> caches = new HashSet<>();
    for (int i = 0; i < 20; i++) caches.add(Harness.cache("load", "c" + i));
    caches.forEach(h::reconcile);
    h.aws.clock.advance(Duration.ofMinutes(15));
    h.aws.calls.clear();
    h.sweep();
    caches.forEach(h::reconcile);
    assertThat(caches).allMatch(Harness::ready);
    assertThat(h.aws.count("elasticache:DescribeReplicationGroups")).isEqualTo(1);
    assertThat(h.aws.count("elasticache:DescribeCacheClusters")).isEqualTo(1);
  }
}
