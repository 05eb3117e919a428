package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** AUTH token settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
  @JsonPropertyDescription("Generate an AUTH token, require it on every connection and put it in the connection Secret. Needs tls. Default true. Can be turned on for a running cache (the token is brought in like a rotation: ROTATE, the Secret, then SET); turning it off on a group that has a token is refused (Stalled) unless spec.users is set: AWS removes a token only when moving to RBAC users, which the operator then does without an outage.")
  @Default("true")
  private Boolean enabled = Boolean.TRUE;

  @JsonPropertyDescription("Token rotation: ROTATE (both tokens work), the Secret updated, a grace period, then SET (only the new one works). With spec.users (auth.enabled: false) the same schedule, annotation and grace period rotate each user's password with AWS's two-password window, and the grace period is also how long the token keeps working when a running cache switches to users.")
  private RotationSpec rotation;

  public RotationSpec getRotation() { return rotation; }
  public void setRotation(RotationSpec rotation) { this.rotation = rotation; }
  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }
}
