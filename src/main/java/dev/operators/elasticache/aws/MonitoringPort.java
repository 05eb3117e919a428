package dev.operators.elasticache.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the operator asks of CloudWatch (alarms) and CloudWatch Logs (log groups). */
public interface MonitoringPort {
  /** Every alarm whose name starts with the prefix. */
  List<MetricAlarm> alarms(String namePrefix);

  /** Creates or updates the alarm. */
  void putAlarm(MetricAlarm alarm, Map<String, String> tags);

  void deleteAlarms(List<String> names);

  /** Creates the log group when it does not exist; returns true when it created it. */
  boolean ensureLogGroup(String name, Map<String, String> tags);

  /** The log group's tags, or empty when it does not exist. */
  Optional<Map<String, String>> logGroupTags(String name);

  void deleteLogGroup(String name);
}
