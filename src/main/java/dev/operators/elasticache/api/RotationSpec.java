package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Rotation of the AUTH token: on a schedule, or now with the annotation elasticache.operators.dev/rotate-token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RotationSpec {
  @JsonPropertyDescription("Rotate the token (with spec.users: each user's password) this often, as a duration such as 720h. Empty: only when asked with the annotation elasticache.operators.dev/rotate-token (set it to any new value).")
  @Pattern("^([0-9]+(h|m|s))+$")
  private String every;

  @JsonPropertyDescription("How long both the old and the new token (or user password) work after the Secret holds the new one, so apps can pick it up; with spec.users also how long the token keeps working when a running cache switches to users. Default 10m.")
  @Default("10m")
  @Pattern("^([0-9]+(h|m|s))+$")
  private String gracePeriod = "10m";

  public String getEvery() { return every; }
  public void setEvery(String every) { this.every = every; }
  public String getGracePeriod() { return gracePeriod; }
  public void setGracePeriod(String gracePeriod) { this.gracePeriod = gracePeriod; }
}
