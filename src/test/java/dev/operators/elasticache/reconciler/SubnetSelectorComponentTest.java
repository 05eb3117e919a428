package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.ServerlessSpec;
import dev.operators.elasticache.api.SubnetSelectorSpec;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.network.subnetSelector through the reconciler, against the fake's DescribeSubnets filters (E57). */
class SubnetSelectorComponentTest {

  static RedisCache selecting(String name, Map<String, String> tags) {
    RedisCache rc = Harness.cache("shop", name);
    SubnetSelectorSpec selector = new SubnetSelectorSpec();
    selector.setVpcId(FakeAws.VPC);
    selector.setTags(tags);
    rc.getSpec().getNetwork().setSubnetIds(null);
    rc.getSpec().getNetwork().setSubnetSelector(selector);
    return rc;
  }

  static void changeSpec(RedisCache rc, Runnable change) {
    change.run();
    rc.getMetadata().setGeneration(rc.getMetadata().getGeneration() + 1);
  }

  @Test
  void theSelectorIsResolvedOnceAndTheSubnetGroupFollowsItWhenItChanges() {
    Harness h = new Harness();
    String a = h.aws.createSubnet(FakeAws.VPC, "us-east-1a", Map.of("tier", "internal"));
    String b = h.aws.createSubnet(FakeAws.VPC, "us-east-1b", Map.of("tier", "internal"));
    String c = h.aws.createSubnet(FakeAws.VPC, "us-east-1c", Map.of("tier", "data"));
    h.aws.createSubnet("vpc-0fffffffffffffff0", "us-east-1a", Map.of("tier", "internal"));
    RedisCache rc = selecting("sessions", Map.of("tier", "internal"));
    rc.getSpec().setReplicasPerShard(1);
    rc.getSpec().setMultiAZ(true);

    h.reconcileUntilReady(rc, 20);
    assertThat(Harness.ready(rc)).isTrue();
    String group = rc.getStatus().getSubnetGroupName();
    assertThat(h.aws.subnetGroups.get(group).subnetIds()).containsExactlyInAnyOrder(a, b);
    assertThat(rc.getStatus().getNetwork().getSubnetIds()).containsExactly(a, b);
    assertThat(rc.getStatus().getNetwork().getAvailabilityZones()).containsExactly("us-east-1a", "us-east-1b");
    assertThat(rc.getStatus().getNetwork().getSubnetSelectorHash()).isNotBlank();
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("SubnetsSelected") && e.message().contains(a) && e.message().contains(b));
    // the security group is made in the selector's VPC, without asking EC2 which VPC the subnets are in
    assertThat(h.aws.securityGroups.values()).anyMatch(g -> g.groupId().equals(rc.getStatus().getSecurityGroupId()) && g.vpcId().equals(FakeAws.VPC));
    assertThat(h.aws.count("ec2:DescribeSubnets")).isEqualTo(1);

    // Later reconciles, sweeps, a restart and a spec change elsewhere: no DescribeSubnets.
    for (int i = 0; i < 3; i++) {
      h.aws.clock.advance(Duration.ofMinutes(5));
      h.sweep();
      h.reconcile(rc);
    }
    h = h.restart();
    h.sweep();
    changeSpec(rc, () -> rc.getSpec().setNodeType("cache.t4g.small"));
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.count("ec2:DescribeSubnets")).as("the selector did not change").isEqualTo(1);

    // The selector changes: asked again once, and the subnet group follows (ModifyCacheSubnetGroup).
    changeSpec(rc, () -> rc.getSpec().getNetwork().getSubnetSelector().setTags(Map.of("tier", "internal-2")));
    h.aws.createSubnet(FakeAws.VPC, "us-east-1a", Map.of("tier", "internal-2")); // c is not tagged internal-2
    String d = h.aws.createSubnet(FakeAws.VPC, "us-east-1c", Map.of("tier", "internal-2"));
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.count("ec2:DescribeSubnets")).isEqualTo(2);
    assertThat(h.aws.count("elasticache:ModifyCacheSubnetGroup")).isEqualTo(1);
    assertThat(h.aws.subnetGroups.get(group).subnetIds()).hasSize(2).contains(d).doesNotContain(a, b, c);
    assertThat(rc.getStatus().getNetwork().getSubnetIds()).isEqualTo(h.aws.subnetGroups.get(group).subnetIds().stream().sorted().toList());
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("SubnetGroupModified"));
  }

  @Test
  void noMatchingSubnetIsStalledNamingTheSelectorAndNothingIsCreated() {
    Harness h = new Harness();
    h.aws.createSubnet(FakeAws.VPC, "us-east-1a", Map.of("tier", "public"));
    RedisCache rc = selecting("sessions", Map.of("tier", "internal"));
    h.reconcile(rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("NoSubnetsSelected");
    assertThat(stalled.getMessage()).startsWith("spec.network.subnetSelector: no subnet of " + FakeAws.VPC + " carries the tags {tier=internal}");
    assertThat(h.aws.calls).containsExactly("ec2:DescribeSubnets");
    assertThat(h.kube.events).anyMatch(e -> e.type().equals("Warning") && e.reason().equals("NoSubnetsSelected"));

    // tagged later: the next look (the stalled recheck) finds them and the cache is made
    String a = h.aws.createSubnet(FakeAws.VPC, "us-east-1a", Map.of("tier", "internal"));
    h.reconcileUntilReady(rc, 20);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(rc.getStatus().getNetwork().getSubnetIds()).containsExactly(a);
  }

  @Test
  void multiAzWithSubnetsInOneZoneIsStalledWithTheReason() {
    Harness h = new Harness();
    String a = h.aws.createSubnet(FakeAws.VPC, "us-east-1a", Map.of("tier", "internal"));
    String b = h.aws.createSubnet(FakeAws.VPC, "us-east-1a", Map.of("tier", "internal"));
    RedisCache rc = selecting("sessions", Map.of("tier", "internal"));
    rc.getSpec().setReplicasPerShard(1);
    rc.getSpec().setMultiAZ(true);
    h.reconcile(rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("SubnetsInOneAvailabilityZone");
    assertThat(stalled.getMessage()).startsWith("spec.network.subnetSelector: multiAZ needs subnets in at least two Availability Zones")
        .contains(a).contains(b).contains("us-east-1a");
    assertThat(h.aws.calls).containsExactly("ec2:DescribeSubnets");

    // without Multi-AZ the same subnets do
    changeSpec(rc, () -> rc.getSpec().setMultiAZ(false));
    h.reconcileUntilReady(rc, 20);
    assertThat(Harness.ready(rc)).isTrue();
  }

  @Test
  void aServerlessCacheTakesTheSelectedSubnets() {
    Harness h = new Harness();
    String a = h.aws.createSubnet(FakeAws.VPC, "us-east-1a", Map.of("tier", "internal"));
    String b = h.aws.createSubnet(FakeAws.VPC, "us-east-1b", Map.of("tier", "internal"));
    RedisCache rc = selecting("bursty", Map.of("tier", "internal"));
    rc.getSpec().setServerless(new ServerlessSpec());
    h.reconcileUntilReady(rc, 30);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(h.aws.serverless.get(Desired.replicationGroupId(rc, "test")).subnetIds).containsExactlyInAnyOrder(a, b);
    assertThat(h.aws.count("ec2:DescribeSubnets")).isEqualTo(1);
    assertThat(List.copyOf(rc.getStatus().getNetwork().getSubnetIds())).containsExactly(a, b);
  }
}
