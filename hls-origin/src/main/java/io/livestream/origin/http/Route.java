package io.livestream.origin.http;

/** What a request path asks for. Produced by {@link OriginRouter}, pure data. */
public sealed interface Route {
    /** Where a master playlist is served decides how its rendition URIs are named (relative, so they resolve there). */
    enum Flavor {
        LIVE("index.m3u8"), API("playlist.m3u8");

        final String mediaPlaylistName;

        Flavor(String mediaPlaylistName) { this.mediaPlaylistName = mediaPlaylistName; }

        public String renditionUri(String rendition) { return rendition + "/" + mediaPlaylistName; }
    }

    record Health() implements Route {}

    record Master(String streamId, Flavor flavor) implements Route {}

    record Media(String streamId, String rendition) implements Route {}

    record Segment(String streamId, String rendition, long sequence) implements Route {}

    /** An LL-HLS part: {@code {msn}.{index}.ts}. */
    record Part(String streamId, String rendition, long msn, int index) implements Route {}

    record NotFound(String reason) implements Route {}

    record BadRequest(String reason) implements Route {}
}
