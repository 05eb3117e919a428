package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine versions come from AWS (DescribeCacheEngineVersions): what AWS lists is accepted, what
 * it does not is Stalled naming the field and listing what AWS offers, and the list is asked once
 * for all caches and again a day later.
 */
class EngineCatalogueComponentTest {
  static final String ASK = "elasticache:DescribeCacheEngineVersions";

  @Test
  void valkey91BecomesReadyWithAValkey9ParameterGroup() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "v91");
    rc.getSpec().setEngineVersion("9.1");
    rc.getSpec().setParameters(Map.of("maxmemory-policy", "allkeys-lru"));
    h.reconcileUntilReady(rc, 30);
    FakeAws.Group g = h.aws.groups.get(rc.getStatus().getReplicationGroupId());
    assertThat(g.spec.engine()).isEqualTo("valkey");
    assertThat(g.spec.engineVersion()).isEqualTo("9.1");
    assertThat(h.aws.parameterGroups.get(g.spec.cacheParameterGroupName()).family()).isEqualTo("valkey9");
    assertThat(rc.getStatus().getEngineVersion()).startsWith("9.1.");
    assertThat(rc.getStatus().getExtendedSupport()).isNull();
  }

  @Test
  void aVersionAwsDoesNotOfferIsStalledListingWhatAwsOffersAndNothingIsCreated() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "v79");
    rc.getSpec().setEngineVersion("7.9");
    h.reconcile(rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getMessage()).contains("spec.engineVersion", "\"7.9\"", "[7.2, 8.0, 8.1, 8.2, 9.0, 9.1]");
    assertThat(h.aws.calls).noneMatch(c -> c.contains("Create"));
    assertThat(h.kube.events).anyMatch(e -> e.type().equals("Warning") && e.message().contains("spec.engineVersion"));
  }

  @Test
  void aHundredCachesCostOneAskAndTheNextIsADayLater() {
    Harness h = new Harness(new FakeAws(), new Harness.Kube(), false); // a fresh start: the list not asked yet
    h.sweep();
    List<RedisCache> caches = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      RedisCache rc = Harness.cache("shop", String.format("c%03d", i));
      rc.getSpec().setEngineVersion(i % 2 == 0 ? "9.1" : "8.2");
      rc.getMetadata().setCreationTimestamp(java.time.Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i).toString());
      caches.add(rc);
    }
    h.informer.addAll(caches);
    h.sweep();
    for (int round = 0; round < 60 && !caches.stream().allMatch(Harness::ready); round++) {
      caches.forEach(h::reconcile);
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(caches).allMatch(Harness::ready);
    assertThat(h.aws.count(ASK)).as("one DescribeCacheEngineVersions (both engines in one page) for 100 caches").isEqualTo(1);

    h.aws.clock.advance(Duration.ofHours(24));
    h.sweep();
    caches.forEach(h::reconcile);
    assertThat(h.aws.count(ASK)).as("asked again once, a day later").isEqualTo(2);
    assertThat(caches).allMatch(Harness::ready);
  }

  @Test
  void whenTheFirstAskIsThrottledCachesWaitAndOneAsksAgainAfterTheBackOff() {
    Harness h = new Harness(new FakeAws(), new Harness.Kube(), false);
    h.sweep();
    RedisCache a = Harness.cache("shop", "a");
    RedisCache b = Harness.cache("shop", "b");
    h.aws.throttleNext(1);
    h.reconcile(a);
    h.reconcile(b);
    assertThat(h.aws.count(ASK)).as("b does not ask again before the back-off").isEqualTo(1);
    for (RedisCache rc : List.of(a, b)) {
      var reconciling = Harness.condition(rc, "Reconciling").orElseThrow();
      assertThat(reconciling.getStatus()).isEqualTo("True");
      assertThat(reconciling.getReason()).isEqualTo("WaitingForEngineVersions");
      assertThat(reconciling.getMessage()).contains("Throttling");
      assertThat(Harness.condition(rc, "Stalled").orElseThrow().getStatus()).isEqualTo("False");
    }
    assertThat(h.lastControl.getScheduleDelay()).hasValueSatisfying(ms -> assertThat(ms).isBetween(1L, 15_000L));
    assertThat(h.aws.calls).noneMatch(c -> c.contains("Create"));

    h.aws.clock.advance(Duration.ofSeconds(15));
    h.reconcileUntilReady(a, 30);
    h.reconcileUntilReady(b, 30);
    assertThat(h.aws.count(ASK)).isEqualTo(1 + 1);
  }

  @Test
  void aReadyCacheStaysReadyWithoutAStatusWriteWhileARestartedOperatorCannotReadTheList() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "steady"), 30);
    Harness restarted = h.restartBeforeFirstSweep();
    restarted.sweep();
    int patches = h.kube.statusPatches;
    h.aws.throttleNext(1);
    restarted.reconcile(rc);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(restarted.kube.statusPatches).isEqualTo(patches);
  }

  @Test
  void aRedisOss5CacheIsToldOnceWhenItEntersExtendedSupport() {
    Harness h = new Harness(); // the fake's clock starts on 2026-01-01, in Redis OSS 5's last month of standard support
    RedisCache rc = Harness.cache("shop", "old");
    rc.getSpec().setEngine(Engine.REDIS);
    rc.getSpec().setEngineVersion("5.0");
    h.reconcileUntilReady(rc, 30);
    assertThat(h.aws.groups.get(rc.getStatus().getReplicationGroupId()).spec.engineVersion()).as("AWS's own 5.0.6").isEqualTo("5.0.6");
    assertThat(rc.getStatus().getExtendedSupport()).isNull();
    assertThat(h.kube.events).noneMatch(e -> e.reason().equals("ExtendedSupport"));

    h.aws.clock.advance(Duration.ofDays(31)); // 2026-02-01
    h.sweep();
    h.reconcile(rc);
    h.reconcile(rc);
    assertThat(rc.getStatus().getExtendedSupport()).contains("Extended Support", "2026-02-01", "2029-01-31");
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(h.kube.events).filteredOn(e -> e.reason().equals("ExtendedSupport"))
        .singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("Warning"));
  }
}
