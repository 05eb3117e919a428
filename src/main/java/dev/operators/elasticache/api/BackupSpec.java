package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Automatic daily snapshots. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupSpec {
  @JsonPropertyDescription("Days to keep automatic snapshots, 0 to 35. 0 turns backups off.")
  @Default("0")
  @Min(0)
  @Max(35)
  private Integer retentionDays = 0;

  @JsonPropertyDescription("Daily time range (UTC) for snapshots, hh24:mi-hh24:mi, at least 60 minutes, not overlapping the maintenance window. Empty lets AWS choose.")
  @Pattern("^(([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9])?$")
  private String window;

  public Integer getRetentionDays() { return retentionDays; }
  public void setRetentionDays(Integer retentionDays) { this.retentionDays = retentionDays; }
  public String getWindow() { return window; }
  public void setWindow(String window) { this.window = window; }
}
