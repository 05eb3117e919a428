package dev.operators.elasticache.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the fabric8 CRD generator cannot say from the Java classes, applied to the CRD it generated
 * (at build time only, through quarkus.operator-sdk.crd.post-processor):
 *
 * <ul>
 *   <li>the printer columns in the order they are declared on {@link RedisCache} (the generator
 *       sorts them by JSON path, which put Age first and Ready among the status columns);
 *   <li>descriptions of the resource, its spec and its status, so {@code kubectl explain rediscache}
 *       and {@code kubectl explain rediscache.spec} say what they are;
 *   <li>a default status {@code {observedGeneration: 0}}: the API server fills it in when it
 *       serves a RedisCache the operator has not written status for yet, so kstatus (Flux, kpt,
 *       Helm's watcher) sees generation 1 not observed and says InProgress instead of Current.
 * </ul>
 */
public class CrdPostProcessor implements CRDPostProcessor {
  static final String DESCRIPTION = "An AWS ElastiCache (Valkey or Redis OSS) replication group with its security group, "
      + "subnet group, parameter group and AUTH token, and a connection Secret apps mount as it is.";
  static final String SPEC_DESCRIPTION = "What the cache should be. Only network is required; every other field has a default "
      + "a small team can live with. Immutable fields are refused on change by the API server with a message that says what to do.";
  static final String STATUS_DESCRIPTION = "What the operator observed and did: conditions Ready, Reconciling and Stalled "
      + "(for kubectl wait, Argo CD and kstatus), the AWS ids, the endpoints and the pending changes. Never the token. "
      + "observedGeneration is 0 until the operator has looked at the resource.";

  static final String ACCOUNT_DESCRIPTION = "An AWS account and region RedisCaches may live in (spec.account), owned by a platform engineer: "
      + "the IAM role the operator assumes there with its own credentials (STS AssumeRole), and the namespaces allowed to use it.";

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (!(crd instanceof CustomResourceDefinition definition)) return crd;
    if (ElastiCacheAccount.class.getSimpleName().equals(definition.getSpec().getNames().getKind())) {
      for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        root.setDescription(ACCOUNT_DESCRIPTION);
        root.getProperties().get("spec").setDescription("The role to assume, the region, and the namespaces that may use them.");
      }
      return crd;
    }
    if (!RedisCache.class.getSimpleName().equals(definition.getSpec().getNames().getKind())) return crd;
    for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
      version.setAdditionalPrinterColumns(inDeclaredOrder(version.getAdditionalPrinterColumns()));
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      root.setDescription(DESCRIPTION);
      root.getProperties().get("spec").setDescription(SPEC_DESCRIPTION);
      JSONSchemaProps status = root.getProperties().get("status");
      status.setDescription(STATUS_DESCRIPTION);
      status.setDefault(JsonNodeFactory.instance.objectNode().put("observedGeneration", 0));
    }
    return crd;
  }

  /** The columns sorted by the position of their name among RedisCache's annotations. */
  static List<CustomResourceColumnDefinition> inDeclaredOrder(List<CustomResourceColumnDefinition> columns) {
    List<String> declared = Arrays.stream(RedisCache.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    List<CustomResourceColumnDefinition> sorted = new ArrayList<>(columns);
    for (CustomResourceColumnDefinition c : sorted) {
      if (!declared.contains(c.getName())) throw new IllegalStateException("printer column " + c.getName() + " is not declared on RedisCache");
    }
    sorted.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
    return sorted;
  }
}
