package io.livestream.origin.http;

import io.livestream.origin.store.Names;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a request URI to a {@link Route}. Paths are percent-decoded first, so an encoded traversal such as
 * {@code %2e%2e} is refused like a plain one; names must pass {@link Names} before they reach the store.
 *
 * <pre>
 * /health
 * /live/{id}/master.m3u8            /api/streams/{id}/master.m3u8
 * /live/{id}/{r}/index.m3u8         /api/streams/{id}/{r}/playlist.m3u8   (either name under either prefix)
 * /live/{id}/{r}/{sequence}.ts      /api/streams/{id}/{r}/{sequence}.ts
 * /live/{id}/{r}/{msn}.{part}.ts     /api/streams/{id}/{r}/{msn}.{part}.ts (LL-HLS parts)
 * </pre>
 */
public final class OriginRouter {
    private static final Pattern SEGMENT_FILE = Pattern.compile("\\d{1,18}\\.ts");
    private static final Pattern PART_FILE = Pattern.compile("(\\d{1,18})\\.(\\d{1,6})\\.ts");
    private static final int MAX_URI_LENGTH = 2048;

    public static Route route(String uri) {
        if (uri == null || uri.isEmpty() || uri.length() > MAX_URI_LENGTH || uri.charAt(0) != '/') {
            return new Route.BadRequest("malformed request target");
        }
        String path;
        try {
            path = new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return new Route.BadRequest("malformed percent-encoding");
        }
        if (path.contains("..") || path.contains("//") || path.indexOf('\\') >= 0 || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return new Route.BadRequest("illegal path");
        }
        String[] p = path.substring(1).split("/", -1);
        if (p.length == 1 && p[0].equals("health")) return new Route.Health();
        if (p.length >= 3 && p[0].equals("live")) return media(p, 1, Route.Flavor.LIVE);
        if (p.length >= 4 && p[0].equals("api") && p[1].equals("streams")) return media(p, 2, Route.Flavor.API);
        return new Route.NotFound("no such resource");
    }

    /** {@code p[from]} is the stream id; what follows is a master playlist, or a rendition and a file. */
    private static Route media(String[] p, int from, Route.Flavor flavor) {
        int rest = p.length - from;
        String streamId = p[from];
        if (rest != 2 && rest != 3) return new Route.NotFound("no such resource");
        if (!Names.isStreamId(streamId)) return new Route.BadRequest("invalid stream id");
        if (rest == 2) {
            return p[from + 1].equals("master.m3u8") ? new Route.Master(streamId, flavor) : new Route.NotFound("no such resource");
        }
        String rendition = p[from + 1];
        String file = p[from + 2];
        if (!Names.isRendition(rendition)) return new Route.BadRequest("invalid rendition");
        if (file.equals("index.m3u8") || file.equals("playlist.m3u8")) return new Route.Media(streamId, rendition);
        if (SEGMENT_FILE.matcher(file).matches()) {
            return new Route.Segment(streamId, rendition, Long.parseLong(file.substring(0, file.length() - 3)));
        }
        Matcher part = PART_FILE.matcher(file);
        if (part.matches()) {
            return new Route.Part(streamId, rendition, Long.parseLong(part.group(1)), Integer.parseInt(part.group(2)));
        }
        return new Route.NotFound("no such resource");
    }

    private OriginRouter() {}
}
