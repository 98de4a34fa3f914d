package io.livestream.origin.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.OriginRouter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewerHeartbeatObserverTest {
    final List<String> seen = new ArrayList<>();
    final ViewerHeartbeatObserver observer = new ViewerHeartbeatObserver(
            (stream, rendition, vsid, ip, ua) -> seen.add(stream + "|" + rendition + "|" + vsid + "|" + ip + "|" + ua));

    void get(String uri, String forwardedFor) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set("User-Agent", "ua");
        if (forwardedFor != null) r.headers().set("X-Forwarded-For", forwardedFor);
        observer.observe(OriginRouter.route(uri), OriginRequest.of(r, new InetSocketAddress("10.0.0.1", 4000)));
        r.release();
    }

    @Test
    void observesMediaPlaylistRequestsOnly() {
        get("/live/s1/720p/index.m3u8?vsid=abc", null);
        get("/api/streams/s1/360p/playlist.m3u8", null);
        get("/live/s1/source/index.m3u8", "203.0.113.9, 10.0.0.2");
        get("/live/s1/master.m3u8", null);
        get("/live/s1/720p/5.ts", null);
        assertThat(seen).containsExactly("s1|720p|abc|10.0.0.1|ua", "s1|360p|null|10.0.0.1|ua", "s1|source|null|203.0.113.9|ua");
    }
}
