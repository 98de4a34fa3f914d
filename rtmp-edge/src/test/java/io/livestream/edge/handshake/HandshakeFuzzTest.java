package io.livestream.edge.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livestream.edge.RtmpProtocolException;
import java.util.Arrays;
import java.util.Random;

/** Any C0+C1 gets a well-formed S0+S1+S2 (plain echo or correctly signed digest answer), or a refused version. */
class HandshakeFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void everyC0C1GetsAWellFormedAnswerOrARefusedVersion(byte[] input) {
        // the server reads exactly C0C1_SIZE bytes before answering: shorter inputs are zero-padded, longer cut
        byte[] c0c1 = Arrays.copyOf(input, Handshake.C0C1_SIZE);
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, Handshake.C0C1_SIZE);
        Handshake.Response response;
        try {
            response = Handshake.respond(c0c1, new Random(input.length));
        } catch (RtmpProtocolException e) {
            assertThat(c0c1[0]).as("only a version other than 3 is refused").isNotEqualTo((byte) Handshake.VERSION);
            return;
        }
        assertThat(c0c1[0]).isEqualTo((byte) Handshake.VERSION);
        byte[] out = response.s0s1s2();
        assertThat(out).hasSize(1 + 2 * Handshake.PACKET_SIZE);
        assertThat(out[0]).isEqualTo((byte) Handshake.VERSION);
        byte[] s1 = Arrays.copyOfRange(out, 1, 1 + Handshake.PACKET_SIZE);
        byte[] s2 = Arrays.copyOfRange(out, 1 + Handshake.PACKET_SIZE, out.length);

        int clientDigestAt = Handshake.clientUsesDigest(c1) ? Handshake.findDigest(c1, Handshake.PLAYER_KEY, Handshake.PLAYER_KEY_SHORT) : -1;
        assertThat(response.digest()).as("digest answer exactly when C1 carries a valid digest").isEqualTo(clientDigestAt >= 0);
        if (!response.digest()) {
            assertThat(Arrays.copyOfRange(s1, 0, 8)).as("plain S1: time 0, zero field").containsOnly(0);
            assertThat(s2).as("plain S2 echoes C1").isEqualTo(c1);
            return;
        }
        int scheme = clientDigestAt >= 776 ? 772 : 8;
        assertThat(Handshake.findDigest(s1, Handshake.SERVER_KEY, Handshake.SERVER_KEY_SHORT))
                .as("S1 signed in the client's scheme").isEqualTo(Handshake.digestOffset(s1, scheme));
        byte[] key = Handshake.hmac(Handshake.SERVER_KEY, Arrays.copyOfRange(c1, clientDigestAt, clientDigestAt + 32), 0, 32);
        assertThat(Arrays.copyOfRange(s2, Handshake.PACKET_SIZE - 32, Handshake.PACKET_SIZE))
                .as("S2 signed with the key derived from the client's digest")
                .isEqualTo(Handshake.hmac(key, s2, 0, Handshake.PACKET_SIZE - 32));
    }
}
