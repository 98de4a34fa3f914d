package io.livestream.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientHeadersTest {
    @Test
    void bearerTokens() {
        assertThat(ClientHeaders.bearerToken("Bearer abc")).contains("abc");
        assertThat(ClientHeaders.bearerToken("bearer  abc ")).contains("abc");
        assertThat(ClientHeaders.bearerToken("Basic abc")).isEmpty();
        assertThat(ClientHeaders.bearerToken("Bearer ")).isEmpty();
        assertThat(ClientHeaders.bearerToken("Bearer")).isEmpty();
        assertThat(ClientHeaders.bearerToken(null)).isEmpty();
        assertThat(ClientHeaders.bearerToken("Bearer " + "x".repeat(5000))).isEmpty();
    }

    @Test
    void clientAddresses() {
        assertThat(ClientHeaders.clientIp("203.0.113.9, 10.0.0.2", "10.0.0.3")).isEqualTo("203.0.113.9");
        assertThat(ClientHeaders.clientIp(" ", "10.0.0.3")).isEqualTo("10.0.0.3");
        assertThat(ClientHeaders.clientIp(",10.0.0.2", "10.0.0.3")).isEqualTo("10.0.0.3");
        assertThat(ClientHeaders.clientIp(null, null)).isEmpty();
        assertThat(ClientHeaders.appendForwardedFor(null, "10.0.0.3")).isEqualTo("10.0.0.3");
        assertThat(ClientHeaders.appendForwardedFor("203.0.113.9", "10.0.0.3")).isEqualTo("203.0.113.9, 10.0.0.3");
    }
}
