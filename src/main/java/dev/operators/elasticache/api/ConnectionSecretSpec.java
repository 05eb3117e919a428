package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;

/** The Secret apps mount. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConnectionSecretSpec {
  @JsonPropertyDescription("Name of the Secret, in the RedisCache's namespace. Default: <metadata.name>-redis.")
  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$")
  private String name;

  @JsonPropertyDescription("Also keep the AUTH token, and each spec.users password, in AWS Secrets Manager (default true), written there before AWS is asked to use them. It lets the operator write the same token or password again if a Kubernetes Secret is deleted.")
  @Default("true")
  private Boolean secretsManager = Boolean.TRUE;

  @JsonPropertyDescription("Extra keys, each rendered from the standard keys: {{ .host }}, {{ .port }}, {{ .password }}, {{ .tls }}, {{ .ssl }}, {{ .url }}, {{ .pythonUrl }}, {{ .readerHost }}, {{ .clusterMode }}. Example: CELERY_BROKER_URL: \"{{ .url }}/0?ssl_cert_reqs=required\".")
  private Map<String, String> template;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Boolean getSecretsManager() { return secretsManager; }
  public void setSecretsManager(Boolean secretsManager) { this.secretsManager = secretsManager; }
  public Map<String, String> getTemplate() { return template; }
  public void setTemplate(Map<String, String> template) { this.template = template; }
}
