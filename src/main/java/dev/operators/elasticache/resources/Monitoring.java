package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.LogDelivery;
import dev.operators.elasticache.aws.MetricAlarm;
import dev.operators.elasticache.aws.MonitoringPort;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.decide.AlarmPlan;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.decide.StatusBuilder;
import dev.operators.elasticache.infra.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** CloudWatch Logs groups for log delivery, and CloudWatch alarms on every node. */
@ApplicationScoped
public class Monitoring {
  private final MonitoringPort monitoring;
  private final EventRecorder events;

  public Monitoring(MonitoringPort monitoring, EventRecorder events) {
    this.monitoring = monitoring;
    this.events = events;
  }

  /** The step: log groups must exist before AWS is asked to deliver to them. */
  public Outcome ensureLogGroups(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    StatusBuilder status = r.status();
    List<String> known = status.status().getLogGroups() == null ? List.of() : status.status().getLogGroups();
    for (LogDelivery l : d.logDelivery()) {
      if (known.contains(l.logGroup())) continue;
      if (monitoring.ensureLogGroup(l.logGroup(), d.tags())) {
        status.logGroupCreated(l.logGroup());
        events.normal(rc, "LogGroupCreated", "Created CloudWatch Logs group " + l.logGroup() + " for the " + l.logType());
      } else if (d.uid().equals(monitoring.logGroupTags(l.logGroup()).orElse(Map.of()).get(Names.TAG_UID))) {
        // Made by this cache earlier, and the status that said so was not written (or not yet seen): AWS's tags are the record.
        status.logGroupCreated(l.logGroup());
      }
    }
    return Outcome.DONE;
  }

  /** Exactly the alarms the spec asks for, one per node and metric; returns how many there are. */
  public int ensureAlarms(RedisCache rc, Desired d, ObservedGroup g) {
    List<MetricAlarm> desired = AlarmPlan.desired(d.replicationGroupId(), d.alarms(), g.group().memberClusters());
    boolean noneMade = rc.getStatus() == null || rc.getStatus().getAlarms() == null;
    List<MetricAlarm> existing = desired.isEmpty() && noneMade ? List.of() : monitoring.alarms(AlarmPlan.prefix(d.replicationGroupId()));
    AlarmPlan plan = AlarmPlan.of(desired, existing);
    plan.put().forEach(a -> monitoring.putAlarm(a, d.tags()));
    if (!plan.delete().isEmpty()) monitoring.deleteAlarms(plan.delete());
    if (!plan.empty()) {
      events.normal(rc, "AlarmsUpdated", "CloudWatch alarms: " + plan.put().size() + " put, " + plan.delete().size() + " deleted; "
          + desired.size() + " in all");
    }
    return desired.size();
  }

  /** On delete: the cache's alarms, and the log groups the operator created for it. */
  public void teardown(RedisCache rc, Desired d) {
    java.util.Set<String> logGroups = new java.util.TreeSet<>();
    d.logDelivery().forEach(l -> logGroups.add(l.logGroup()));
    if (rc.getStatus() != null && rc.getStatus().getLogGroups() != null) logGroups.addAll(rc.getStatus().getLogGroups());
    boolean alarmsMade = d.alarms() != null || (rc.getStatus() != null && rc.getStatus().getAlarms() != null);
    if (alarmsMade) {
      List<String> alarms = monitoring.alarms(AlarmPlan.prefix(d.replicationGroupId())).stream().map(MetricAlarm::name).toList();
      if (!alarms.isEmpty()) monitoring.deleteAlarms(alarms);
    }
    for (String group : logGroups) {
      Map<String, String> tags = monitoring.logGroupTags(group).orElse(Map.of());
      if (d.uid().equals(tags.get(Names.TAG_UID))) {
        try {
          monitoring.deleteLogGroup(group);
        } catch (AwsException e) {
          if (!e.is(AwsException.Kind.NOT_FOUND)) throw e;
        }
      }
    }
  }
}
