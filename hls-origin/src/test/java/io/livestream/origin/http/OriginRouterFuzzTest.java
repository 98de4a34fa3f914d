package io.livestream.origin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livestream.origin.store.Names;

/**
 * Any request target routes without an exception, and every name a route carries passes {@link Names} (they reach
 * the store and become paths). The LL-HLS query (_HLS_msn, _HLS_part, _HLS_skip, or garbage) never changes the route.
 */
class OriginRouterFuzzTest {
    private static final String[] PREFIXES = {"/live/", "/api/streams/", "/", "/health"};
    private static final String[] QUERY_NAMES = {"_HLS_msn", "_HLS_part", "_HLS_skip", "x"};

    @FuzzTest(maxDuration = "3s")
    void anyTargetRoutesToValidNamesWhateverItsQuery(FuzzedDataProvider data) {
        String path = data.pickValue(PREFIXES) + data.consumeString(200).replace("?", "").replace("#", "");
        StringBuilder query = new StringBuilder();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            query.append(query.length() == 0 ? "" : "&").append(data.pickValue(QUERY_NAMES)).append('=').append(data.consumeString(24));
        }
        Route route = OriginRouter.route(path);
        checkNames(route);
        if (path.length() + 1 + query.length() <= 2048) {
            assertThat(OriginRouter.route(path + "?" + query)).as("the query leaves the route as it is").isEqualTo(route);
        }
        checkNames(OriginRouter.route(data.consumeRemainingAsString())); // and anything at all
    }

    private static void checkNames(Route route) {
        assertThat(route).isNotNull();
        if (route instanceof Route.Master m) {
            assertThat(Names.isStreamId(m.streamId())).isTrue();
        } else if (route instanceof Route.Media m) {
            assertThat(Names.isStreamId(m.streamId()) && Names.isRendition(m.rendition())).isTrue();
        } else if (route instanceof Route.Segment s) {
            assertThat(Names.isStreamId(s.streamId()) && Names.isRendition(s.rendition())).isTrue();
            assertThat(s.sequence()).isNotNegative();
        } else if (route instanceof Route.Part p) {
            assertThat(Names.isStreamId(p.streamId()) && Names.isRendition(p.rendition())).isTrue();
            assertThat(p.msn()).isNotNegative();
            assertThat(p.index()).isNotNegative();
        }
    }
}
