package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** AUTH token settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
  @JsonPropertyDescription("Generate an AUTH token, require it on every connection and put it in the connection Secret. Needs tls. Default true. Can be turned on for a running cache (the token is brought in like a rotation: ROTATE, the Secret, then SET); turning it off on a group that has a token is refused (Stalled): AWS removes a token only when moving to RBAC.")
  @Default("true")
  private Boolean enabled = Boolean.TRUE;

  @JsonPropertyDescription("Token rotation: ROTATE (both tokens work), the Secret updated, a grace period, then SET (only the new one works).")
  private RotationSpec rotation;

  public RotationSpec getRotation() { return rotation; }
  public void setRotation(RotationSpec rotation) { this.rotation = rotation; }
  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }
}
