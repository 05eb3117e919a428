package dev.operators.elasticache.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.infra.Leadership;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The poller itself, on a real scheduler: when it sweeps. */
class FleetEventSourceTest {

  @Test
  void aTurnsPeriodIsCountedFromItsStartAndALongTurnIsFollowedAfterAFifthOfTheFastPeriod() {
    Duration fast = Duration.ofSeconds(5);
    assertThat(FleetEventSource.nextTurnIn(fast, Duration.ofSeconds(2), fast)).isEqualTo(Duration.ofSeconds(3));
    assertThat(FleetEventSource.nextTurnIn(Duration.ofSeconds(60), Duration.ofMillis(300), fast)).isEqualTo(Duration.ofMillis(59_700));
    assertThat(FleetEventSource.nextTurnIn(fast, Duration.ofSeconds(7), fast)).isEqualTo(Duration.ofSeconds(1));
    assertThat(FleetEventSource.nextTurnIn(fast, Duration.ofMillis(4_500), fast)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aReconcileThatStartsWaitingOnAwsBringsTheNextSweepForwardToTheFastPeriod() {
    java.util.concurrent.atomic.AtomicInteger describes = new java.util.concurrent.atomic.AtomicInteger();
    ElastiCachePort elastiCache = port(ElastiCachePort.class, m -> {
      if (m.equals("describeAll")) describes.incrementAndGet();
      return m.equals("sweepUpdateActions") ? List.of() : Map.of();
    });
    Ec2Port ec2 = port(Ec2Port.class, m -> List.of());
    Fleet fleet = new Fleet(Clock.systemUTC());
    // Fast 200 ms, steady 10 minutes: with nothing in transition the second sweep would be 10 minutes away.
    FleetEventSource source = new FleetEventSource(elastiCache, ec2, fleet, new NoCaches(), "test",
        new FleetEventSource.Periods(Duration.ofMillis(200), Duration.ofMinutes(10), Duration.ofMillis(1), Duration.ofMinutes(10)),
        Clock.systemUTC(), new Admission(8));
    source.setEventHandler(event -> {});
    source.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(fleet::swept);
      int sweeps = describes.get();
      await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> describes.get() == sweeps);

      fleet.hurry(Duration.ofMinutes(2)); // a reconcile has just sent a create
      await().atMost(Duration.ofSeconds(5)).until(() -> describes.get() > sweeps);
    } finally {
      source.stop();
    }
  }

  @Test
  void onAStandbyReplicaThePollerCallsNoAwsUntilItLeadsThenSweepsAtOnce() {
    List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    ElastiCachePort elastiCache = port(ElastiCachePort.class, m -> {
      calls.add(m);
      return m.equals("sweepEvents") || m.equals("sweepUpdateActions") ? List.of() : Map.of();
    });
    Ec2Port ec2 = port(Ec2Port.class, m -> {
      calls.add(m);
      return List.of();
    });
    Fleet fleet = new Fleet(Clock.systemUTC());
    Leadership leadership = new Leadership();
    FleetEventSource source = new FleetEventSource(elastiCache, ec2, fleet, new NoCaches(), "test",
        new FleetEventSource.Periods(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMinutes(30), Duration.ofMillis(200)),
        Clock.systemUTC(), new Admission(8), caches -> {}, leadership);
    source.setEventHandler(event -> {});
    source.start();
    try {
      fleet.hurry(Duration.ofMinutes(2)); // a hurry on a standby does not start the poller either
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(calls::isEmpty);
      assertThat(fleet.swept()).isFalse();

      long granted = System.nanoTime();
      leadership.grant();
      await().atMost(Duration.ofSeconds(5)).until(fleet::swept);
      assertThat(Duration.ofNanos(System.nanoTime() - granted)).isLessThan(Duration.ofSeconds(2));
      assertThat(calls).contains("describeGroups"); // its first sweep, as after a restart: the groups alone
    } finally {
      source.stop();
    }
  }

  /** A port whose every method answers {@code answer(methodName)}. */
  @SuppressWarnings("unchecked")
  static <T> T port(Class<T> type, Function<String, Object> answer) {
    return (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> method.getDeclaringClass() == Object.class ? method.invoke(new Object(), args) : answer.apply(method.getName()));
  }

  /** The informer's cache of RedisCaches, empty. */
  static final class NoCaches implements IndexerResourceCache<RedisCache> {
    @Override public void addIndexers(Map<String, Function<RedisCache, List<String>>> indexers) {}
    @Override public List<RedisCache> byIndex(String indexName, String key) { return List.of(); }
    @Override public Stream<RedisCache> list(String namespace, Predicate<RedisCache> predicate) { return Stream.empty(); }
    @Override public Optional<RedisCache> get(ResourceID id) { return Optional.empty(); }
    @Override public Stream<ResourceID> keys() { return Stream.empty(); }
    @Override public Stream<RedisCache> list(Predicate<RedisCache> predicate) { return Stream.empty(); }
  }
}
