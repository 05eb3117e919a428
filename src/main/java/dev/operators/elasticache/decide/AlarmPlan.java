package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.AlarmsSpec;
import dev.operators.elasticache.aws.MetricAlarm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The CloudWatch alarms a cache should have (one per node and metric asked for) and what to put
 * and delete so that exactly those exist. Names start with {@link #prefix}.
 */
public record AlarmPlan(List<MetricAlarm> put, List<String> delete) {
  static final int PERIOD = 300;
  static final int EVALUATIONS = 2;

  public static String prefix(String replicationGroupId) {
    return "rediscache-" + replicationGroupId + "-";
  }

  public static List<MetricAlarm> desired(String replicationGroupId, AlarmsSpec a, List<String> members) {
    List<MetricAlarm> out = new ArrayList<>();
    if (a == null) return out;
    List<String> actions = a.getSnsTopicArn() == null ? List.of() : List.of(a.getSnsTopicArn());
    for (String m : members.stream().sorted().toList()) {
      String base = prefix(replicationGroupId) + m.substring(Math.min(m.length(), replicationGroupId.length())).replaceFirst("^-", "") + "-";
      if (a.getCpuPercent() != null) out.add(new MetricAlarm(base + "cpu", "EngineCPUUtilization", "Average", a.getCpuPercent(), m, PERIOD, EVALUATIONS, actions));
      if (a.getMemoryPercent() != null) out.add(new MetricAlarm(base + "memory", "DatabaseMemoryUsagePercentage", "Average", a.getMemoryPercent(), m, PERIOD, EVALUATIONS, actions));
      if (a.getConnections() != null) out.add(new MetricAlarm(base + "connections", "CurrConnections", "Maximum", a.getConnections(), m, PERIOD, EVALUATIONS, actions));
      if (a.getEvictions() != null) out.add(new MetricAlarm(base + "evictions", "Evictions", "Sum", a.getEvictions(), m, PERIOD, EVALUATIONS, actions));
    }
    return out;
  }

  public static AlarmPlan of(List<MetricAlarm> desired, List<MetricAlarm> existing) {
    Map<String, MetricAlarm> have = existing.stream().collect(Collectors.toMap(MetricAlarm::name, Function.identity(), (x, y) -> x));
    List<MetricAlarm> put = desired.stream().filter(w -> !w.equals(have.get(w.name()))).toList();
    Set<String> wanted = desired.stream().map(MetricAlarm::name).collect(Collectors.toSet());
    List<String> delete = existing.stream().map(MetricAlarm::name).filter(n -> !wanted.contains(n)).sorted().toList();
    return new AlarmPlan(put, delete);
  }

  public boolean empty() { return put.isEmpty() && delete.isEmpty(); }
}
