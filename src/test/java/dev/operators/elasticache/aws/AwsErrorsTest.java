package dev.operators.elasticache.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operators.elasticache.aws.AwsException.Kind;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AwsErrorsTest {
  @Test
  void awsCodesMapToWhatTheReconcilerDoes() {
    assertThat(AwsException.classify("Throttling", 400)).isEqualTo(Kind.THROTTLED);
    assertThat(AwsException.classify("RequestLimitExceeded", 503)).isEqualTo(Kind.THROTTLED);
    assertThat(AwsException.classify("ThrottlingException", 400)).isEqualTo(Kind.THROTTLED);
    assertThat(AwsException.classify("ReplicationGroupNotFoundFault", 404)).isEqualTo(Kind.NOT_FOUND);
    assertThat(AwsException.classify("InvalidGroup.NotFound", 400)).isEqualTo(Kind.NOT_FOUND);
    assertThat(AwsException.classify("CacheParameterGroupNotFound", 404)).isEqualTo(Kind.NOT_FOUND);
    assertThat(AwsException.classify("ResourceNotFoundException", 400)).isEqualTo(Kind.NOT_FOUND);
    assertThat(AwsException.classify("NotFoundException", 400)).as("KMS DescribeKey of an unknown key").isEqualTo(Kind.NOT_FOUND);
    assertThat(AwsException.classify("ReplicationGroupAlreadyExists", 400)).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(AwsException.classify("InvalidGroup.Duplicate", 400)).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(AwsException.classify("ResourceExistsException", 400)).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(AwsException.classify("DependencyViolation", 400)).isEqualTo(Kind.BUSY);
    assertThat(AwsException.classify("CacheSubnetGroupInUse", 400)).isEqualTo(Kind.BUSY);
    assertThat(AwsException.classify("InvalidCacheParameterGroupState", 400)).isEqualTo(Kind.BUSY);
    assertThat(AwsException.classify("InvalidReplicationGroupState", 400)).isEqualTo(Kind.BUSY);
    assertThat(AwsException.classify("InternalFailure", 500)).isEqualTo(Kind.TRANSIENT);
    assertThat(AwsException.classify("Whatever", 503)).isEqualTo(Kind.TRANSIENT);
    assertThat(AwsException.classify("InvalidParameterValue", 400)).isEqualTo(Kind.INVALID_INPUT);
    assertThat(AwsException.classify("InvalidParameterCombination", 400)).isEqualTo(Kind.INVALID_INPUT);
    // Refusals that clear on their own (capacity, quotas, a secret name held by a deletion) are retried, not Stalled.
    assertThat(AwsException.classify("NodeQuotaForCustomerExceeded", 400)).isEqualTo(Kind.CAPACITY);
    assertThat(AwsException.classify("ClusterQuotaForCustomerExceeded", 400)).isEqualTo(Kind.CAPACITY);
    assertThat(AwsException.classify("NodeQuotaForClusterExceeded", 400)).isEqualTo(Kind.CAPACITY);
    assertThat(AwsException.classify("InsufficientCacheClusterCapacity", 400)).isEqualTo(Kind.CAPACITY);
    assertThat(AwsException.classify("InvalidRequestException", 400,
        "You can't create this secret because a secret with this name is already scheduled for deletion.")).isEqualTo(Kind.BUSY);
    assertThat(AwsException.classify("InvalidRequestException", 400, "You provided a parameter value that is not valid"))
        .isEqualTo(Kind.INVALID_INPUT);
    // A network that does not fit is for a person to fix: not "busy" because the code ends in StateFault.
    assertThat(AwsException.classify("InvalidVPCNetworkStateFault", 400)).isEqualTo(Kind.INVALID_INPUT);
    assertThat(AwsException.of("elasticache:CreateReplicationGroup", "InsufficientCacheClusterCapacity", 400, "no capacity").retryable()).isTrue();
    assertThat(AwsException.classify("AccessDenied", 403)).isEqualTo(Kind.OTHER);
  }

  @Test
  void theCallGateQueuesCallsWithinItsBoundAndTurnsAwayTheRest() {
    AtomicLong now = new AtomicLong();
    java.util.List<Long> slept = new java.util.ArrayList<>();
    // 2 calls per second, burst 3, at most 1 s of waiting.
    CallGate gate = new CallGate(2, 3, 1_000_000_000L, now::get, slept::add);
    gate.enter("a");
    gate.enter("a");
    gate.enter("a");
    assertThat(slept).isEmpty();
    gate.enter("a"); // the 4th waits for the next slot, 0.5 s
    gate.enter("a"); // the 5th is booked behind it, 1 s
    assertThat(slept).containsExactly(500_000_000L, 1_000_000_000L);
    assertThatThrownBy(() -> gate.enter("a")).isInstanceOf(AwsException.class)
        .satisfies(e -> assertThat(((AwsException) e).kind()).isEqualTo(Kind.THROTTLED));
    gate.enter("sweep", true); // the shared sweep is never turned away, nor queued: it goes first
    assertThat(slept).containsExactly(500_000_000L, 1_000_000_000L);
    now.addAndGet(500_000_000L); // without the sweep's call this one would fit (1 s away); with it, it is turned away
    assertThatThrownBy(() -> gate.enter("a")).isInstanceOf(AwsException.class);
    now.addAndGet(2_500_000_000L); // later the bookings are served and there is room again
    gate.enter("a");
    assertThat(slept).hasSize(2);
  }

  @Test
  void theCreateRequestNeverPrintsItsToken() {
    ReplicationGroupSpec s = ReplicationGroupSpecBuilder.builder()
        .replicationGroupId("rg")
        .description("d")
        .engine("valkey")
        .engineVersion("8.0")
        .cacheNodeType("cache.t4g.micro")
        .numNodeGroups(1)
        .replicasPerNodeGroup(0)
        .clusterMode(false)
        .automaticFailover(false)
        .multiAZ(false)
        .port(6379)
        .cacheSubnetGroupName("sn")
        .securityGroupIds(java.util.List.of("sg"))
        .transitEncryption(true)
        .atRestEncryption(true)
        .authToken("SECRET-TOKEN-VALUE-123")
        .snapshotRetentionLimit(0)
        .tags(java.util.Map.of())
        .build();
    assertThat(s.toString()).doesNotContain("SECRET-TOKEN-VALUE-123").contains("<redacted>");
  }
}
