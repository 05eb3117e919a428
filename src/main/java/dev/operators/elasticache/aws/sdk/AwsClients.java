package dev.operators.elasticache.aws.sdk;

import dev.operators.elasticache.aws.AwsPorts;
import dev.operators.elasticache.aws.AwsTarget;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;
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
 * Builds the SDK clients once per {@link AwsTarget} (an account and region), from {@link OperatorConfig}.
 * The operator's own account and region (the CDI ports below) use the default provider chain:
 * environment, web identity (IRSA), container credentials (EKS Pod Identity), profile, instance
 * profile. Another account's clients use its role through STS AssumeRole
 * ({@link StsAssumeRoleCredentialsProvider}, which refreshes the temporary credentials before they
 * expire), asked with the operator's own credentials. Each target has its own call budget
 * ({@link CallGate}): AWS throttles each account and region on its own, so one account's burst never
 * spends another's budget.
 */
@ApplicationScoped
public class AwsClients {
  private final OperatorConfig config;
  private final MeterRegistry metrics;
  private final SdkHttpClient http;
  private final Clients own;
  private final Map<AwsTarget, Clients> others = new ConcurrentHashMap<>();

  /** The SDK clients of one target, and its ports. */
  private final class Clients {
    final AwsPorts ports;
    final List<SdkAutoCloseable> closeable = new ArrayList<>();

    Clients(AwsTarget target) {
      AwsCredentialsProvider credentials = target.own() ? DefaultCredentialsProvider.builder().build() : assumed(target);
      AwsCalls calls = new AwsCalls(new CallGate(config.aws().maxCallsPerSecond(), config.aws().burst()), metrics);
      Ec2Client ec2 = add(configure(Ec2Client.builder(), target.region(), credentials).build());
      ElastiCacheClient elastiCache = add(configure(ElastiCacheClient.builder(), target.region(), credentials).build());
      SecretsManagerClient secrets = add(configure(SecretsManagerClient.builder(), target.region(), credentials).build());
      CloudWatchClient cloudWatch = add(configure(CloudWatchClient.builder(), target.region(), credentials).build());
      CloudWatchLogsClient logs = add(configure(CloudWatchLogsClient.builder(), target.region(), credentials).build());
      KmsClient kms = add(configure(KmsClient.builder(), target.region(), credentials).build());
      this.ports = new AwsPorts(new SdkElastiCache(elastiCache, calls), new SdkEc2(ec2, calls), new SdkSecrets(secrets, calls),
          new SdkMonitoring(cloudWatch, logs, calls), new SdkKms(kms, calls));
    }

    /**
     * Another account: its role assumed with the operator's own credentials (STS in the target's
     * region), refreshed by the SDK before they expire.
     */
    private AwsCredentialsProvider assumed(AwsTarget t) {
      StsClient sts = add(configure(StsClient.builder(), t.region(), DefaultCredentialsProvider.builder().build()).build());
      return add(StsAssumeRoleCredentialsProvider.builder()
          .stsClient(sts)
          .refreshRequest(r -> {
            r.roleArn(t.roleArn()).roleSessionName("rediscache-operator-" + config.clusterId());
            if (t.externalId() != null) r.externalId(t.externalId());
          })
          .build());
    }

    <T extends SdkAutoCloseable> T add(T c) {
      closeable.add(c);
      return c;
    }
  }

  public AwsClients(OperatorConfig config, MeterRegistry metrics) {
    this.config = config;
    this.metrics = metrics;
    this.http = UrlConnectionHttpClient.builder().build();
    this.own = new Clients(AwsTarget.own(config.aws().region()));
  }

  /** The ports of a target: the operator's own for its own account and region, else built once and kept. */
  public AwsPorts ports(AwsTarget target) {
    if (target.own() && target.region().equals(config.aws().region())) return own.ports;
    return others.computeIfAbsent(target, t -> new Clients(t)).ports;
  }

  private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(
      B builder, String region, AwsCredentialsProvider credentials) {
    OperatorConfig.Aws aws = config.aws();
    builder.region(Region.of(region))
        .credentialsProvider(credentials)
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
    return own.ports.ec2();
  }

  @Produces
  @Singleton
  ElastiCachePort elastiCachePort() {
    return own.ports.elastiCache();
  }

  @Produces
  @Singleton
  SecretsPort secretsPort() {
    return own.ports.secrets();
  }

  @Produces
  @Singleton
  MonitoringPort monitoringPort() {
    return own.ports.monitoring();
  }

  @Produces
  @Singleton
  KmsPort kmsPort() {
    return own.ports.kms();
  }

  @PreDestroy
  void close() {
    others.values().forEach(c -> c.closeable.forEach(SdkAutoCloseable::close));
    own.closeable.forEach(SdkAutoCloseable::close);
    http.close();
  }
}
