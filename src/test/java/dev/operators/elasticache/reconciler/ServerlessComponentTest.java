package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.BackupSpec;
import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.ServerlessSpec;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.ServerlessCacheSpec;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A RedisCache with spec.serverless through the reconciler, against the fake's serverless rules (E32-E36). */
class ServerlessComponentTest {

  static RedisCache serverless(String name, Integer storage, Integer ecpu) {
    RedisCache rc = Harness.cache("web", name);
    ServerlessSpec s = new ServerlessSpec();
    s.setMaxDataStorageGB(storage);
    s.setMaxECPUPerSecond(ecpu);
    rc.getSpec().setServerless(s);
    return rc;
  }

  static String nameOf(RedisCache rc) {
    return Desired.replicationGroupId(rc, "test");
  }

  @Test
  void createdInOrderThenReadyWithTheEndpointsInTheSecretAndNoPassword() {
    Harness h = new Harness();
    RedisCache rc = serverless("sessions", 10, 5000);
    BackupSpec backups = new BackupSpec();
    backups.setRetentionDays(3);
    backups.setWindow("04:30-05:30");
    rc.getSpec().setBackups(backups);
    h.reconcileUntilReady(rc, 30);

    FakeAws.Serverless c = h.aws.serverless.get(nameOf(rc));
    assertThat(c).isNotNull();
    assertThat(List.of(c.engine, c.major)).containsExactly("valkey", "8");
    assertThat(List.of(c.maxDataStorageGB, c.maxECPUPerSecond, c.snapshotRetentionLimit)).containsExactly(10, 5000, 3);
    assertThat(c.dailySnapshotTime).isEqualTo("04:30");
    assertThat(c.subnetIds).containsExactlyInAnyOrder("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788");
    assertThat(c.securityGroupIds).containsExactly(rc.getStatus().getSecurityGroupId());
    assertThat(c.tags).containsEntry(Names.TAG_UID, rc.getMetadata().getUid());
    // the security group lets apps in on both ports; no replication group, no token anywhere
    assertThat(h.aws.securityGroups.get(rc.getStatus().getSecurityGroupId()).ingress())
        .containsExactlyInAnyOrder(IngressRule.fromCidr(6379, "10.0.0.0/16"), IngressRule.fromCidr(6380, "10.0.0.0/16"));
    assertThat(h.aws.groups).isEmpty();
    assertThat(h.aws.secrets).isEmpty();
    // the order of creation: security group, subnet group, then the cache
    List<String> creates = h.aws.calls.stream().filter(op -> op.contains(":Create")).toList();
    assertThat(creates).containsExactly("ec2:CreateSecurityGroup", "elasticache:CreateCacheSubnetGroup", "elasticache:CreateServerlessCache");

    Map<String, String> secret = h.secretData(rc);
    assertThat(secret).containsEntry("host", c.address).containsEntry("port", "6379")
        .containsEntry("readerHost", c.address).containsEntry("readerPort", "6380")
        .containsEntry("tls", "true").containsEntry("url", "rediss://" + c.address + ":6379")
        .doesNotContainKey("password");
    assertThat(rc.getStatus().getEndpoint()).isEqualTo(c.address + ":6379");
    assertThat(rc.getStatus().getReaderEndpoint()).isEqualTo(c.address + ":6380");
    assertThat(rc.getStatus().getReplicationGroupArn()).isEqualTo(c.arn);
    assertThat(rc.getStatus().getEngineVersion()).isEqualTo("8.0");
    assertThat(rc.getStatus().getEstimatedMonthlyCost().getUsd()).isNotNull();
    assertThat(rc.getStatus().getEstimatedMonthlyCost().getNote()).contains("serverless Valkey in us-east-1").contains("at most $");
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("ServerlessCacheCreating"));
  }

  @Test
  void aChangedLimitGoesToAwsThroughModifyServerlessCache() {
    Harness h = new Harness();
    RedisCache rc = serverless("sessions", 10, null);
    h.reconcileUntilReady(rc, 30);
    rc.getSpec().getServerless().setMaxDataStorageGB(20);
    rc.getSpec().getServerless().setMaxECPUPerSecond(3000);
    rc.getMetadata().setGeneration(2L);
    h.aws.calls.clear();
    h.reconcile(rc);
    assertThat(h.aws.count("elasticache:ModifyServerlessCache")).isEqualTo(1);
    assertThat(Harness.condition(rc, "Reconciling").orElseThrow().getReason()).isEqualTo("Modifying");
    h.reconcileUntilReady(rc, 30);
    FakeAws.Serverless c = h.aws.serverless.get(nameOf(rc));
    assertThat(List.of(c.maxDataStorageGB, c.maxECPUPerSecond)).containsExactly(20, 3000);
    assertThat(h.aws.count("elasticache:ModifyServerlessCache")).isEqualTo(1);
  }

  @Test
  void aRetryAfterALostCreateAnswerAdoptsItsOwnCacheButNotAnothers() {
    Harness h = new Harness();
    RedisCache rc = serverless("sessions", null, null);
    // An earlier attempt created the cache and crashed before writing its status.
    h.aws.createServerlessCache(new ServerlessCacheSpec(nameOf(rc), "d", "valkey", "8", null, null, List.of(),
        List.of("subnet-0a1b2c3d4e5f60718"), null, 0, null, Map.of(Names.TAG_UID, rc.getMetadata().getUid())));
    h.reconcileUntilReady(rc, 30);
    assertThat(h.aws.count("elasticache:CreateServerlessCache")).isEqualTo(1);
    assertThat(h.aws.serverless).hasSize(1);
    // adopted, then brought in line with the spec: its security group
    assertThat(h.aws.serverless.get(nameOf(rc)).securityGroupIds).containsExactly(rc.getStatus().getSecurityGroupId());
    long modifies = h.aws.count("elasticache:ModifyServerlessCache");

    RedisCache other = serverless("other", null, null);
    h.aws.createServerlessCache(new ServerlessCacheSpec(nameOf(other), "d", "valkey", "8", null, null, List.of(),
        List.of("subnet-0a1b2c3d4e5f60718"), null, 0, null, Map.of(Names.TAG_UID, "someone-else")));
    for (int i = 0; i < 5; i++) {
      h.reconcile(other);
      h.aws.clock.advance(java.time.Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(Harness.condition(other, "Stalled").orElseThrow().getReason()).isEqualTo("ServerlessCacheOwnedByAnother");
    assertThat(h.aws.count("elasticache:ModifyServerlessCache")).isEqualTo(modifies);
    assertThat(h.aws.serverless.get(nameOf(other)).securityGroupIds).isEmpty();
  }

  @Test
  void deleteRemovesTheCacheWithAFinalSnapshotThenTheSubnetAndSecurityGroups() {
    Harness h = new Harness();
    RedisCache rc = serverless("sessions", 10, 5000);
    rc.getSpec().setDeletionPolicy(DeletionPolicy.Snapshot);
    h.reconcileUntilReady(rc, 30);
    String sg = rc.getStatus().getSecurityGroupId();
    h.aws.calls.clear();
    assertThat(h.deleteUntilGone(rc, 30)).isTrue();
    assertThat(h.aws.serverless).isEmpty();
    assertThat(h.aws.serverlessSnapshots).containsEntry(Names.finalSnapshotName(nameOf(rc), rc.getMetadata().getUid()), nameOf(rc));
    assertThat(h.aws.subnetGroups).isEmpty();
    assertThat(h.aws.securityGroups).doesNotContainKey(sg);
    List<String> deletes = h.aws.calls.stream().filter(op -> op.contains(":Delete")).distinct().toList();
    assertThat(deletes).startsWith("elasticache:DeleteServerlessCache").contains("elasticache:DeleteCacheSubnetGroup", "ec2:DeleteSecurityGroup");
    assertThat(deletes.indexOf("elasticache:DeleteCacheSubnetGroup")).isLessThan(deletes.indexOf("ec2:DeleteSecurityGroup"));
  }

  @Test
  void retainLeavesTheCacheAndItsGroupsAndReleasesItsOwnershipTagsAsForAReplicationGroup() {
    Harness h = new Harness();
    RedisCache rc = serverless("kept", 10, null);
    rc.getSpec().setDeletionPolicy(dev.operators.elasticache.api.DeletionPolicy.Retain);
    rc.getSpec().setTags(java.util.Map.of("team", "web"));
    h.reconcileUntilReady(rc, 30);
    int securityGroups = h.aws.securityGroups.size();
    int subnetGroups = h.aws.subnetGroups.size();
    h.aws.calls.clear();
    assertThat(h.delete(rc).isRemoveFinalizer()).isTrue();
    // nothing deleted; only the ownership tags go, the user's stay
    assertThat(h.aws.calls).containsExactly("elasticache:ListTagsForResource", "elasticache:RemoveTagsFromResource");
    FakeAws.Serverless c = h.aws.serverless.get(nameOf(rc));
    assertThat(c.status).isEqualTo("available");
    assertThat(c.tags).containsOnly(java.util.Map.entry("team", "web"));
    assertThat(h.aws.securityGroups).hasSize(securityGroups);
    assertThat(h.aws.subnetGroups).hasSize(subnetGroups);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("Retained") && e.message().startsWith("deletionPolicy is Retain: serverless cache " + nameOf(rc))
        && e.message().contains("ownership tags were removed"));

    // a new RedisCache of the same name finds the cache nobody's, and does not take it over
    RedisCache again = serverless("kept", 10, null);
    h.aws.securityGroups.clear(); // only the cache is left behind (the security group would stop it first)
    Harness fresh = h.restart();
    fresh.sweep();
    fresh.reconcile(again);
    assertThat(Harness.condition(again, "Stalled").orElseThrow().getReason()).isEqualTo("ServerlessCacheOwnedByAnother");
  }
}
