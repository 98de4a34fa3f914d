package io.livestream.edge.session;

import io.livestream.edge.message.RtmpMessage;

/** What a session reports about its publish: start, every media/metadata message, end. */
public interface PublishListener {
    void publishStarted(PublishDecision.Accepted accepted);

    /** An {@link RtmpMessage.Audio}, {@link RtmpMessage.Video} or {@link RtmpMessage.Data} (onMetaData) of the live publish. */
    void media(RtmpMessage message);

    void publishEnded(PublishDecision.Accepted accepted, String reason);

    /** The gate refused a publish attempt (the session then closes the connection). */
    default void publishRefused(String reason) {}
}
