package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One AWS service update still to be applied to (or just applied to) the cache's replication group. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceUpdateStatus {
  @JsonPropertyDescription("The service update's name (ServiceUpdateName).")
  private String name;
  @JsonPropertyDescription("critical, important, medium or low.")
  private String severity;
  @JsonPropertyDescription("The kind of update (security-update).")
  private String type;
  @JsonPropertyDescription("When AWS released the update (RFC 3339, UTC).")
  private String releaseDate;
  @JsonPropertyDescription("The date AWS recommends applying it by (RFC 3339, UTC).")
  private String recommendedApplyBy;
  @JsonPropertyDescription("The update's status on this group, as AWS reports it: not-applied, waiting-to-start, in-progress, stopping, stopped, scheduling, scheduled or complete.")
  private String status;

  public ServiceUpdateStatus() {}

  public ServiceUpdateStatus(String name, String severity, String type, String releaseDate, String recommendedApplyBy, String status) {
    this.name = name;
    this.severity = severity;
    this.type = type;
    this.releaseDate = releaseDate;
    this.recommendedApplyBy = recommendedApplyBy;
    this.status = status;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getSeverity() { return severity; }
  public void setSeverity(String severity) { this.severity = severity; }
  public String getType() { return type; }
  public void setType(String type) { this.type = type; }
  public String getReleaseDate() { return releaseDate; }
  public void setReleaseDate(String releaseDate) { this.releaseDate = releaseDate; }
  public String getRecommendedApplyBy() { return recommendedApplyBy; }
  public void setRecommendedApplyBy(String recommendedApplyBy) { this.recommendedApplyBy = recommendedApplyBy; }
  public String getStatus() { return status; }
  public void setStatus(String status) { this.status = status; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceUpdateStatus s && Objects.equals(name, s.name) && Objects.equals(severity, s.severity)
        && Objects.equals(type, s.type) && Objects.equals(releaseDate, s.releaseDate)
        && Objects.equals(recommendedApplyBy, s.recommendedApplyBy) && Objects.equals(status, s.status);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, status);
  }

  @Override
  public String toString() {
    return name + " (" + severity + ", " + status + ")";
  }
}
