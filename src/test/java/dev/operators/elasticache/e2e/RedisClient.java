package dev.operators.elasticache.e2e;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * An app-like client: it knows only the keys of the connection Secret (url, or host/port/password/tls)
 * and speaks RESP over TLS, as redis-py or ioredis would.
 */
final class RedisClient implements AutoCloseable {
  private final java.net.Socket socket;
  private final OutputStream out;
  private final BufferedReader in;

  private RedisClient(java.net.Socket socket) throws Exception {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Connects with the Secret's url; the CA file stands in for the public CA AWS's certificates chain to. */
  static RedisClient connect(Map<String, String> secret, Path caFile) throws Exception {
    URI url = URI.create(secret.get("url"));
    boolean tls = url.getScheme().equals("rediss");
    java.net.Socket s;
    if (tls) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caFile))));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(url.getHost(), url.getPort());
      var params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.setSSLParameters(params);
      ssl.startHandshake();
      s = ssl;
    } else {
      s = new java.net.Socket(url.getHost(), url.getPort());
    }
    s.setSoTimeout(10_000);
    RedisClient c = new RedisClient(s);
    String userInfo = url.getRawUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      String user = userInfo.substring(0, userInfo.indexOf(':'));
      String password = userInfo.substring(userInfo.indexOf(':') + 1);
      String reply = user.isEmpty() ? c.command("AUTH", password) : c.command("AUTH", user, password);
      if (!reply.equals("OK")) {
        c.close();
        throw new IllegalStateException("AUTH failed: " + reply.replace(password, "<password>"));
      }
    }
    return c;
  }

  /** Sends a command; returns the simple/bulk reply, or "-ERR ..." for an error reply. */
  String command(String... args) throws Exception {
    StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    String line = in.readLine();
    if (line == null) throw new IllegalStateException("connection closed");
    switch (line.charAt(0)) {
      case '+': return line.substring(1);
      case '-': return line;
      case ':': return line.substring(1);
      case '$': {
        int len = Integer.parseInt(line.substring(1));
        if (len < 0) return null;
        char[] buf = new char[len];
        int read = 0;
        while (read < len) read += in.read(buf, read, len - read);
        in.readLine();
        return new String(buf);
      }
      default: return line;
    }
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
