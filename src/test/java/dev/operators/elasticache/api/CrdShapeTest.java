package dev.operators.elasticache.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What kubectl users see of the committed CRD (crds/, equal to the generated one by CrdUpToDateIT):
 * the columns in order, the short names, CEL rules that name their field, a description on every
 * spec field, and the default status kstatus needs. KubectlIT checks the same through a real API server.
 */
class CrdShapeTest {
  static final Path CRD = Path.of("crds/rediscaches.elasticache.operators.dev-v1.yml");

  static CustomResourceDefinition crd() throws Exception {
    return Serialization.unmarshal(Files.readString(CRD), CustomResourceDefinition.class);
  }

  @Test
  void printerColumnsComeInTheOrderAUserReadsThemWithAgeLast() throws Exception {
    List<CustomResourceColumnDefinition> columns = crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns();
    assertThat(columns).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Ready", "Reason", "Engine", "Version", "Node Type", "Shards", "Replicas", "Endpoint", "Age");
    assertThat(columns.get(1).getJsonPath()).isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason");
  }

  @Test
  void theColumnOrderIsTheOrderDeclaredOnRedisCacheWhateverOrderTheGeneratorGives() {
    var generatorOrder = new ArrayList<CustomResourceColumnDefinition>();
    for (String name : List.of("Age", "Endpoint", "Engine", "Node Type", "Ready", "Reason", "Replicas", "Shards", "Version")) {
      var c = new CustomResourceColumnDefinition();
      c.setName(name);
      generatorOrder.add(c);
    }
    assertThat(CrdPostProcessor.inDeclaredOrder(generatorOrder)).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Ready", "Reason", "Engine", "Version", "Node Type", "Shards", "Replicas", "Endpoint", "Age");
  }

  @Test
  void theOnlyShortNameIsRcache() throws Exception {
    assertThat(crd().getSpec().getNames().getShortNames()).containsExactly("rcache");
  }

  @Test
  void everyCelRuleOnAnObjectNamesTheFieldItIsAbout() throws Exception {
    JSONSchemaProps spec = crd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    List<String> rules = new ArrayList<>();
    walk(spec, "spec", (path, node) -> {
      if (node.getXKubernetesValidations() == null) return;
      for (ValidationRule r : node.getXKubernetesValidations()) {
        rules.add(path + ": " + r.getRule());
        boolean onTheFieldItself = !"object".equals(node.getType()) || node.getAdditionalProperties() != null;
        if (!onTheFieldItself) {
          assertThat(r.getFieldPath()).as("fieldPath of %s at %s", r.getRule(), path).isNotBlank();
          assertThat(resolve(node, r.getFieldPath())).as("%s%s exists", path, r.getFieldPath()).isNotNull();
        }
      }
    });
    assertThat(rules).hasSizeGreaterThanOrEqualTo(12);
  }

  @Test
  void everySpecFieldAndTheResourceSpecAndStatusHaveADescription() throws Exception {
    JSONSchemaProps root = crd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    assertThat(root.getDescription()).isNotBlank();
    assertThat(root.getProperties().get("status").getDescription()).isNotBlank();
    List<String> missing = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    walk(root.getProperties().get("spec"), "spec", (path, node) -> {
      fields.add(path);
      if (node.getDescription() == null || node.getDescription().isBlank()) missing.add(path);
    });
    assertThat(fields).hasSizeGreaterThan(40);
    assertThat(missing).as("fields without a description").isEmpty();
  }

  @Test
  void aNewRedisCacheIsServedWithObservedGenerationZero() throws Exception {
    JSONSchemaProps status = crd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("status");
    assertThat(Serialization.jsonMapper().convertValue(status.getDefault(), Map.class)).isEqualTo(Map.of("observedGeneration", 0));
  }

  interface Visitor { void visit(String path, JSONSchemaProps node); }

  /** Every named field under node (object properties; not list items or map values). */
  static void walk(JSONSchemaProps node, String path, Visitor v) {
    v.visit(path, node);
    if (node.getProperties() == null) return;
    for (var e : node.getProperties().entrySet()) walk(e.getValue(), path + "." + e.getKey(), v);
  }

  static JSONSchemaProps resolve(JSONSchemaProps node, String fieldPath) {
    JSONSchemaProps at = node;
    for (String part : fieldPath.substring(1).split("\\.")) {
      if (at == null || at.getProperties() == null) return null;
      at = at.getProperties().get(part);
    }
    return at;
  }
}
