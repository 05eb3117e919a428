package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One app's access to the cache: an ElastiCache RBAC user of the cache's user group, and the app's own Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CacheUserSpec {
  @JsonPropertyDescription("The user name the app sends (AUTH <name> <password>): a letter, then letters, digits and hyphens, up to 40. Not default (the operator keeps the group's default user disabled). Unique in the list.")
  @Required
  @Size(max = 40)
  @Pattern("^[a-zA-Z][a-zA-Z0-9-]*$")
  private String name;

  @JsonPropertyDescription("What the user may do, as an ElastiCache access string, for example 'on ~orders:* +@read +@write -@dangerous'. Checked before AWS is called: ACL rules only, no password rules (>, <, #, nopass), no reset. Can be changed on a running cache (ModifyUser).")
  @Required
  @Size(max = 1000)
  private String accessString;

  @JsonPropertyDescription("password (default): the operator generates a password and writes it in the app's Secret (and first in Secrets Manager with connectionSecret.secretsManager). iam: the app signs a short-lived IAM token with its own role instead (Valkey 7.2+ or Redis OSS 7.0+); the user name AWS takes is then the user id, given in the Secret's username, with region, cacheName and the IAM policy the role needs (iamPolicy), and no password. Can be changed in place from iam to password, and back to iam; a user made as password cannot become iam (AWS requires an IAM user's name to be its id): add an iam user beside it instead.")
  @Default("password")
  private UserAuthentication authentication = UserAuthentication.PASSWORD;

  @JsonPropertyDescription("The app's Secret, in the RedisCache's namespace (host, port, username, password, tls, url). Default: <metadata.name>-<name>.")
  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$")
  @Size(max = 253)
  private String secretName;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getAccessString() { return accessString; }
  public void setAccessString(String accessString) { this.accessString = accessString; }
  public UserAuthentication getAuthentication() { return authentication; }
  public void setAuthentication(UserAuthentication authentication) { this.authentication = authentication; }
  public String getSecretName() { return secretName; }
  public void setSecretName(String secretName) { this.secretName = secretName; }

  /** The authentication asked for (password when unset). */
  public UserAuthentication authenticationOrDefault() { return authentication == null ? UserAuthentication.PASSWORD : authentication; }
}
