package dev.operators.elasticache.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operators.elasticache.testsupport.AwsEmulator;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The part of AWS's data plane that checks IAM authentication tokens, in front of the test's
 * redis-server (TLS on both sides, the test CA's server certificate).
 *
 * <p>Every command a client sends is read as RESP. {@code AUTH <user> <token>} and {@code HELLO ...
 * AUTH <user> <token>} naming an IAM user of the cache (the bridge's view of the emulator's user
 * group) are checked by the emulator ({@code POST /_emulator/iam-auth/verify}, EXTENSIONS E74): a
 * valid token is replaced by that ACL user's bridge-only password, an invalid one by a password
 * nobody has, so redis-server answers {@code WRONGPASS} in order with the client's other replies.
 * Every other command, and every reply, passes through unchanged. The verdicts' reasons (never a
 * token) are kept for the test to read.
 */
final class IamAuthProxy implements AutoCloseable {
  private final AwsEmulator aws;
  private final DataPlaneBridge bridge;
  private final String cacheName;
  private final int redisPort;
  private final SSLContext tls;
  private final ServerSocket server;
  private final List<String> verdicts = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  private IamAuthProxy(AwsEmulator aws, DataPlaneBridge bridge, String cacheName, int redisPort, Path tlsDir) throws Exception {
    this.aws = aws;
    this.bridge = bridge;
    this.cacheName = cacheName;
    this.redisPort = redisPort;
    this.tls = sslContext(tlsDir);
    this.server = tls.getServerSocketFactory().createServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "iam-auth-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  /** Listens on a free port of 127.0.0.1 for the cache {@code cacheName}, whose redis-server has TLS on {@code redisPort}. */
  static IamAuthProxy start(AwsEmulator aws, DataPlaneBridge bridge, String cacheName, int redisPort, Path tlsDir) throws Exception {
    return new IamAuthProxy(aws, bridge, cacheName, redisPort, tlsDir);
  }

  int port() {
    return server.getLocalPort();
  }

  /** One entry per IAM login tried: "valid" or "refused: <the emulator's reason>". */
  List<String> verdicts() {
    return List.copyOf(verdicts);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = tls.getSocketFactory().createSocket("localhost", redisPort);
        open.add(client);
        open.add(upstream);
        Thread replies = new Thread(() -> copy(upstream, client), "iam-auth-proxy-replies");
        replies.setDaemon(true);
        replies.start();
        Thread commands = new Thread(() -> commands(client, upstream), "iam-auth-proxy-commands");
        commands.setDaemon(true);
        commands.start();
      } catch (IOException e) {
        // closed, or a client that went away during the handshake
      }
    }
  }

  private static void copy(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // either side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void commands(Socket client, Socket upstream) {
    try (InputStream in = new BufferedInputStream(client.getInputStream()); OutputStream out = upstream.getOutputStream()) {
      while (true) {
        int first = in.read();
        if (first < 0) return;
        if (first != '*') { // an inline command: passed on as it is (an inline AUTH of an IAM user fails at redis-server)
          out.write(first);
          out.write(line(in).getBytes(StandardCharsets.UTF_8));
          out.write("\r\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          continue;
        }
        int n = Integer.parseInt(line(in));
        List<byte[]> args = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (in.read() != '$') throw new IOException("not a RESP bulk string");
          byte[] arg = in.readNBytes(Integer.parseInt(line(in)));
          in.readNBytes(2);
          args.add(arg);
        }
        checkIamLogin(args);
        out.write(encode(args));
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, or sent something that is not RESP
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  /** AUTH user token / HELLO [protover] AUTH user token of an IAM user: the token checked, then replaced. */
  private void checkIamLogin(List<byte[]> args) {
    String command = new String(args.get(0), StandardCharsets.UTF_8);
    int user = -1;
    if (command.equalsIgnoreCase("AUTH") && args.size() == 3) user = 1;
    if (command.equalsIgnoreCase("HELLO")) {
      for (int i = 1; i + 2 < args.size(); i++) {
        if (new String(args.get(i), StandardCharsets.UTF_8).equalsIgnoreCase("AUTH")) {
          user = i + 1;
          break;
        }
      }
    }
    if (user < 0) return;
    String name = new String(args.get(user), StandardCharsets.UTF_8);
    if (!bridge.isIamUser(name)) return;
    JsonNode verdict = aws.verifyIamToken(cacheName, name, new String(args.get(user + 1), StandardCharsets.UTF_8));
    boolean valid = verdict.path("valid").asBoolean(false);
    verdicts.add(valid ? "valid" : "refused: " + verdict.path("reason").asText());
    String password = valid ? bridge.iamPassword(name) : "refused-" + UUID.randomUUID();
    args.set(user + 1, password.getBytes(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') b.write(c);
    }
    if (c < 0) throw new IOException("closed");
    return b.toString(StandardCharsets.UTF_8);
  }

  private static byte[] encode(List<byte[]> args) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(("*" + args.size() + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (byte[] a : args) {
      b.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      b.write(a);
      b.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  /** The server side with the test's server certificate (server.crt, server.key: PKCS#8), the client side trusting ca.crt. */
  private static SSLContext sslContext(Path dir) throws Exception {
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    Certificate cert;
    Certificate ca;
    try (InputStream s = Files.newInputStream(dir.resolve("server.crt")); InputStream c = Files.newInputStream(dir.resolve("ca.crt"))) {
      cert = x509.generateCertificate(s);
      ca = x509.generateCertificate(c);
    }
    String pem = Files.readString(dir.resolve("server.key"));
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", key, new char[0], new Certificate[] {cert, ca});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    open.forEach(IamAuthProxy::closeQuietly);
  }
}
