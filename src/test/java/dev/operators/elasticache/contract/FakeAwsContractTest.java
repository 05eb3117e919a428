package dev.operators.elasticache.contract;

import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.SecretsPort;
import dev.operators.elasticache.fake.FakeAws;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The contract on the Java fake: time is the fake's MutableClock. */
class FakeAwsContractTest extends AwsContract {
  @Override
  protected AwsModel model() {
    FakeAws aws = new FakeAws();
    Duration unit = Duration.ofMinutes(1);
    aws.creatingTime = unit;
    aws.modifyingTime = unit;
    aws.deletingTime = unit;
    aws.snapshottingTime = unit;
    aws.failoverTime = unit;
    return new AwsModel() {
      @Override public Ec2Port ec2() { return aws; }
      @Override public ElastiCachePort elastiCache() { return aws; }
      @Override public SecretsPort secrets() { return aws; }
      @Override public Duration unit() { return unit; }
      @Override public void pass(Duration d) { aws.clock.advance(d); }
      @Override public java.time.Instant now() { return aws.clock.instant(); }
      @Override public List<String> subnets() { return List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"); }
      @Override public String vpc() { return FakeAws.VPC; }
      @Override public String otherVpc() { return "vpc-0fffffffffffffff0"; }
      @Override public List<String> serverlessRestoredFrom(String name) { return aws.serverlessRestoredFrom.get(name); }
      @Override public String createSubnet(String vpcId, String az, Map<String, String> tags) { return aws.createSubnet(vpcId, az, tags); }
      @Override public OtherAccount otherAccount(String accountId, String region) {
        FakeAws other = new FakeAws(accountId, region, aws.clock);
        other.creatingTime = unit;
        return new OtherAccount(other, other, subnets());
      }
      @Override public void startBackup(String id) { aws.startBackup(id); }
      @Override public List<String> reachMaintenanceWindow(String id) { return aws.reachMaintenanceWindow(id); }
      @Override public void failNextCreate(String message) { aws.failNextCreate(message); }
      @Override public void insufficientCapacity(Set<String> nodeTypes) {
        aws.insufficientCapacityNodeTypes.clear();
        aws.insufficientCapacityNodeTypes.addAll(nodeTypes);
      }
      @Override public void maxNodes(int nodes) { aws.maxNodes = nodes; }
      @Override public void maxGroups(int groups) { aws.maxGroups = groups; }
      @Override public void maxServerlessCaches(int caches) { aws.maxServerlessCaches = caches; }
      @Override public void eniRelease(Duration d) { aws.eniReleaseTime = d; }
      @Override public void secretDeletion(Duration d) { aws.secretDeletionTime = d; }
      @Override public void putS3Object(String bucket, String key) { aws.s3Objects.add(bucket + "/" + key); }
      @Override public String restoredFrom(String id) { return aws.restoredFrom.get(id); }
      @Override public List<String> acceptedTokens(String id) { return List.copyOf(aws.groups.get(id).tokens); }
      @Override public boolean tokenOptional(String id) { return aws.groups.get(id).tokenOptional; }
      @Override public java.util.Map<String, List<String>> acceptedUsers(String id) { return aws.acceptedUsers(id); }
      @Override public java.util.Map<String, List<String>> acceptedServerlessUsers(String name) { return aws.acceptedServerlessUsers(name); }
      @Override public void userTime(Duration d) { aws.rbac.userTime = d; }
      @Override public void failover(String id, String nodeGroupId) { aws.testFailover(id, nodeGroupId); }
      @Override public void publishServiceUpdate(String name, String engine, String severity, java.time.Instant applyBy) {
        aws.publishServiceUpdate(name, engine, severity, applyBy);
      }
      @Override public List<String> stopServiceUpdate(String name, List<String> ids) {
        return List.copyOf(aws.stopServiceUpdate(name, ids).keySet());
      }
      @Override public dev.operators.elasticache.aws.KmsPort kms() { return aws; }
      @Override public String createKmsKey() { return aws.createKmsKey(); }
      @Override public void disableKmsKey(String keyId) { aws.disableKmsKey(keyId); }
      @Override public List<String> dualStackSubnets() { return List.of(FakeAws.DUAL_STACK_SUBNET_A, FakeAws.DUAL_STACK_SUBNET_B); }
    };
  }
}
