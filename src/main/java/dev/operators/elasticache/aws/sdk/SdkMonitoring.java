package dev.operators.elasticache.aws.sdk;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.MetricAlarm;
import dev.operators.elasticache.aws.MonitoringPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.Tag;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** CloudWatch alarms and CloudWatch Logs groups through the AWS SDK. */
public final class SdkMonitoring implements MonitoringPort {
  private static final String CW = "cloudwatch";
  private static final String LOGS = "logs";
  private final CloudWatchClient cw;
  private final CloudWatchLogsClient logs;
  private final AwsCalls calls;

  public SdkMonitoring(CloudWatchClient cw, CloudWatchLogsClient logs, AwsCalls calls) {
    this.cw = cw;
    this.logs = logs;
    this.calls = calls;
  }

  @Override
  public List<MetricAlarm> alarms(String namePrefix) {
    List<MetricAlarm> out = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      var page = calls.run(CW, "DescribeAlarms", () -> cw.describeAlarms(r -> r.alarmNamePrefix(namePrefix).maxRecords(100).nextToken(t)));
      page.metricAlarms().forEach(a -> out.add(new MetricAlarm(a.alarmName(), a.metricName(), a.statisticAsString(),
          a.threshold() == null ? 0 : a.threshold(),
          a.dimensions().stream().filter(d -> d.name().equals("CacheClusterId")).map(Dimension::value).findFirst().orElse(null),
          a.period() == null ? 0 : a.period(), a.evaluationPeriods() == null ? 0 : a.evaluationPeriods(), List.copyOf(a.alarmActions()))));
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  @Override
  public void putAlarm(MetricAlarm a, Map<String, String> tags) {
    calls.run(CW, "PutMetricAlarm", () -> cw.putMetricAlarm(r -> r.alarmName(a.name()).namespace(MetricAlarm.NAMESPACE)
        .metricName(a.metric()).statistic(Statistic.fromValue(a.statistic())).threshold(a.threshold())
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD).period(a.periodSeconds())
        .evaluationPeriods(a.evaluationPeriods()).dimensions(Dimension.builder().name("CacheClusterId").value(a.cacheClusterId()).build())
        .alarmActions(a.actions()).okActions(a.actions()).treatMissingData("notBreaching")
        .alarmDescription("RedisCache alarm (managed by rediscache-operator)")
        .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())));
  }

  @Override
  public void deleteAlarms(List<String> names) {
    for (int i = 0; i < names.size(); i += 100) {
      List<String> chunk = names.subList(i, Math.min(names.size(), i + 100));
      calls.run(CW, "DeleteAlarms", () -> cw.deleteAlarms(r -> r.alarmNames(chunk)));
    }
  }

  @Override
  public boolean ensureLogGroup(String name, Map<String, String> tags) {
    try {
      calls.run(LOGS, "CreateLogGroup", () -> logs.createLogGroup(r -> r.logGroupName(name).tags(tags)));
      return true;
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.ALREADY_EXISTS)) return false;
      throw e;
    }
  }

  @Override
  public Optional<Map<String, String>> logGroupTags(String name) {
    try {
      @SuppressWarnings("deprecation")
      Map<String, String> tags = calls.run(LOGS, "ListTagsLogGroup", () -> logs.listTagsLogGroup(r -> r.logGroupName(name)).tags());
      return Optional.of(new LinkedHashMap<>(tags));
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  @Override
  public void deleteLogGroup(String name) {
    try {
      calls.run(LOGS, "DeleteLogGroup", () -> logs.deleteLogGroup(r -> r.logGroupName(name)));
    } catch (AwsException e) {
      if (!e.is(AwsException.Kind.NOT_FOUND)) throw e;
    }
  }
}
