package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** The role to assume, the region, and the namespaces allowed to use them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ElastiCacheAccountSpec {

  @JsonPropertyDescription("The IAM role the operator assumes (STS AssumeRole, with its own credentials) to manage caches in this account, for example arn:aws:iam::222222222222:role/rediscache-operator. Its trust policy must let the operator's role assume it (README, \"Accounts and regions\").")
  @Required
  @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$")
  private String roleArn;

  @JsonPropertyDescription("The external id the role's trust policy asks for (condition sts:ExternalId), if any.")
  @Size(min = 2, max = 1224)
  @Pattern("^[\\w+=,.@:/-]*$")
  private String externalId;

  @JsonPropertyDescription("The AWS region of the caches, for example eu-west-1.")
  @Required
  @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
  private String region;

  @JsonPropertyDescription("Namespaces whose RedisCaches may use this account, by name. A namespace listed here or matched by namespaceSelector may use it; with neither, no namespace may.")
  private List<String> namespaces;

  @JsonPropertyDescription("Namespaces whose RedisCaches may use this account, by their labels (matchLabels, matchExpressions).")
  private LabelSelector namespaceSelector;

  public String getRoleArn() { return roleArn; }
  public void setRoleArn(String roleArn) { this.roleArn = roleArn; }
  public String getExternalId() { return externalId; }
  public void setExternalId(String externalId) { this.externalId = externalId; }
  public String getRegion() { return region; }
  public void setRegion(String region) { this.region = region; }
  public List<String> getNamespaces() { return namespaces; }
  public void setNamespaces(List<String> namespaces) { this.namespaces = namespaces; }
  public LabelSelector getNamespaceSelector() { return namespaceSelector; }
  public void setNamespaceSelector(LabelSelector namespaceSelector) { this.namespaceSelector = namespaceSelector; }
}
