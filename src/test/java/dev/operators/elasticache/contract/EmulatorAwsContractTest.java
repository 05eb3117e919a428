package dev.operators.elasticache.contract;

import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.SecretsPort;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The contract on the real SDK adapters against the AWS emulator (test/aws-emulator), through its
 * control API. Timings are the shared emulator's 1 s; time passes for real.
 */
class EmulatorAwsContractTest extends AwsContract {
  private static AwsTestClients clients;

  @Override
  protected AwsModel model() {
    AwsEmulator emulator = AwsEmulator.shared();
    emulator.reset();
    emulator.config(Map.of("snapshottingSeconds", 1, "failoverSeconds", 1));
    synchronized (EmulatorAwsContractTest.class) {
      if (clients == null) clients = AwsTestClients.of(emulator);
    }
    AwsTestClients aws = clients;
    Ec2Client raw = aws.ec2();
    var created = raw.createVpc(r -> r.cidrBlock("10.0.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc();
    String vpc = created.vpcId();
    String v6 = created.ipv6CidrBlockAssociationSet().get(0).ipv6CidrBlock(); // a /56
    String a = raw.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
    String b = raw.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
    String other = raw.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
    Duration unit = Duration.ofSeconds(1);
    List<dev.operators.elasticache.testsupport.OtherAccount> closeAfter = new java.util.ArrayList<>();
    return new AwsModel() {
      @Override public Ec2Port ec2() { return aws.ec2Port(); }
      @Override public ElastiCachePort elastiCache() { return aws.elastiCachePort(); }
      @Override public SecretsPort secrets() { return aws.secretsPort(); }
      @Override public Duration unit() { return unit; }
      @Override public java.time.Instant now() { return java.time.Instant.now().minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS); }
      @Override public void pass(Duration d) {
        try {
          Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      @Override public List<String> subnets() { return List.of(a, b); }
      @Override public String vpc() { return vpc; }
      @Override public String otherVpc() { return other; }
      @Override public List<String> serverlessRestoredFrom(String name) { return emulator.serverlessRestoredFrom(name); }
      int subnets = 100;
      @Override public String createSubnet(String vpcId, String az, Map<String, String> tags) {
        String cidr = (vpcId.equals(other) ? "10.1." : "10.0.") + (subnets++) + ".0/24";
        return raw.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone(az).tagSpecifications(
            software.amazon.awssdk.services.ec2.model.TagSpecification.builder().resourceType("subnet").tags(tags.entrySet().stream()
                .map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()).build()))
            .subnet().subnetId();
      }
      @Override public OtherAccount otherAccount(String accountId, String region) {
        var account = dev.operators.elasticache.testsupport.OtherAccount.prepare(emulator, accountId,
            software.amazon.awssdk.regions.Region.of(region), "123456789012", java.nio.file.Path.of("deploy/iam-policy.json"), "contract",
            "subnet-other-a", "subnet-other-b");
        closeAfter.add(account);
        var ports = account.ports(aws.credentials());
        return new OtherAccount(ports.ec2(), ports.elastiCache(), List.of(account.ids.get("subnet-other-a"), account.ids.get("subnet-other-b")));
      }
      @Override public void close() { closeAfter.forEach(dev.operators.elasticache.testsupport.OtherAccount::close); }
      @Override public void startBackup(String id) { emulator.startBackup(id); }
      @Override public List<String> reachMaintenanceWindow(String id) { return emulator.reachMaintenanceWindow(id); }
      @Override public void failNextCreate(String message) { emulator.failNextCreates(1, message); }
      @Override public void insufficientCapacity(Set<String> nodeTypes) {
        emulator.config(Map.of("insufficientCapacityNodeTypes", List.copyOf(nodeTypes)));
      }
      @Override public void maxNodes(int nodes) { emulator.config(Map.of("maxNodesPerCustomer", nodes)); }
      @Override public void maxGroups(int groups) { emulator.config(Map.of("maxReplicationGroups", groups)); }
      @Override public void maxServerlessCaches(int caches) { emulator.config(Map.of("maxServerlessCaches", caches)); }
      @Override public void eniRelease(Duration d) { emulator.config(Map.of("eniReleaseSeconds", d.toSeconds())); }
      @Override public void secretDeletion(Duration d) { emulator.config(Map.of("secretDeletionSeconds", d.toSeconds())); }
      @Override public void putS3Object(String bucket, String key) { emulator.putS3Object(bucket, key, "REDIS0011".getBytes()); }
      @Override public String restoredFrom(String id) {
        var info = emulator.restoreInfo(id);
        if (!info.path("snapshotName").isNull() && !info.path("snapshotName").isMissingNode()) return "snapshot " + info.get("snapshotName").asText();
        List<String> arns = new java.util.ArrayList<>();
        info.path("snapshotArns").forEach(a -> arns.add(a.asText()));
        return arns.isEmpty() ? null : "s3 " + String.join(",", arns);
      }
      @Override public List<String> acceptedTokens(String id) { return emulator.authTokens(id); }
      @Override public boolean tokenOptional(String id) { return emulator.authTokenOptional(id); }
      @Override public java.util.Map<String, List<String>> acceptedUsers(String id) { return emulator.acceptedUsers(id); }
      @Override public java.util.Map<String, List<String>> acceptedServerlessUsers(String name) { return emulator.acceptedServerlessUsers(name); }
      @Override public void userTime(Duration d) { emulator.config(Map.of("userSeconds", d.toMillis() / 1000.0)); }
      @Override public void publishServiceUpdate(String name, String engine, String severity, java.time.Instant applyBy) {
        emulator.publishServiceUpdate(name, engine, severity, applyBy);
      }
      @Override public List<String> stopServiceUpdate(String name, List<String> ids) {
        return aws.calls().run("elasticache", "BatchStopUpdateAction",
            () -> aws.elastiCache().batchStopUpdateAction(r -> r.serviceUpdateName(name).replicationGroupIds(ids)))
            .processedUpdateActions().stream().map(a -> a.replicationGroupId()).toList();
      }
      @Override public dev.operators.elasticache.aws.KmsPort kms() { return aws.kmsPort(); }
      @Override public String createKmsKey() { return aws.kms().createKey(r -> r.description("contract")).keyMetadata().keyId(); }
      @Override public void disableKmsKey(String keyId) { aws.kms().disableKey(r -> r.keyId(keyId)); }
      @Override public List<String> dualStackSubnets() {
        return List.of(
            raw.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.3.0/24").ipv6CidrBlock(AwsEmulator.ipv6Subnet(v6, 3)).availabilityZone("us-east-1a")).subnet().subnetId(),
            raw.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.4.0/24").ipv6CidrBlock(AwsEmulator.ipv6Subnet(v6, 4)).availabilityZone("us-east-1b")).subnet().subnetId());
      }
      @Override public void failover(String id, String nodeGroupId) {
        // the raw SDK client, through the adapters' AwsCalls so that AWS's errors become AwsExceptions
        aws.calls().run("elasticache", "TestFailover",
            () -> aws.elastiCache().testFailover(r -> r.replicationGroupId(id).nodeGroupId(nodeGroupId)));
      }
    };
  }
}
