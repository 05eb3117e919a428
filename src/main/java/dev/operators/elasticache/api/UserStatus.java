package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** An app's ElastiCache user the operator made for this cache, and the app's Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserStatus {
  @JsonPropertyDescription("The user name apps send (spec.users[].name).")
  private String name;

  @JsonPropertyDescription("The ElastiCache user id (named from the cache and the user name).")
  private String userId;

  @JsonPropertyDescription("The app's Secret, in the RedisCache's namespace.")
  private String secretName;

  public UserStatus() {}

  public UserStatus(String name, String userId, String secretName) {
    this.name = name;
    this.userId = userId;
    this.secretName = secretName;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getUserId() { return userId; }
  public void setUserId(String userId) { this.userId = userId; }
  public String getSecretName() { return secretName; }
  public void setSecretName(String secretName) { this.secretName = secretName; }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserStatus u && Objects.equals(name, u.name) && Objects.equals(userId, u.userId) && Objects.equals(secretName, u.secretName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, userId, secretName);
  }
}
