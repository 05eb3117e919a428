package dev.operators.elasticache.reconciler;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Rotation;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.resources.ReplicationGroups;
import java.time.Duration;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What real ElastiCache (and JOSDK around the reconciler) does in a cache's first week, and what
 * the operator must do about it. Each test failed before the fix it names.
 */
class AwsLifecycleComponentTest {

  static long readyEvents(Harness h) {
    return h.kube.events.stream().filter(e -> e.reason().equals("Ready")).count();
  }

  @Test
  void readyStaysTrueAcrossARestartWhoseFirstSweepHasNotFinished() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "sessions"), 30);
    String readySince = Harness.condition(rc, "Ready").orElseThrow().getLastTransitionTime();
    long events = readyEvents(h);
    int patches = h.kube.statusPatches;
    int calls = h.aws.calls.size();

    // A new process: JOSDK reconciles every cache at once, before the poller's first sweep is done.
    Harness restarted = h.restartBeforeFirstSweep();
    restarted.reconcile(rc);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(restarted.kube.statusPatches).as("no status written before AWS was looked at").isEqualTo(patches);
    assertThat(h.aws.calls).hasSize(calls);
    assertThat(restarted.lastControl.getScheduleDelay()).isPresent();

    restarted.sweep();
    restarted.reconcile(rc);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(Harness.condition(rc, "Ready").orElseThrow().getLastTransitionTime()).isEqualTo(readySince);
    assertThat(readyEvents(restarted)).as("no second Ready event").isEqualTo(events);
    assertThat(restarted.kube.statusPatches).isEqualTo(patches);
  }

  @Test
  void aBackupOrAChangeMadeElsewhereKeepsTheCacheReadyAndSaysWhatAwsIsDoing() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "sessions");
    var backups = new dev.operators.elasticache.api.BackupSpec();
    backups.setRetentionDays(7); // automatic backups on (with 0, AWS takes none)
    rc.getSpec().setBackups(backups);
    h.reconcileUntilReady(rc, 30);
    FakeAws.Group g = h.aws.groups.values().iterator().next();
    h.aws.startBackup(g.spec.replicationGroupId()); // the backup window came
    h.sweep();

    h.reconcile(rc);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(Harness.condition(rc, "Ready").orElseThrow().getReason()).isEqualTo("Snapshotting");
    assertThat(Harness.condition(rc, "Reconciling").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isZero();
    assertThat(h.secretData(rc)).containsKey("host");

    h.aws.clock.advance(Duration.ofHours(1));
    h.sweep();
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Ready").orElseThrow().getReason()).isEqualTo("Available");
  }

  @Test
  void aCapacityRefusalIsRetriedWithBackOffAsReconcilingWithAwsMessageAndEndsReady() {
    Harness h = new Harness();
    int[] refusals = {3};
    h.aws.beforeCreate = s -> {
      if (refusals[0]-- > 0) {
        throw AwsException.of("elasticache:CreateReplicationGroup", "InsufficientCacheClusterCapacity", 400,
            "cache.t4g.micro is not currently available in us-east-1a");
      }
    };
    RedisCache rc = Harness.cache("shop", "sessions");
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(Harness.condition(rc, "Reconciling").orElseThrow().getReason()).isEqualTo("AwsCapacity");
    assertThat(Harness.condition(rc, "Reconciling").orElseThrow().getMessage())
        .contains("InsufficientCacheClusterCapacity").contains("not currently available").doesNotContain("retrying in");
    Duration first = h.lastControl.getScheduleDelay().map(Duration::ofMillis).orElseThrow();
    int patches = h.kube.statusPatches;
    h.reconcile(rc);
    Duration second = h.lastControl.getScheduleDelay().map(Duration::ofMillis).orElseThrow();
    assertThat(second).isGreaterThan(first);
    assertThat(h.kube.statusPatches).as("the same refusal again writes no status").isEqualTo(patches);
    assertThat(h.kube.events.stream().filter(e -> e.reason().equals("AwsCapacity")).count()).as("one Warning per distinct refusal").isEqualTo(1);

    h.reconcileUntilReady(rc, 30);
    assertThat(h.aws.groups).hasSize(1);
  }

  @Test
  void deletingWhileAwsCreatesTheGroupWaitsQuietly() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "sessions");
    h.reconcile(rc); // CreateReplicationGroup sent; AWS creates for 10 minutes
    h.sweep();
    long delays = 0;
    for (int i = 0; i < 3; i++) {
      var control = h.delete(rc);
      assertThat(control.isRemoveFinalizer()).isFalse();
      long delay = control.getScheduleDelay().orElseThrow();
      if (i > 0) assertThat(delay).as("no growing back-off").isEqualTo(delays);
      delays = delay;
      h.aws.clock.advance(Duration.ofSeconds(30));
      h.sweep();
    }
    assertThat(h.kube.events).noneMatch(e -> e.type().equals("Warning"));
    assertThat(h.deleteUntilGone(rc, 40)).isTrue();
    assertThat(h.aws.groups).isEmpty();
    assertThat(h.kube.events).noneMatch(e -> e.type().equals("Warning"));
  }

  @Test
  void aChangedClusterIdNeverCreatesASecondGroup() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "sessions"), 30);
    int calls = h.aws.calls.size();

    Harness renamed = new Harness(h.aws, h.kube, true, "another-cluster");
    calls = h.aws.calls.size();
    renamed.reconcile(rc);
    assertThat(h.aws.groups).hasSize(1);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getReason()).isEqualTo("ReplicationGroupIdChanged");
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage()).contains("cluster id");
    assertThat(h.aws.calls.subList(calls, h.aws.calls.size())).as("no AWS call at all").isEmpty();
    assertThat(renamed.lastControl.getScheduleDelay()).as("a Stalled cache is looked at again").isPresent();
  }

  @Test
  void aFinishedRotationIsNotRepeatedWhenItsStatusWriteFailedAndTheOperatorRestarted() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(TokenRotationComponentTest.rotating("rot", null), 30);
    TokenRotationComponentTest.ask(rc, "now-1");
    // Through ROTATE and the grace period, up to the reconcile that sends SET.
    for (int i = 0; i < 40 && h.aws.count("elasticache:ModifyReplicationGroup") < 1; i++) step(h, rc);
    for (int i = 0; i < 40 && Rotation.read(h.secretData(rc), h.secretOf(rc).orElseThrow().getMetadata().getAnnotations()).phase()
        != Rotation.Phase.GRACE; i++) step(h, rc);
    h.aws.clock.advance(Duration.ofMinutes(11));
    h.sweep();
    h.failNextStatusPatch = true;
    assertThatThrownBy(() -> h.reconcile(rc)).hasMessageContaining("status patch failed");
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).as("ROTATE and SET").isEqualTo(2);
    assertThat(rc.getStatus().getTokenRotationRequest()).as("the status write was lost").isNull();

    Harness restarted = h.restart();
    for (int i = 0; i < 20; i++) {
      restarted.reconcile(rc);
      h.aws.clock.advance(Duration.ofMinutes(1));
      restarted.sweep();
    }
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).as("no second rotation").isEqualTo(2);
    assertThat(rc.getStatus().getTokenRotationRequest()).isEqualTo("now-1");
    assertThat(Harness.ready(rc)).isTrue();
  }

  @Test
  void aStaleResourceFromALaggingInformerDoesNotRestartAFinishedRotation() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(TokenRotationComponentTest.rotating("rot", null), 30);
    TokenRotationComponentTest.ask(rc, "now-1");
    RedisCache stale = copy(rc);
    for (int i = 0; i < 60 && !"now-1".equals(rc.getStatus().getTokenRotationRequest()); i++) step(h, rc);
    assertThat(rc.getStatus().getTokenRotationRequest()).isEqualTo("now-1");
    long modifies = h.aws.count("elasticache:ModifyReplicationGroup");

    // The informer hands the reconciler the resource as it was before the rotation's status writes.
    for (int i = 0; i < 5; i++) {
      h.reconcile(stale);
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(modifies);
    assertThat(h.kube.events.stream().filter(e -> e.reason().equals("TokenRotationStarted")).count()).isEqualTo(1);
  }

  @Test
  void onlyTheOperatorsOwnGroupsInTransitionMakeTheSweepFast() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "sessions"), 30);
    String ours = rc.getStatus().getReplicationGroupId();
    // Another team's group, being created in the same account and region.
    var other = Harness.cache("elsewhere", "theirs");
    new Harness(h.aws, new Harness.Kube(), true, "other-operator").reconcile(other);
    h.aws.clock.advance(Duration.ofMinutes(5)); // past the operator's own hurry
    Fleet fleet = new Fleet(h.aws.clock);
    var all = h.aws.describeAll();
    assertThat(all.values()).anyMatch(g -> !g.group().available());
    fleet.replace(all, java.util.Set.of(ours), h.aws.clock.instant());
    assertThat(fleet.wantsFastSweep()).isFalse();
    fleet.replace(all, java.util.Set.copyOf(all.keySet()), h.aws.clock.instant());
    assertThat(fleet.wantsFastSweep()).isTrue();
  }

  @Test
  void aGroupAwsFailedToCreateIsStalledWithAwsReasonAndIsCreatedAgainWhenAsked() {
    Harness h = new Harness();
    h.aws.failNextCreate("Failed to create replication group due to insufficient capacity for cache.r7g.large in us-east-1a");
    RedisCache rc = Harness.cache("shop", "sessions");
    for (int i = 0; i < 20 && !stalled(rc); i++) step(h, rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("CreateFailed");
    assertThat(stalled.getMessage()).contains("insufficient capacity for cache.r7g.large").contains(ReplicationGroups.RECREATE_ANNOTATION);
    assertThat(h.kube.events).anyMatch(e -> e.type().equals("Warning") && e.reason().equals("CreateFailed"));
    long describes = h.aws.count("elasticache:DescribeEvents");
    for (int i = 0; i < 3; i++) step(h, rc);
    assertThat(h.aws.count("elasticache:DescribeEvents")).as("AWS's reason is asked once").isEqualTo(describes);
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isEqualTo(1);
    assertThat(h.aws.count("elasticache:DeleteReplicationGroup")).isZero();

    // The way out: ask for it (or change the spec). The failed group goes, a new one comes.
    var annotations = new HashMap<String, String>();
    annotations.put(ReplicationGroups.RECREATE_ANNOTATION, "1");
    rc.getMetadata().setAnnotations(annotations);
    h.reconcileUntilReady(rc, 40);
    assertThat(h.aws.count("elasticache:DeleteReplicationGroup")).isEqualTo(1);
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isEqualTo(2);
    assertThat(h.aws.groups).hasSize(1);
  }

  @Test
  void aRecreateRequestSurvivesADeleteThatAwsTurnedAwayOnce() {
    Harness h = new Harness();
    h.aws.failNextCreate("Failed to create replication group due to insufficient capacity");
    RedisCache rc = Harness.cache("shop", "sessions");
    for (int i = 0; i < 20 && !stalled(rc); i++) step(h, rc);
    var annotations = new HashMap<String, String>();
    annotations.put(ReplicationGroups.RECREATE_ANNOTATION, "1");
    rc.getMetadata().setAnnotations(annotations);
    h.aws.failNext("elasticache:DeleteReplicationGroup", 1); // AWS answers 5xx to the first delete
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Reconciling").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(h.aws.groups).hasSize(1);
    h.reconcileUntilReady(rc, 40);
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isEqualTo(2);
  }

  @Test
  void aSpecChangeAlsoRecreatesAGroupAwsFailedToCreate() {
    Harness h = new Harness();
    h.aws.failNextCreate("Failed to create replication group due to insufficient capacity");
    RedisCache rc = Harness.cache("shop", "sessions");
    for (int i = 0; i < 20 && !stalled(rc); i++) step(h, rc);
    rc.getSpec().setNodeType("cache.t4g.small");
    rc.getMetadata().setGeneration(2L);
    h.reconcileUntilReady(rc, 40);
    assertThat(h.aws.groups.values().iterator().next().spec.cacheNodeType()).isEqualTo("cache.t4g.small");
  }

  @Test
  void deletingACacheAndCreatingOneWithTheSameNameRightAwayEndsReady() {
    Harness h = new Harness();
    h.aws.secretDeletionTime = Duration.ofMinutes(3);
    h.aws.eniReleaseTime = Duration.ofMinutes(4);
    RedisCache first = h.reconcileUntilReady(Harness.cache("shop", "sessions"), 30);
    String oldToken = h.secretData(first).get("password");
    assertThat(h.deleteUntilGone(first, 40)).isTrue();

    // Same namespace and name, a new uid; the old connection Secret is not collected yet (no garbage collector here).
    RedisCache second = Harness.cache("shop", "sessions");
    h.reconcile(second);
    assertThat(Harness.condition(second, "Stalled").orElseThrow().getStatus()).as(Harness.condition(second, "Stalled").orElseThrow().getMessage()).isEqualTo("False");
    h.reconcileUntilReady(second, 40);
    assertThat(h.aws.groups).hasSize(1);
    assertThat(h.secretData(second).get("password")).isNotEqualTo(oldToken);
    assertThat(h.aws.groups.values().iterator().next().tokens).containsExactly(h.secretData(second).get("password"));
  }

  @Test
  void aChangeAwsDefersToTheMaintenanceWindowIsPendingNotRolledBack() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "sessions"), 30);
    rc.getSpec().setApplyChanges(dev.operators.elasticache.api.ApplyChanges.NextMaintenanceWindow);
    rc.getSpec().setNodeType("cache.t4g.small");
    rc.getMetadata().setGeneration(2L);
    h.reconcileUntilReady(rc, 20);
    for (int i = 0; i < 5; i++) step(h, rc);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(rc.getStatus().getPendingChanges()).singleElement().asString().contains("cache.t4g.small").contains("maintenance window");
    assertThat(h.kube.events).noneMatch(e -> e.reason().equals("ChangeRolledBack"));
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(1);

    h.aws.reachMaintenanceWindow(rc.getStatus().getReplicationGroupId());
    for (int i = 0; i < 10; i++) step(h, rc);
    assertThat(h.aws.groups.values().iterator().next().spec.cacheNodeType()).isEqualTo("cache.t4g.small");
    assertThat(rc.getStatus().getPendingChanges()).isNull();
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(1);
  }

  @Test
  void aRestartOverSettledCachesMakesNoPerCacheAwsCallAndWritesNoStatus() {
    Harness h = new Harness();
    java.util.List<RedisCache> caches = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) caches.add(h.reconcileUntilReady(Harness.cache("shop", "c" + i), 30));
    caches.forEach(h::reconcile); // settled: nothing left to do
    int patches = h.kube.statusPatches;
    long events = h.kube.events.size();

    Harness restarted = h.restartBeforeFirstSweep();
    caches.forEach(restarted::reconcile); // JOSDK reconciles everything at start
    int before = h.aws.calls.size();
    restarted.sweep();
    int sweepCalls = h.aws.calls.size() - before;
    caches.forEach(restarted::reconcile); // the first sweep triggers every cache
    java.util.List<String> afterSweep = h.aws.calls.subList(before + sweepCalls, h.aws.calls.size());
    // The new process reads AWS's engine versions once, for all caches (one call per engine).
    assertThat(afterSweep).filteredOn("elasticache:DescribeCacheEngineVersions"::equals).hasSize(1);
    java.util.List<String> perCache = afterSweep.stream().filter(c -> !c.equals("elasticache:DescribeCacheEngineVersions")).toList();
    assertThat(perCache).as("calls after the sweep, for 30 caches").hasSizeLessThanOrEqualTo(1); // DescribeSubnets once: subnets never move
    assertThat(restarted.kube.statusPatches).isEqualTo(patches);
    assertThat(h.kube.events).hasSize((int) events);
    assertThat(caches).allMatch(Harness::ready);
  }

  @Test
  void fromApplyToReadyNothingIsDescribedTwiceAndStatusIsWrittenFewTimes() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "counted");
    rc.getSpec().setParameters(java.util.Map.of("maxmemory-policy", "allkeys-lru"));
    int before = h.aws.calls.size();
    // As in production: a reconcile each time the sweep sees the group change, plus the 60 s re-check.
    for (int i = 0; i < 40 && !Harness.ready(rc); i++) {
      h.reconcile(rc);
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(Harness.ready(rc)).isTrue();
    var sweep = java.util.Set.of("elasticache:DescribeReplicationGroups", "elasticache:DescribeCacheClusters", "ec2:DescribeSecurityGroups");
    java.util.List<String> perCache = new java.util.ArrayList<>(h.aws.calls.subList(before, h.aws.calls.size()));
    // The sweeps' own calls (one set per sweep, for all caches) are not this cache's; the describes
    // this cache made itself are counted below by name.
    long sweeps = perCache.stream().filter("elasticache:DescribeCacheClusters"::equals).count();
    java.util.Map<String, Long> byOperation = new java.util.TreeMap<>();
    perCache.forEach(c -> byOperation.merge(c, 1L, Long::sum));
    byOperation.computeIfPresent("elasticache:DescribeReplicationGroups", (k, v) -> v - sweeps == 0 ? null : v - sweeps);
    byOperation.remove("elasticache:DescribeCacheClusters");
    byOperation.computeIfPresent("ec2:DescribeSecurityGroups", (k, v) -> v - sweeps == 0 ? null : v - sweeps);
    long total = byOperation.values().stream().mapToLong(Long::longValue).sum();
    System.out.println("AWS calls of one cache from apply to Ready, by operation: " + byOperation + " = " + total
        + "; status writes: " + h.kube.statusPatches);
    assertThat(byOperation.values()).as("no call made twice: %s", byOperation).allMatch(n -> n == 1);
    assertThat(byOperation).as("the tags the create call set are not read back").doesNotContainKey("elasticache:ListTagsForResource");
    assertThat(total).as("issue 8: at most 10 AWS calls per cache (ACK needs about 60)").isLessThanOrEqualTo(10);
    assertThat(h.kube.statusPatches).isLessThanOrEqualTo(5);
  }

  @Test
  void aBurstOfNewCachesIsCreatedInArrivalOrderAFewAtATime() {
    Harness h = new Harness(); // rediscache.aws.concurrent-creates = 8
    java.util.List<RedisCache> caches = new java.util.ArrayList<>();
    for (int i = 0; i < 24; i++) {
      RedisCache rc = Harness.cache("shop", String.format("c%02d", i));
      rc.getMetadata().setCreationTimestamp(java.time.Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i).toString());
      caches.add(rc);
    }
    java.util.List<String> arrival = caches.stream().map(c -> Desired.replicationGroupId(c, "test")).toList();
    h.informer.addAll(caches);
    h.sweep(); // the sweep sees the burst in the informer
    // The AWS call budget is spent for now: every creation call is turned away by the operator's own limit.
    boolean[] budgetSpent = {true};
    h.aws.beforeCreate = s -> {
      if (budgetSpent[0]) throw new AwsException(AwsException.Kind.THROTTLED, "elasticache:CreateReplicationGroup", "ClientRateLimit", "over budget");
    };
    java.util.List<RedisCache> shuffled = new java.util.ArrayList<>(caches);
    java.util.Collections.shuffle(shuffled, new java.util.Random(7)); // JOSDK hands them over in no particular order
    shuffled.forEach(h::reconcile);
    long working = caches.stream().filter(c -> !"Queued".equals(Harness.condition(c, "Reconciling").orElseThrow().getReason())).count();
    assertThat(working).as("only 8 caches spend the budget").isEqualTo(8);
    assertThat(caches.subList(0, 8)).as("the first 8 applied").noneMatch(c -> "Queued".equals(Harness.condition(c, "Reconciling").orElseThrow().getReason()));
    RedisCache queued = caches.get(23);
    int patches = h.kube.statusPatches;
    int calls = h.aws.calls.size();
    h.reconcile(queued);
    assertThat(h.aws.calls).as("a queued cache makes no AWS call").hasSize(calls);
    assertThat(h.kube.statusPatches).as("nor a second status write").isEqualTo(patches);

    // Budget again: whatever order the reconciles come in, no cache is created more than 8 places ahead of its turn.
    budgetSpent[0] = false;
    for (int round = 0; round < 10 && h.aws.groups.size() < caches.size(); round++) {
      java.util.Collections.shuffle(shuffled, new java.util.Random(round));
      for (RedisCache rc : shuffled) {
        h.reconcile(rc);
        java.util.List<String> created = new java.util.ArrayList<>(h.aws.groups.keySet());
        for (int k = 0; k < created.size(); k++) {
          assertThat(arrival.indexOf(created.get(k))).as("creation %d: %s", k, created.get(k)).isLessThan(k + 8);
        }
      }
      h.sweep();
    }
    assertThat(h.aws.groups).hasSize(24);
    for (RedisCache rc : caches) h.reconcileUntilReady(rc, 40);
  }

  static boolean stalled(RedisCache rc) {
    return Harness.condition(rc, "Stalled").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  static void step(Harness h, RedisCache rc) {
    h.reconcile(rc);
    h.aws.clock.advance(Duration.ofMinutes(1));
    h.sweep();
  }

  static RedisCache copy(RedisCache rc) {
    RedisCache c = new RedisCache();
    c.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(rc.getMetadata())
        .withAnnotations(rc.getMetadata().getAnnotations() == null ? null : new HashMap<>(rc.getMetadata().getAnnotations())).build());
    c.setSpec(rc.getSpec());
    c.setStatus(rc.getStatus() == null ? null : dev.operators.elasticache.decide.StatusBuilder.copy(rc.getStatus()));
    return c;
  }
}
