package dev.operators.elasticache.testsupport;

import dev.operators.elasticache.aws.CallGate;
import dev.operators.elasticache.aws.sdk.AwsCalls;
import dev.operators.elasticache.aws.sdk.SdkEc2;
import dev.operators.elasticache.aws.sdk.SdkElastiCache;
import dev.operators.elasticache.aws.sdk.SdkSecrets;
import dev.operators.elasticache.aws.sdk.SdkKms;
import dev.operators.elasticache.aws.sdk.SdkMonitoring;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Real AWS SDK clients pointed at an {@link AwsEmulator}: region us-east-1, dummy static
 * credentials ({@code testing}/{@code testing}, account 123456789012), the url-connection HTTP
 * client and no SDK retries (one attempt), so emulator gaps and injected faults surface at once;
 * plus the operator's adapters ({@link SdkEc2}, {@link SdkElastiCache}, {@link SdkSecrets}) over
 * them, sharing one {@link AwsCalls} with a generous rate limit and no metrics.
 */
public final class AwsTestClients implements AutoCloseable {
  public static final Region REGION = Region.US_EAST_1;
  public static final String ACCESS_KEY = "testing";
  public static final String SECRET_KEY = "testing";

  private final AwsBasicCredentials credentials;
  private final SdkHttpClient http;
  private final Ec2Client ec2;
  private final ElastiCacheClient elastiCache;
  private final SecretsManagerClient secrets;
  private final AwsCalls calls;
  private final SdkEc2 ec2Port;
  private final SdkElastiCache elastiCachePort;
  private final SdkSecrets secretsPort;
  private final KmsClient kms;
  private final SdkKms kmsPort;
  private final CloudWatchClient cloudWatch;
  private final CloudWatchLogsClient logs;
  private final SdkMonitoring monitoringPort;

  public AwsTestClients(URI endpoint) {
    this(endpoint, AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  /** With other credentials, e.g. an IAM user's access key when the emulator checks IAM ({@link AwsEmulator#enforceIam()}). */
  public AwsTestClients(URI endpoint, AwsBasicCredentials credentials) {
    this.credentials = credentials;
    this.http = UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(30))
        .build();
    this.ec2 = configure(Ec2Client.builder(), endpoint).build();
    this.elastiCache = configure(ElastiCacheClient.builder(), endpoint).build();
    this.secrets = configure(SecretsManagerClient.builder(), endpoint).build();
    this.calls = new AwsCalls(new CallGate(1000, 1000), null);
    this.ec2Port = new SdkEc2(ec2, calls);
    this.elastiCachePort = new SdkElastiCache(elastiCache, calls);
    this.secretsPort = new SdkSecrets(secrets, calls);
    this.kms = configure(KmsClient.builder(), endpoint).build();
    this.kmsPort = new SdkKms(kms, calls);
    this.cloudWatch = configure(CloudWatchClient.builder(), endpoint).build();
    this.logs = configure(CloudWatchLogsClient.builder(), endpoint).build();
    this.monitoringPort = new SdkMonitoring(cloudWatch, logs, calls);
  }

  public static AwsTestClients of(AwsEmulator emulator) {
    return new AwsTestClients(emulator.uri());
  }

  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
    builder.region(REGION)
        .endpointOverride(endpoint)
        .credentialsProvider(credentialsProvider())
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(1).build())
            .apiCallTimeout(Duration.ofSeconds(60))
            .build());
    builder.httpClient(http);
    return builder;
  }

  /** The access key these clients use (e.g. to assume another account's role with it). */
  public AwsBasicCredentials credentials() {
    return credentials;
  }

  public StaticCredentialsProvider credentialsProvider() {
    return StaticCredentialsProvider.create(credentials);
  }

  /** The raw EC2 client, e.g. to create the VPC and subnets the operator takes as given. */
  public Ec2Client ec2() { return ec2; }

  public ElastiCacheClient elastiCache() { return elastiCache; }

  public SecretsManagerClient secrets() { return secrets; }

  public AwsCalls calls() { return calls; }

  public SdkEc2 ec2Port() { return ec2Port; }

  public SdkElastiCache elastiCachePort() { return elastiCachePort; }

  public SdkSecrets secretsPort() { return secretsPort; }

  /** The raw KMS client, e.g. to create the customer managed key a cache is to be encrypted with. */
  public KmsClient kms() { return kms; }

  public SdkKms kmsPort() { return kmsPort; }

  /** The operator's CloudWatch and CloudWatch Logs adapter, over the same SDK clients the operator builds. */
  public SdkMonitoring monitoringPort() { return monitoringPort; }

  @Override
  public void close() {
    ec2.close();
    elastiCache.close();
    secrets.close();
    kms.close();
    cloudWatch.close();
    logs.close();
    http.close();
  }
}
