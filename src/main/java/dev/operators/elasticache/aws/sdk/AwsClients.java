package dev.operators.elasticache.aws.sdk;

import dev.operators.elasticache.aws.CallGate;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.KmsPort;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.MonitoringPort;
import dev.operators.elasticache.aws.SecretsPort;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import dev.operators.elasticache.config.OperatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds the SDK clients once, from {@link OperatorConfig}. Credentials come from the default
 * provider chain: environment, web identity (IRSA), container credentials (EKS Pod Identity),
 * profile, instance profile.
 */
@ApplicationScoped
public class AwsClients {
  private final OperatorConfig config;
  private final SdkHttpClient http;
  private final AwsCalls calls;
  private final Ec2Client ec2;
  private final ElastiCacheClient elastiCache;
  private final SecretsManagerClient secrets;
  private final CloudWatchClient cloudWatch;
  private final CloudWatchLogsClient logs;
  private final KmsClient kms;

  public AwsClients(OperatorConfig config, MeterRegistry metrics) {
    this.config = config;
    this.http = UrlConnectionHttpClient.builder().build();
    OperatorConfig.Aws aws = config.aws();
    this.calls = new AwsCalls(new CallGate(aws.maxCallsPerSecond(), aws.burst()), metrics);
    this.ec2 = configure(Ec2Client.builder()).build();
    this.elastiCache = configure(ElastiCacheClient.builder()).build();
    this.secrets = configure(SecretsManagerClient.builder()).build();
    this.cloudWatch = configure(CloudWatchClient.builder()).build();
    this.logs = configure(CloudWatchLogsClient.builder()).build();
    this.kms = configure(KmsClient.builder()).build();
  }

  private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(B builder) {
    OperatorConfig.Aws aws = config.aws();
    builder.region(Region.of(aws.region()))
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(aws.maxAttempts()).build())
            .apiCallTimeout(aws.callTimeout())
            .build());
    builder.httpClient(http);
    aws.endpointOverride().ifPresent(builder::endpointOverride);
    return builder;
  }

  @Produces
  @Singleton
  Ec2Port ec2Port() {
    return new SdkEc2(ec2, calls);
  }

  @Produces
  @Singleton
  ElastiCachePort elastiCachePort() {
    return new SdkElastiCache(elastiCache, calls);
  }

  @Produces
  @Singleton
  SecretsPort secretsPort() {
    return new SdkSecrets(secrets, calls);
  }

  @Produces
  @Singleton
  MonitoringPort monitoringPort() {
    return new SdkMonitoring(cloudWatch, logs, calls);
  }

  @Produces
  @Singleton
  KmsPort kmsPort() {
    return new SdkKms(kms, calls);
  }

  @PreDestroy
  void close() {
    kms.close();
    cloudWatch.close();
    logs.close();
    ec2.close();
    elastiCache.close();
    secrets.close();
    http.close();
  }
}
