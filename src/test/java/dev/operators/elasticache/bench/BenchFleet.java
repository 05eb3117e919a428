package dev.operators.elasticache.bench;

import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import java.util.List;

/** What every benchmark starts from: a VPC with two subnets in the emulator, the CRD and RBAC installed, a namespace. */
record BenchFleet(String subnetA, String subnetB) {
  static BenchFleet prepare(AwsTestClients clients, ControlPlane k8s, String namespace) {
    var ec2 = clients.ec2();
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
    String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
    k8s.installCrd();
    for (String f : List.of("deploy/namespace.yaml", "deploy/serviceaccount.yaml", "deploy/rbac.yaml")) k8s.kubectl("apply", "-f", f).ok();
    k8s.kubectl("create", "namespace", namespace).ok();
    return new BenchFleet(a, b);
  }

  /** A small RedisCache in the bench namespace, in YAML. */
  String cache(String name, String namespace) {
    return "---\napiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata: {name: " + name + ", namespace: " + namespace
        + "}\nspec:\n  network:\n    subnetIds: [" + subnetA + ", " + subnetB + "]\n    allowedCidrBlocks: [10.0.0.0/16]\n";
  }
}
