package io.livestream.netguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerTransportTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(ServerTransport.PROPERTY);
    }

    @Test
    void linuxGetsTheNativeEpollTransport() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && "amd64".equals(System.getProperty("os.arch")),
                "the native library is packaged for linux-x86_64 only");
        // the dependency with its classifier is what makes this load; a missing jar would fall back silently to NIO
        assertThat(Epoll.isAvailable()).as("epoll unavailable: %s", Epoll.unavailabilityCause()).isTrue();
        ServerTransport transport = ServerTransport.best();
        assertThat(transport.name()).isEqualTo("epoll");
        assertThat(transport.serverChannelClass()).isEqualTo(EpollServerSocketChannel.class);
    }

    @Test
    void thePropertyKeepsNio() {
        System.setProperty(ServerTransport.PROPERTY, "nio");
        ServerTransport transport = ServerTransport.best();
        assertThat(transport.name()).isEqualTo("nio");
        assertThat(transport.serverChannelClass()).isEqualTo(NioServerSocketChannel.class);
    }
}
