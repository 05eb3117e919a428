package dev.operators.elasticache.testsupport;

import dev.operators.elasticache.aws.CallGate;
import dev.operators.elasticache.aws.sdk.AwsCalls;
import dev.operators.elasticache.aws.sdk.SdkEc2;
import dev.operators.elasticache.aws.sdk.SdkElastiCache;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Another AWS account in the emulator (EXTENSIONS.md E63), as a platform team has one: the role
 * {@code rediscache-operator} there, trusting the operator's account and holding the same
 * deploy/iam-policy.json, and a VPC with two subnets in a region. Made through moto's
 * {@code x-moto-account-id} header before the emulator checks IAM (that is the test's own set-up,
 * not what the operator does); afterwards the tests read the account as the operator does, through
 * the role (STS AssumeRole).
 */
public final class OtherAccount implements AutoCloseable {
  public static final String ROLE_NAME = "rediscache-operator";

  public final String id;
  public final Region region;
  public final String roleArn;
  /** Placeholder id to the real id made in this account (the subnets of samples/other-account.yaml). */
  public final Map<String, String> ids = new LinkedHashMap<>();
  private final URI endpoint;
  private final SdkHttpClient http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build();
  private StsClient sts;
  private StsAssumeRoleCredentialsProvider role;
  private ElastiCacheClient elastiCache;
  private Ec2Client ec2;

  private OtherAccount(URI endpoint, String id, Region region) {
    this.endpoint = endpoint;
    this.id = id;
    this.region = region;
    this.roleArn = "arn:aws:iam::" + id + ":role/" + ROLE_NAME;
  }

  /**
   * Makes the role (trusting {@code trustedAccount}) with {@code policyFile} as the operator's
   * policy there, and a VPC with two subnets for {@code subnetPlaceholders}. Before IAM is enforced.
   */
  public static OtherAccount prepare(AwsEmulator aws, String id, Region region, String trustedAccount, Path policyFile,
      String clusterId, String... subnetPlaceholders) {
    OtherAccount a = new OtherAccount(aws.uri(), id, region);
    ClientOverrideConfiguration asAccount = ClientOverrideConfiguration.builder().putHeader("x-moto-account-id", id).build();
    AwsCredentialsProvider dummy = StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsTestClients.ACCESS_KEY, AwsTestClients.SECRET_KEY));
    try (IamClient iam = IamClient.builder().endpointOverride(aws.uri()).region(Region.AWS_GLOBAL).credentialsProvider(dummy)
        .httpClient(a.http).overrideConfiguration(asAccount).build();
        Ec2Client ec2 = Ec2Client.builder().endpointOverride(aws.uri()).region(region).credentialsProvider(dummy)
            .httpClient(a.http).overrideConfiguration(asAccount).build()) {
      String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
          + trustedAccount + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
      iam.createRole(r -> r.roleName(ROLE_NAME).assumeRolePolicyDocument(trust));
      String policy = AwsIam.forEmulator(Files.readString(policyFile), clusterId);
      iam.putRolePolicy(r -> r.roleName(ROLE_NAME).policyName("rediscache-operator").policyDocument(policy));
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
      char az = 'a';
      int n = 1;
      for (String placeholder : subnetPlaceholders) {
        String zone = region.id() + az++;
        String cidr = "10.20." + n++ + ".0/24";
        a.ids.put(placeholder, ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId());
      }
      return a;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** ElastiCache in this account and region, through the role, assumed with {@code caller}'s credentials. */
  public synchronized ElastiCacheClient elastiCache(AwsBasicCredentials caller) {
    if (elastiCache == null) {
      elastiCache = ElastiCacheClient.builder().endpointOverride(endpoint).region(region).httpClient(http).credentialsProvider(role(caller))
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(1).build())).build();
    }
    return elastiCache;
  }

  /** The operator's ports in this account and region (the real SDK adapters), through the role. */
  public synchronized Ports ports(AwsBasicCredentials caller) {
    if (ec2 == null) {
      ec2 = Ec2Client.builder().endpointOverride(endpoint).region(region).httpClient(http).credentialsProvider(role(caller))
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(1).build())).build();
    }
    AwsCalls calls = new AwsCalls(new CallGate(1000, 1000), null);
    return new Ports(new SdkEc2(ec2, calls), new SdkElastiCache(elastiCache(caller), calls));
  }

  public record Ports(SdkEc2 ec2, SdkElastiCache elastiCache) {}

  /** The role's credentials, from STS AssumeRole with {@code caller}'s, refreshed by the SDK. */
  private StsAssumeRoleCredentialsProvider role(AwsBasicCredentials caller) {
    if (role == null) {
      sts = StsClient.builder().endpointOverride(endpoint).region(region).httpClient(http)
          .credentialsProvider(StaticCredentialsProvider.create(caller)).build();
      role = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
          .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("e2e-test")).build();
    }
    return role;
  }

  @Override
  public void close() {
    if (elastiCache != null) elastiCache.close();
    if (ec2 != null) ec2.close();
    if (role != null) role.close();
    if (sts != null) sts.close();
    http.close();
  }
}
