package io.livestream.origin.http;

import io.livestream.common.media.MediaRecord.Container;
import io.livestream.origin.store.Names;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a request URI to a {@link Route}: the origin's only router. Paths are percent-decoded first, so an encoded
 * traversal such as {@code %2e%2e} is refused like a plain one; names must pass {@link Names} before they reach a store.
 *
 * <pre>
 * /health  /ready  /metrics  /api/openapi.json
 * /live/{id}/master.m3u8            /api/streams/{id}/master.m3u8          (CMAF: fMP4 segments and parts)
 * /live/{id}/{r}/index.m3u8         /api/streams/{id}/{r}/playlist.m3u8   (either name under either prefix)
 * /live/{id}/{r}/init-{hex}.mp4     /api/streams/{id}/{r}/init-{hex}.mp4  (EXT-X-MAP)
 * /live/{id}/{r}/{sequence}.m4s     /api/streams/{id}/{r}/{sequence}.m4s
 * /live/{id}/{r}/{msn}.{part}.m4s   /api/streams/{id}/{r}/{msn}.{part}.m4s (LL-HLS parts)
 * /live/{id}/ts/master.m3u8  /live/{id}/ts/{r}/index.m3u8  (MPEG-TS, legacy; also under /api/streams/{id}/ts/)
 * /live/{id}/[ts/]{r}/{sequence}.ts  /live/{id}/[ts/]{r}/{msn}.{part}.ts     (the extension names the container)
 * /live/{id}/manifest.mpd  /live/{id}/dash/{r}/video|audio/init-{hex}.mp4  /live/{id}/dash/{r}/video|audio/{number}.m4s
 *                                                       (LL-DASH; also under /api/streams/{id}/)  /time (UTCTiming)
 * /dvr/{id}/master.m3u8  /dvr/{id}/{r}/index.m3u8
 * /vod/{session}/master.m3u8  /vod/{session}/{r}/index.m3u8  /vod/{session}/{r}/{sequence}.ts
 * /api/streams  /api/streams/live  /api/streams/{id}  /api/recordings/{session}
 * /api/streams/{id}/start|end|health|recordings|viewers|chat|heartbeat  /api/streams/{id}/key/rotate  /api/chat/token
 * /  /console  /watch/{id}  /static/{file}  /static/{dir}/{file}  /web-config.json
 * </pre>
 */
