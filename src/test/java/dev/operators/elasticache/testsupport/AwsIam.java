package dev.operators.elasticache.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * IAM users in the emulator, made through moto's IAM API while its access control is still off:
 * an administrator (every action) for the tests' own calls, and the operator's user holding
 * {@code deploy/iam-policy.json}. Then {@link AwsEmulator#enforceIam()} turns the check on, so the
 * operator can do exactly what the policy's actions allow.
 */
public final class AwsIam {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The access keys of the two users. */
  public record Users(AwsBasicCredentials admin, AwsBasicCredentials operator) {}

  private AwsIam() {}

  /** Makes both users from {@code policyFile} for {@code clusterId}, then enforces IAM in the emulator. */
  public static Users enforce(AwsEmulator aws, Path policyFile, String clusterId) {
    try (IamClient iam = IamClient.builder().endpointOverride(aws.uri()).region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsTestClients.ACCESS_KEY, AwsTestClients.SECRET_KEY)))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      AwsBasicCredentials admin = user(iam, "e2e-admin",
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
      AwsBasicCredentials operator = user(iam, "rediscache-operator", forEmulator(Files.readString(policyFile), clusterId));
      aws.enforceIam();
      return new Users(admin, operator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The policy as the emulator can check it. Its actions and conditions are kept as they are (moto
   * treats a condition whose context keys a request does not supply as met). The cluster id is
   * replaced as deploy/README.md says. Each statement's Resource becomes {@code *}: moto 5.2.1
   * compares a statement's Resource with the resource of the request, which it knows only for IAM,
   * STS and SQS; for EC2, ElastiCache, Secrets Manager, CloudWatch and Logs it compares with "*", so a
   * statement scoped to ARNs would never match. What this checks is therefore the actions, not
   * the resource scoping (that stays for real AWS, and for parliament's RESOURCE_MISMATCH).
   */
  static String forEmulator(String policy, String clusterId) throws IOException {
    String renamed = policy.replace("cluster-id\": \"default\"", "cluster-id\": \"" + clusterId + "\"")
        .replace("secret:rediscache/default/", "secret:rediscache/" + clusterId + "/");
    JsonNode doc = JSON.readTree(renamed);
    for (JsonNode st : doc.get("Statement")) ((ObjectNode) st).put("Resource", "*");
    return JSON.writeValueAsString(doc);
  }

  /**
   * An app's own IAM identity (as a pod's role would be), made by {@code admin} after IAM is enforced:
   * an IAM user holding {@code policy} as it is (resources included), and its access key.
   */
  public static AwsBasicCredentials appIdentity(AwsEmulator aws, AwsBasicCredentials admin, String name, String policy) {
    try (IamClient iam = IamClient.builder().endpointOverride(aws.uri()).region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(admin)).httpClient(UrlConnectionHttpClient.create()).build()) {
      return user(iam, name, policy);
    }
  }

  private static AwsBasicCredentials user(IamClient iam, String name, String policy) {
    iam.createUser(r -> r.userName(name));
    iam.putUserPolicy(r -> r.userName(name).policyName(name + "-policy").policyDocument(policy));
    AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
    return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
  }
}
