package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where one kind of engine log goes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogTargetSpec {
  @JsonPropertyDescription("CloudWatch Logs log group. The operator creates it (tagged as its own) when it does not exist, and deletes only a group it created.")
  @Required
  @Pattern("^[.\\-_/#A-Za-z0-9]{1,512}$")
  private String logGroup;

  @JsonPropertyDescription("json (default) or text.")
  @Default("json")
  @Pattern("^(json|text)$")
  private String format = "json";

  public String getLogGroup() { return logGroup; }
  public void setLogGroup(String logGroup) { this.logGroup = logGroup; }
  public String getFormat() { return format; }
  public void setFormat(String format) { this.format = format; }
}