public final class OriginRouter {
    private static final Pattern SEGMENT_FILE = Pattern.compile("\\d{1,18}\\.ts");
    private static final Pattern MEDIA_FILE = Pattern.compile("(\\d{1,18})\\.(ts|m4s)");
    private static final Pattern PART_FILE = Pattern.compile("(\\d{1,18})\\.(\\d{1,6})\\.(ts|m4s)");
    private static final Pattern INIT_FILE = Pattern.compile("init-([0-9a-f]{1,16})\\.mp4");
    /** The path segment in front of the MPEG-TS playlists: {@code /live/{id}/ts/...}. */
    public static final String TS_TREE = "ts";
    /** The path segment in front of the DASH tracks: {@code /live/{id}/dash/{r}/video/...}. */
    public static final String DASH_TREE = "dash";
    public static final String MPD_FILE = "manifest.mpd";
    private static final Pattern NUMBER_FILE = Pattern.compile("(\\d{1,18})\\.m4s");
    private static final Pattern STATIC_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final int MAX_URI_LENGTH = 2048;
    private static final Route NOT_FOUND = new Route.NotFound("no such resource");

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
        if (path.contains("..") || path.contains("//") || path.indexOf('\\') >= 0 || hasControlCharacter(path)) {
            return new Route.BadRequest("illegal path");
        }
        String[] p = path.substring(1).split("/", -1);
        switch (p[0]) {
            case "health": return p.length == 1 ? new Route.Health() : NOT_FOUND;
            case "ready": return p.length == 1 ? new Route.Ready() : NOT_FOUND;
            case "metrics": return p.length == 1 ? new Route.Metrics() : NOT_FOUND;
            case "time": return p.length == 1 ? new Route.Time() : NOT_FOUND;
            case "live": return p.length >= 3 ? media(p, 1, Route.Flavor.LIVE) : NOT_FOUND;
            case "dvr": return recording(p, true);
            case "vod": return recording(p, false);
            case "api": return api(p);
            default: return page(p);
        }
    }

    private static Route api(String[] p) {
        if (p.length == 2 && p[1].equals("openapi.json")) return new Route.OpenApi();
        if (p.length == 3 && p[1].equals("chat") && p[2].equals("token")) return new Route.ChatToken();
        if (p.length == 3 && p[1].equals("recordings")) {
            return Names.isStreamId(p[2]) ? new Route.Recording(p[2]) : new Route.BadRequest("invalid session id");
        }
        if (p.length < 2 || !p[1].equals("streams")) return NOT_FOUND;
        if (p.length == 2) return new Route.Streams();
        if (p.length == 3 && p[2].equals("live")) return new Route.LiveStreams();
        String id = p[2];
        if (!Names.isStreamId(id)) return new Route.BadRequest("invalid stream id");
        if (p.length == 3) return new Route.Stream(id);
        if (p.length == 4) {
            switch (p[3]) {
                case "start": return new Route.StartStream(id);
                case "end": return new Route.EndStream(id);
                case "health": return new Route.StreamHealth(id);
                case "recordings": return new Route.Recordings(id);
                case "viewers": return new Route.Viewers(id);
                case "chat": return new Route.Chat(id);
                case "heartbeat": return new Route.Heartbeat(id);
                case "master.m3u8": return new Route.Master(id, Route.Flavor.API);
                case MPD_FILE: return new Route.DashManifest(id);
                default: return NOT_FOUND;
            }
        }
        if (p.length == 5 && p[3].equals("key") && p[4].equals("rotate")) return new Route.RotateKey(id);
        return media(p, 2, Route.Flavor.API);
    }

    /** {@code p[from]} is the stream id; what follows is a master playlist, or a rendition and a file. */
    private static Route media(String[] p, int from, Route.Flavor flavor) {
        int rest = p.length - from;
        String streamId = p[from];
        if (rest < 2 || rest > 5) return NOT_FOUND;
        if (!Names.isStreamId(streamId)) return new Route.BadRequest("invalid stream id");
        if (rest == 2 && p[from + 1].equals(MPD_FILE)) return new Route.DashManifest(streamId);
        // five names are the DASH tree only (HLS paths have at most four), so a rendition named "dash" stays HLS
        if (rest == 5) return p[from + 1].equals(DASH_TREE) ? dash(streamId, p[from + 2], p[from + 3], p[from + 4]) : NOT_FOUND;
        // the MPEG-TS tree: ts/master.m3u8 and ts/{r}/...; a rendition may itself be named "ts" (ts/index.m3u8)
        boolean tsTree = rest >= 3 && p[from + 1].equals(TS_TREE) && (rest == 4 || p[from + 2].equals("master.m3u8"));
        Container playlists = tsTree ? Container.TS : Container.FMP4;
        int at = tsTree ? from + 2 : from + 1;
        int left = p.length - at;
        if (left == 1) return p[at].equals("master.m3u8") ? new Route.Master(streamId, flavor, playlists) : NOT_FOUND;
        if (left != 2) return NOT_FOUND;
        String rendition = p[at];
        String file = p[at + 1];
        if (!Names.isRendition(rendition)) return new Route.BadRequest("invalid rendition");
        if (file.equals("index.m3u8") || file.equals("playlist.m3u8")) return new Route.Media(streamId, rendition, playlists);
        Matcher segment = MEDIA_FILE.matcher(file);
        if (segment.matches()) return new Route.Segment(streamId, rendition, Long.parseLong(segment.group(1)), containerOf(segment.group(2)));
        Matcher part = PART_FILE.matcher(file);
        if (part.matches()) {
            return new Route.Part(streamId, rendition, Long.parseLong(part.group(1)), Integer.parseInt(part.group(2)), containerOf(part.group(3)));
        }
        Matcher init = INIT_FILE.matcher(file);
        if (init.matches()) return new Route.Init(streamId, rendition, init.group(1));
        return NOT_FOUND;
    }

    private static Route dash(String streamId, String rendition, String trackName, String file) {
        if (!Names.isRendition(rendition)) return new Route.BadRequest("invalid rendition");
        Route.Track track = null;
        for (Route.Track t : Route.Track.values()) if (t.pathName.equals(trackName)) track = t;
        if (track == null) return NOT_FOUND;
        Matcher number = NUMBER_FILE.matcher(file);
        if (number.matches()) return new Route.DashSegment(streamId, rendition, track, Long.parseLong(number.group(1)));
        Matcher init = INIT_FILE.matcher(file);
        if (init.matches()) return new Route.DashInit(streamId, rendition, track, init.group(1));
        return NOT_FOUND;
    }

    /** /dvr/{streamId}/... (the newest session's window) or /vod/{sessionId}/... (a whole session). */
    private static Route recording(String[] p, boolean dvr) {
        if (p.length < 3 || p.length > 4) return NOT_FOUND;
        String id = p[1];
        if (!Names.isStreamId(id)) return new Route.BadRequest(dvr ? "invalid stream id" : "invalid session id");
        if (p.length == 3) {
            if (!p[2].equals("master.m3u8")) return NOT_FOUND;
            return dvr ? new Route.DvrMaster(id) : new Route.VodMaster(id);
        }
        String rendition = p[2];
        if (!Names.isRendition(rendition)) return new Route.BadRequest("invalid rendition");
        if (p[3].equals("index.m3u8")) return dvr ? new Route.DvrMedia(id, rendition) : new Route.VodMedia(id, rendition);
        if (!dvr && SEGMENT_FILE.matcher(p[3]).matches()) return new Route.VodSegment(id, rendition, sequence(p[3]));
        return NOT_FOUND;
    }

    private static Route page(String[] p) {
        if (p.length == 1 && p[0].isEmpty()) return new Route.Page("index.html");
        if (p.length == 1 && p[0].equals("console")) return new Route.Page("console.html");
        if (p.length == 1 && p[0].equals("web-config.json")) return new Route.WebConfig();
        if (p.length == 2 && p[0].equals("watch")) return Names.isStreamId(p[1]) ? new Route.Page("watch.html") : NOT_FOUND;
        if (p[0].equals("static") && (p.length == 2 || p.length == 3)) {
            for (int i = 1; i < p.length; i++) if (!STATIC_NAME.matcher(p[i]).matches()) return NOT_FOUND;
            return new Route.Page(p.length == 2 ? p[1] : p[1] + "/" + p[2]);
        }
        return NOT_FOUND;
    }

    private static boolean hasControlCharacter(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) return true;
        }
        return false;
    }

    private static Container containerOf(String extension) {
        return extension.equals("ts") ? Container.TS : Container.FMP4;
    }

    private static long sequence(String file) {
        return Long.parseLong(file.substring(0, file.length() - 3));
    }

    private OriginRouter() {}
}
