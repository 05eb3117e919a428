package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AlarmsSpec;
import dev.operators.elasticache.api.LogDeliverySpec;
import dev.operators.elasticache.api.LogTargetSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.MetricAlarm;
import dev.operators.elasticache.fake.Harness;
import org.junit.jupiter.api.Test;

/** Log delivery to CloudWatch Logs and CloudWatch alarms: created, updated and deleted with the cache. */
class MonitoringComponentTest {

  static void edit(RedisCache rc, java.util.function.Consumer<RedisCache> change) {
    change.accept(rc);
    rc.getMetadata().setGeneration(rc.getMetadata().getGeneration() + 1);
  }

  @Test
  void logsAndAlarmsFollowTheSpecAndGoWithTheCache() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "watched");
    rc.getSpec().setReplicasPerShard(1);
    LogDeliverySpec logs = new LogDeliverySpec();
    LogTargetSpec slow = new LogTargetSpec();
    slow.setLogGroup("/elasticache/shop/watched");
    logs.setSlowLog(slow);
    rc.getSpec().setLogDelivery(logs);
    AlarmsSpec alarms = new AlarmsSpec();
    alarms.setCpuPercent(75);
    alarms.setEvictions(0L);
    alarms.setSnsTopicArn("arn:aws:sns:us-east-1:123456789012:oncall");
    rc.getSpec().setAlarms(alarms);
    h.reconcileUntilReady(rc, 30);

    var group = h.aws.groups.values().iterator().next();
    assertThat(h.aws.logGroups).containsKey("/elasticache/shop/watched");
    assertThat(group.logs).containsOnlyKeys("slow-log");
    assertThat(h.aws.alarms).hasSize(4); // 2 nodes x (cpu, evictions)
    MetricAlarm cpu = h.aws.alarms.values().stream().filter(a -> a.metric().equals("EngineCPUUtilization")).findFirst().orElseThrow();
    assertThat(cpu.threshold()).isEqualTo(75);
    assertThat(cpu.actions()).containsExactly("arn:aws:sns:us-east-1:123456789012:oncall");
    assertThat(rc.getStatus().getAlarms()).isEqualTo(4);

    // Change: another threshold, engine log on, slow log off; alarms follow a new replica.
    edit(rc, r -> {
      r.getSpec().getAlarms().setCpuPercent(90);
      r.getSpec().getAlarms().setEvictions(null);
      r.getSpec().setReplicasPerShard(2);
      LogTargetSpec engine = new LogTargetSpec();
      engine.setLogGroup("/elasticache/shop/watched-engine");
      r.getSpec().getLogDelivery().setEngineLog(engine);
      r.getSpec().getLogDelivery().setSlowLog(null);
    });
    h.reconcileUntilReady(rc, 30);
    assertThat(group.logs).containsOnlyKeys("engine-log");
    assertThat(h.aws.alarms).hasSize(3).allSatisfy((name, a) -> assertThat(a.threshold()).isEqualTo(90));
    int puts = (int) h.aws.count("cloudwatch:PutMetricAlarm");
    h.reconcile(rc);
    assertThat(h.aws.count("cloudwatch:PutMetricAlarm")).isEqualTo(puts);

    assertThat(h.deleteUntilGone(rc, 30)).isTrue();
    assertThat(h.aws.alarms).isEmpty();
    assertThat(h.aws.logGroups).isEmpty();
  }

  @Test
  void aLogGroupWhoseStatusWriteFailedIsStillDeletedWithTheCache() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "logged");
    LogDeliverySpec logs = new LogDeliverySpec();
    LogTargetSpec slow = new LogTargetSpec();
    slow.setLogGroup("/elasticache/shop/logged");
    logs.setSlowLog(slow);
    rc.getSpec().setLogDelivery(logs);
    h.failNextStatusPatch = true; // the reconcile that creates the log group loses its status write
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.reconcile(rc)).hasMessageContaining("status patch failed");
    assertThat(h.aws.logGroups).containsKey("/elasticache/shop/logged");
    assertThat(rc.getStatus()).isNull();

    Harness restarted = h.restart();
    restarted.reconcileUntilReady(rc, 30);
    assertThat(rc.getStatus().getLogGroups()).containsExactly("/elasticache/shop/logged");
    assertThat(restarted.deleteUntilGone(rc, 30)).isTrue();
    assertThat(h.aws.logGroups).as("no orphan log group").isEmpty();
  }

  @Test
  void aCacheWithoutAlarmsNeverAsksCloudWatch() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "quiet"), 30);
    assertThat(h.deleteUntilGone(rc, 30)).isTrue();
    assertThat(h.aws.calls).noneMatch(c -> c.startsWith("cloudwatch:") || c.startsWith("logs:"));
  }
}
