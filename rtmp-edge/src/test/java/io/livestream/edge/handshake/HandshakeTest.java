package io.livestream.edge.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.edge.RtmpProtocolException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    @Test
    void plainHandshakeEchoesC1AsS2() {
        byte[] c0c1 = new byte[Handshake.C0C1_SIZE];
        new Random(1).nextBytes(c0c1);
        c0c1[0] = 3;
        Arrays.fill(c0c1, 5, 9, (byte) 0); // zero field: a plain client
        Handshake.Response r = Handshake.respond(c0c1, new Random(2));
        assertThat(r.digest()).isFalse();
        byte[] out = r.s0s1s2();
        assertThat(out).hasSize(1 + 2 * Handshake.PACKET_SIZE);
        assertThat(out[0]).isEqualTo((byte) 3);
        assertThat(Arrays.copyOfRange(out, 1 + Handshake.PACKET_SIZE, out.length)).isEqualTo(Arrays.copyOfRange(c0c1, 1, c0c1.length));
    }

    @Test
    void digestClientGetsSignedS1AndS2InEitherScheme() {
        for (int scheme : new int[] {8, 772}) {
            byte[] c1 = new byte[Handshake.PACKET_SIZE];
            new Random(scheme).nextBytes(c1);
            c1[4] = 9; c1[5] = 0; c1[6] = 124; c1[7] = 2; // a Flash player version, as ffmpeg sends
            int at = Handshake.digestOffset(c1, scheme);
            System.arraycopy(Handshake.digest(c1, at, Handshake.PLAYER_KEY, Handshake.PLAYER_KEY_SHORT), 0, c1, at, 32);
            byte[] c0c1 = new byte[Handshake.C0C1_SIZE];
            c0c1[0] = 3;
            System.arraycopy(c1, 0, c0c1, 1, c1.length);

            Handshake.Response r = Handshake.respond(c0c1, new Random(3));
            assertThat(r.digest()).isTrue();
            byte[] s1 = Arrays.copyOfRange(r.s0s1s2(), 1, 1 + Handshake.PACKET_SIZE);
            byte[] s2 = Arrays.copyOfRange(r.s0s1s2(), 1 + Handshake.PACKET_SIZE, r.s0s1s2().length);
            // S1 verifies under the server key, in the client's scheme
            assertThat(Handshake.findDigest(s1, Handshake.SERVER_KEY, Handshake.SERVER_KEY_SHORT)).isEqualTo(Handshake.digestOffset(s1, scheme));
            // S2's last 32 bytes sign the rest with a key derived from the client's digest, as a Flash client checks
            byte[] key = Handshake.hmac(Handshake.SERVER_KEY, Arrays.copyOfRange(c1, at, at + 32), 0, 32);
            byte[] expected = Handshake.hmac(key, s2, 0, Handshake.PACKET_SIZE - 32);
            assertThat(Arrays.copyOfRange(s2, Handshake.PACKET_SIZE - 32, Handshake.PACKET_SIZE)).isEqualTo(expected);
        }
    }

    @Test
    void versionFieldWithoutAValidDigestFallsBackToPlain() {
        byte[] c0c1 = new byte[Handshake.C0C1_SIZE];
        new Random(4).nextBytes(c0c1);
        c0c1[0] = 3;
        c0c1[5] = 9;
        assertThat(Handshake.respond(c0c1, new Random(5)).digest()).isFalse();
    }

    @Test
    void otherVersionsAreRefused() {
        byte[] c0c1 = new byte[Handshake.C0C1_SIZE];
        c0c1[0] = 6; // RTMPE
        assertThatThrownBy(() -> Handshake.respond(c0c1, new Random())).isInstanceOf(RtmpProtocolException.class);
    }
}
