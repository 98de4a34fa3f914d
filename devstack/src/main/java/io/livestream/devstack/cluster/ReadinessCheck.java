package io.livestream.devstack.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** How the supervisor knows a started process serves: a port accepts connections, or an HTTP URL answers 200. */
@FunctionalInterface
public interface ReadinessCheck {
    HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    boolean isReady();

    static ReadinessCheck port(int port) {
        return () -> isListening(port);
    }

    static ReadinessCheck http(String url) {
        return () -> {
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ClusterLayout.HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
