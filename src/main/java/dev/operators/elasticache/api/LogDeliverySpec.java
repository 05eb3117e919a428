package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Engine logs to CloudWatch Logs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogDeliverySpec {
  @JsonPropertyDescription("The slow log (commands over slowlog-log-slower-than).")
  private LogTargetSpec slowLog;

  @JsonPropertyDescription("The engine log.")
  private LogTargetSpec engineLog;

  public LogTargetSpec getSlowLog() { return slowLog; }
  public void setSlowLog(LogTargetSpec slowLog) { this.slowLog = slowLog; }
  public LogTargetSpec getEngineLog() { return engineLog; }
  public void setEngineLog(LogTargetSpec engineLog) { this.engineLog = engineLog; }
}
