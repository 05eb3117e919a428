package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** CloudWatch alarms on every node of the cache; each threshold left empty means no alarm for it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlarmsSpec {
  @JsonPropertyDescription("Alarm when EngineCPUUtilization (average over 5 minutes, twice in a row) is above this percentage.")
  @Min(1)
  @Max(100)
  private Integer cpuPercent;

  @JsonPropertyDescription("Alarm when DatabaseMemoryUsagePercentage (average over 5 minutes, twice in a row) is above this percentage.")
  @Min(1)
  @Max(100)
  private Integer memoryPercent;

  @JsonPropertyDescription("Alarm when CurrConnections (maximum over 5 minutes, twice in a row) is above this number.")
  @Min(1)
  private Long connections;

  @JsonPropertyDescription("Alarm when Evictions (sum over 5 minutes, twice in a row) is above this number; 0 alarms on any eviction.")
  @Min(0)
  private Long evictions;

  @JsonPropertyDescription("SNS topic notified when an alarm fires and when it clears.")
  @Pattern("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$")
  private String snsTopicArn;

  public Integer getCpuPercent() { return cpuPercent; }
  public void setCpuPercent(Integer cpuPercent) { this.cpuPercent = cpuPercent; }
  public Integer getMemoryPercent() { return memoryPercent; }
  public void setMemoryPercent(Integer memoryPercent) { this.memoryPercent = memoryPercent; }
  public Long getConnections() { return connections; }
  public void setConnections(Long connections) { this.connections = connections; }
  public Long getEvictions() { return evictions; }
  public void setEvictions(Long evictions) { this.evictions = evictions; }
  public String getSnsTopicArn() { return snsTopicArn; }
  public void setSnsTopicArn(String snsTopicArn) { this.snsTopicArn = snsTopicArn; }
}
