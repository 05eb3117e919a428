package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * The Service Binding specification's Provisioned Service duck type (servicebinding.io):
 * {@code status.binding.name} names the Secret a ServiceBinding projects into workloads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BindingStatus {
  @JsonPropertyDescription("Name of the connection Secret, in the RedisCache's namespace, once it holds every key an app needs.")
  private String name;

  public BindingStatus() {}

  public BindingStatus(String name) {
    this.name = name;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }

  @Override
  public boolean equals(Object o) {
    return o instanceof BindingStatus b && Objects.equals(name, b.name);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(name);
  }
}
